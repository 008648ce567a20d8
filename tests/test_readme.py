"""Every fenced Python block of README.md runs against the emulator.

The blocks run top to bottom in one namespace, as a reader pasting them into one session would
(the tour defines ``client`` once and its steps build on each other), in a scratch folder, against
an emulator holding nothing but what the README's own blocks put there. Each block is then one
test that reports how its block went. New blocks are picked up as they are added.

Blocks are written for a GeoCatalog; the README tells the reader how to run them on the emulator
instead, and so does this test: the endpoint (``https://<your-geocatalog>``,
``http://127.0.0.1:8080``) becomes the emulator's, and ``DefaultAzureCredential`` becomes
``StaticTokenCredential`` (``AsyncStaticTokenCredential`` in ``aio``). A block that cannot run
offline is marked in the README by an HTML comment right above it,
``<!-- needs-azure: why -->``, and skipped with that reason.

The ``start it by hand`` path is tested too: ``python -m geocatalog_emulator.demo`` prints
commands that, run as printed, make the demo's items searchable in a running emulator.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Dict, Iterator, List, NamedTuple, Optional

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
HAND_STARTED = "http://127.0.0.1:8080"  # the endpoint the README's hand-started emulator listens on
#: A GeoCatalog endpoint as the README writes it: a host with a ``<placeholder>`` in it.
PLACEHOLDER_ENDPOINT = re.compile(r"https://[^/\"'\s]*<[^/\"'\s]*")
MARK = re.compile(r"<!--\s*needs-azure:\s*(?P<reason>.*?)\s*-->")
FENCE = re.compile(r"^```(?P<lang>[A-Za-z0-9_+-]*)\s*$")
CREDENTIAL_IMPORTS = {
    "from azure.identity.aio import DefaultAzureCredential": (
        "from azure.planetarycomputer.aio import AsyncStaticTokenCredential as DefaultAzureCredential"
    ),
    "from azure.identity import DefaultAzureCredential": (
        "from azure.planetarycomputer import StaticTokenCredential as DefaultAzureCredential"
    ),
}


class Block(NamedTuple):
    line: int  # 1-based line of the opening fence
    code: str
    skip: Optional[str]  # the reason given by a needs-azure mark

    @property
    def name(self) -> str:
        return f"README.md:{self.line}"


def python_blocks(text: str) -> List[Block]:
    """The fenced ``python`` blocks of a Markdown text, with the needs-azure mark above each."""
    blocks: List[Block] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening or not opening.group("lang"):
            index += 1
            continue
        end = index + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        if opening.group("lang") == "python":
            previous = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
            mark = MARK.search(previous)
            blocks.append(Block(index + 1, "\n".join(lines[index + 1 : end]) + "\n", mark and mark.group("reason")))
        index = end + 1
    return blocks


def for_emulator(code: str, endpoint: str) -> str:
    """A block as the README tells the reader to run it against the emulator at ``endpoint``."""
    for original, replacement in CREDENTIAL_IMPORTS.items():
        code = code.replace(original, replacement)
    code = PLACEHOLDER_ENDPOINT.sub(endpoint, code)
    return code.replace(HAND_STARTED, endpoint)


BLOCKS = python_blocks(README.read_text(encoding="utf-8"))


class Outcome(NamedTuple):
    error: Optional[str]  # the traceback, when the block raised


@contextlib.contextmanager
def _working_directory(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, Outcome]]:
    """Runs every block, in order, in one namespace against a fresh emulator; the outcome of each."""
    from geocatalog_emulator import Emulator

    folder = tmp_path_factory.mktemp("readme")
    results: Dict[str, Outcome] = {}
    # As the README starts it: ingestion may read the demo catalog the README writes to ./demo.
    with Emulator(folder / ".geocatalog", allow_files=[folder / "demo"]) as emulator, _working_directory(folder):
        namespace: Dict[str, object] = {"__name__": "readme"}
        for block in BLOCKS:
            if block.skip is not None:
                continue
            try:
                exec(compile(for_emulator(block.code, emulator.endpoint), block.name, "exec"), namespace)
            except BaseException:  # a block ending in sys.exit() fails its test, not the session
                results[block.name] = Outcome(traceback.format_exc())
            else:
                results[block.name] = Outcome(None)
        yield results


@pytest.mark.parametrize("block", BLOCKS, ids=[block.name for block in BLOCKS])
def test_readme_block_runs_against_the_emulator(block: Block, outcomes: Dict[str, Outcome]) -> None:
    if block.skip is not None:
        pytest.skip(f"needs Azure: {block.skip}")
    error = outcomes[block.name].error
    assert error is None, f"{block.name} failed:\n{block.code}\n{error}"


def test_the_readme_has_python_blocks_and_marks_few() -> None:
    assert len(BLOCKS) >= 10
    assert all(block.skip for block in BLOCKS if block.skip is not None), "a needs-azure mark without a reason"
    assert sum(block.skip is None for block in BLOCKS) > len(BLOCKS) // 2


def test_blocks_are_found_with_their_marks() -> None:
    text = "\n".join(
        [
            "# Title",
            "```python",
            "a = 1",
            "```",
            "<!-- needs-azure: signs with a real token service -->",
            "",
            "```python",
            "b = 2",
            "```",
            "```bash",
            "echo not python",
            "```",
            "````",
        ]
    )
    assert python_blocks(text) == [
        Block(2, "a = 1\n", None),
        Block(7, "b = 2\n", "signs with a real token service"),
    ]


def test_endpoint_and_credential_are_substituted() -> None:
    code = "\n".join(
        [
            "from azure.identity import DefaultAzureCredential",
            'c = Client("https://<your-geocatalog>", DefaultAzureCredential())',
            'd = Client(endpoint="https://<name>.<id>.<region>.geocatalog.spatio.azure.com")',
            'e = open("https://<your-geocatalog>/stac")',
            'f = Client("http://127.0.0.1:8080")',
        ]
    )
    assert for_emulator(code, "http://127.0.0.1:5555").splitlines() == [
        "from azure.planetarycomputer import StaticTokenCredential as DefaultAzureCredential",
        'c = Client("http://127.0.0.1:5555", DefaultAzureCredential())',
        'd = Client(endpoint="http://127.0.0.1:5555")',
        'e = open("http://127.0.0.1:5555/stac")',
        'f = Client("http://127.0.0.1:5555")',
    ]


def test_demo_prints_commands_that_make_its_items_searchable(tmp_path: Path) -> None:
    """``python -m geocatalog_emulator.demo DIR --endpoint URL``, then its printed commands, as printed."""
    from geocatalog_emulator import Emulator

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with Emulator(tmp_path / ".geocatalog", allow_files=[tmp_path / "demo"]) as emulator:
        printed = subprocess.run(
            [sys.executable, "-m", "geocatalog_emulator.demo", "demo", "--endpoint", emulator.endpoint],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
        commands = re.search(r"^python - <<'EOF'\n.*?^EOF$", printed, re.MULTILINE | re.DOTALL)
        assert commands, printed
        script = commands.group(0).split("\n", 1)[1].rsplit("\n", 1)[0]  # the here-document's text
        ran = subprocess.run(
            [sys.executable, "-"],
            input=script,
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == (
        "searchable: ['atl_demo_00_20211114', 'atl_demo_01_20211115', 'atl_demo_02_20211116']"
    )
