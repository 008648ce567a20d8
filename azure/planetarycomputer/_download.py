# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Download the assets of STAC items, item collections and collections to local files.

``download_item`` (and its siblings) pick assets, name their files, fetch them with bounded
concurrency and return the document with each downloaded asset's href pointing at the local
file; the async twins live in ``azure.planetarycomputer.aio``. The pure parts (options, naming,
planning, rewriting hrefs, reporting errors) are here and shared with the async module; each
module has its own I/O.

Safety rules the code keeps:

* assets are fetched through a pipeline of their own, without an authentication policy: the
  client's bearer token is never sent to blob storage (SAS tokens in the query are the auth);
* files are written to a temporary file in the target folder, fsync'ed, then renamed: a failed
  or interrupted download never leaves a partial file where the asset belongs;
* hrefs in events, warnings and errors have their SAS query removed, and exception messages are
  scrubbed of ``sig=`` values.
"""

from __future__ import annotations

import copy
import enum
import importlib
import json
import mimetypes
import os
import re
import threading
import uuid
import warnings
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import (
    IO,
    Any,
    Callable,
    Dict,
    FrozenSet,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Set,
    Tuple,
    Type,
    TypeVar,
    Union,
)
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit, urlunsplit
from urllib.request import url2pathname

from azure.core import PipelineClient
from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    IncompleteReadError,
    ResourceNotFoundError,
)
from azure.core.pipeline import policies
from azure.core.pipeline.transport import HttpTransport
from azure.core.rest import HttpRequest, HttpResponse

from ._serialization import Model
from ._version import VERSION
from .models import StacCollection, StacItem, StacItemCollection

__all__ = [
    "download_item",
    "download_item_collection",
    "download_collection",
    "download_asset",
    "FileNameStrategy",
    "ErrorStrategy",
    "OnError",
    "DownloadEvent",
    "DownloadStarted",
    "DownloadProgress",
    "DownloadFinished",
    "DownloadFailed",
    "DownloadFailure",
    "DownloadError",
    "DownloadWarning",
    "ContentTypeError",
    "TqdmProgress",
]

PathLike = Union[str, "os.PathLike[str]"]
Transport = HttpTransport[Any, Any]
#: Bytes read per chunk from the network or a local file.
CHUNK_SIZE = 256 * 1024
_E = TypeVar("_E", bound=enum.Enum)


# -- options ------------------------------------------------------------------------------------


class FileNameStrategy(str, enum.Enum):
    """How a downloaded asset's file is named."""

    #: The last path segment of the href, without its query (``.../B04.tif?sv=...`` -> ``B04.tif``).
    FILE_NAME = "file_name"
    #: The asset key plus an extension taken from the href, else from the media type (``B04.tif``).
    KEY = "key"


class ErrorStrategy(str, enum.Enum):
    """What the returned document does with an asset that failed to download."""

    #: Drop the asset.
    DELETE = "delete"
    #: Keep the asset with its original (remote) href.
    KEEP = "keep"


class OnError(str, enum.Enum):
    """How failures are reported."""

    #: Stop at the first failure: cancel the other downloads and raise ``DownloadError``.
    RAISE = "raise"
    #: Download everything possible, then raise one ``DownloadError`` listing every failure.
    COLLECT = "collect"
    #: Download everything possible, warn (``DownloadWarning``) for each failure, return the result.
    WARN = "warn"


def _choice(cls: Type[_E], value: Any, name: str) -> _E:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in cls)
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}") from None


# -- events ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DownloadEvent:
    """Base of the progress events passed to a ``progress`` callback.

    :ivar item_id: ID of the item (or collection) the asset belongs to; None for ``download_asset``.
    :ivar key: The asset key; None for ``download_asset``.
    :ivar href: Where the file comes from, with any SAS query removed.
    """

    item_id: Optional[str]
    key: Optional[str]
    href: str


@dataclass(frozen=True)
class DownloadStarted(DownloadEvent):
    """The server answered (or the local file was opened); bytes are about to flow.

    :ivar path: The destination file.
    :ivar total: Size in bytes, when known (``Content-Length``), else None.
    """

    path: Path
    total: Optional[int]


@dataclass(frozen=True)
class DownloadProgress(DownloadEvent):
    """A chunk was written.

    :ivar downloaded: Bytes written so far.
    :ivar total: Size in bytes, when known, else None.
    """

    downloaded: int
    total: Optional[int]


@dataclass(frozen=True)
class DownloadFinished(DownloadEvent):
    """The file is complete at ``path``.

    :ivar path: The destination file.
    :ivar size: Its size in bytes.
    :ivar skipped: True when the file existed already and ``overwrite`` was False (nothing was fetched).
    """

    path: Path
    size: int
    skipped: bool = False


@dataclass(frozen=True)
class DownloadFailed(DownloadEvent):
    """The download failed; nothing was left at the destination.

    :ivar error: What went wrong.
    """

    error: BaseException


ProgressCallback = Callable[[DownloadEvent], Any]


# -- errors ----------------------------------------------------------------------------------------


class ContentTypeError(ValueError):
    """The server's ``Content-Type`` does not match the asset's media type."""

    def __init__(self, actual: str, expected: str) -> None:
        self.actual = actual
        self.expected = expected
        super().__init__(f"the server sent Content-Type {actual!r}, but the asset's type is {expected!r}")


@dataclass(frozen=True)
class DownloadFailure:
    """One asset that could not be downloaded.

    :ivar key: The asset key (None for ``download_asset``).
    :ivar href: The href, with any SAS query removed.
    :ivar error: The cause (its message scrubbed of SAS signatures).
    :ivar item_id: ID of the item or collection the asset belongs to.
    """

    key: Optional[str]
    href: str
    error: BaseException
    item_id: Optional[str] = None

    def __str__(self) -> str:
        where = "href" if self.key is None else f"asset {self.key!r}"
        if self.item_id is not None:
            where += f" of {self.item_id!r}"
        return f"{where} ({self.href}): {type(self.error).__name__}: {scrub(str(self.error))}"


class DownloadError(Exception):
    """Downloads failed.

    :ivar failures: Every failure (with ``on_error="raise"``, the first one).
    :vartype failures: list[DownloadFailure]
    :ivar result: With ``on_error="collect"``, the document that was returned had the errors been
        warnings (failed assets handled per ``error_strategy``, JSON written); else None.
    """

    def __init__(self, failures: Sequence[DownloadFailure], result: Any = None) -> None:
        self.failures: List[DownloadFailure] = list(failures)
        self.result = result
        lines = [str(failure) for failure in self.failures[:10]]
        if len(self.failures) > 10:
            lines.append(f"... and {len(self.failures) - 10} more")
        count = len(self.failures)
        super().__init__(f"{count} download{'s' if count != 1 else ''} failed:\n  " + "\n  ".join(lines))


class DownloadWarning(UserWarning):
    """An asset could not be downloaded (``on_error="warn"``)."""


# -- secrets ---------------------------------------------------------------------------------------

#: Query keys whose values are credentials (Azure SAS, S3 and GCS presigned URLs, tokens).
_SECRET_KEYS = frozenset(
    ["sig", "signature", "x-amz-signature", "x-amz-security-token", "x-goog-signature", "token", "access_token"]
)
_SECRET_TEXT = re.compile(
    r"(?i)\b(sig|signature|x-amz-signature|x-amz-security-token|x-goog-signature|access_token)=[^&\s'\"<>]+"
)


def redact_href(href: str) -> str:
    """The href without its query when the query carries a signature or token (a SAS URL).

    :param str href: A URL or path.
    :return: The href, safe to log.
    :rtype: str
    """
    parts = urlsplit(href)
    if not parts.query:
        return href
    if any(key.lower() in _SECRET_KEYS for key, _ in parse_qsl(parts.query, keep_blank_values=True)):
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return href


def scrub(text: str) -> str:
    """``text`` with the values of ``sig=``-like query parameters replaced by ``REDACTED``."""
    return _SECRET_TEXT.sub(lambda m: f"{m.group(1)}=REDACTED", text)


def _scrub_exception(error: BaseException) -> None:
    """Scrub signatures from an exception and its causes in place.

    Transport errors quote the URL they failed on (``...?sv=...&sig=...``); they reach users in
    ``DownloadFailure.error`` and in chained tracebacks, so their messages are cleaned here.
    """
    seen: Set[int] = set()
    pending: List[Any] = [error]
    while pending:
        current = pending.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        try:
            current.args = tuple(scrub(str(arg)) if scrub(str(arg)) != str(arg) else arg for arg in current.args)
            message = getattr(current, "message", None)
            if isinstance(message, str):
                current.message = scrub(message)  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - an exception type with read-only attributes: leave it
            pass
        pending += [current.__cause__, current.__context__, getattr(current, "inner_exception", None)]


def _is_signed(href: str) -> bool:
    return any(key.lower() == "sig" for key, _ in parse_qsl(urlsplit(href).query))


# -- signing ---------------------------------------------------------------------------------------

SignFunction = Callable[..., Any]


def _sign_function(signer: Any) -> Optional[SignFunction]:
    """``sign_href`` of a signer: our client (its ``sas.signer``, else ``sas.sign_href``), an object
    with ``sign_href(href, collection_id=None)``, or a plain callable of the same shape."""
    if signer is None:
        return None
    sas: Any = getattr(signer, "sas", None)
    if sas is not None:
        cached: Any = getattr(sas, "signer", None)  # the client's caching signer, when it has one
        if callable(getattr(cached, "sign_href", None)):
            return cached.sign_href  # type: ignore[no-any-return]
        if callable(getattr(sas, "sign_href", None)):
            return sas.sign_href  # type: ignore[no-any-return]
        raise TypeError("signer: this client's sas operations have no sign_href")
    if callable(getattr(signer, "sign_href", None)):
        return signer.sign_href  # type: ignore[no-any-return]
    if callable(signer):
        return signer  # type: ignore[no-any-return]
    raise TypeError(
        "signer must be a PlanetaryComputerProClient, an object with sign_href(href, collection_id=None) "
        f"or a callable; got {type(signer).__name__}"
    )


# -- progress bars ---------------------------------------------------------------------------------


def _import_tqdm() -> Any:
    try:
        return importlib.import_module("tqdm").tqdm
    except ImportError:
        raise ImportError(
            "progress=True shows tqdm progress bars, but tqdm is not installed: "
            "pip install 'azure-planetarycomputer[progress]' (or pass a callback as progress=)"
        ) from None


class TqdmProgress:
    """A ``progress`` callback that shows one tqdm bar per file (``progress=True`` uses one).

    :keyword file: Where the bars are written; default ``sys.stderr``.
    :keyword tqdm_kwargs: Other keywords for each ``tqdm`` bar (e.g. ``leave=False``).
    :raises ImportError: If tqdm is not installed (the ``progress`` extra).
    """

    def __init__(self, *, file: Optional[IO[str]] = None, **tqdm_kwargs: Any) -> None:
        self._tqdm = _import_tqdm()
        self._file = file
        self._kwargs = tqdm_kwargs
        self._bars: Dict[Tuple[Optional[str], Optional[str], str], Any] = {}
        self._lock = threading.Lock()  # sync downloads report from worker threads

    def __call__(self, event: DownloadEvent) -> None:
        ident = (event.item_id, event.key, event.href)
        with self._lock:
            if isinstance(event, DownloadStarted):
                label = event.key or event.path.name
                if event.item_id and event.key:
                    label = f"{event.item_id}/{event.key}"
                options: Dict[str, Any] = {"unit": "B", "unit_scale": True, "unit_divisor": 1024, "desc": label}
                options.update(self._kwargs)
                self._bars[ident] = self._tqdm(total=event.total, file=self._file, **options)
            elif isinstance(event, DownloadProgress):
                bar = self._bars.get(ident)
                if bar is not None:
                    bar.update(event.downloaded - bar.n)
            elif isinstance(event, (DownloadFinished, DownloadFailed)):
                bar = self._bars.pop(ident, None)
                if bar is not None:
                    bar.close()


def _progress_callback(progress: Any) -> Optional[ProgressCallback]:
    if progress is None or progress is False:
        return None
    if progress is True:
        return TqdmProgress()
    if callable(progress):
        return progress  # type: ignore[no-any-return]
    raise TypeError(f"progress must be a callable, True or None; got {type(progress).__name__}")


# -- the options of one call -----------------------------------------------------------------------


def _keys(value: Optional[Iterable[str]], name: str) -> Optional[FrozenSet[str]]:
    if value is None:
        return None
    if isinstance(value, str):  # include="image" means one key, not five letters
        return frozenset([value])
    keys = frozenset(value)
    if not all(isinstance(key, str) for key in keys):
        raise TypeError(f"{name} must be asset keys (strings)")
    return keys


@dataclass(frozen=True)
class _Options:
    sign: Optional[SignFunction]
    include: Optional[FrozenSet[str]]
    exclude: FrozenSet[str]
    alternate_assets: Tuple[str, ...]
    file_name_strategy: FileNameStrategy
    overwrite: bool
    error_strategy: ErrorStrategy
    on_error: OnError
    check_content_type: bool
    max_concurrency: int
    progress: Optional[ProgressCallback]
    absolute_hrefs: bool
    keep_non_downloaded: bool

    @classmethod
    def create(
        cls,
        *,
        signer: Any = None,
        include: Optional[Iterable[str]] = None,
        exclude: Optional[Iterable[str]] = None,
        alternate_assets: Optional[Iterable[str]] = None,
        file_name_strategy: Union[str, FileNameStrategy] = FileNameStrategy.FILE_NAME,
        overwrite: bool = False,
        error_strategy: Union[str, ErrorStrategy] = ErrorStrategy.DELETE,
        on_error: Union[str, OnError] = OnError.RAISE,
        check_content_type: bool = False,
        max_concurrency: int = 8,
        progress: Any = None,
        absolute_hrefs: bool = False,
        keep_non_downloaded: bool = False,
    ) -> "_Options":
        if not isinstance(max_concurrency, int) or max_concurrency < 1:
            raise ValueError(f"max_concurrency must be a positive integer; got {max_concurrency!r}")
        alternates = (alternate_assets,) if isinstance(alternate_assets, str) else tuple(alternate_assets or ())
        return cls(
            sign=_sign_function(signer),
            include=_keys(include, "include"),
            exclude=_keys(exclude, "exclude") or frozenset(),
            alternate_assets=alternates,
            file_name_strategy=_choice(FileNameStrategy, file_name_strategy, "file_name_strategy"),
            overwrite=bool(overwrite),
            error_strategy=_choice(ErrorStrategy, error_strategy, "error_strategy"),
            on_error=_choice(OnError, on_error, "on_error"),
            check_content_type=bool(check_content_type),
            max_concurrency=max_concurrency,
            progress=_progress_callback(progress),
            absolute_hrefs=bool(absolute_hrefs),
            keep_non_downloaded=bool(keep_non_downloaded),
        )

    def emit(self, event: DownloadEvent) -> None:
        if self.progress is not None:
            self.progress(event)


# -- documents in, documents out -------------------------------------------------------------------


def to_wire(value: Any, what: str) -> Dict[str, Any]:
    """A private wire-JSON copy of a model, a mapping or a pystac object (relative asset hrefs of a
    pystac object made absolute, as pystac resolves them)."""
    if isinstance(value, Model):
        return dict(value.as_dict())
    if isinstance(value, Mapping):
        return copy.deepcopy(dict(value))
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):  # pystac Item / Collection
        data = to_dict(include_self_link=True, transform_hrefs=False)
        for key, asset in (getattr(value, "assets", None) or {}).items():
            absolute = asset.get_absolute_href() if callable(getattr(asset, "get_absolute_href", None)) else None
            if absolute and key in data.get("assets", {}):
                data["assets"][key]["href"] = absolute
        return data  # type: ignore[no-any-return]
    raise TypeError(f"{what} must be a model, a dict of STAC JSON or a pystac object; got {type(value).__name__}")


def item_list(items: Any) -> List[Dict[str, Any]]:
    """Wire copies of the items of a StacItemCollection, a FeatureCollection dict, a pystac
    ItemCollection or any iterable of items (e.g. search results)."""
    if isinstance(items, Mapping):
        features = items.get("features")
        if not isinstance(features, list):
            raise TypeError("items: a mapping must be a FeatureCollection with a 'features' list")
        return [to_wire(feature, "each item") for feature in features]
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise TypeError(f"items must be an item collection or an iterable of items; got {type(items).__name__}")
    return [to_wire(item, "each item") for item in items]


_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def _has_scheme(href: str) -> bool:
    return bool(urlsplit(href).scheme) and not _DRIVE.match(href)


def _self_href(data: Mapping[str, Any]) -> Optional[str]:
    for link in data.get("links") or []:
        if isinstance(link, Mapping) and link.get("rel") == "self" and isinstance(link.get("href"), str):
            return str(link["href"])
    return None


def _absolute(href: str, base: Optional[str]) -> str:
    """A relative href made absolute against the document's self href (else the working folder)."""
    if not href or _has_scheme(href) or _DRIVE.match(href) or os.path.isabs(href):
        return href
    if base is not None and _has_scheme(base):
        return urljoin(base, href)
    if base is not None and (_DRIVE.match(base) or os.path.isabs(base)):
        return os.path.normpath(os.path.join(os.path.dirname(base), href))
    return str(Path(href).absolute())


def local_path(href: str) -> Optional[Path]:
    """The file behind a ``file://`` URI or a path; None for other hrefs."""
    if _DRIVE.match(href):
        return Path(href)
    parts = urlsplit(href)
    if parts.scheme == "file":
        return Path(url2pathname(parts.path))
    if not parts.scheme:
        return Path(href)
    return None


def check_remote(href: str) -> None:
    """Fail early for hrefs no client here can open (s3://, gs://, ...)."""
    scheme = urlsplit(href).scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"cannot download {scheme!r} hrefs: only http(s), file:// and local paths are supported")


# -- file names ------------------------------------------------------------------------------------

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


# -- plans -----------------------------------------------------------------------------------------


@dataclass
class Job:
    """One file to fetch."""

    item_id: Optional[str]
    key: Optional[str]
    href: str  # absolute source href, before signing
    collection_id: Optional[str]
    path: Path
    media_type: Optional[str]  # the expected Content-Type, when checked

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

    jobs = [
        Job(item_id, key, href, collection_id, directory / names[key], expected(media_type))
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


def rewrite(document: Document, failed: Set[int], options: _Options, base: Path) -> Dict[str, Any]:
    """A copy of the document's JSON with downloaded assets pointing at their files (relative to
    ``base`` unless ``absolute_hrefs``), failed ones handled per the error strategy, and no stale
    ``self`` link (the copy no longer lives there)."""
    data = copy.deepcopy(document.data)
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
            asset["href"] = _local_href(job.path, base, options.absolute_hrefs)
            assets[key] = asset
        elif options.keep_non_downloaded:
            assets[key] = asset
    data["assets"] = assets
    if isinstance(data.get("links"), list):
        data["links"] = [
            link for link in data["links"] if not (isinstance(link, Mapping) and link.get("rel") == "self")
        ]
    return data


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically (temporary file, then rename)."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.part")
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


# -- responses -------------------------------------------------------------------------------------

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


def check_response(status: int, reason: Optional[str], headers: Mapping[str, str], job: Job, response: Any) -> None:
    """Raise for a non-success status (no SAS in the message) or a Content-Type mismatch."""
    if not 200 <= status < 300:
        code = headers.get("x-ms-error-code")
        message = f"GET {redact_href(job.href)} returned HTTP {status} {reason or ''}".rstrip()
        if code:
            message += f" ({code})"
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
    """A hidden sibling of ``path`` to write to before the rename."""
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.part")


def check_length(written: int, total: Optional[int], job: Job) -> None:
    if total is not None and written != total:
        raise IncompleteReadError(f"the connection closed after {written} of {total} bytes of {redact_href(job.href)}")


def pipeline_policies(retry: Any, redirect: Any, **kwargs: Any) -> List[Any]:
    """The policies of the asset pipeline: like the client's, minus authentication (and minus the
    network trace policy, which would log signed URLs)."""
    kwargs.setdefault("sdk_moniker", f"planetarycomputer/{VERSION}")
    return [
        policies.RequestIdPolicy(**kwargs),
        policies.HeadersPolicy(**kwargs),
        policies.UserAgentPolicy(**kwargs),
        policies.ProxyPolicy(**kwargs),
        redirect,
        retry,
        policies.CustomHookPolicy(**kwargs),
        policies.HttpLoggingPolicy(**kwargs),  # logs query values as REDACTED
    ]


# -- the sync engine -------------------------------------------------------------------------------


class _Cancelled(Exception):
    """Raised inside a worker when the run was stopped by another failure."""


def _transport(max_concurrency: int, **kwargs: Any) -> Transport:
    from azure.core.pipeline.transport import RequestsTransport

    # A connection pool as large as the thread pool: the default (10) makes urllib3 log
    # "Connection pool is full" and drop connections when more threads download at once.
    # (requests ships no type hints, hence the Any.)
    requests: Any = importlib.import_module("requests")
    adapters: Any = importlib.import_module("requests.adapters")
    retry: Any = importlib.import_module("urllib3.util.retry")
    session = requests.Session()
    adapter = adapters.HTTPAdapter(
        pool_maxsize=max(10, max_concurrency),
        max_retries=retry.Retry(total=False, redirect=False, raise_on_status=False),
    )
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    kwargs.setdefault("connection_data_block_size", CHUNK_SIZE)
    transport: Transport = RequestsTransport(session=session, session_owner=True, **kwargs)
    return transport


class _Downloader:
    def __init__(self, options: _Options, transport: Optional[Transport], kwargs: Dict[str, Any]) -> None:
        self.options = options
        self._transport = transport
        self._kwargs = kwargs

    def _pipeline(self) -> "PipelineClient[HttpRequest, HttpResponse]":
        kwargs = dict(self._kwargs)
        transport = self._transport or _transport(self.options.max_concurrency, **kwargs)
        chain = pipeline_policies(policies.RetryPolicy(**kwargs), policies.RedirectPolicy(**kwargs), **kwargs)
        return PipelineClient(base_url="", policies=chain, transport=transport)

    def run(self, jobs: Sequence[Job]) -> List[Tuple[Job, DownloadFailure]]:
        """Fetch every job on a thread pool; returns the failures (or raises at the first one when
        ``on_error="raise"``, after stopping the others)."""
        if not jobs:
            return []
        failures: List[Tuple[Job, DownloadFailure]] = []
        cancel = threading.Event()
        client = self._pipeline()
        pool = ThreadPoolExecutor(min(self.options.max_concurrency, len(jobs)), thread_name_prefix="pc-download")
        try:
            pending: Set[Future[Optional[DownloadFailure]]] = set()
            owners: Dict[Future[Optional[DownloadFailure]], Job] = {}
            for job in jobs:
                future = pool.submit(self._one, client, job, cancel)
                owners[future] = job
                pending.add(future)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    failure = future.result()
                    if failure is None:
                        continue
                    if self.options.on_error is OnError.RAISE:
                        raise DownloadError([failure]) from failure.error
                    failures.append((owners[future], failure))
        finally:
            # Stop the workers between chunks (their temporary files are removed) and wait.
            cancel.set()
            pool.shutdown(wait=True, cancel_futures=True)
            if self._transport is None:  # ours to close; a caller's transport stays open for reuse
                client.close()
        order = {id(job): index for index, job in enumerate(jobs)}
        return sorted(failures, key=lambda pair: order[id(pair[0])])

    def _one(self, client: Any, job: Job, cancel: threading.Event) -> Optional[DownloadFailure]:
        try:
            if cancel.is_set():
                return None
            self._fetch(client, job, cancel)
            return None
        except _Cancelled:
            return None
        except Exception as exc:  # noqa: BLE001 - every error becomes this asset's failure
            _scrub_exception(exc)
            self.options.emit(job.event(DownloadFailed, error=exc))
            return job.failure(exc)

    def _fetch(self, client: Any, job: Job, cancel: threading.Event) -> None:
        if job.path.exists() and not self.options.overwrite:
            self.options.emit(job.event(DownloadFinished, path=job.path, size=job.path.stat().st_size, skipped=True))
            return
        if not job.href:
            raise ValueError("the asset has no href")
        source = local_path(job.href)
        if source is not None:
            with open(source, "rb") as handle:
                self._write(job, iter(lambda: handle.read(CHUNK_SIZE), b""), os.fstat(handle.fileno()).st_size, cancel)
            return
        check_remote(job.href)
        url = job.href
        if self.options.sign is not None and not _is_signed(url):
            url = self.options.sign(url, collection_id=job.collection_id)
            if not isinstance(url, str):
                raise TypeError(
                    f"the signer returned {type(url).__name__}, not a str: "
                    "use azure.planetarycomputer.aio to download with an async signer"
                )
        response = client.send_request(HttpRequest("GET", url), stream=True)
        try:
            check_response(response.status_code, response.reason, response.headers, job, response)
            self._write(job, response.iter_bytes(), content_length(response.headers), cancel)
        finally:
            response.close()

    def _write(self, job: Job, chunks: Iterator[bytes], total: Optional[int], cancel: threading.Event) -> None:
        self.options.emit(job.event(DownloadStarted, path=job.path, total=total))
        tmp = temporary_path(job.path)
        written = 0
        try:
            with open(tmp, "wb") as out:
                for chunk in chunks:
                    if cancel.is_set():
                        raise _Cancelled()
                    out.write(chunk)
                    written += len(chunk)
                    self.options.emit(job.event(DownloadProgress, downloaded=written, total=total))
                check_length(written, total, job)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, job.path)
        finally:
            if tmp.exists():
                tmp.unlink()
        self.options.emit(job.event(DownloadFinished, path=job.path, size=written))


def failed_jobs(failures: Sequence[Tuple[Job, DownloadFailure]]) -> Set[int]:
    return {id(job) for job, _ in failures}


# -- public API ------------------------------------------------------------------------------------


def download_item(
    item: Any,
    directory: PathLike,
    *,
    signer: Any = None,
    include: Optional[Iterable[str]] = None,
    exclude: Optional[Iterable[str]] = None,
    alternate_assets: Optional[Iterable[str]] = None,
    file_name_strategy: Union[str, FileNameStrategy] = FileNameStrategy.FILE_NAME,
    overwrite: bool = False,
    make_directory: bool = True,
    error_strategy: Union[str, ErrorStrategy] = ErrorStrategy.DELETE,
    on_error: Union[str, OnError] = OnError.RAISE,
    check_content_type: bool = False,
    max_concurrency: int = 8,
    progress: Union[None, bool, ProgressCallback] = None,
    item_file_name: str = "item.json",
    write_item: bool = True,
    absolute_hrefs: bool = False,
    keep_non_downloaded: bool = False,
    transport: Optional[Transport] = None,
    **kwargs: Any,
) -> StacItem:
    """Download an item's assets into a folder and write the item JSON beside them.

    .. code-block:: python

        item = client.stac.get_item("naip", "ga_m_3308421_se_16_060_20211114")
        local = download_item(item, "downloads/ga", signer=client, include=["image"])
        local.assets["image"].href   # "./ga_m_3308421_se_16_060_20211114.tif"

    Files are streamed to a hidden temporary file in ``directory``, fsync'ed and renamed into
    place, so an interrupted download never leaves a partial file; run the call again to complete
    it (existing files are kept unless ``overwrite``). Assets are fetched through a pipeline
    without authentication (retry, redirect, proxy, user agent and logging policies only): the
    client's bearer token never reaches blob storage. ``file://`` hrefs and local paths are
    copied. Relative hrefs are resolved against the item's ``self`` link, else the working folder.

    :param item: The item: a :class:`~azure.planetarycomputer.models.StacItem`, a dict of STAC
        JSON, or a ``pystac.Item``. It is not modified.
    :type item: ~azure.planetarycomputer.models.StacItem or dict or pystac.Item
    :param directory: The folder for the files and the item JSON.
    :type directory: str or os.PathLike
    :keyword signer: Signs http(s) hrefs before they are fetched (hrefs that already carry a
        ``sig`` are used as they are): a ``PlanetaryComputerProClient`` (its ``sas.signer``, else
        ``sas.sign_href``), any object with ``sign_href(href, collection_id=None) -> str``, or such a
        callable. Default None: hrefs are used as given.
    :keyword include: Asset keys to download (default: all).
    :paramtype include: list[str]
    :keyword exclude: Asset keys not to download.
    :paramtype exclude: list[str]
    :keyword alternate_assets: Names of alternate locations to prefer, in order (STAC
        ``alternate`` extension: ``asset["alternate"][name]["href"]``); the asset's own href otherwise.
    :paramtype alternate_assets: list[str]
    :keyword file_name_strategy: ``"file_name"`` (default: the href's last path segment) or
        ``"key"`` (asset key plus the href's extension, else one for the media type). Names used
        by several assets are prefixed with the asset key.
    :paramtype file_name_strategy: str or ~azure.planetarycomputer.FileNameStrategy
    :keyword bool overwrite: Download files that exist already. Default False: an existing file
        is kept as it is (not fetched again) and the asset still points at it.
    :keyword bool make_directory: Create ``directory`` if missing (default); else it must exist.
    :keyword error_strategy: For an asset that failed: ``"delete"`` (default) drops it from the
        result, ``"keep"`` keeps it with its original href.
    :paramtype error_strategy: str or ~azure.planetarycomputer.ErrorStrategy
    :keyword on_error: ``"raise"`` (default: the first failure stops the other downloads and
        raises), ``"collect"`` (download everything possible, then raise one
        :class:`~azure.planetarycomputer.DownloadError` listing every failure; its ``result`` is
        the item, whose JSON was written) or ``"warn"`` (a
        :class:`~azure.planetarycomputer.DownloadWarning` per failure; the item is returned).
    :paramtype on_error: str or ~azure.planetarycomputer.OnError
    :keyword bool check_content_type: Fail an asset whose response ``Content-Type`` does not match
        its ``type`` (parameters ignored; generic ``application/octet-stream`` always fits).
    :keyword int max_concurrency: Most files fetched at once (threads). Default 8.
    :keyword progress: A callable receiving :class:`~azure.planetarycomputer.DownloadEvent`
        objects (``DownloadStarted``, ``DownloadProgress``, ``DownloadFinished``,
        ``DownloadFailed``; called from worker threads), or True for a tqdm bar per file (needs
        the ``progress`` extra).
    :paramtype progress: callable or bool
    :keyword str item_file_name: Name of the item JSON file. Default "item.json".
    :keyword bool write_item: Write the item JSON. Default True.
    :keyword bool absolute_hrefs: Point assets at absolute paths. Default False: paths relative to
        the item JSON (``./image.tif``), so the folder can be moved.
    :keyword bool keep_non_downloaded: Keep the assets not selected by ``include``/``exclude``
        (with their original hrefs). Default False: the result lists downloaded assets only.
    :keyword transport: The HTTP transport for the asset pipeline (default: requests).
    :paramtype transport: ~azure.core.pipeline.transport.HttpTransport
    :return: A new item whose downloaded assets point at the local files (always a ``StacItem``;
        for a pystac item use ``pystac.Item.from_dict(result.as_dict())``). Its ``self`` link is
        removed.
    :rtype: ~azure.planetarycomputer.models.StacItem
    :raises ~azure.planetarycomputer.DownloadError: If assets failed (per ``on_error``).
    :raises ImportError: If ``progress=True`` and tqdm is not installed.
    """
    options = _Options.create(
        signer=signer,
        include=include,
        exclude=exclude,
        alternate_assets=alternate_assets,
        file_name_strategy=file_name_strategy,
        overwrite=overwrite,
        error_strategy=error_strategy,
        on_error=on_error,
        check_content_type=check_content_type,
        max_concurrency=max_concurrency,
        progress=progress,
        absolute_hrefs=absolute_hrefs,
        keep_non_downloaded=keep_non_downloaded,
    )
    data = to_wire(item, "item")
    root = prepare_directory(directory, make_directory)
    document = plan(data, root, options, data.get("collection"), [item_file_name])
    failures = _Downloader(options, transport, kwargs).run(document.jobs)
    result = rewrite(document, failed_jobs(failures), options, root)
    if write_item:
        write_json(root / item_file_name, result)
    model = StacItem.deserialize(result)
    report([failure for _, failure in failures], options, model)
    return model


def download_item_collection(
    items: Any,
    directory: PathLike,
    *,
    signer: Any = None,
    include: Optional[Iterable[str]] = None,
    exclude: Optional[Iterable[str]] = None,
    alternate_assets: Optional[Iterable[str]] = None,
    file_name_strategy: Union[str, FileNameStrategy] = FileNameStrategy.FILE_NAME,
    overwrite: bool = False,
    make_directory: bool = True,
    error_strategy: Union[str, ErrorStrategy] = ErrorStrategy.DELETE,
    on_error: Union[str, OnError] = OnError.RAISE,
    check_content_type: bool = False,
    max_concurrency: int = 8,
    progress: Union[None, bool, ProgressCallback] = None,
    item_directory: str = "{id}",
    item_file_name: str = "item.json",
    write_item: bool = True,
    item_collection_file_name: str = "item-collection.json",
    write_item_collection: bool = True,
    absolute_hrefs: bool = False,
    keep_non_downloaded: bool = False,
    transport: Optional[Transport] = None,
    **kwargs: Any,
) -> StacItemCollection:
    """Download the assets of several items, each item in its own subfolder.

    ``directory/item-collection.json`` lists the items with hrefs relative to it
    (``./<id>/image.tif``); each subfolder also gets its ``item.json``. Downloads of all items
    share one pool of ``max_concurrency`` workers, and ``on_error`` applies to the whole run.
    Keywords not listed here are those of :func:`download_item`.

    :param items: A :class:`~azure.planetarycomputer.models.StacItemCollection` (e.g. a search
        page), a FeatureCollection dict, a ``pystac.ItemCollection``, or any iterable of items
        (e.g. the pages of ``client.stac.search`` flattened).
    :param directory: The root folder.
    :type directory: str or os.PathLike
    :keyword str item_directory: Subfolder of each item, formatted with ``{id}`` and
        ``{collection}``. Default "{id}". Two items may not share a subfolder.
    :keyword str item_file_name: Name of each item's JSON file. Default "item.json".
    :keyword bool write_item: Write each item's JSON in its subfolder. Default True.
    :keyword str item_collection_file_name: Name of the ItemCollection JSON in ``directory``.
        Default "item-collection.json".
    :keyword bool write_item_collection: Write the ItemCollection JSON. Default True.
    :return: The items, hrefs relative to the ItemCollection JSON (or absolute).
    :rtype: ~azure.planetarycomputer.models.StacItemCollection
    :raises ~azure.planetarycomputer.DownloadError: If assets failed (per ``on_error``).
    :raises ValueError: If two items map to the same subfolder.
    """
    options = _Options.create(
        signer=signer,
        include=include,
        exclude=exclude,
        alternate_assets=alternate_assets,
        file_name_strategy=file_name_strategy,
        overwrite=overwrite,
        error_strategy=error_strategy,
        on_error=on_error,
        check_content_type=check_content_type,
        max_concurrency=max_concurrency,
        progress=progress,
        absolute_hrefs=absolute_hrefs,
        keep_non_downloaded=keep_non_downloaded,
    )
    documents, root = plan_item_collection(items, directory, make_directory, item_directory, item_file_name, options)
    failures = _Downloader(options, transport, kwargs).run([job for doc in documents for job in doc.jobs])
    result = finish_item_collection(
        documents, root, failures, options, item_file_name if write_item else None,
        item_collection_file_name if write_item_collection else None,
    )  # fmt: skip
    report([failure for _, failure in failures], options, result)
    return result


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
    features = [rewrite(document, failed, options, root) for document in documents]
    data = {"type": "FeatureCollection", "features": features}
    if collection_file_name is not None:
        write_json(root / collection_file_name, data)
    return StacItemCollection.deserialize(data)


def download_collection(
    collection: Any,
    directory: PathLike,
    *,
    signer: Any = None,
    include: Optional[Iterable[str]] = None,
    exclude: Optional[Iterable[str]] = None,
    alternate_assets: Optional[Iterable[str]] = None,
    file_name_strategy: Union[str, FileNameStrategy] = FileNameStrategy.FILE_NAME,
    overwrite: bool = False,
    make_directory: bool = True,
    error_strategy: Union[str, ErrorStrategy] = ErrorStrategy.DELETE,
    on_error: Union[str, OnError] = OnError.RAISE,
    check_content_type: bool = False,
    max_concurrency: int = 8,
    progress: Union[None, bool, ProgressCallback] = None,
    collection_file_name: str = "collection.json",
    write_collection: bool = True,
    absolute_hrefs: bool = False,
    keep_non_downloaded: bool = False,
    transport: Optional[Transport] = None,
    **kwargs: Any,
) -> StacCollection:
    """Download a collection's own assets (thumbnail, metadata files...) and write its JSON.

    Items are not downloaded: use :func:`download_item_collection` for them. Keywords not listed
    here are those of :func:`download_item`; hrefs are signed with the collection's ID.

    :param collection: A :class:`~azure.planetarycomputer.models.StacCollection`, a dict of STAC
        JSON or a ``pystac.Collection``. It is not modified.
    :param directory: The folder for the files and the collection JSON.
    :type directory: str or os.PathLike
    :keyword str collection_file_name: Name of the collection JSON file. Default "collection.json".
    :keyword bool write_collection: Write the collection JSON. Default True.
    :return: A new collection whose downloaded assets point at the local files.
    :rtype: ~azure.planetarycomputer.models.StacCollection
    :raises ~azure.planetarycomputer.DownloadError: If assets failed (per ``on_error``).
    """
    options = _Options.create(
        signer=signer,
        include=include,
        exclude=exclude,
        alternate_assets=alternate_assets,
        file_name_strategy=file_name_strategy,
        overwrite=overwrite,
        error_strategy=error_strategy,
        on_error=on_error,
        check_content_type=check_content_type,
        max_concurrency=max_concurrency,
        progress=progress,
        absolute_hrefs=absolute_hrefs,
        keep_non_downloaded=keep_non_downloaded,
    )
    data = to_wire(collection, "collection")
    root = prepare_directory(directory, make_directory)
    document = plan(data, root, options, data.get("id"), [collection_file_name])
    failures = _Downloader(options, transport, kwargs).run(document.jobs)
    result = rewrite(document, failed_jobs(failures), options, root)
    if write_collection:
        write_json(root / collection_file_name, result)
    model = StacCollection.deserialize(result)
    report([failure for _, failure in failures], options, model)
    return model


def asset_job(
    href: str, path: PathLike, make_directory: bool, collection_id: Optional[str], content_type: Optional[str]
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
    return Job(None, None, source, collection_id, target, content_type)


def download_asset(
    href: str,
    path: PathLike,
    *,
    signer: Any = None,
    collection_id: Optional[str] = None,
    content_type: Optional[str] = None,
    overwrite: bool = False,
    make_directory: bool = True,
    progress: Union[None, bool, ProgressCallback] = None,
    transport: Optional[Transport] = None,
    **kwargs: Any,
) -> Path:
    """Download one href to a file (same streaming, atomic write and signing as :func:`download_item`).

    :param str href: An http(s) URL, a ``file://`` URI or a local path.
    :param path: The destination file, or an existing folder (the file name is taken from the href).
    :type path: str or os.PathLike
    :keyword signer: As for :func:`download_item`.
    :keyword str collection_id: The collection the href belongs to, passed to the signer.
    :keyword str content_type: The expected media type; when given, a response whose
        ``Content-Type`` does not match fails.
    :keyword bool overwrite: Download even if the file exists. Default False (the file is kept).
    :keyword bool make_directory: Create the destination's folder if missing. Default True.
    :keyword progress: As for :func:`download_item`.
    :keyword transport: The HTTP transport (default: requests).
    :paramtype transport: ~azure.core.pipeline.transport.HttpTransport
    :return: The path of the file.
    :rtype: ~pathlib.Path
    :raises ~azure.planetarycomputer.DownloadError: If the download failed (the cause is chained
        and in ``failures[0].error``).
    """
    options = _Options.create(signer=signer, overwrite=overwrite, progress=progress, max_concurrency=1)
    job = asset_job(href, path, make_directory, collection_id, content_type)
    _Downloader(options, transport, kwargs).run([job])
    return job.path
