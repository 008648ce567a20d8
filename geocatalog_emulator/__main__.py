"""``geocatalog-emulator``: serve a GeoCatalog emulator until stopped."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional

from .catalog import DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_BODY
from .server import Emulator


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="geocatalog-emulator", description="Serve a local GeoCatalog emulator.")
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks a free one)")
    parser.add_argument("--data", type=Path, default=Path(".geocatalog"), help="data folder (default ./.geocatalog)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    parser.add_argument(
        "--allow-files",
        action="append",
        type=Path,
        default=[],
        metavar="DIR",
        help="a folder whose files file:// and path sources and asset hrefs may name (repeatable; default: none)",
    )
    parser.add_argument(
        "--allow-hosts",
        action="append",
        default=[],
        metavar="HOST",
        help="a host name, address or CIDR network on loopback, link-local or private addresses that http(s) "
        "sources and asset hrefs may name (repeatable; public hosts are always allowed)",
    )
    parser.add_argument(
        "--max-body",
        type=int,
        default=DEFAULT_MAX_BODY,
        metavar="BYTES",
        help=f"largest request body accepted; larger ones get 413 (default {DEFAULT_MAX_BODY})",
    )
    parser.add_argument(
        "--idle-timeout",
        type=float,
        default=DEFAULT_IDLE_TIMEOUT,
        metavar="SECONDS",
        help=f"close connections silent this long (default {DEFAULT_IDLE_TIMEOUT:g})",
    )
    parser.add_argument(
        "--latency",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="add this delay before every response, to benchmark as over a network (default 0)",
    )
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="http(s)://host[:port] clients reach the emulator at, when not the listening address (links use it)",
    )
    args = parser.parse_args(argv)
    if args.latency < 0 or args.max_body < 0 or args.idle_timeout <= 0:
        parser.error("--latency and --max-body must not be negative, --idle-timeout must be positive")
    try:
        emulator = Emulator(
            args.data,
            args.host,
            args.port,
            verbose=args.verbose,
            allow_files=args.allow_files,
            allow_hosts=args.allow_hosts,
            max_body=args.max_body,
            idle_timeout=args.idle_timeout,
            latency=args.latency,
            public_url=args.public_url,
        )
    except ValueError as exc:
        parser.error(str(exc))
    except OSError as exc:  # a busy port, an unknown interface: one line, no traceback
        print(f"geocatalog-emulator: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"GeoCatalog emulator at {emulator.endpoint} (data in {args.data.resolve()}); Ctrl+C to stop", flush=True)
    try:
        emulator.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
