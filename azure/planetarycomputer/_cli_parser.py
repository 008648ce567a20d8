# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""The ``azure-planetarycomputer`` command's words: its options, help texts and examples.

What the commands do is in ``_cli``; this module only builds the parser (each command's name is
``args.command``).
"""

from __future__ import annotations

import argparse
from typing import Any

from ._version import VERSION

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

exit status: 0 done, 1 failed (one line on stderr says why), 2 a mistake on the
command line, 130 interrupted.

'{PROG} COMMAND --help' describes each command, with examples."""

#: Examples shown at the end of each command's --help.
EXAMPLES = {
    "search": [
        ("every item of a collection, as one GeoJSON FeatureCollection", "search -c naip-atl -o items.geojson"),
        ("a place and a month (dates cover whole days)", "search -c naip-atl --bbox=-84.5,33.6,-84.3,33.7 -d 2021-11"),
        (
            "a CQL2 filter, newest first, one item per line",
            "search -c naip-atl --filter \"naip:state = 'ga'\" --sortby=-properties.datetime --format ndjson",
        ),
        ("how many items match", "search -c naip-atl -d 2021 --matched"),
        ("items with signed asset hrefs, ids only", "search -c naip-atl -m 10 --sign --format ndjson | jq -r .id"),
    ],
    "download": [
        ("the image asset of each item in a file", "download items.geojson -a image -o downloads"),
        ("the items a search finds", "download -c naip-atl -d 2021-11-16 -o downloads"),
        ("from another command", "search -c naip-atl -m 5 --format ndjson | {PROG} download - -o downloads"),
        ("stop at the first failure", "download items.geojson -o downloads --fail-fast"),
    ],
    "sign": [
        (
            "an href (printed signed)",
            "sign https://<account>.blob.core.windows.net/<container>/a.tif --collection naip-atl",
        ),
        ("every asset of an item file", "sign item.json > signed-item.json"),
    ],
    "ingest": [
        ("items from files, waiting until they are stored", "ingest my-collection items.ndjson more.geojson"),
        ("start the operations and print their ids", "ingest my-collection items.ndjson --no-wait"),
        ("from another command", "search -c naip-atl -m 5 --format ndjson | {PROG} ingest my-collection -"),
    ],
    "collections": [
        ("ids and titles", "collections"),
        ("as JSON", "collections --json | jq -r '.[].id'"),
    ],
}


def _examples(command: str) -> str:
    lines = ["examples:"]
    for what, line in EXAMPLES[command]:
        lines += [f"  # {what}", f"  {PROG} {line.format(PROG=PROG)}"]
    return "\n".join(lines)


# --------------------------------------------------------------------------- the parser


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32)

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS and isinstance(action.choices, dict):
            # argparse measures the commands under "commands:" 2 columns short of where it prints
            # them, which pushes the summary of the longest one ("collections") to the next line.
            longest = max((len(name) for name in action.choices), default=0)
            self._action_max_length = max(self._action_max_length, longest + self._current_indent + 2)


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

    def command(name: str, summary: str, details: str) -> Any:
        sub = commands.add_parser(
            name,
            parents=[common],
            help=summary,
            description=f"{summary}\n\n{details}" if details else summary,
            epilog=_examples(name),
            formatter_class=_Formatter,
        )
        return sub

    search = command(
        "search",
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
        "Download the assets of items (from files, or a search) with progress bars.",
        "Each item gets a folder with its assets and item.json; item-collection.json lists them all.\n"
        "Hrefs are signed with the collection's SAS token. Downloads go on past a failure; at the end,\n"
        "each failed asset is one line on stderr (item/asset: why), then the total, and the exit\n"
        "status is 1 (--fail-fast stops at the first failure).",
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
        "Sign blob hrefs, or the assets of STAC JSON files, with SAS tokens.",
        "An argument starting with http:// or https:// is an href (printed signed, one per line);\n"
        "anything else is a file of STAC JSON (printed signed).",
    )
    sign.add_argument("targets", nargs="+", metavar="HREF|FILE", help="hrefs to sign, or STAC JSON files ('-': stdin)")
    sign.add_argument("--collection", metavar="ID", help="the collection the hrefs belong to (one token for all)")

    ingest = command(
        "ingest",
        "Add items from files to a collection and wait until they are stored.",
        "Files hold a Feature, a FeatureCollection or one item per line; '-' reads stdin.",
    )
    ingest.add_argument("collection", metavar="COLLECTION", help="the collection to add the items to (it must exist)")
    ingest.add_argument("files", nargs="+", metavar="FILE", help="GeoJSON/ndjson files of items ('-': stdin)")
    ingest.add_argument("--no-wait", action="store_true", help="start the operations and print their ids")
    ingest.add_argument("--timeout", type=float, metavar="S", help="give up waiting after S seconds")
    ingest.add_argument("--batch-size", type=int, default=100, metavar="N", help="items per request (default: 100)")

    collections = command("collections", "List the collections: id and title.", "")
    collections.add_argument("--json", action="store_true", help="print the collections as JSON")
    return parser
