"""The crawl behind an ingestion run: a static STAC catalog into a collection.

The source is a local path, a ``file://`` URL or an ``http(s)://`` URL (an ingestion source's SAS
token is added for URLs inside its container), read under the catalog's source policy
(:mod:`.source_policy`: allowed folders only, internal hosts only when allowed). From the root
document the crawl follows ``child`` links (catalogs, collections) and ``item`` links, resolving
relative hrefs against each document's own URL; a root that is an item, a FeatureCollection or
an ItemCollection works too.

Each item is checked and stamped like an item created through the STAC API (``check_item``: sets
``collection``, drops the source's structural links); every asset is copied into the collection's
blob container as ``{item id}/{asset key}{extension}`` and its href rewritten to the blob endpoint,
host-relative (``/blobs/...``, made absolute per request by the STAC API) unless
``keepOriginalAssets`` (which only makes relative hrefs absolute); ``skipExistingItems`` leaves items
already in the collection alone (they count as successful). An item that cannot be read, is not a
valid STAC item or has an asset that cannot be copied counts as failed; the run goes on, and ends
Failed (with the first error and the counts) if any item or linked document failed, else Succeeded.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import urllib.error
import urllib.request
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, BinaryIO, Dict, Iterator, List, Optional, Set, Tuple
from urllib.parse import unquote, urljoin, urlsplit

from .blobs import write_blob_stream
from .errors import ApiError
from .operations import DONE
from .source_policy import Refused
from .stac_documents import check_item

if TYPE_CHECKING:
    from .catalog import GeoCatalog

#: The operation type of a run, as the service names it.
OPERATION_TYPE = "IngestionStaticCatalog"
COUNT_KEYS = ("totalItems", "totalPendingItems", "totalSuccessfulItems", "totalFailedItems")
#: Seconds to connect to / wait on a remote source.
TIMEOUT = 30
MAX_DOCUMENT = 64 * 1024 * 1024
USER_AGENT = "geocatalog-emulator/ingestion"
#: A file extension kept on a copied asset's blob name.
SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}")
STAC_TYPES = ("Feature", "FeatureCollection", "Catalog", "Collection")


class CrawlError(Exception):
    """Why a document or an item could not be ingested, with the service's error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def zero() -> Dict[str, int]:
    return dict.fromkeys(COUNT_KEYS, 0)


def safe_asset_key(key: object) -> bool:
    """Whether an asset key names a file inside its item's folder (no separators, not a dot segment)."""
    return isinstance(key, str) and key not in ("", ".", "..") and not any(c in key for c in "/\\\x00")


def to_url(location: str) -> str:
    """A URL for a source location: URLs stay, local paths become ``file://`` URLs."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:", location):
        return location
    return Path(location).expanduser().resolve().as_uri()


class Crawl:
    """One run: discover the items, then ingest them one by one, keeping the run's counts current."""

    def __init__(
        self,
        app: "GeoCatalog",
        collection_id: str,
        run_parent: str,
        run_id: str,
        definition: Dict[str, Any],
        base_url: str,
    ) -> None:
        self.app = app
        self.collection_id = collection_id
        self.run_parent = run_parent
        self.run_id = run_id
        self.source = definition.get("sourceCatalogUrl") or definition.get("stacGeoparquetUrl") or ""
        self.import_type = definition.get("importType", "StaticCatalog")
        self.skip_existing = bool(definition.get("skipExistingItems"))
        self.keep_assets = bool(definition.get("keepOriginalAssets"))
        self.base_url = base_url
        self.operation_id: Optional[str] = None
        self.errors: List[CrawlError] = []
        self.counts = zero()

    # -- the work ------------------------------------------------------------------------------------

    def run(self) -> None:
        """The operation's work; raises ApiError (the operation fails) if anything failed."""
        if self.import_type != "StaticCatalog":
            raise ApiError(400, "NotSupported", f"The emulator ingests StaticCatalog sources, not {self.import_type}.")
        try:
            found = list(self.discover(to_url(self.source)))
        except CrawlError as exc:
            raise ApiError(400, exc.code, exc.message) from None
        self.counts.update(totalItems=len(found), totalPendingItems=len(found))
        self.save()
        for base, item in found:
            if self.canceled():
                return
            try:
                self.ingest(base, item)
                self.counts["totalSuccessfulItems"] += 1
            except CrawlError as exc:
                self.errors.append(exc)
                self.counts["totalFailedItems"] += 1
            self.counts["totalPendingItems"] -= 1
            self.save()
        self.report()
        if self.errors and not self.canceled():
            failed, total = self.counts["totalFailedItems"], self.counts["totalItems"]
            summary = (
                f"{failed} of {total} items failed to ingest." if failed else "A linked catalog could not be read."
            )
            raise ApiError(400, self.errors[0].code, f"{summary} {self.errors[0].message}")

    def discover(self, root: str) -> Iterator[Tuple[str, Optional[Dict[str, Any]]]]:
        """(url, item or None to fetch later) for every item under ``root``, depth first, once each.

        The root must be readable STAC (else the run fails); a linked catalog that is not is
        recorded as an error and skipped.
        """
        seen: Set[str] = set()
        stack = [root]
        while stack:
            url = stack.pop()
            if url in seen:
                continue
            seen.add(url)
            try:
                doc = self.read_stac(url)
            except CrawlError as exc:
                if url == root:
                    raise
                self.errors.append(exc)
                continue
            if doc["type"] == "Feature":
                yield url, doc
            elif doc["type"] == "FeatureCollection":
                yield from ((url, feature) for feature in doc.get("features") or [])
            else:
                children, items = self._links(url, doc)
                yield from ((item_url, None) for item_url in items if item_url not in seen)
                seen.update(items)
                stack.extend(reversed(children))

    def read_stac(self, url: str) -> Dict[str, Any]:
        """A STAC document (catalog, collection, item or item collection) at ``url``."""
        doc = self.read_json(url)
        if not isinstance(doc, dict) or doc.get("type") not in STAC_TYPES:
            raise CrawlError("InvalidStacCatalog", f"{url} is not a STAC catalog, collection or item.")
        return doc

    @staticmethod
    def _links(url: str, doc: Dict[str, Any]) -> Tuple[List[str], List[str]]:
        children: List[str] = []
        items: List[str] = []
        for link in doc.get("links") or []:
            if not isinstance(link, dict) or not isinstance(link.get("href"), str):
                continue
            if link.get("rel") == "child":
                children.append(urljoin(url, link["href"]))
            elif link.get("rel") == "item":
                items.append(urljoin(url, link["href"]))
        return children, items

    def ingest(self, base: str, item: Optional[Dict[str, Any]]) -> None:
        """Copy one item's assets and store it (``base``: the URL its relative hrefs are relative to)."""
        if item is None:
            item = self.read_json(base)
        if not isinstance(item, dict):
            raise CrawlError("StacValidationFailed", f"{base}: an item must be a JSON object.")
        try:  # checked and stamped as the STAC API does; the source's collection id gives way to ours
            item = check_item({**item, "collection": self.collection_id}, self.collection_id)
        except ApiError as exc:
            raise CrawlError("StacValidationFailed", f"{base}: {exc.message}") from None
        item_id = item["id"]
        if self.skip_existing and self.app.store.get("item", self.collection_id, item_id) is not None:
            return
        for key, asset in item["assets"].items():
            if not isinstance(asset, dict) or not isinstance(asset.get("href"), str):
                raise CrawlError("StacValidationFailed", f"Item '{item_id}': asset '{key}' has no href.")
            source = urljoin(base, asset["href"])
            asset["href"] = source if self.keep_assets else self.copy_asset(item_id, key, source)
        self.app.store.put("item", self.collection_id, item_id, item)

    def copy_asset(self, item_id: str, key: str, source: str) -> str:
        """Copy one asset into the collection's container; its blob endpoint URL."""
        if not safe_asset_key(key):
            message = f"Item '{item_id}': asset key {key!r} would leave the item's folder."
            raise CrawlError("StacValidationFailed", message)
        suffix = PurePosixPath(unquote(urlsplit(source).path)).suffix
        name = f"{item_id}/{key}{suffix if SUFFIX.fullmatch(suffix) else ''}"
        try:
            with self.reading(source) as stream:
                write_blob_stream(self.app.store, self.collection_id, name, stream)
        except ValueError as exc:  # a blob name escaping the container
            raise CrawlError("StacValidationFailed", f"Item '{item_id}': asset '{key}': {exc}") from None
        except CrawlError as exc:
            raise CrawlError(exc.code, f"Item '{item_id}': asset '{key}': {exc.message}") from None
        return self.app.blob_url("", self.collection_id, name)  # host-relative, as the STAC API stores them

    # -- reading sources -------------------------------------------------------------------------------

    def read_json(self, url: str) -> Any:
        with self.reading(url) as stream:
            data = stream.read(MAX_DOCUMENT + 1)
        if len(data) > MAX_DOCUMENT:
            raise CrawlError("InvalidInputData", f"{url} is larger than {MAX_DOCUMENT} bytes.")
        try:
            return json.loads(data)
        except ValueError as exc:
            raise CrawlError("InvalidStacCatalog", f"{url} is not valid JSON: {exc}") from None

    @contextlib.contextmanager
    def reading(self, url: str) -> Iterator[BinaryIO]:
        """A readable stream of a source URL; failures to open or read it as CrawlError."""
        try:
            with self._open(url) as stream:
                yield stream
        except urllib.error.HTTPError as exc:
            code = {401: "IngestionAuthenticationFailed", 403: "IngestionResourceForbidden"}.get(
                exc.code, "IngestionResourceUriNotFound"
            )
            raise CrawlError(code, f"{url}: HTTP {exc.code} {exc.reason}.") from None
        except urllib.error.URLError as exc:
            raise CrawlError("IngestionResourceUriNotFound", f"{url}: {exc.reason}.") from None
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise CrawlError("IngestionResourceUriNotFound", f"{url}: no such file.") from None
        except PermissionError:
            raise CrawlError("IngestionResourceForbidden", f"{url}: permission denied.") from None
        except (OSError, http.client.HTTPException) as exc:  # timeouts, resets, truncated bodies
            raise CrawlError("IngestionResourceUriNotFound", f"{url}: {type(exc).__name__}: {exc}") from None

    def _open(self, url: str) -> BinaryIO:
        """Open a source under the catalog's source policy (allowed folders, public or allowed hosts)."""
        parts = urlsplit(url)
        own = self.app.local_blob_path(url) if url.startswith(("/blobs/", f"{self.base_url}/blobs/")) else None
        if own is not None:  # a blob of this emulator: read it directly
            return open(own, "rb")
        try:
            if parts.scheme == "file":
                return open(self.app.sources.check_file(urllib.request.url2pathname(unquote(parts.path))), "rb")
            if parts.scheme not in ("http", "https"):
                raise CrawlError("IngestionResourceUriNotFound", f"{url}: unsupported URL scheme '{parts.scheme}'.")
            headers = {"User-Agent": USER_AGENT}
            return self.app.sources.open_url(self._with_source_token(url), headers, TIMEOUT)
        except Refused as exc:
            raise CrawlError("IngestionResourceForbidden", str(exc)) from None

    def _with_source_token(self, url: str) -> str:
        """``url`` plus the SAS token of the SasToken ingestion source whose container holds it."""
        if "sig=" in (urlsplit(url).query or ""):
            return url
        for _, source in self.app.store.list("ingestion_source", ""):
            info = source["connectionInfo"]
            if source["kind"] == "SasToken" and url.startswith(info["containerUrl"].rstrip("/") + "/"):
                return f"{url}{'&' if '?' in url else '?'}{info['sasToken']}"
        return url

    # -- progress ---------------------------------------------------------------------------------------

    def canceled(self) -> bool:
        op = self.app.operations.get(self.operation_id) if self.operation_id else None
        return op is not None and op["status"] in ("Canceling", "Canceled")

    def save(self) -> None:
        """Store the run's current counts."""
        with self.app.store.write_lock:
            run = self.app.store.get("run", self.run_parent, self.run_id)
            if run is None:
                return
            run["operation"].update(self.counts)
            self.app.store.put("run", self.run_parent, self.run_id, run)

    def report(self) -> None:
        """The counts in the operation's additionalInformation, as the service reports them."""
        if self.operation_id is None:
            return
        with self.app.store.write_lock:
            op = self.app.operations.get(self.operation_id)
            if op is None or op["status"] in DONE:
                return
            info = op.setdefault("additionalInformation", {})
            info.update(
                TotalFailedItems=str(self.counts["totalFailedItems"]),
                TotalItems=str(self.counts["totalItems"]),
                TotalPendingItems=str(self.counts["totalPendingItems"]),
                TotalSuccessfulItems=str(self.counts["totalSuccessfulItems"]),
            )
            self.app.store.put("operation", "", self.operation_id, op)
