# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""What a download will do, without doing I/O: picking assets and hrefs, naming files, planning jobs,
rewriting hrefs, checking responses. Shared by the sync and async downloaders."""

from __future__ import annotations

import copy
import json
import mimetypes
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import (
    Any,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Set,
    Tuple,
    Type,
)
from urllib.parse import unquote, urlsplit

from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    IncompleteReadError,
    ResourceNotFoundError,
)
from azure.core.pipeline import policies

from ._download_input import FileDocument, _absolute, _has_scheme, _self_href, item_list, local_path
from ._download_safety import local_href_error, partial_path, stale_partials, strip_signatures
from ._download_types import (
    ContentTypeError,
    DownloadError,
    DownloadFailure,
    DownloadWarning,
    ErrorStrategy,
    FileNameStrategy,
    OnError,
    PathLike,
    _Options,
    redact_href,
)
from ._sas_scope import is_signed
from ._version import VERSION
from .models import StacItemCollection

_UNSAFE = re.compile(r'[\x00-\x1f/\\:*?"<>|]')


_MEDIA_EXTENSIONS = {
    "image/tiff": ".tif",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/jp2": ".jp2",
    "image/webp": ".webp",
    "application/json": ".json",
    "application/geo+json": ".geojson",
    "application/xml": ".xml",
    "text/xml": ".xml",
    "text/plain": ".txt",
    "text/html": ".html",
    "text/csv": ".csv",
    "application/x-parquet": ".parquet",
    "application/vnd.apache.parquet": ".parquet",
    "application/netcdf": ".nc",
    "application/x-netcdf": ".nc",
    "application/x-hdf5": ".h5",
    "application/x-hdf": ".hdf",
    "application/zip": ".zip",
    "application/pdf": ".pdf",
}


def _safe(name: str) -> str:
    name = _UNSAFE.sub("_", name).strip()
    return "" if name in ("", ".", "..") else name


def _href_name(href: str) -> str:
    """Last path segment of an href, query and fragment dropped (URL-decoded for URLs)."""
    if _has_scheme(href):
        segment = unquote(urlsplit(href).path.rstrip("/").rsplit("/", 1)[-1])
    else:
        segment = href.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return _safe(segment)


def _media_type(value: Any) -> str:
    return str(value or "").split(";", 1)[0].strip().lower()


def _extension(file_name: str, media_type: Any) -> str:
    lower = file_name.lower()
    for double in (".tar.gz", ".tar.bz2", ".tar.xz"):
        if lower.endswith(double):
            return file_name[-len(double) :]
    suffix = os.path.splitext(file_name)[1]
    if 1 < len(suffix) <= 10:
        return suffix
    main = _media_type(media_type)
    return _MEDIA_EXTENSIONS.get(main) or (mimetypes.guess_extension(main) if main else None) or ""


def file_names(
    assets: Sequence[Tuple[str, str, Any]], strategy: FileNameStrategy, reserved: Iterable[str] = ()
) -> Dict[str, str]:
    """File name of each ``(key, href, media type)``, unique within one folder.

    Names used by more than one asset (or equal to a ``reserved`` name, such as the item JSON) are
    prefixed with the asset key (``visual_image.tif``); anything still clashing gets ``-2``, ``-3``...
    in asset order. Comparison ignores case, for case-insensitive file systems.
    """
    wanted: List[Tuple[str, str]] = []
    for key, href, media_type in assets:
        from_href = _href_name(href)
        if strategy is FileNameStrategy.KEY or not from_href:
            name = (_safe(key) or "asset") + _extension(from_href, media_type)
        else:
            name = from_href
        wanted.append((key, name))
    taken = {name.casefold() for name in reserved}
    counts: Dict[str, int] = {}
    for _, name in wanted:
        counts[name.casefold()] = counts.get(name.casefold(), 0) + 1
    names: Dict[str, str] = {}
    used = set(taken)
    for key, name in wanted:
        if counts[name.casefold()] > 1 or name.casefold() in taken:
            name = f"{_safe(key) or 'asset'}_{name}"
        candidate, number = name, 2
        stem, ext = os.path.splitext(name)
        while candidate.casefold() in used:
            candidate = f"{stem}-{number}{ext}"
            number += 1
        used.add(candidate.casefold())
        names[key] = candidate
    return names


@dataclass
class Job:
    """One file to fetch."""

    item_id: Optional[str]
    key: Optional[str]
    href: str  # absolute source href, before signing
    collection_id: Optional[str]
    path: Path
    media_type: Optional[str]  # the expected Content-Type, when checked
    local_ok: bool = False  # a local href may be copied (the caller allowed it, or read the document from disk)

    def local_source(self) -> Optional[Path]:
        """The local file to copy, None for a remote href.

        :raises LocalHrefError: If the href is local and local files are not allowed.
        """
        source = local_path(self.href)
        if source is not None and not self.local_ok:
            raise local_href_error(self.href)
        return source

    def failure(self, error: BaseException) -> DownloadFailure:
        return DownloadFailure(self.key, redact_href(self.href), error, self.item_id)

    def event(self, cls: Type[Any], **fields: Any) -> Any:
        return cls(item_id=self.item_id, key=self.key, href=redact_href(self.href), **fields)


@dataclass
class Document:
    """An item or collection being downloaded: its wire JSON, its folder, its jobs."""

    data: Dict[str, Any]
    directory: Path
    jobs: List[Job]


def _choose_href(asset: Mapping[str, Any], alternates: Sequence[str]) -> str:
    """The href of the first alternate (STAC ``alternate`` extension) the asset has, else its own."""
    alternate = asset.get("alternate")
    if isinstance(alternate, Mapping):
        for name in alternates:
            entry = alternate.get(name)
            if isinstance(entry, Mapping) and isinstance(entry.get("href"), str) and entry["href"]:
                return str(entry["href"])
    return str(asset.get("href") or "")


def plan(
    data: Dict[str, Any], directory: Path, options: _Options, collection_id: Optional[str], reserved: Sequence[str]
) -> Document:
    """Choose the assets of one document and where each goes. Relative hrefs in ``data`` are made
    absolute (against its self link), so kept assets still point at their source."""
    base = _self_href(data)
    assets = data.get("assets")
    if assets is None:
        assets = data["assets"] = {}
    if not isinstance(assets, dict):
        raise TypeError(f"the assets of {data.get('id')!r} must be a JSON object")
    for asset in assets.values():
        if isinstance(asset, dict) and isinstance(asset.get("href"), str):
            asset["href"] = _absolute(asset["href"], base)
    chosen: List[Tuple[str, str, Any]] = []
    for key, asset in assets.items():
        if (options.include is not None and key not in options.include) or key in options.exclude:
            continue
        asset = asset if isinstance(asset, Mapping) else {}
        chosen.append((key, _absolute(_choose_href(asset, options.alternate_assets), base), asset.get("type")))
    names = file_names(chosen, options.file_name_strategy, reserved)
    item_id = data.get("id") if isinstance(data.get("id"), str) else None

    def expected(media_type: Any) -> Optional[str]:
        return str(media_type) if options.check_content_type and media_type else None

    local_ok = options.allow_local_hrefs or isinstance(data, FileDocument)
    jobs = [
        Job(item_id, key, href, collection_id, directory / names[key], expected(media_type), local_ok)
        for key, href, media_type in chosen
    ]
    return Document(data, directory, jobs)


def prepare_directory(directory: PathLike, make_directory: bool) -> Path:
    path = Path(directory).absolute()
    if make_directory:
        path.mkdir(parents=True, exist_ok=True)
    elif not path.is_dir():
        raise FileNotFoundError(f"the download directory {str(path)!r} does not exist (make_directory=False)")
    return path


def item_directories(items: Sequence[Mapping[str, Any]], root: Path, template: str) -> List[Path]:
    """Folder of each item: ``root / template.format(id=..., collection=...)``, distinct and inside root."""
    folders: List[Path] = []
    seen: Dict[Path, str] = {}
    for item in items:
        item_id, collection = str(item.get("id") or ""), str(item.get("collection") or "")
        try:
            relative = template.format(id=_safe(item_id), collection=_safe(collection))
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"item_directory {template!r}: use the fields {{id}} and {{collection}} ({exc})") from None
        parts = Path(relative).parts
        if not parts or Path(relative).is_absolute() or ".." in parts:
            raise ValueError(f"item_directory {template!r} gives {relative!r} for item {item_id!r}: not a subfolder")
        folder = root.joinpath(*parts)
        if folder in seen:
            raise ValueError(
                f"items {seen[folder]!r} and {item_id!r} would share the folder {relative!r}: "
                "use an item_directory such as '{collection}/{id}'"
            )
        seen[folder] = item_id
        folders.append(folder)
    return folders


def _local_href(path: Path, base: Path, absolute: bool) -> str:
    if absolute:
        return str(path)
    relative = os.path.relpath(path, base).replace(os.sep, "/")
    return relative if relative.startswith("../") else f"./{relative}"


def rewrite(
    document: Document, failed: Set[int], options: _Options, base: Path, default_absolute: bool = False
) -> Dict[str, Any]:
    """A copy of the document's JSON with downloaded assets pointing at their files (relative to
    ``base``, or absolute per ``absolute_hrefs``, else ``default_absolute``), failed ones handled
    per the error strategy, no stale ``self`` link (the copy no longer lives there) and no live SAS
    signature in the hrefs kept (they would outlive their purpose on disk)."""
    absolute = default_absolute if options.absolute_hrefs is None else options.absolute_hrefs
    data = dict(copy.deepcopy(document.data))
    jobs = {job.key: job for job in document.jobs}
    assets: Dict[str, Any] = {}
    for key, asset in data.get("assets", {}).items():
        if key in jobs:
            job = jobs[key]
            if id(job) in failed:
                if options.error_strategy is ErrorStrategy.KEEP:
                    assets[key] = asset
                continue
            asset = dict(asset)
            asset["href"] = _local_href(job.path, base, absolute)
            assets[key] = asset
        elif options.keep_non_downloaded:
            assets[key] = asset
    data["assets"] = assets
    if isinstance(data.get("links"), list):
        data["links"] = [
            link for link in data["links"] if not (isinstance(link, Mapping) and link.get("rel") == "self")
        ]
    return strip_signatures(data)


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically (temporary file, then rename)."""
    tmp = partial_path(path)
    for stale in stale_partials(path):
        stale.unlink(missing_ok=True)
    try:
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def report(failures: Sequence[DownloadFailure], options: _Options, result: Any) -> None:
    """Warn or raise for the failures of a run that was not stopped early."""
    if not failures:
        return
    if options.on_error is OnError.WARN:
        for failure in failures:
            warnings.warn(f"download failed: {failure}", DownloadWarning, stacklevel=3)
        return
    raise DownloadError(failures, result) from failures[0].error if len(failures) == 1 else None


_ANY_BINARY = frozenset(["application/octet-stream", "binary/octet-stream"])


def content_types_match(actual: Optional[str], expected: Optional[str]) -> bool:
    """Whether a response's Content-Type fits an asset's media type.

    Parameters (``charset``, ``profile``, ``application=geotiff``) are ignored; a missing type on
    either side or a generic binary response always fits; JSON types (``application/json``,
    ``*/*+json``) fit each other, as do TIFF types.
    """
    got, want = _media_type(actual), _media_type(expected)
    if not got or not want or got == want or got in _ANY_BINARY:
        return True

    def family(value: str) -> str:
        if value == "application/json" or value.endswith("+json"):
            return "json"
        if "tiff" in value:
            return "tiff"
        return value

    return family(got) == family(want)


def check_response(
    status: int,
    reason: Optional[str],
    headers: Mapping[str, str],
    job: Job,
    response: Any,
    url: Optional[str] = None,
    signer: bool = False,
) -> None:
    """Raise for a non-success status (no SAS in the message; a hint when ``url``, the URL sent,
    had no signature and was refused: pass a signer, or why the ``signer`` left it) or a
    Content-Type mismatch."""
    if not 200 <= status < 300:
        code = headers.get("x-ms-error-code")
        message = f"GET {redact_href(job.href)} returned HTTP {status} {reason or ''}".rstrip()
        if code:
            message += f" ({code})"
        if status in (401, 403) and url is not None and not is_signed(url) and not signer:
            message += (
                ": the href was sent without a SAS signature; pass signer=client (a PlanetaryComputerProClient) "
                "to sign GeoCatalog hrefs, or sign the item first (client.sas.sign(item))"
            )
        elif status in (401, 403) and url is not None and not is_signed(url):
            message += (
                ": the signer left the href unsigned (a collection's SAS token goes only to https blob hrefs "
                "of the storage account and container it was issued for)"
            )
        error_type: Type[HttpResponseError] = HttpResponseError
        if status in (401, 403):
            error_type = ClientAuthenticationError
        elif status == 404:
            error_type = ResourceNotFoundError
        raise error_type(message=message, response=response)
    if job.media_type is not None:
        actual = headers.get("Content-Type")
        if not content_types_match(actual, job.media_type):
            raise ContentTypeError(str(actual), job.media_type)


def content_length(headers: Mapping[str, str]) -> Optional[int]:
    """The body size, when the body is sent as is (no Content-Encoding)."""
    value = headers.get("Content-Length")
    if value is None or headers.get("Content-Encoding"):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def temporary_path(path: Path) -> Path:
    """A hidden sibling of ``path`` to write to before the rename (predictable, so an interrupted
    download can resume; short enough for names of up to 255 bytes)."""
    return partial_path(path)


def check_length(written: int, total: Optional[int], job: Job) -> None:
    if total is not None and written != total:
        raise IncompleteReadError(f"the connection closed after {written} of {total} bytes of {redact_href(job.href)}")


def pipeline_policies(retry: Any, redirect: Any, *after_retry: Any, **kwargs: Any) -> List[Any]:
    """The policies of the asset pipeline: like the client's, minus authentication (and minus the
    network trace policy, which would log signed URLs); ``after_retry`` policies run on each try."""
    kwargs.setdefault("sdk_moniker", f"planetarycomputer/{VERSION}")
    return [
        policies.RequestIdPolicy(**kwargs),
        policies.HeadersPolicy(**kwargs),
        policies.UserAgentPolicy(**kwargs),
        policies.ProxyPolicy(**kwargs),
        redirect,
        retry,
        *after_retry,
        policies.CustomHookPolicy(**kwargs),
        policies.HttpLoggingPolicy(**kwargs),  # logs query values as REDACTED
    ]


def failed_jobs(failures: Sequence[Tuple[Job, DownloadFailure]]) -> Set[int]:
    return {id(job) for job, _ in failures}


def plan_item_collection(
    items: Any,
    directory: PathLike,
    make_directory: bool,
    item_directory: str,
    item_file_name: str,
    options: _Options,
) -> Tuple[List[Document], Path]:
    data = item_list(items)
    root = prepare_directory(directory, make_directory)
    folders = item_directories(data, root, item_directory)
    documents = []
    for item, folder in zip(data, folders):
        folder.mkdir(parents=True, exist_ok=True)
        document = plan(item, folder, options, item.get("collection"), [item_file_name])
        documents.append(document)
    return documents, root


def finish_item_collection(
    documents: Sequence[Document],
    root: Path,
    failures: Sequence[Tuple[Job, DownloadFailure]],
    options: _Options,
    item_file_name: Optional[str],
    collection_file_name: Optional[str],
) -> StacItemCollection:
    failed = failed_jobs(failures)
    if item_file_name is not None:
        for document in documents:
            write_json(document.directory / item_file_name, rewrite(document, failed, options, document.directory))
    # Absolute hrefs by default: pystac (and odc-stac, stackstac) resolve an ItemCollection's
    # relative hrefs against each item's self link, which a FeatureCollection file does not give.
    features = [rewrite(document, failed, options, root, default_absolute=True) for document in documents]
    data = {"type": "FeatureCollection", "features": features}
    if collection_file_name is not None:
        write_json(root / collection_file_name, data)
    return StacItemCollection.deserialize(data)


def asset_job(
    href: str,
    path: PathLike,
    make_directory: bool,
    collection_id: Optional[str],
    content_type: Optional[str],
    local_ok: bool = False,
) -> Job:
    """The job of ``download_asset``: ``path`` is the file, or an existing folder to put it in."""
    target = Path(path).absolute()
    source = _absolute(href, None)
    if target.is_dir():
        target = target / (_href_name(source) or "download")
    if make_directory:
        target.parent.mkdir(parents=True, exist_ok=True)
    elif not target.parent.is_dir():
        raise FileNotFoundError(f"the folder {str(target.parent)!r} does not exist (make_directory=False)")
    return Job(None, None, source, collection_id, target, content_type, local_ok)
