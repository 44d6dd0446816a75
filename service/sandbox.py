"""Cutting a query worker off the network, so no query can make the server call out, whatever a
check before it concluded.

pyoxigraph answers ``SERVICE <http://...>`` itself, from Rust (its own HTTP client, its own sockets):
a Python-level guard cannot stop it. So a worker that evaluates queries is moved, before its first
query, into a **network namespace of its own** (``unshare(CLONE_NEWNET)``): it has no interface but
a loopback that is down, so every connection -- to another machine, to the host's loopback, to a
name -- fails with "Network is unreachable". A process with ``CAP_SYS_ADMIN`` (root) does this
directly; anyone else asks for a user namespace first (``CLONE_NEWUSER | CLONE_NEWNET``, the way
``unshare -rn`` does), which Linux allows unprivileged users unless the distribution turned it off.
Pipes (how the worker talks to the service) and files (its replica) are not network and keep working.

Where neither is permitted (no Linux, user namespaces disabled), the worker falls back to an
in-process guard -- Python's ``socket`` refuses Internet sockets and name look-ups -- and says so on
standard error: the check before evaluation (:mod:`painlink.service.security`) is then the only
defence against ``SERVICE`` from Rust. The guard is installed in every case, beneath the namespace.

Workers are isolated only when the operator has not allowed federated queries (``--allow-service``):
with it, SERVICE must reach the network, and the workers keep it.

>>> import socket, subprocess, sys
>>> code = ("from painlink.service import sandbox; print(sandbox.isolate()); import socket; "
...         "socket.create_connection(('127.0.0.1', 9), timeout=1)")
>>> run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
>>> run.returncode != 0 and ("unreachable" in run.stderr or "NetworkDisabled" in run.stderr)
True
"""

from __future__ import annotations

import ctypes
import os
import socket
import sys

__all__ = ["NetworkDisabled", "isolate"]

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000
#: Socket families that reach other hosts (or the host itself over IP).
_INTERNET = {socket.AF_INET, socket.AF_INET6}


class NetworkDisabled(OSError):
    """Raised by the in-process guard when code in an isolated worker asks for an Internet socket or a
    name look-up."""


def _unshare(flags: int) -> int:
    """``unshare(2)``; 0 or the errno."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(flags) == 0:
        return 0
    return ctypes.get_errno()


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as file:
        file.write(text)


def _own_network_namespace() -> str | None:
    """Move this process into a network namespace of its own; which way it worked, or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        if _unshare(_CLONE_NEWNET) == 0:
            return "network namespace"
        uid, gid = os.getuid(), os.getgid()
        if _unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
            return None
        # Map our own ids onto themselves, so files the worker creates keep their owner.
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"{uid} {uid} 1")
        _write("/proc/self/gid_map", f"{gid} {gid} 1")
        return "user and network namespace"
    except OSError:
        return None


def _guard_sockets() -> None:
    """Make Python's ``socket`` refuse Internet sockets and name look-ups in this process."""

    base = socket.socket

    class GuardedSocket(base):  # type: ignore[misc, valid-type]
        def __init__(self, family: int = -1, type: int = -1, proto: int = -1, fileno: int | None = None) -> None:
            if fileno is None and (family == -1 or family in _INTERNET):
                raise NetworkDisabled("this query worker has no network (painlink.service.sandbox)")
            super().__init__(family, type, proto, fileno)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise NetworkDisabled("this query worker has no network (painlink.service.sandbox)")

    socket.socket = GuardedSocket  # type: ignore[misc]
    socket.getaddrinfo = refuse  # type: ignore[assignment]
    socket.gethostbyname = refuse  # type: ignore[assignment]
    socket.create_connection = refuse  # type: ignore[assignment]


def isolate() -> str:
    """Cut this process off the network (module docstring); returns what was done, for the log.
    Call it before anything starts threads: a user namespace needs a single-threaded process."""
    measure = _own_network_namespace()
    _guard_sockets()
    if measure is None:
        return "in-process socket guard only (no network namespace permitted here)"
    return measure
