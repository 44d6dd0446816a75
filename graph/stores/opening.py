"""Choosing a store from the settings (``--memory``, ``--data-dir``, ``--store``): :func:`open_store`."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from .embedded import OxigraphStore
from .interface import Store
from .remote import RemoteStore
from .shipped import sync_shipped

__all__ = ["open_store", "default_data_dir"]


def default_data_dir() -> Path:
    """Where the persistent store lives when nothing says otherwise: ``$PAINLINK_DATA_DIR``, else
    ``./data`` (gitignored)."""
    return Path(os.environ.get("PAINLINK_DATA_DIR") or "data")


def open_store(
    *,
    memory: bool = False,
    data_dir: str | Path | None = None,
    store_url: str | None = None,
    store_update_url: str | None = None,
    store_graph_store_url: str | None = None,
    refresh_interval: float | None = 5.0,
    timeout: float = 30.0,
    shipped: Sequence[str | Path] | None = None,
) -> Store:
    """The store the settings ask for: a remote SPARQL server when ``store_url`` is given, else an
    in-memory store when ``memory``, else the persistent store in ``data_dir`` (default
    :func:`default_data_dir`). With ``shipped`` files, :func:`sync_shipped` loads them into it.

    >>> store = open_store(memory=True)
    >>> type(store).__name__, store.path is None
    ('OxigraphStore', True)
    >>> open_store(memory=True, store_url="http://127.0.0.1:7878/query")
    Traceback (most recent call last):
    ...
    ValueError: choose one store: --memory and --store cannot be used together
    """
    if memory and store_url:
        raise ValueError("choose one store: --memory and --store cannot be used together")
    if store_update_url and not store_url:
        raise ValueError("--store-update needs --store (the query URL of the same server)")
    store: Store
    if store_url:
        store = RemoteStore(
            store_url,
            update_url=store_update_url,
            graph_store_url=store_graph_store_url,
            refresh_interval=refresh_interval,
            timeout=timeout,
        )
    elif memory:
        store = OxigraphStore()
    else:
        store = OxigraphStore(Path(data_dir) if data_dir is not None else default_data_dir())
    if shipped is not None and store.writable:
        # A read-only remote server is used as it is: its owner decides what is in it.
        sync_shipped(store, shipped)
    return store
