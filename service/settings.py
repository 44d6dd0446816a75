"""The service's configuration: one :class:`Settings` class, read from ``PAINLINK_*`` environment
variables or passed in (``painlink serve`` builds one from its options).

Every limit the service enforces is here, so an operator finds them in one place:

>>> settings = Settings(update_token="s3cret", data=["extra.ttl"])
>>> settings.updates_enabled, settings.update_token
(True, SecretStr('**********'))
>>> Settings().updates_enabled   # read-only unless a token is configured
False
>>> from pydantic import ValidationError
>>> try:
...     Settings(query_timeout=0)
... except ValidationError as error:
...     print(error.errors()[0]["loc"], error.errors()[0]["msg"])
('query_timeout',) Input should be greater than 0
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["Settings"]


def _default_workers() -> int:
    # One evaluation process a core, at least two: one pathological query must never leave the
    # endpoint without a free evaluator while the timeout runs down.
    return max(2, os.cpu_count() or 1)


class Settings(BaseSettings):
    """Everything ``painlink serve`` can be told (environment: ``PAINLINK_<NAME>``).

    List settings (``data``, ``cors_origins``) accept a comma-separated string from the environment,
    e.g. ``PAINLINK_CORS_ORIGINS=https://a.example,https://b.example``.
    """

    model_config = SettingsConfigDict(env_prefix="PAINLINK_", extra="forbid")

    # --- where to listen ------------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    #: The service's address as its clients reach it (``https://kb.example/painlink`` behind a reverse
    #: proxy): the ``sd:endpoint`` of the service description, the base of relative IRIs and of
    #: redirects. Never taken from the request's Host header (a client chooses that). None: the
    #: address it listens on, ``http://HOST:PORT``.
    public_url: str | None = None

    # --- what to serve --------------------------------------------------------------------------
    #: Extra RDF files (Turtle, N-Triples, ...) loaded beside the shipped ontology.
    data: Annotated[list[Path], NoDecode] = Field(default_factory=list)
    #: The store (issue 5 owns these): ``memory`` for a throwaway in-memory store, else the persistent
    #: store in ``data_dir``, or any SPARQL 1.1 server at ``store_url`` (``store_update_url`` for writes).
    memory: bool = False
    data_dir: Path | None = None
    store_url: str | None = None
    store_update_url: str | None = None
    #: Seconds between two checks of a remote store for writes made by other clients (a count of its
    #: quads, see painlink.graph.stores); 0 checks on every request, None never.
    store_refresh_interval: float | None = Field(5.0, ge=0)
    #: Seconds to wait for a remote store before answering 503.
    store_timeout: float = Field(30.0, gt=0)

    # --- security ---------------------------------------------------------------------------------
    #: Bearer token that enables SPARQL Update and Graph Store writes; None keeps the service read-only.
    update_token: SecretStr | None = None
    #: Origins allowed to call the service from a browser; empty turns CORS off. Never with credentials.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    #: Federated queries (SERVICE) and LOAD make the server fetch URLs: off unless turned on.
    allow_service: bool = False
    allow_load: bool = False
    #: The Model Context Protocol's streamable HTTP transport at ``/mcp`` (read-only tools and resources
    #: for AI assistants, painlink.service.mcp): off unless turned on. It accepts requests only from the
    #: service's own origin, loopback and ``cors_origins`` (a browser page elsewhere is refused, 403).
    mcp_http: bool = False

    # --- limits ---------------------------------------------------------------------------------------
    #: Seconds a query may run before it is stopped and answered with 503.
    query_timeout: float = Field(5.0, gt=0)
    #: Rows (SELECT) or triples (CONSTRUCT/DESCRIBE) a query may return.
    max_result_rows: int = Field(100_000, gt=0)
    #: Bytes of a request body (queries, updates, Graph Store uploads).
    max_body_bytes: int = Field(16 * 1024 * 1024, gt=0)
    #: Characters of a query or update string.
    max_query_length: int = Field(100_000, gt=0)
    #: The longest causal chain (steps) ``max_length`` may ask for, in /api and ``SERVICE
    #: <urn:painlink:paths>``; the path engine's own ceiling is 10.
    max_path_length: int = Field(8, ge=1, le=10)
    #: The most answers (paths, search hits, explanations) ``limit`` may ask for; the engine's ceiling is 100.
    max_answers: int = Field(50, ge=1, le=100)
    #: Connections (painlink.service.connections): seconds a client may take to send a request's
    #: head (from connecting, or from the previous answer) and its body (from the head); past
    #: either the connection is closed. The most connections open, and the most requests in
    #: progress, at once: beyond them a client is answered 503.
    header_timeout: float = Field(10.0, gt=0)
    body_timeout: float = Field(60.0, gt=0)
    max_connections: int = Field(1000, ge=1)
    max_requests: int = Field(200, ge=1)
    #: Path questions (/api/paths, /api/explain, /api/interventions, their pages, SERVICE
    #: <urn:painlink:paths>; see painlink.service.questions) run under ``query_timeout`` too, and:
    #: the most partial chains one question may extend, and the most candidates (causes explain
    #: weighs, root-target pairs interventions searches) it may weigh; past either it answers 503.
    path_max_expansions: int = Field(3_000_000, ge=1)
    path_max_candidates: int = Field(5_000, ge=1)
    #: Path questions computed at once (threads of their own, apart from the cheap routes), and how
    #: many more may wait for one; a question beyond both answers 503 at once.
    path_questions: int = Field(2, ge=1, le=64)
    path_queue: int = Field(8, ge=0, le=1024)
    #: Processes that evaluate queries (each holds a read replica of the store).
    query_workers: int = Field(default_factory=_default_workers, ge=1, le=64)
    #: The most query processes at once: when every worker is held by a slow query, queries that
    #: wait get extra workers up to this many (default twice ``query_workers``).
    query_workers_max: int | None = Field(None, ge=1, le=128)
    #: Front processes answering /sparql queries on the service's port beside this one
    #: (:mod:`painlink.service.fronts`; embedded stores only). 0: this process answers everything.
    fronts: int = Field(0, ge=0, le=64)

    @field_validator("data", "cors_origins", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _fronts_need_the_embedded_store(self) -> Settings:
        if self.fronts and self.store_url:
            raise ValueError("fronts answer queries from a replica of the embedded store; with a remote "
                             "store, run several `painlink serve` in front of it instead (README)")
        return self

    @field_validator("update_token")
    @classmethod
    def _no_empty_token(cls, value: SecretStr | None) -> SecretStr | None:
        # An empty token would let anyone write with "Authorization: Bearer " -- treat it as unset.
        if value is not None and not value.get_secret_value().strip():
            return None
        if value is not None and value.get_secret_value() != value.get_secret_value().strip():
            # Clients send the token trimmed (a header value cannot carry them at its ends), so such
            # a token could never match: refuse it rather than "enable" updates no one can make.
            raise ValueError(
                "the update token begins or ends with spaces or a newline (a file's last line?); remove them"
            )
        return value

    @field_validator("cors_origins")
    @classmethod
    def _origins_are_urls(cls, value: list[str]) -> list[str]:
        for origin in value:
            if origin != "*" and not origin.startswith(("http://", "https://")):
                raise ValueError(f"a CORS origin must be '*' or start with http:// or https://, not {origin!r}")
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url_is_a_base(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        from urllib.parse import urlsplit

        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ValueError(f"the public URL must be http(s)://HOST[:PORT][/PATH], without query or fragment, not {value!r}")
        return value.strip().rstrip("/")

    @property
    def base_url(self) -> str:
        """The canonical address of the service, without a trailing slash (see ``public_url``).

        >>> Settings().base_url, Settings(host="::1", port=8080).base_url
        ('http://127.0.0.1:8000', 'http://[::1]:8080')
        >>> Settings(public_url="https://kb.example/painlink/").base_url
        'https://kb.example/painlink'
        """
        if self.public_url is not None:
            return self.public_url
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def updates_enabled(self) -> bool:
        """Whether SPARQL Update and Graph Store writes are accepted (with the token)."""
        return self.update_token is not None
