"""``geocatalog-emulator``: serve a GeoCatalog emulator until stopped."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional

from .server import Emulator


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="geocatalog-emulator", description="Serve a local GeoCatalog emulator.")
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks a free one)")
    parser.add_argument("--data", type=Path, default=Path(".geocatalog"), help="data folder (default ./.geocatalog)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    emulator = Emulator(args.data, args.host, args.port, verbose=args.verbose)
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
