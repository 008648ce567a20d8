"""Re-record the playback cassettes against the loopback stub, then check they replay offline.

    .venv/bin/python -m tests.record_cassettes                  # every tests/test_playback_*.py module
    .venv/bin/python -m tests.record_cassettes sas data         # only these groups
    .venv/bin/python -m tests.record_cassettes --no-replay -x   # other options go to pytest

This is exactly what a by-hand recording does:

1. start the stub GeoCatalog (tests/stub_geocatalog.py) on 127.0.0.1 and an ephemeral port;
2. run ``pytest tests/test_playback_<group>.py ...`` (one session for all the groups asked for) with
   ``AZURE_TEST_RUN_LIVE=true`` and ``PLANETARYCOMPUTER_ENDPOINT=http://127.0.0.1:<port>`` (vcrpy
   record mode "all": every cassette is rewritten from scratch, sanitized, under tests/recordings/;
   the clients use a static fake token because the endpoint is loopback);
3. stop the stub and run the same tests again with neither variable set (record mode "none").

A group is the ``<group>`` of a ``tests/test_playback_<group>.py`` module: ``data``, ``ingestion``,
``sas``, ``stac``. Against a real GeoCatalog, skip the stub: ``az login`` (or any
DefaultAzureCredential source), then ``AZURE_TEST_RUN_LIVE=true PLANETARYCOMPUTER_ENDPOINT=https://<catalog>
pytest tests/test_playback_<group>.py``; the assertions expect the stub's data.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from tests.stub_geocatalog import StubGeoCatalog

ROOT = Path(__file__).resolve().parents[1]
LIVE_VARIABLES = ("AZURE_TEST_RUN_LIVE", "PLANETARYCOMPUTER_ENDPOINT")


def playback_modules() -> Dict[str, str]:
    """``{group: "tests/test_playback_<group>.py"}`` for every playback module, sorted by group."""
    paths = sorted((ROOT / "tests").glob("test_playback_*.py"))
    return {path.stem[len("test_playback_") :]: f"tests/{path.name}" for path in paths}


def run_pytest(modules: Sequence[str], env: Dict[str, str], extra: List[str]) -> int:
    command = [sys.executable, "-m", "pytest", *modules, "-q", "-p", "no:cacheprovider", *extra]
    return subprocess.call(command, cwd=ROOT, env=env)


def main(argv: Optional[List[str]] = None) -> int:
    known = playback_modules()
    parser = argparse.ArgumentParser(
        description="Re-record tests/recordings/test_playback_<group>.*.yaml on the stub, then replay offline."
    )
    parser.add_argument(
        "groups", nargs="*", metavar="GROUP", help=f"groups to record (default: all of {sorted(known)})"
    )
    parser.add_argument("--no-replay", action="store_true", help="only record; skip the offline replay run")
    args, pytest_args = parser.parse_known_args(argv)  # anything else goes to pytest (e.g. -x, -k NAME)
    unknown = sorted(set(args.groups) - set(known))
    if unknown:
        parser.error(f"unknown group(s) {unknown}; the playback modules are {sorted(known)}")
    modules = [known[group] for group in (args.groups or known)]

    offline = {k: v for k, v in os.environ.items() if k not in LIVE_VARIABLES}
    with StubGeoCatalog() as stub:
        print(f"recording {' '.join(modules)} against the stub at {stub.url}", flush=True)
        status = run_pytest(
            modules, {**offline, "AZURE_TEST_RUN_LIVE": "true", "PLANETARYCOMPUTER_ENDPOINT": stub.url}, pytest_args
        )
        print(f"the stub answered {len(stub.requests)} requests", flush=True)
    if status != 0:
        print("recording run failed", file=sys.stderr)
        return status
    if args.no_replay:
        return 0
    print("replaying offline (stub stopped, no live variables)", flush=True)
    return run_pytest(modules, offline, pytest_args)


if __name__ == "__main__":
    sys.exit(main())
