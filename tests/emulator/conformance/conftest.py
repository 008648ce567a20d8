"""Fixtures of the conformance suite: the official package's interpreter, an emulator, the demo data."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from geocatalog_emulator import Emulator

from .official_env import NoSuitablePython, OfficialEnvError, official_python, probe


@pytest.fixture(scope="session")
def official_interpreter() -> Path:
    """The official 1.0.0 package's python (its virtualenv is created on first use)."""
    try:
        python = official_python()
    except NoSuitablePython as exc:
        pytest.skip(str(exc))
    except OfficialEnvError as exc:
        pytest.fail(f"Could not set up the official azure-planetarycomputer 1.0.0 virtualenv:\n{exc}", pytrace=False)
    found = probe(python, cwd=python.parent)
    assert found["version"] == "1.0.0", found
    return python


@pytest.fixture(scope="session")
def conformance_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """An emulator for this suite alone, with its own data folder."""
    with Emulator(
        tmp_path_factory.mktemp("conformance-geocatalog"),
        operation_delay=0.01,
        allow_files=[tmp_path_factory.getbasetemp()],
    ) as emulator:
        yield emulator


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The emulator's demo static catalog (real COGs), written once."""
    from geocatalog_emulator.demo import make_demo

    folder = tmp_path_factory.mktemp("conformance-demo") / "demo"
    make_demo(folder)
    return folder
