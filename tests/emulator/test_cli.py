"""The azure-planetarycomputer command against the emulator: in-process through main(argv), and once as a process."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator, List, Tuple

import pytest

from azure.planetarycomputer import PlanetaryComputerProClient, StaticTokenCredential
from azure.planetarycomputer._cli import main
from geocatalog_emulator.server import Emulator
from geocatalog_emulator.testing import geocatalog_emulator  # noqa: F401

from .stored_demo import StoredDemo, remove, store_demo

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo(geocatalog_emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoredDemo]:  # noqa: F811
    stored = store_demo(geocatalog_emulator, tmp_path_factory.mktemp("demo"), "cli", items=3)
    yield stored
    remove(geocatalog_emulator, stored)


@pytest.fixture
def env(geocatalog_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:  # noqa: F811
    """Endpoint and token from the environment, as a shell user sets them."""
    monkeypatch.setenv("PLANETARYCOMPUTER_ENDPOINT", geocatalog_emulator.endpoint)
    monkeypatch.setenv("PLANETARYCOMPUTER_TOKEN", "emulator")
    return geocatalog_emulator


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_writes_geojson_and_ndjson(env: Emulator, demo: StoredDemo, capsys: Any, tmp_path: Path) -> None:
    target = tmp_path / "items.geojson"
    code, _, err = run(capsys, "search", "-c", demo.collection_id, "--limit", "1", "-o", str(target))
    assert code == 0, err
    document = json.loads(target.read_text())
    assert document["type"] == "FeatureCollection" and sorted(f["id"] for f in document["features"]) == sorted(demo.ids)
    assert "3 items written to" in err

    # stdout, ndjson, one day of the three (whole day: the demo's items are at noon-ish, a day apart)
    day = demo.items[1]["properties"]["datetime"][:10]
    code, out, _ = run(capsys, "search", "-c", demo.collection_id, "-d", day, "--format", "ndjson")
    assert code == 0 and [json.loads(line)["id"] for line in out.splitlines()] == [demo.ids[1]]

    west, south, _, _ = demo.items[0]["bbox"]
    code, out, _ = run(capsys, "search", "-c", demo.collection_id, f"--bbox={west},{south},{west + 1e-4},{south + 1e-4}", "--format", "ndjson")
    assert code == 0 and [json.loads(line)["id"] for line in out.splitlines()] == [demo.ids[0]]

    code, out, _ = run(capsys, "search", "-c", demo.collection_id, "--matched")
    assert code == 0 and out.strip() == "3"


def test_search_signs_when_asked(env: Emulator, demo: StoredDemo, capsys: Any) -> None:
    code, out, _ = run(capsys, "search", "-c", demo.collection_id, "--max-items", "1", "--sign", "--format", "ndjson")
    assert code == 0
    assert "sig=" in json.loads(out)["assets"]["image"]["href"]


def test_download_a_search_and_item_files(env: Emulator, demo: StoredDemo, capsys: Any, tmp_path: Path) -> None:
    code, _, err = run(capsys, "download", "-c", demo.collection_id, "--ids", demo.ids[0], "-a", "image", "-o", str(tmp_path / "a"), "--no-progress")
    assert code == 0, err
    tif = tmp_path / "a" / demo.ids[0] / "image.tif"
    assert tif.read_bytes()[:4] in (b"II*\x00", b"MM\x00*")
    assert "downloaded 1 file(s) of 1 item(s)" in err

    items_file = tmp_path / "items.json"
    items_file.write_text(json.dumps({"type": "FeatureCollection", "features": demo.items[1:]}))
    code, _, err = run(capsys, "download", str(items_file), "-a", "thumbnail", "-o", str(tmp_path / "b"))
    assert code == 0, err
    assert sorted(p.parent.name for p in (tmp_path / "b").glob("*/thumbnail.png")) == sorted(demo.ids[1:])


def command_lines(err: str) -> List[str]:
    """The command's own lines of stderr: the in-process emulator's server threads may print a broken
    connection there too (a client that stopped reading), during this test or from an earlier one."""
    return [line for line in err.splitlines() if line.startswith("azure-planetarycomputer: ")]


def test_download_failures_are_listed_one_line_each(env: Emulator, demo: StoredDemo, capsys: Any, tmp_path: Path) -> None:
    first, second, third = (json.loads(json.dumps(item)) for item in demo.items)
    first["assets"]["thumbnail"]["href"] = first["assets"]["thumbnail"]["href"].replace("thumbnail.png", "missing.png")
    second["id"] = "evil\x1b[2J\nid"  # an id that would clear the terminal and start a line of its own
    second["assets"]["image"]["href"] += "?sv=2024-01-01&sig=NOT-OURS-SECRET"  # signed already (wrongly): kept, refused
    third["assets"]["image"]["href"] = "ftp://example.com/a.tif?sig=FTP-SECRET"
    items_file = tmp_path / "items.json"
    items_file.write_text(json.dumps({"type": "FeatureCollection", "features": [first, second, third]}))
    out = tmp_path / "out"

    code, _, err = run(capsys, "download", str(items_file), "-a", "image,thumbnail", "-o", str(out), "--no-progress")
    assert code == 1
    *failures, last = command_lines(err)
    assert sorted(failures) == [
        f"azure-planetarycomputer: failed: {demo.ids[0]}/thumbnail: 404 Not Found (BlobNotFound)",
        f"azure-planetarycomputer: failed: {demo.ids[2]}/image: ValueError: cannot download 'ftp' hrefs: "
        "only http(s), file:// and local paths are supported",
        "azure-planetarycomputer: failed: evil\\x1b[2J\\nid/image: 403 Forbidden (AuthenticationFailed)",
    ]
    assert last == f"azure-planetarycomputer: error: 3 of 6 downloads failed; 3 file(s) of 3 item(s) downloaded to {out}"
    assert "SECRET" not in err and "\x1b" not in err
    assert (out / demo.ids[0] / "image.tif").is_file() and (out / demo.ids[2] / "thumbnail.png").is_file()
    collection = json.loads((out / "item-collection.json").read_text())
    assert sorted(key for feature in collection["features"] for key in feature["assets"]) == ["image", "thumbnail", "thumbnail"]

    # --fail-fast: the first failure stops the rest, and says so
    code, _, err = run(capsys, "download", str(items_file), "-a", "image,thumbnail", "-o", str(tmp_path / "fast"), "--no-progress", "--fail-fast")
    assert code == 1
    failed, last = command_lines(err)
    assert failed.startswith("azure-planetarycomputer: failed: ") and failed.split(": ")[2] in {
        f"{demo.ids[0]}/thumbnail",
        f"{demo.ids[2]}/image",
        "evil\\x1b[2J\\nid/image",
    }
    assert last == "azure-planetarycomputer: error: stopped at the first failed download (--fail-fast)"


def test_a_failure_line_never_shows_a_signature(capsys: Any) -> None:
    from azure.core.exceptions import HttpResponseError

    from azure.planetarycomputer import DownloadError
    from azure.planetarycomputer._cli import _report_failures, build_parser
    from azure.planetarycomputer._download_types import DownloadFailure

    href = "https://account.blob.core.windows.net/c/a.tif?sv=2024-01-01&sig=THE-SECRET"
    errors = [RuntimeError(f"GET {href} failed\nsecond line"), HttpResponseError(f"GET {href} failed"), OSError("x" * 500)]
    failures = [DownloadFailure(f"key{i}", href, error, "item") for i, error in enumerate(errors)]
    args = build_parser().parse_args(["download", "items.json", "-o", "out"])
    assert _report_failures(DownloadError(failures, result=None), args).startswith("stopped at the first")
    err = capsys.readouterr().err
    assert "THE-SECRET" not in err and len(err.splitlines()) == 3
    assert err.splitlines()[0] == "azure-planetarycomputer: failed: item/key0: RuntimeError: GET " + href.replace("THE-SECRET", "REDACTED") + " failed"
    assert all(len(line) < 300 for line in err.splitlines())  # a long error text is cut short


def test_every_command_help_ends_with_examples_that_parse(capsys: Any) -> None:
    from azure.planetarycomputer._cli_parser import EXAMPLES, PROG, build_parser

    parser = build_parser()
    commands = {name for name in parser._subparsers._group_actions[0].choices}  # type: ignore[union-attr]
    assert commands == set(EXAMPLES)
    for command in sorted(commands):
        with pytest.raises(SystemExit) as done:
            main([command, "--help"])
        assert done.value.code == 0
        text = capsys.readouterr().out
        assert text.rstrip().split("\nexamples:\n")[1].count(f"  {PROG} ") == len(EXAMPLES[command])
        for action in parser._subparsers._group_actions[0].choices[command]._actions:  # type: ignore[union-attr]
            assert action.help, f"{command}: {action.dest} has no help"
        for _, line in EXAMPLES[command]:
            for part in line.format(PROG=PROG).split(" | "):  # each command of a pipeline that is ours
                words = shlex.split(part.split(" > ")[0])
                words = words[1:] if words[0] == PROG else words
                if words[0] in commands:
                    build_parser().parse_args(words)  # exits 2 on a mistake


def test_search_examples_run(env: Emulator, demo: StoredDemo, capsys: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from azure.planetarycomputer._cli_parser import EXAMPLES

    monkeypatch.chdir(tmp_path)
    for _, line in EXAMPLES["search"]:
        if "|" in line:
            continue
        words = shlex.split(line.replace("naip-atl", demo.collection_id))
        code, out, err = run(capsys, *words)
        assert code == 0, f"{line}: {err}"
        if "--filter" in words:  # naip:state = 'ga', newest first
            assert [json.loads(row)["id"] for row in out.splitlines()] == sorted(demo.ids, reverse=True)
        if "--matched" in words:
            assert out.strip() == "3"
    assert len(json.loads((tmp_path / "items.geojson").read_text())["features"]) == 3


def test_sign_hrefs_and_files(env: Emulator, demo: StoredDemo, capsys: Any, tmp_path: Path) -> None:
    href = demo.items[0]["assets"]["image"]["href"]
    code, out, _ = run(capsys, "sign", href, "--collection", demo.collection_id)
    assert code == 0 and out.startswith(href + "?") and "sig=" in out
    item_file = tmp_path / "item.json"
    item_file.write_text(json.dumps(demo.items[0]))
    code, out, _ = run(capsys, "sign", str(item_file))
    assert code == 0 and "sig=" in json.loads(out)["assets"]["image"]["href"]


def test_ingest_items_from_files_and_list_collections(env: Emulator, demo: StoredDemo, capsys: Any, tmp_path: Path) -> None:
    collection_id = f"{demo.collection_id}-ingest"
    with PlanetaryComputerProClient(env.endpoint, StaticTokenCredential(), polling_interval=0.05) as client:
        collection = client.stac.get_collection(demo.collection_id)
        collection["id"] = collection_id
        client.stac.begin_create_collection(collection).result()
    items: List[Any] = [{**demo.items[0], "id": f"copy-{i}", "assets": {}} for i in range(3)]
    lines = tmp_path / "items.ndjson"
    lines.write_text("\n".join(json.dumps(item) for item in items[:2]) + "\n")
    single = tmp_path / "one.json"
    single.write_text(json.dumps(items[2]))
    code, _, err = run(capsys, "ingest", collection_id, str(lines), str(single), "--batch-size", "2", "--polling-interval", "0.05")
    assert code == 0, err
    assert f"ingested 3 item(s) into {collection_id} in 2 operation(s)" in err
    code, out, _ = run(capsys, "search", "-c", collection_id, "--format", "ndjson")
    assert sorted(json.loads(line)["id"] for line in out.splitlines()) == ["copy-0", "copy-1", "copy-2"]

    code, out, _ = run(capsys, "collections")
    assert code == 0 and {demo.collection_id, collection_id} <= {line.split("\t")[0] for line in out.splitlines()}


def test_failures_are_one_line_and_a_non_zero_status(env: Emulator, capsys: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = run(capsys, "search", "-c", "no-such-collection", "-d", "2021-13")
    assert code == 1 and err.count("\n") == 1 and "datetime '2021-13'" in err

    code, _, err = run(capsys, "ingest", "no-such-collection", str(tmp_path / "missing.json"))
    assert code == 1 and err.count("\n") == 1 and "missing.json" in err

    item = tmp_path / "item.json"
    item.write_text(json.dumps({"type": "Feature", "stac_version": "1.0.0", "id": "x", "geometry": None, "properties": {"datetime": "2021-01-01T00:00:00Z"}, "assets": {}, "links": []}))
    code, _, err = run(capsys, "ingest", "no-such-collection", str(item), "--polling-interval", "0.05")
    assert code == 1 and err.count("\n") == 2 and err.splitlines()[1].startswith("azure-planetarycomputer: error: 404")

    monkeypatch.delenv("PLANETARYCOMPUTER_ENDPOINT")
    code, _, err = run(capsys, "collections")
    assert code == 1 and "PLANETARYCOMPUTER_ENDPOINT" in err and err.count("\n") == 1


def test_sign_in_problems_are_explained(env: Emulator, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANETARYCOMPUTER_TOKEN")
    monkeypatch.setitem(sys.modules, "azure.identity", None)  # as if azure-identity were not installed
    code, _, err = run(capsys, "collections")
    assert code == 1 and "pip install azure-identity" in err and err.count("\n") == 1


def test_a_failed_sign_in_is_one_line(env: Emulator, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import azure.identity
    from azure.core.exceptions import ClientAuthenticationError

    class NoSignIn:
        """What DefaultAzureCredential does on a machine where no identity is available."""

        def get_token_info(self, *scopes: str, options: Any = None) -> Any:
            raise ClientAuthenticationError("DefaultAzureCredential failed to retrieve a token from the included credentials.\nAttempted credentials:\n\tEnvironmentCredential: ...")

        get_token = get_token_info

        def __enter__(self) -> "NoSignIn":
            return self

        def __exit__(self, *exc_info: Any) -> None:
            pass

    monkeypatch.delenv("PLANETARYCOMPUTER_TOKEN")
    monkeypatch.setattr(azure.identity, "DefaultAzureCredential", NoSignIn)
    code, _, err = run(capsys, "collections")
    assert code == 1 and err.count("\n") == 1
    assert "sign-in failed:" in err and "DefaultAzureCredential failed to retrieve a token" in err and "az login" in err


def test_usage_mistakes_exit_2(capsys: Any) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["search", "--max-items", "many"])
    assert caught.value.code == 2
    assert main([]) == 2
    assert "search" in capsys.readouterr().err


def test_the_installed_command_runs_as_a_process(env: Emulator, demo: StoredDemo) -> None:
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "azure.planetarycomputer", "search", "-c", demo.collection_id, "--format", "ndjson"],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(json.loads(line)["id"] for line in done.stdout.splitlines()) == sorted(demo.ids)
    helped = subprocess.run([sys.executable, "-m", "azure.planetarycomputer", "--help"], capture_output=True, text=True, timeout=60, env=environment)
    assert helped.returncode == 0 and "download" in helped.stdout and "PLANETARYCOMPUTER_ENDPOINT" in helped.stdout
