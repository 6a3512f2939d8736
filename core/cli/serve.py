"""`serve`, `keys`, `store check`: the HTTP API, its keys, and the record's health."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from core.cli import common
from core.errors import InputError


def _serve_parser(sub: Any) -> None:
    serve = sub.add_parser("serve", help="serve the HTTP API (FastAPI) over the DecisionService")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument(
        "--port", type=common.bounded(0, 65_535, "0: any free port"), default=8000, help="0-65535 (0: any free port)"
    )
    serve.add_argument("--auth", action="store_true", help="require `Authorization: Bearer KEY` (see `keys create`)")
    serve.add_argument(
        "--max-body-kb", type=common.bounded(1, 1 << 20), default=1024, help="largest JSON request body, KiB"
    )
    serve.add_argument(
        "--max-upload-mb", type=common.bounded(1, 1 << 20), default=64, help="largest file submitted to /v1/audits, MiB"
    )
    common.store_args(serve)
    common.model_args(serve)
    serve.set_defaults(handler=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> dict[str, Any] | None:
    """Serve the HTTP API (`core.api`) over one DecisionService until interrupted; logs are JSON lines on stderr."""
    from core.api import ApiSettings, listen, serve
    from core.service import DecisionService
    from core.store import open_store

    settings = ApiSettings(
        auth=args.auth, max_body_bytes=args.max_body_kb * 1024, max_upload_bytes=args.max_upload_mb << 20
    )
    with listen(args.host, args.port) as sock:  # before the model loads: a busy port is said at once
        service = DecisionService(common.load(args), open_store(args.store))
        try:
            serve(service, sock, settings)
        finally:
            service.close(timeout_s=30.0)
    return None


def _keys_parser(sub: Any) -> None:
    keys = sub.add_parser("keys", help="API keys with roles, kept hashed in the store: create, list, revoke")
    keys.add_argument("action", choices=["create", "list", "revoke"])
    keys.add_argument("--role", choices=["viewer", "analyst", "admin"], help="with create: what the key may do")
    keys.add_argument("--name", default="", help="with create: who or what the key is for")
    keys.add_argument("--key-id", help="with revoke: the key's id (as listed)")
    common.store_args(keys)
    keys.set_defaults(handler=cmd_keys)


def cmd_keys(args: argparse.Namespace) -> dict[str, Any]:
    """Create (printing the key once), list or revoke the API keys kept in the store."""
    from core.store import create_key, list_keys, open_store, revoke_key

    store = open_store(args.store)
    if args.action == "create":
        if not args.role:
            raise InputError("keys create needs --role viewer, analyst or admin")
        key, stored = create_key(store, args.role, args.name)
        print("the key is shown only now: keep it somewhere safe", file=sys.stderr)
        return {**stored.to_json(), "key": key}
    if args.action == "revoke":
        if not args.key_id:
            raise InputError("keys revoke needs --key-id ID (see `python -m core keys list`)")
        return revoke_key(store, args.key_id).to_json()
    return {"keys": [key.to_json() for key in list_keys(store)]}


def _store_parser(sub: Any) -> None:
    store = sub.add_parser("store", help="check the decision record: exit 0 when healthy, 1 with the problems")
    store.add_argument("action", choices=["check"])
    common.store_args(store)
    store.set_defaults(handler=cmd_store)


def cmd_store(args: argparse.Namespace) -> None:
    """`store check`: the record's integrity check, printed as JSON; exit code 1 when it finds problems."""
    from core.store import check_store

    report = check_store(args.store)
    common.emit(report)
    if not report["healthy"]:
        raise common.ProblemsFoundError(
            f"the store {report['store']} has {len(report['problems'])} problem(s), listed above"
        )


def register(sub: Any) -> None:
    """Add the sub-commands of this module to the CLI's sub-parsers."""
    for add in (_serve_parser, _keys_parser, _store_parser):
        add(sub)
