"""The streamable HTTP transport at ``/mcp`` on ``painlink serve`` (off unless ``Settings.mcp_http``).

The SDK's :class:`~mcp.server.streamable_http_manager.StreamableHTTPSessionManager` speaks the
protocol; this module only mounts it on the service and tells it whom to accept:

* **Origin** (the protocol's security notes: a server MUST validate it, 403 when it is present and
  not allowed): the service's own origin (``Settings.base_url``), loopback when it listens on
  loopback, and the browser origins the operator allowed (``Settings.cors_origins``). A web page
  elsewhere, which could otherwise drive the tools through the user's browser, is refused.
* **Host** (DNS rebinding: a hostile name resolving to 127.0.0.1): the address the service is
  configured with and the one it listens on; anything else is 421. Behind a proxy, set
  ``public_url`` so the proxy's name is accepted.

Stateless and JSON-answered: every request stands alone (no session to keep, expire or exhaust) and
every tool is read-only, so nothing is lost between requests. The manager's task group runs inside
the app's lifespan, which this module wraps.

>>> from painlink.service.settings import Settings
>>> allowed = security_settings(Settings(port=8000))
>>> sorted(allowed.allowed_origins)[:2]
['http://127.0.0.1:8000', 'http://[::1]:8000']
>>> "evil.example:8000" in allowed.allowed_hosts
False
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from fastapi import FastAPI
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp, StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.routing import Route

from painlink.service.settings import Settings

__all__ = ["PATH", "install", "security_settings"]

#: Where the transport answers.
PATH = "/mcp"
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _netloc(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def security_settings(settings: Settings) -> TransportSecuritySettings:
    """Which Host and Origin headers ``/mcp`` accepts (module docstring)."""
    public = urlsplit(settings.base_url)
    hosts = {public.netloc, _netloc(settings.host, settings.port)}
    origins = {f"{public.scheme}://{public.netloc}"}
    if settings.host in _LOOPBACK:
        # The same machine under any of its loopback names (a desktop assistant, a local page).
        hosts |= {_netloc(name, settings.port) for name in _LOOPBACK}
        origins |= {f"http://{_netloc(name, settings.port)}" for name in _LOOPBACK}
    origins |= {origin for origin in settings.cors_origins if origin != "*"}
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True, allowed_hosts=sorted(hosts), allowed_origins=sorted(origins)
    )


def install(app: FastAPI) -> None:
    """Serve the MCP face of ``app`` at :data:`PATH`: the route, and the session manager's task group
    started and stopped with the app's own lifespan (the app's state is ready before it starts)."""
    from painlink.service.mcp.server import build_server

    settings: Settings = app.state.settings
    manager = StreamableHTTPSessionManager(
        app=build_server(app),
        json_response=True,
        stateless=True,
        security_settings=security_settings(settings),
        max_request_body_size=settings.max_body_bytes,
    )
    app.router.routes.append(Route(PATH, StreamableHTTPASGIApp(manager), methods=["GET", "POST", "DELETE"]))
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[None]:
        async with inner(application) as state, manager.run():
            yield state

    app.router.lifespan_context = lifespan
