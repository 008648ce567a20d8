"""Benchmarks, side by side with the official package, pystac and bare json: one command.

    python benchmarks/run.py [--runs 7] [--output benchmarks/RESULTS.md]

Prepares (once, cached in .cache/bench-venv) a virtualenv with the official
azure-planetarycomputer 1.0.0, pystac, pystac-client, stac-asset and aiohttp, which must stay out
of the project's environment (the official package has our import name). Each figure is the
median of --runs runs, with min and max, each measured in a fresh subprocess of the interpreter
that has that implementation. Prints the table and writes it to RESULTS.md with the machine and
date. Timing lives here only; the test suite never asserts on time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV = ROOT / ".cache" / "bench-venv"
PACKAGES = ["azure-planetarycomputer==1.0.0", "pystac", "pystac-client", "stac-asset", "aiohttp"]
OURS = sys.executable


def bench_python() -> str:
    """The benchmark virtualenv's interpreter, created on first use."""
    python = VENV / "bin" / "python"
    marker = VENV / ".installed"
    if marker.exists() and marker.read_text() == " ".join(PACKAGES):
        return str(python)
    print(f"preparing {VENV} with {', '.join(PACKAGES)} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PACKAGES], check=True)
    marker.write_text(" ".join(PACKAGES))
    return str(python)


def child_env() -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return env  # bytecode caching on, as for an installed package


def compile_bytecode(python: str) -> None:
    """Write .pyc files once, as pip does at install time, so import times compare like for like."""
    code = "import azure.planetarycomputer, compileall, os; compileall.compile_dir(os.path.dirname(azure.planetarycomputer.__file__), quiet=1)"
    subprocess.run([python, "-c", code], check=True, cwd=tempfile.gettempdir(), env=child_env())


def import_time(python: str, module: str, runs: int) -> Dict[str, Any]:
    code = f"import time; t = time.perf_counter(); import {module}; print((time.perf_counter() - t) * 1000)"
    values = []
    for _ in range(runs + 1):
        out = subprocess.run(
            [python, "-c", code], check=True, capture_output=True, text=True, cwd=tempfile.gettempdir(), env=child_env()
        )
        values.append(float(out.stdout))
    values = values[1:]  # the first run may still write caches
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "unit": "ms"}


def measure(python: str, name: str, impl: str, runs: int, endpoint: Optional[str] = None) -> Dict[str, Any]:
    args = [python, str(HERE / "measures.py"), name, impl, "--runs", str(runs)]
    if endpoint:
        args += ["--endpoint", endpoint]
    out = subprocess.run(args, capture_output=True, text=True, cwd=tempfile.gettempdir(), env=child_env())
    if out.returncode != 0:
        raise RuntimeError(f"{name} / {impl} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def seeded_emulator() -> Any:
    """An emulator with a collection ``bench`` of 50 small items, written straight to its store."""
    from geocatalog_emulator import Emulator

    emulator = Emulator(operation_delay=0.01).start()
    store = emulator.app.store
    store.put(
        "collection",
        "",
        "bench",
        {
            "id": "bench",
            "type": "Collection",
            "description": "benchmarks",
            "license": "CC0-1.0",
            "links": [],
            "stac_version": "1.0.0",
            "extent": {"spatial": {"bbox": [[0, 0, 1, 1]]}, "temporal": {"interval": [[None, None]]}},
        },
    )
    for i in range(50):
        store.put(
            "item",
            "bench",
            f"item-{i}",
            {
                "type": "Feature",
                "stac_version": "1.0.0",
                "id": f"item-{i}",
                "collection": "bench",
                "bbox": [0, 0, 1, 1],
                "geometry": {"type": "Point", "coordinates": [0.5, 0.5]},
                "properties": {"datetime": "2024-01-01T00:00:00Z"},
                "links": [],
                "assets": {},
            },
        )
    return emulator


Row = Tuple[str, Dict[str, Dict[str, Any]], str]
IMPLS = ("ours", "ours_async", "official", "pystac", "pystac_client", "json", "floor", "stac_asset")


def run_all(runs: int) -> List[Row]:
    official = bench_python()
    for python in (OURS, official):
        compile_bytecode(python)
    rows: List[Row] = []
    for module in ("azure.planetarycomputer", "azure.planetarycomputer.aio", "azure.planetarycomputer.models"):
        rows.append(
            (
                f"(1) import {module}",
                {"ours": import_time(OURS, module, runs), "official": import_time(official, module, runs)},
                "ours <= official",
            )
        )
    page = {
        "ours": measure(OURS, "search_page", "ours", runs),
        "official": measure(official, "search_page", "official", runs),
        "pystac": measure(official, "search_page", "pystac", runs),
        "json": measure(OURS, "search_page", "json", runs),
    }
    rows.append(
        (
            "(2) search: 1,000-item page, read every item",
            page,
            "ours 5x faster than official, 4x than pystac, within 2x of json",
        )
    )
    memory = {
        impl: measure(OURS if impl in ("ours", "json") else official, "page_memory", impl, runs)
        for impl in ("ours", "official", "pystac", "json")
    }
    rows.append(("(3) memory held by that page", memory, "ours <= official"))
    rows.append(
        (
            "(4) get_collection overhead",
            {
                "ours": measure(OURS, "call_overhead", "ours", runs),
                "official": measure(official, "call_overhead", "official", runs),
            },
            "ours <= official",
        )
    )
    rows.append(
        (
            "(5) build + serialize 1,000 items",
            {
                "ours": measure(OURS, "build_serialize", "ours", runs),
                "official": measure(official, "build_serialize", "official", runs),
            },
            "(no target)",
        )
    )
    emulator = seeded_emulator()
    try:
        rows.append(
            (
                "(6) 1,000 get_item, 32 concurrent, async, emulator",
                alternating({"ours": OURS, "official": official}, "concurrent_get_item", runs, emulator.endpoint),
                "ours >= official",
            )
        )
        item_path = seed_downloads(emulator)
        rows.append(
            (
                "(7) download 50 assets x 8 MB, 8 at a time, emulator",
                alternating({"ours": OURS, "stac_asset": official}, "download", max(3, runs // 2), str(item_path)),
                "ours >= stac-asset",
            )
        )
    finally:
        emulator.stop()
    rows += run_scale(official, runs)
    return rows


def run_scale(official: str, runs: int) -> List[Row]:
    """Rows (8)-(11): users' work at scale, against emulators seeded straight through their stores."""
    import scale

    from geocatalog_emulator import Emulator

    rows: List[Row] = []
    few = max(3, runs // 2)
    with Emulator(operation_delay=0.01, latency=0.1) as slow:
        scale.seed(slow.app.store, scale.SEARCH_COLLECTION, scale.search_items())
        impls = {"ours": OURS, "ours_async": OURS, "pystac_client": official, "floor": OURS}
        rows.append(
            (
                "(8) search across pages: 10,000 items in pages of 500, 100 ms added latency, emulator",
                alternating(impls, "search_pages", few, slow.endpoint),
                "ours (sync and async) within 1.15x of the floor",
            )
        )
    with Emulator(operation_delay=0.01) as emulator:
        memory_items = [scale.small_item(scale.MEMORY_COLLECTION, i) for i in range(scale.MEMORY_ITEMS)]
        scale.seed(emulator.app.store, scale.MEMORY_COLLECTION, memory_items)
        del memory_items
        rows.append(
            (
                "(9) peak memory reading 100,000 items from item_search (pages of 500)",
                {"ours": measure(OURS, "iterate_memory", "ours", 3, emulator.endpoint)},
                "about two pages' worth",
            )
        )
        rows.append(
            (
                "(10) bulk ingestion: 10,000 items (official: one operation per item polled every 0.1 s, 200 items a run)",
                {
                    "ours": measure(OURS, "bulk_ingest", "ours", few, emulator.endpoint),
                    "official": measure(official, "bulk_ingest", "official", few, emulator.endpoint),
                },
                "ours >= 20x official items/s",
            )
        )
        rows.append(
            (
                "(11) begin_create_collection(...).result() with no polling_interval, emulator",
                {
                    "ours": measure(OURS, "operation_wait", "ours", few, emulator.endpoint),
                    "official": measure(official, "operation_wait", "official", 2, emulator.endpoint),
                },
                "ours within about 2 s",
            )
        )
    return rows


def seed_downloads(emulator: Any) -> Path:
    """50 blobs of 8 MB in the emulator and an item whose assets point at them, pre-signed."""
    import random

    from azure.planetarycomputer import PlanetaryComputerProClient, StaticTokenCredential

    rng = random.Random(7)
    block = rng.randbytes(8 * 2**20)
    assets = {}
    for i in range(50):
        name = f"download/asset-{i:02d}.tif"
        emulator.app.store.write_blob("bench", name, block[i:] + block[:i])  # distinct files, same size
        assets[f"asset-{i:02d}"] = {
            "href": f"/blobs/bench/{name}",
            "type": "image/tiff; application=geotiff",
            "roles": ["data"],
            "file:size": len(block),
        }
    client = PlanetaryComputerProClient(emulator.endpoint, StaticTokenCredential())
    token = client.sas.get_token("bench", duration_in_minutes=120).token
    item = {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": "download-bench",
        "collection": "bench",
        "bbox": [0, 0, 1, 1],
        "geometry": {"type": "Point", "coordinates": [0.5, 0.5]},
        "properties": {"datetime": "2024-01-01T00:00:00Z"},
        "links": [],
        "assets": {k: {**a, "href": f"{emulator.endpoint}{a['href']}?{token}"} for k, a in assets.items()},
    }
    path = Path(tempfile.mkdtemp(prefix="bench-item-")) / "item.json"
    path.write_text(json.dumps(item))
    return path


def alternating(pythons: Dict[str, str], name: str, runs: int, endpoint: str) -> Dict[str, Dict[str, Any]]:
    """Runs that share a server: one warm-up round, then the implementations take turns run by run,
    so neither gets a colder or busier server."""
    values: Dict[str, List[float]] = {impl: [] for impl in pythons}
    for round_ in range(runs + 1):
        for impl, python in pythons.items():
            result = measure(python, name, impl, 1, endpoint)
            if round_:
                values[impl].append(result["median"])
    return {
        impl: {"median": statistics.median(v), "min": min(v), "max": max(v), "unit": result["unit"]}
        for impl, v in values.items()
    }


def verdict(name: str, results: Dict[str, Dict[str, Any]]) -> str:
    ours = results["ours"]["median"]
    official = results.get("official", {}).get("median")
    if name.startswith(("(1)", "(3)", "(4)")):
        return f"{'met' if ours <= official else 'MISSED'} ({ours / official:.2f}x official)"
    if name.startswith("(2)"):
        faster_official, faster_pystac = official / ours, results["pystac"]["median"] / ours
        vs_json = ours / results["json"]["median"]
        ok = faster_official >= 5 and faster_pystac >= 4 and vs_json <= 2
        return (
            f"{'met' if ok else 'MISSED'} ({faster_official:.1f}x faster than official, "
            f"{faster_pystac:.1f}x than pystac, {vs_json:.2f}x json)"
        )
    if name.startswith("(6)"):
        return f"{'met' if ours >= official else 'MISSED'} ({ours / official:.2f}x official)"
    if name.startswith("(8)"):
        floor = results["floor"]["median"]
        sync, async_ = ours / floor, results["ours_async"]["median"] / floor
        pystac_client = results["pystac_client"]["median"] / floor
        ok = sync <= 1.15 and async_ <= 1.15
        return (
            f"{'met' if ok else 'MISSED'} (sync {sync:.2f}x, async {async_:.2f}x of the floor; "
            f"pystac-client {pystac_client:.2f}x)"
        )
    if name.startswith("(9)"):
        held = results["ours"]["pages_held"]
        page = results["ours"]["page_mib"]
        return f"{'met' if held <= 2.5 else 'MISSED'} ({held:.2f} pages of {page:.1f} MiB)"
    if name.startswith("(10)"):
        return f"{'met' if ours >= 20 * official else 'MISSED'} ({ours / official:.0f}x official)"
    if name.startswith("(11)"):
        return f"{'met' if ours <= 2.5 else 'MISSED'} ({official / ours:.0f}x sooner than official)"
    if name.startswith("(7)"):
        other = results["stac_asset"]["median"]
        return f"{'met' if ours >= other else 'MISSED'} ({ours / other:.2f}x stac-asset)"
    return f"{official / ours:.1f}x faster than official" if official else ""


def _cell(result: Optional[Dict[str, Any]]) -> str:
    if not result:
        return ""
    return f"{result['median']:.1f} {result['unit']} [{result['min']:.1f} – {result['max']:.1f}]"


def render(rows: List[Row], runs: int) -> str:
    machine = f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        "# Benchmark results",
        "",
        f"`python benchmarks/run.py` on {dt.date.today().isoformat()}; {machine}.",
        f"Each cell: median of {runs} runs [min – max]. Targets are ratios measured in the same run.",
        "",
        "| measure | ours | ours (async) | official 1.0.0 | pystac | pystac-client | json.loads + dict walk | "
        "bare HTTP (floor) | stac-asset | target | result |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, results, target in rows:
        cells = " | ".join(_cell(results.get(impl)) for impl in IMPLS)
        lines.append(f"| {name} | {cells} | {target} | {verdict(name, results)} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    table = render(run_all(args.runs), args.runs)
    print(table)
    previous = args.output.read_text() if args.output.exists() else ""
    notes = previous.split("\n## Notes", 1)[1] if "\n## Notes" in previous else ""
    args.output.write_text(table + ("\n## Notes" + notes if notes else ""))
    print(f"written to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
