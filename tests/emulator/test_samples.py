"""Every sample in samples/ and samples/async/ runs unchanged against its own embedded emulator.

Each sample is a subprocess (no ``PLANETARYCOMPUTER_ENDPOINT``, so it starts an emulator with the
demo data) writing into its own ``--output`` folder. They share nothing, so they all start at
once, in a few worker threads; each test then waits for its sample and checks one thing it made.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Dict, Iterator, List, NamedTuple, Optional, Tuple

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
TIMEOUT = 120  # seconds, one sample (each takes a few seconds)
PNG = b"\x89PNG\r\n\x1a\n"


class Run(NamedTuple):
    returncode: int
    stdout: str
    stderr: str
    output: Path
    seconds: float


def sample_paths() -> List[Path]:
    found = sorted(SAMPLES.glob("*.py")) + sorted((SAMPLES / "async").glob("*.py"))
    return [path for path in found if not path.name.startswith("_")]


def sample_id(path: Path) -> str:
    return str(path.relative_to(SAMPLES).with_suffix(""))


def run_sample(path: Path, output: Path) -> Run:
    env = {k: v for k, v in os.environ.items() if k not in ("PLANETARYCOMPUTER_ENDPOINT", "PYTHONPATH")}
    env["PYTHONPATH"] = str(REPO)
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, str(path), "--output", str(output)],
            cwd=output,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired as exc:
        return Run(-1, str(exc.stdout or ""), f"timed out after {TIMEOUT} s\n{exc.stderr or ''}", output, TIMEOUT)
    return Run(done.returncode, done.stdout, done.stderr, output, time.monotonic() - started)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, "Future[Run]"]]:
    """Every sample started at once (a few at a time); a future of its run, by sample id."""
    with ThreadPoolExecutor(max_workers=max(4, 2 * (os.cpu_count() or 1))) as pool:
        futures = {}
        for path in sample_paths():
            output = tmp_path_factory.mktemp(sample_id(path).replace("/", "-"))
            futures[sample_id(path)] = pool.submit(run_sample, path, output)
        yield futures


def png_size(path: Path) -> Optional[Tuple[int, int]]:
    data = path.read_bytes()
    if not data.startswith(PNG) or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def one(folder: Path, pattern: str) -> Path:
    found = sorted(folder.rglob(pattern))
    assert found, f"no {pattern} in {folder}: {sorted(p.name for p in folder.rglob('*'))}"
    return found[0]


# -- what each sample must have made (sync and async alike) -----------------------------------------


def check_quickstart(run: Run) -> None:
    assert png_size(run.output / "quickstart-tile.png") == (256, 256)
    assert one(run.output, "*.tif").stat().st_size > 10_000  # a downloaded COG
    assert "deleted collection" in run.stdout


def check_collection_lifecycle(run: Run) -> None:
    assert png_size(run.output / "thumbnail.png") is not None
    assert "mosaics: ['default', 'low-cloud', 'recent']" in run.stdout
    assert "deleted" in run.stdout


def check_ingestion_management(run: Run) -> None:
    assert "3 of 3 items ingested" in run.stdout
    assert "ingested 2 items" in run.stdout and "the collection now has 5 items" in run.stdout
    statuses = {op["type"]: op["status"] for op in json.loads((run.output / "operations.json").read_text())}
    assert statuses["AddCollection"] == "Succeeded"


def check_stac_search(run: Run) -> None:
    assert "3 items in 2 pages" in run.stdout
    assert len(json.loads((run.output / "items.geojson").read_text())["features"]) == 3
    assert "same JSON: True" in run.stdout


def check_sas(run: Run) -> None:
    assert one(run.output, "*.tif").read_bytes()[:4] in (b"II*\x00", b"MM\x00*")  # a GeoTIFF, read with a SAS
    assert "refused after revoke" in run.stdout


def check_item_tiler(run: Run) -> None:
    assert png_size(one(run.output, "tile-*.png")) == (256, 256)
    assert png_size(run.output / "crop-bbox.png") == (400, 200)
    assert png_size(run.output / "crop-geojson.png") is not None
    assert ET.parse(run.output / "wmts.xml").getroot().tag.endswith("Capabilities")


def check_mosaics_tiler(run: Run) -> None:
    assert png_size(one(run.output, "collection-*.png")) == (256, 256)
    assert png_size(one(run.output, "search-*.png")) == (256, 256)
    assert "items ['atl_demo_00_20211114', 'atl_demo_01_20211115']" in run.stdout


def check_datacube(run: Run) -> None:
    assert png_size(run.output / "ndvi.png") is not None  # odc-stac on two Dask worker processes
    assert png_size(run.output / "rgb.png") is not None  # stackstac on single-band assets
    assert "Dask: 2 workers" in run.stdout and "'time': 3" in run.stdout


def check_geodataframe(run: Run) -> None:
    assert "3 rows" in run.stdout and "footprints.geojson: 3 features" in run.stdout
    assert png_size(run.output / "footprints.png") is not None
    features = json.loads((run.output / "footprints.geojson").read_text())["features"]
    assert sorted(f["properties"]["id"] for f in features) == ["atl_demo_00_20211114", "atl_demo_01_20211115", "atl_demo_02_20211116"]


def check_map_legends(run: Run) -> None:
    assert png_size(run.output / "ndvi-tile.png") == (256, 256)
    assert png_size(run.output / "legend-rdylgn.png") is not None
    assert "class  1: #419bdf" in run.stdout


CHECKS: Dict[str, Callable[[Run], None]] = {
    "quickstart": check_quickstart,
    "collection_lifecycle": check_collection_lifecycle,
    "ingestion_management": check_ingestion_management,
    "stac_search": check_stac_search,
    "sas": check_sas,
    "item_tiler": check_item_tiler,
    "mosaics_tiler": check_mosaics_tiler,
    "map_legends": check_map_legends,
    "datacube": check_datacube,
    "geodataframe": check_geodataframe,
}

#: Samples of libraries that are synchronous only (odc-stac, stackstac, geopandas): no async twin.
SYNC_ONLY = {"datacube", "geodataframe"}


def test_every_sample_has_an_async_twin_and_a_check() -> None:
    sync = {path.stem for path in sample_paths() if path.parent == SAMPLES}
    asynchronous = {path.stem for path in sample_paths() if path.parent == SAMPLES / "async"}
    assert sync == set(CHECKS) and asynchronous == set(CHECKS) - SYNC_ONLY


@pytest.mark.parametrize("name", [sample_id(path) for path in sample_paths()])
def test_sample_runs_against_the_emulator(name: str, runs: Dict[str, "Future[Run]"]) -> None:
    run = runs[name].result()
    assert run.returncode == 0, f"{name} failed\nstdout:\n{run.stdout}\nstderr:\n{run.stderr}"
    assert "started a local GeoCatalog emulator" in run.stdout
    CHECKS[Path(name).name](run)


# -- what a sample says when it cannot run ------------------------------------------------------------


def _run_without(path: Path, tmp_path: Path, env: Dict[str, str], missing: Optional[str] = None) -> Run:
    """Run a sample as ``python <sample>`` would, with the module ``missing`` made unimportable."""
    hide = f"sys.modules[{missing!r}] = None; " if missing else ""
    code = (
        f"import runpy, sys; {hide}sys.argv = [{str(path)!r}]; sys.path.insert(0, {str(path.parent)!r}); "
        f"runpy.run_path({str(path)!r}, run_name='__main__')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    return Run(done.returncode, done.stdout, done.stderr, tmp_path, 0.0)


def _sample_env(**extra: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PLANETARYCOMPUTER_ENDPOINT", "PYTHONPATH")}
    return {**env, "PYTHONPATH": str(REPO), **extra}


def test_async_sample_without_aiohttp_names_the_extra_in_one_line(tmp_path: Path) -> None:
    run = _run_without(SAMPLES / "async" / "quickstart.py", tmp_path, _sample_env(), missing="aiohttp")
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        'This sample needs aiohttp: pip install -e ".[aio]" (the async client\'s transport)'
    ]
    assert "emulator" not in run.stdout  # refused before starting anything


def test_real_endpoint_without_azure_identity_names_the_package_in_one_line(tmp_path: Path) -> None:
    env = _sample_env(PLANETARYCOMPUTER_ENDPOINT="https://127.0.0.1:9")
    run = _run_without(SAMPLES / "quickstart.py", tmp_path, env, missing="azure.identity")
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        "This sample needs azure.identity: pip install azure-identity (PLANETARYCOMPUTER_ENDPOINT is set: signing in to it)"
    ]


def test_dead_endpoint_is_one_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = _sample_env(PLANETARYCOMPUTER_ENDPOINT=f"https://127.0.0.1:{port}")
    run = _run_without(SAMPLES / "stac_search.py", tmp_path, env)
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        f"Cannot reach PLANETARYCOMPUTER_ENDPOINT=https://127.0.0.1:{port}: "
    )
