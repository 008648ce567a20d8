# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""The ``azure-planetarycomputer`` command: search, download, sign, ingest and list from a shell.

Installed with the package (also ``python -m azure.planetarycomputer``). Data goes to stdout or a
file; messages, progress bars and errors go to stderr; a failure is one line and a non-zero exit
status (1 for a failed call, 2 for a mistake on the command line, 130 when interrupted).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import IO, Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence

from ._version import VERSION

__all__ = ["main"]

PROG = "azure-planetarycomputer"
ENDPOINT_VARIABLE = "PLANETARYCOMPUTER_ENDPOINT"
TOKEN_VARIABLE = "PLANETARYCOMPUTER_TOKEN"

DESCRIPTION = f"""\
Work with a Microsoft Planetary Computer Pro GeoCatalog from the shell.

The GeoCatalog is --endpoint or ${ENDPOINT_VARIABLE}. You are signed in with
DefaultAzureCredential (az login, environment variables, managed identity; needs
azure-identity), or with a fixed bearer token from ${TOKEN_VARIABLE} or --token,
which is what a local emulator takes."""

EPILOG = f"""\
examples:
  export {ENDPOINT_VARIABLE}=https://<name>.<id>.<region>.geocatalog.spatio.azure.com
  {PROG} collections
  {PROG} search -c naip-atl --bbox=-84.5,33.6,-84.3,33.7 -d 2021-11 -o items.geojson
  {PROG} search -c naip-atl --max-items 100 --format ndjson | jq .id
  {PROG} download items.geojson -o downloads --assets image
  {PROG} download -c naip-atl -d 2021-11-16 -o downloads
  {PROG} sign https://<account>.blob.core.windows.net/<container>/a.tif --collection naip-atl
  {PROG} ingest my-collection items.ndjson

'{PROG} COMMAND --help' describes each command."""


class CommandError(Exception):
    """A failure explained in one line (no traceback)."""


# --------------------------------------------------------------------------- the client


@contextlib.contextmanager
def _client(args: argparse.Namespace) -> Iterator[Any]:
    from ._auth import StaticTokenCredential
    from ._client import PlanetaryComputerProClient

    endpoint = args.endpoint or os.environ.get(ENDPOINT_VARIABLE)
    if not endpoint:
        raise CommandError(f"no GeoCatalog given: pass --endpoint URL or set {ENDPOINT_VARIABLE}")
    token = args.token or os.environ.get(TOKEN_VARIABLE)
    if token:
        credential: Any = StaticTokenCredential(token)
    else:
        try:
            from azure.identity import DefaultAzureCredential
        except ImportError:
            raise CommandError(
                "signing in needs azure-identity (pip install azure-identity); "
                f"for a local emulator set {TOKEN_VARIABLE} or pass --token instead"
            ) from None
        credential = DefaultAzureCredential()
    with credential, PlanetaryComputerProClient(endpoint, credential, polling_interval=args.polling_interval) as client:
        yield client


# --------------------------------------------------------------------------- reading and writing STAC JSON


def _split(values: Optional[Sequence[str]]) -> Optional[List[str]]:
    """Values given repeatedly and/or comma-separated, as one list."""
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _json_argument(text: Optional[str], what: str) -> Any:
    """JSON given inline, or ``@file`` / a path to a file holding it."""
    if text is None:
        return None
    source = text
    if text.startswith("@") or (not text.lstrip().startswith(("{", "[")) and Path(text).is_file()):
        source = Path(text.lstrip("@")).read_text(encoding="utf-8")
    try:
        return json.loads(source)
    except json.JSONDecodeError as exc:
        raise CommandError(f"{what} is not JSON (nor a file of JSON): {exc}") from None


def _documents(path: str) -> List[Dict[str, Any]]:
    """STAC JSON objects of a file (``-`` for stdin): one document, a list, or one per line (ndjson)."""
    text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        try:
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path} is neither JSON nor newline-delimited JSON: {exc}") from None
    return value if isinstance(value, list) else [value]


def _items(paths: Sequence[str]) -> List[Dict[str, Any]]:
    """Every item in the files: Features, FeatureCollections (and their features), ndjson lines."""
    items: List[Dict[str, Any]] = []
    for path in paths:
        for document in _documents(path):
            if isinstance(document, dict) and document.get("type") == "FeatureCollection":
                items.extend(document.get("features") or [])
            elif isinstance(document, dict) and document.get("type") == "Feature":
                items.append(document)
            else:
                raise CommandError(f"{path} holds something that is not a STAC item or FeatureCollection")
    return items


@contextlib.contextmanager
def _output(path: str) -> Iterator[IO[str]]:
    if path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with open(path, "w", encoding="utf-8") as file:
        yield file


def _write_items(items: Iterable[Any], file: IO[str], ndjson: bool) -> int:
    """Write items as they come (never all in memory): one per line, or one FeatureCollection."""
    count = 0
    if not ndjson:
        file.write('{"type": "FeatureCollection", "features": [')
    for item in items:
        text = json.dumps(item.as_dict() if hasattr(item, "as_dict") else item)
        file.write(text + "\n" if ndjson else ("," if count else "") + "\n" + text)
        count += 1
    if not ndjson:
        file.write("\n]}\n")
    return count


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- commands


def _search(client: Any, args: argparse.Namespace) -> Any:
    return client.stac.item_search(
        collections=_split(args.collections),
        ids=_split(args.ids),
        bounding_box=_bbox(args.bbox),
        intersects=_json_argument(args.intersects, "--intersects"),
        datetime=args.datetime,
        filter=_filter(args.filter),
        query=_json_argument(args.query, "--query"),
        sort_by=args.sortby,
        fields=_split(args.fields),
        page_size=args.limit,
        max_items=args.max_items,
    )


def _bbox(values: Optional[Sequence[str]]) -> Optional[List[float]]:
    parts = _split(values)
    if parts is None:
        return None
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise CommandError(f"--bbox takes 4 numbers (west,south,east,north), got {','.join(parts)}") from None
    if len(numbers) not in (4, 6):
        raise CommandError(f"--bbox takes 4 numbers (west,south,east,north), got {len(numbers)}")
    return numbers


def _filter(text: Optional[str]) -> Any:
    if text is None or not text.lstrip().startswith("{"):
        return text  # CQL2 text
    return _json_argument(text, "--filter")


def run_search(args: argparse.Namespace) -> int:
    ndjson = args.format == "ndjson" or (args.format is None and args.output.endswith((".ndjson", ".jsonl")))
    with _client(args) as client:
        search = _search(client, args)
        if args.matched:
            matched = search.number_matched()
            if matched is None:  # the service does not say: count the pages' items
                matched = sum(len(page.features or []) for page in search.pages())
            print(matched)
            return 0
        items: Iterable[Any] = search
        if args.sign:
            items = (client.sas.sign_inplace(item) for item in search)
        with _output(args.output) as file:
            count = _write_items(items, file, ndjson)
    _say(f"{count} item{'s' if count != 1 else ''}" + ("" if args.output == "-" else f" written to {args.output}"))
    return 0


def run_download(args: argparse.Namespace) -> int:
    from ._download import download_item_collection

    if args.items and (args.collections or args.ids):
        raise CommandError("give item files or search options (--collections, --ids), not both")
    if not args.items and not (args.collections or args.ids):
        raise CommandError("give item files, or search options (at least --collections or --ids)")
    progress: Any = False
    if not args.no_progress:
        if importlib.util.find_spec("tqdm") is not None:
            progress = True
        else:
            _say("(no progress bars: pip install tqdm)")
    with _client(args) as client:
        items: Any = _items(args.items) if args.items else list(_search(client, args))
        if not items:
            raise CommandError("no items to download")
        result = download_item_collection(
            items,
            args.output,
            signer=client,
            include=_split(args.assets),
            overwrite=args.overwrite,
            on_error="raise" if args.fail_fast else "collect",
            max_concurrency=args.max_concurrency,
            progress=progress,
        )
    files = sum(len(item.get("assets") or {}) for item in result.features or [])
    _say(f"downloaded {files} file(s) of {len(result.features or [])} item(s) to {args.output}")
    return 0


def run_sign(args: argparse.Namespace) -> int:
    with _client(args) as client:
        signer = client.sas.signer
        for target in args.targets:
            if target.startswith(("http://", "https://")):
                print(signer.sign_href(target, args.collection))
                continue
            documents = _documents(target)
            signed = [signer.sign(document) for document in documents]
            print(json.dumps(signed[0] if len(signed) == 1 else signed, indent=2))
    return 0


def run_ingest(args: argparse.Namespace) -> int:
    from ._ingestion_results import OperationsFailedError

    items = _items(args.files)
    if not items:
        raise CommandError("the files hold no items")
    with _client(args) as client:
        _say(f"adding {len(items)} item(s) to {args.collection} ...")
        try:
            result = client.ingestion.ingest_items(
                args.collection, items, wait=not args.no_wait, timeout=args.timeout, batch_size=args.batch_size
            )
        except OperationsFailedError as exc:
            summary = exc.summary
            raise CommandError(
                f"{len(summary.failed) + len(summary.canceled)} of {len(summary.operations)} operation(s) failed: "
                + "; ".join(summary._describe(op) for op in [*summary.failed, *summary.canceled][:3])
            ) from None
    operations = len(result.operations)
    if args.no_wait:
        _say(
            f"started {operations} operation(s) for {len(items)} item(s): "
            + " ".join(str(op.id) for op in result.operations)
        )
    else:
        _say(f"ingested {len(items)} item(s) into {args.collection} in {operations} operation(s), all succeeded")
    return 0


def run_collections(args: argparse.Namespace) -> int:
    with _client(args) as client:
        collections = client.stac.get_collections().collections or []
    if args.json:
        print(json.dumps([c.as_dict() for c in collections], indent=2))
    else:
        for collection in collections:
            print(f"{collection.id}\t{collection.get('title') or ''}")
    return 0


# --------------------------------------------------------------------------- the parser


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32)


def _search_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("search")
    group.add_argument("-c", "--collections", action="append", metavar="ID[,ID]", help="collections to search")
    group.add_argument("--ids", action="append", metavar="ID[,ID]", help="item ids")
    group.add_argument(
        "--bbox",
        action="append",
        metavar="W,S,E,N",
        help="west,south,east,north: --bbox=-84.5,33.6,-84.3,33.7",
    )
    group.add_argument("--intersects", metavar="GEOJSON", help="a GeoJSON geometry: inline, or @file / a file name")
    group.add_argument(
        "-d", "--datetime", metavar="WHEN", help="2021, 2021-11, 2021-11-16, start/end (.. for an open end): whole days"
    )
    group.add_argument("--filter", metavar="CQL2", help="a CQL2 filter: text, or JSON (inline or @file)")
    group.add_argument("--query", metavar="JSON", help="a STAC query-extension object (inline or @file)")
    group.add_argument("--sortby", metavar="FIELDS", help="e.g. -properties.datetime,id (- for descending)")
    group.add_argument("--fields", action="append", metavar="FIELDS", help="fields to include (-field to exclude)")
    group.add_argument("--limit", type=int, metavar="N", help="items per page")
    group.add_argument("-m", "--max-items", type=int, metavar="N", help="stop after N items")


def build_parser() -> argparse.ArgumentParser:
    """The command line parser (``--help`` for every command)."""
    parser = argparse.ArgumentParser(prog=PROG, description=DESCRIPTION, epilog=EPILOG, formatter_class=_Formatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {VERSION}")
    common = argparse.ArgumentParser(add_help=False)
    connection = common.add_argument_group("connection")
    connection.add_argument("--endpoint", metavar="URL", help=f"the GeoCatalog (default: ${ENDPOINT_VARIABLE})")
    connection.add_argument(
        "--token", metavar="TOKEN", help=f"a fixed bearer token, e.g. for an emulator (default: ${TOKEN_VARIABLE})"
    )
    connection.add_argument("--polling-interval", type=float, default=2.0, metavar="S", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")

    def command(name: str, run: Callable[[argparse.Namespace], int], summary: str, details: str) -> Any:
        sub = commands.add_parser(
            name, parents=[common], help=summary, description=f"{summary}\n\n{details}", formatter_class=_Formatter
        )
        sub.set_defaults(run=run)
        return sub

    search = command(
        "search",
        run_search,
        "Search items and write them as GeoJSON or newline-delimited JSON.",
        "Follows every page; dates, months and years in --datetime cover whole days, months and years.",
    )
    _search_options(search)
    out = search.add_argument_group("output")
    out.add_argument("-o", "--output", default="-", metavar="FILE", help="where to write (default: stdout)")
    out.add_argument(
        "--format", choices=("geojson", "ndjson"), help="default: ndjson for .ndjson/.jsonl files, else geojson"
    )
    out.add_argument("--sign", action="store_true", help="sign asset hrefs (SAS tokens cached per collection)")
    out.add_argument(
        "--matched",
        action="store_true",
        help="print only how many items match (counted page by page when the service does not say)",
    )

    download = command(
        "download",
        run_download,
        "Download the assets of items (from files, or a search) with progress bars.",
        "Each item gets a folder with its assets and item.json; item-collection.json lists them all.\n"
        "Hrefs are signed with the collection's SAS token. Downloads go on past a failure; the end\n"
        "says how many failed and the first error (--fail-fast stops at the first).",
    )
    download.add_argument("items", nargs="*", metavar="FILE", help="GeoJSON/ndjson files of items ('-': stdin)")
    _search_options(download)
    what = download.add_argument_group("download")
    what.add_argument("-o", "--output", default=".", metavar="DIR", help="destination folder (default: .)")
    what.add_argument("-a", "--assets", action="append", metavar="KEY[,KEY]", help="asset keys (default: all)")
    what.add_argument("--overwrite", action="store_true", help="download files that already exist again")
    what.add_argument("--fail-fast", action="store_true", help="stop at the first failure")
    what.add_argument("--max-concurrency", type=int, default=8, metavar="N", help="parallel downloads (default: 8)")
    what.add_argument("--no-progress", action="store_true", help="no progress bars")

    sign = command(
        "sign",
        run_sign,
        "Sign blob hrefs, or the assets of STAC JSON files, with SAS tokens.",
        "An argument starting with http:// or https:// is an href (printed signed, one per line);\n"
        "anything else is a file of STAC JSON (printed signed).",
    )
    sign.add_argument("targets", nargs="+", metavar="HREF|FILE")
    sign.add_argument("--collection", metavar="ID", help="the collection the hrefs belong to (one token for all)")

    ingest = command(
        "ingest",
        run_ingest,
        "Add items from files to a collection and wait until they are stored.",
        "Files hold a Feature, a FeatureCollection or one item per line; '-' reads stdin.",
    )
    ingest.add_argument("collection", metavar="COLLECTION")
    ingest.add_argument("files", nargs="+", metavar="FILE")
    ingest.add_argument("--no-wait", action="store_true", help="start the operations and print their ids")
    ingest.add_argument("--timeout", type=float, metavar="S", help="give up waiting after S seconds")
    ingest.add_argument("--batch-size", type=int, default=100, metavar="N", help="items per request (default: 100)")

    collections = command("collections", run_collections, "List the collections: id and title.", "")
    collections.add_argument("--json", action="store_true", help="print the collections as JSON")
    return parser


# --------------------------------------------------------------------------- errors as one line


def _first_line(text: Any) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else type(text).__name__


def _explain(error: BaseException) -> str:
    from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ServiceRequestError

    from ._download_types import DownloadError
    from ._logging import redact

    if isinstance(error, CommandError):
        return str(error)
    if isinstance(error, DownloadError):
        first = _first_line(error.failures[0]) if error.failures else ""
        return f"{len(error.failures)} download(s) failed; the first: {first}"
    status = getattr(getattr(error, "response", None), "status_code", None)
    if isinstance(error, ClientAuthenticationError) and status is None:
        return (
            f"sign-in failed: {redact(_first_line(error.message))} "
            f"(run 'az login', or set {TOKEN_VARIABLE} for an emulator)"
        )
    if isinstance(error, HttpResponseError):
        prefix = f"{status} {error.reason or ''}".strip() + ": " if status else ""
        return prefix + redact(_first_line(error.message))
    if isinstance(error, ServiceRequestError):
        return f"cannot reach the GeoCatalog: {redact(_first_line(error))}"
    return f"{type(error).__name__}: {redact(_first_line(error))}"


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line.

    :param argv: The arguments (default: ``sys.argv[1:]``).
    :type argv: list[str]
    :return: The exit status: 0 on success, 1 when the call failed, 2 for a usage mistake.
    :rtype: int
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        _say(f"{PROG}: interrupted")
        return 130
    except (CommandError, OSError, ValueError, TypeError, RuntimeError, ImportError) as error:
        _say(f"{PROG}: error: {_explain(error)}")
        return 1
    except Exception as error:  # azure-core's errors, download errors: still one line
        from azure.core.exceptions import AzureError

        from ._download_types import DownloadError

        if not isinstance(error, (AzureError, DownloadError)):
            raise
        _say(f"{PROG}: error: {_explain(error)}")
        return 1
