"""The server's listening socket, opened before the model loads: a busy port or a host that does not resolve is one
line and exit 2 (uvicorn would log it and exit 3, which here means "decided, not recorded")."""

from __future__ import annotations

import socket

from core.errors import InputError


def listen(host: str, port: int) -> socket.socket:
    """A TCP socket bound to `host`:`port` (0: any free port), ready for uvicorn; InputError when it cannot be."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (socket.gaierror, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, socket.gaierror) else str(exc)
        raise InputError(
            f"--host {host}: the name does not resolve ({reason}): give an address such as 127.0.0.1 or 0.0.0.0"
        ) from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: restart over TIME_WAIT
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise InputError(
            f"cannot listen on {host}:{port}: {exc.strerror}: choose another --port (0: any free port) or stop "
            "what listens there"
        ) from None
    return sock


def bound_url(sock: socket.socket) -> str:
    """`http://host:port` of a bound socket (the port the system chose for port 0)."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if sock.family == socket.AF_INET6 else f"http://{host}:{port}"
