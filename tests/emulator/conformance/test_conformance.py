"""The conformance suite: every workflow script, run against one emulator by both SDKs.

Each script in ``workflows/`` runs as a subprocess, ``python <script> <endpoint> <workdir>``:

* ``ours``: the project's interpreter, importing this checkout's ``azure.planetarycomputer``;
* ``official``: the interpreter of a virtualenv holding only the official
  ``azure-planetarycomputer`` 1.0.0 (see official_env.py), started with ``-s -E``, without any
  ``PYTHON*`` variable and from a folder outside the repository, so it cannot import ours. Each
  script reports which package it imported, and the test checks it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict

import pytest

from geocatalog_emulator import Emulator

from .official_env import REPO, isolated_env

HERE = Path(__file__).resolve().parent
WORKFLOWS = sorted(p.stem for p in (HERE / "workflows").glob("wf_*.py"))
SDKS = ("ours", "official")
#: Longest a workflow may run (each is meant to take well under 20 s).
TIMEOUT = 180


def run_workflow(python: Path, workflow: str, endpoint: str, workdir: Path, *, official: bool) -> Dict[str, Any]:
    script = HERE / "workflows" / f"{workflow}.py"
    if official:
        command = [str(python), "-s", "-E", str(script), endpoint, str(workdir)]
        env = isolated_env()
    else:
        command = [str(python), str(script), endpoint, str(workdir)]
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        env["PYTHONPATH"] = str(REPO)  # this checkout's azure.planetarycomputer
    try:
        done = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{workflow} did not finish within {TIMEOUT} s\nstdout:\n{exc.stdout}\nstderr:\n{exc.stderr}")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        pytest.fail(
            f"{workflow} printed no summary (exit {done.returncode})\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
        )
    summary = json.loads(lines[-1])
    summary["returncode"] = done.returncode
    summary["stderr"] = done.stderr
    return summary


@pytest.mark.parametrize("sdk", SDKS)
@pytest.mark.parametrize("workflow", WORKFLOWS)
def test_workflow(
    workflow: str,
    sdk: str,
    request: pytest.FixtureRequest,
    conformance_emulator: Emulator,
    demo_folder: Path,
    tmp_path: Path,
) -> None:
    official = sdk == "official"
    python = request.getfixturevalue("official_interpreter") if official else Path(sys.executable)
    workdir = tmp_path / "work"
    shutil.copytree(demo_folder, workdir / "demo")

    summary = run_workflow(python, workflow, conformance_emulator.endpoint, workdir, official=official)

    imported = Path(summary["sdk"]["file"]).resolve()
    if official:
        venv = python.parent.parent.resolve()
        assert venv in imported.parents, f"the official run imported {imported}, not the package in {venv}"
        assert summary["sdk"]["version"] == "1.0.0"
    else:
        assert (REPO / "azure" / "planetarycomputer").resolve() in imported.parents, imported
    assert summary["ok"] and summary["returncode"] == 0, (
        f"{workflow} under {sdk} failed after {len(summary['checks'])} checks "
        f"(last passed: {summary.get('after_check')!r}):\n{summary.get('error')}\n\n{summary['stderr'][-4000:]}"
    )
    assert summary["checks"], "the workflow checked nothing"
