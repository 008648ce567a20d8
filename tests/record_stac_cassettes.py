"""Re-record the STAC playback cassettes against the loopback stub, then check they replay offline.

    .venv/bin/python -m tests.record_stac_cassettes            # record, then replay
    .venv/bin/python -m tests.record_stac_cassettes --no-replay -x   # other options go to pytest

This is exactly what a by-hand recording does:

1. start the stub GeoCatalog (tests/stub_geocatalog.py) on 127.0.0.1 and an ephemeral port;
2. run ``pytest tests/test_playback_stac.py`` with ``AZURE_TEST_RUN_LIVE=true`` and
   ``PLANETARYCOMPUTER_ENDPOINT=http://127.0.0.1:<port>`` (vcrpy record mode "all": every cassette is
   rewritten from scratch, sanitized, under tests/recordings/; the clients use a static fake token
   because the endpoint is loopback);
3. stop the stub and run the same tests again with neither variable set (record mode "none").

Against a real GeoCatalog, skip the stub: ``az login`` (or any DefaultAzureCredential source), then
``AZURE_TEST_RUN_LIVE=true PLANETARYCOMPUTER_ENDPOINT=https://<catalog> pytest tests/test_playback_stac.py``.
The assertions expect the stub's data (collections naip-atl and example-collection).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import List, Optional

from tests.stub_geocatalog import StubGeoCatalog

ROOT = Path(__file__).resolve().parents[1]
TESTS = "tests/test_playback_stac.py"


def run_pytest(env: dict, extra: List[str]) -> int:
    command = [sys.executable, "-m", "pytest", TESTS, "-q", "-p", "no:cacheprovider", *extra]
    return subprocess.call(command, cwd=ROOT, env=env)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Re-record tests/recordings/test_playback_stac.*.yaml on the stub.")
    parser.add_argument("--no-replay", action="store_true", help="only record; skip the offline replay run")
    args, pytest_args = parser.parse_known_args(argv)  # anything else goes to pytest (e.g. -x, -k NAME)

    offline = {k: v for k, v in os.environ.items() if k not in ("AZURE_TEST_RUN_LIVE", "PLANETARYCOMPUTER_ENDPOINT")}
    with StubGeoCatalog() as stub:
        print(f"recording against the stub at {stub.url}", flush=True)
        status = run_pytest(
            {**offline, "AZURE_TEST_RUN_LIVE": "true", "PLANETARYCOMPUTER_ENDPOINT": stub.url}, pytest_args
        )
        print(f"the stub answered {len(stub.requests)} requests", flush=True)
    if status != 0:
        print("recording run failed", file=sys.stderr)
        return status
    if args.no_replay:
        return 0
    print("replaying offline (stub stopped, no live variables)", flush=True)
    return run_pytest(offline, pytest_args)


if __name__ == "__main__":
    sys.exit(main())
