"""A pytest fixture: ``from geocatalog_emulator.testing import geocatalog_emulator``."""

from __future__ import annotations

from typing import Iterator

import pytest

from .server import Emulator


@pytest.fixture(scope="session")
def geocatalog_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """One emulator for the test session, on an ephemeral loopback port, with its own data folder;
    it may read local files under the session's temporary folder (where tests write catalogs)."""
    with Emulator(
        tmp_path_factory.mktemp("geocatalog"), operation_delay=0.01, allow_files=[tmp_path_factory.getbasetemp()]
    ) as emulator:
        yield emulator
