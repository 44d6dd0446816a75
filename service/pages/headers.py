"""The security headers every page is sent with: a Content-Security-Policy that lets a page load only
this server's own scripts and styles, ``nosniff``, no framing."""

from __future__ import annotations


__all__ = ["SECURITY_HEADERS", "SPARQL_PAGE_HEADERS"]


def policy(style_src: str) -> str:
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            f"style-src {style_src}",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )


#: Headers on every page. Scripts and styles come only from this server; the graph's data travels
#: as a JSON block, so no inline script is needed anywhere. ``img-src data:`` is for vis-network's
#: navigation icons (CSS data URIs). Outbound links (ontology pages, cited sources) are plain links.
SECURITY_HEADERS = {
    "Content-Security-Policy": policy("'self'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


#: The SPARQL editor's page: the same, except that YASGUI's results table (its column resizer) adds a
#: ``<style>`` element at run time, so styles may be inline there. Scripts stay 'self' only.
SPARQL_PAGE_HEADERS = {**SECURITY_HEADERS, "Content-Security-Policy": policy("'self' 'unsafe-inline'")}
