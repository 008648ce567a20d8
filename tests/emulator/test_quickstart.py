"""samples/quickstart.py runs end to end against the embedded emulator and writes a PNG tile."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
QUICKSTART = REPO / "samples" / "quickstart.py"


def test_quickstart_runs_against_the_embedded_emulator(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PLANETARYCOMPUTER_ENDPOINT", "PYTHONPATH")}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [sys.executable, str(QUICKSTART), "--out", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    assert "started a local GeoCatalog emulator" in done.stdout
    tile = (tmp_path / "quickstart-tile.png").read_bytes()
    assert tile.startswith(b"\x89PNG\r\n\x1a\n") and tile[12:16] == b"IHDR", tile[:32]
    assert struct.unpack(">II", tile[16:24]) == (256, 256)
    assert "deleted collection" in done.stdout
    # Counts are of items (the demo's three), in words that fit the number; the tile's path is printed.
    assert "   3 of 3 items ingested\n" in done.stdout
    assert "   3 items: atl_demo_00_20211114, atl_demo_01_20211115, atl_demo_02_20211116\n" in done.stdout
    assert ": 1 item\n" in done.stdout and "1 items" not in done.stdout
    assert f"{tmp_path / 'quickstart-tile.png'}: " in done.stdout
