# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""The ``azure-planetarycomputer`` command: search, download, sign, ingest and list from a shell.

Installed with the package (also ``python -m azure.planetarycomputer``). Data goes to stdout or a
file; messages, progress bars and errors go to stderr; a failure is one line (a download, one line
per failed asset, then the total) and a non-zero exit status (1 for a failed call, 2 for a mistake
on the command line, 130 when interrupted). The options and help texts are in ``_cli_parser``.
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

from ._cli_parser import ENDPOINT_VARIABLE, PROG, TOKEN_VARIABLE, build_parser

__all__ = ["main"]


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
    from ._download_types import DownloadError

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
        try:
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
        except DownloadError as error:
            raise CommandError(_report_failures(error, args)) from None
    files = _files(result)
    _say(f"downloaded {files} file(s) of {len(result.features or [])} item(s) to {args.output}")
    return 0


def _files(result: Any) -> int:
    """How many assets of a download's result are files."""
    return sum(len(item.get("assets") or {}) for item in result.features or [])


def _report_failures(error: Any, args: argparse.Namespace) -> str:
    """One line per failed asset (``item/asset: reason``) on stderr; returns the closing line, with the total."""
    for failure in error.failures:
        where = failure.key if failure.item_id is None else f"{failure.item_id}/{failure.key}"
        _say(f"{PROG}: failed: {_one_line(f'{where}: {_reason(failure.error)}')}")
    if error.result is None:  # --fail-fast: the other downloads were stopped
        return "stopped at the first failed download (--fail-fast)"
    failed, files = len(error.failures), _files(error.result)
    items = len(error.result.features or [])
    total = f"{failed} of {failed + files} downloads failed"
    return f"{total}; {files} file(s) of {items} item(s) downloaded to {args.output}"


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


#: What each command runs.
COMMANDS: Dict[str, Callable[[argparse.Namespace], int]] = {
    "search": run_search,
    "download": run_download,
    "sign": run_sign,
    "ingest": run_ingest,
    "collections": run_collections,
}


# --------------------------------------------------------------------------- errors as one line


def _first_line(text: Any) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else type(text).__name__


#: The most a reason on a failure line takes (a server's error text can be long).
REASON_LENGTH = 200


def _one_line(text: str) -> str:
    """``text`` redacted, with line breaks and control characters (terminal escapes) made visible.

    Item ids, asset keys and error texts come from files and servers: none of them may add lines
    to the report, drive the terminal, or show a token.
    """
    from ._logging import redact

    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in redact(text))


def _reason(error: BaseException) -> str:
    """Why one asset failed, briefly: the HTTP status and error code, else the first line of the error."""
    from azure.core.exceptions import ServiceRequestError, ServiceResponseError

    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None)
    if status is not None:
        code = (getattr(response, "headers", None) or {}).get("x-ms-error-code")
        reason = f"{status} {getattr(response, 'reason', None) or ''}".strip() + (f" ({code})" if code else "")
    elif isinstance(error, ServiceRequestError):
        reason = f"cannot connect: {_first_line(error)}"
    elif isinstance(error, ServiceResponseError):
        reason = f"the connection broke: {_first_line(error)}"
    else:
        reason = f"{type(error).__name__}: {_first_line(error)}"
    return reason if len(reason) <= REASON_LENGTH else reason[: REASON_LENGTH - 3] + "..."


def _explain(error: BaseException) -> str:
    from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ServiceRequestError

    from ._logging import redact

    if isinstance(error, CommandError):
        return str(error)
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
    if not args.command:
        parser.print_help(sys.stderr)
        return 2
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        _say(f"{PROG}: interrupted")
        return 130
    except (CommandError, OSError, ValueError, TypeError, RuntimeError, ImportError) as error:
        _say(f"{PROG}: error: {_explain(error)}")
        return 1
    except Exception as error:  # azure-core's errors: still one line
        from azure.core.exceptions import AzureError

        if not isinstance(error, AzureError):
            raise
        _say(f"{PROG}: error: {_explain(error)}")
        return 1
