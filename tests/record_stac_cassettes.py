"""Re-record the STAC playback cassettes only: ``tests.record_cassettes stac`` under its older name.

    .venv/bin/python -m tests.record_stac_cassettes            # record, then replay
    .venv/bin/python -m tests.record_stac_cassettes --no-replay -x   # other options go to pytest

``.venv/bin/python -m tests.record_cassettes`` re-records every playback module (see
tests/record_cassettes.py and tests/recordings/README.md).
"""

from __future__ import annotations

import sys
from typing import List, Optional

from tests.record_cassettes import main as record


def main(argv: Optional[List[str]] = None) -> int:
    return record(["stac", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
