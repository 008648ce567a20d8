# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Types of the download API: options, strategies, progress events, errors; and secret redaction.

Shared by the sync (``_download.py``) and async (``aio/_download.py``) downloaders."""

from __future__ import annotations

import enum
import importlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import (
    IO,
    Any,
    Callable,
    Dict,
    FrozenSet,
    Iterable,
    List,
    Optional,
    Sequence,
    Set,
    Tuple,
    Type,
    TypeVar,
    Union,
)
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from azure.core.pipeline.transport import HttpTransport

from ._download_safety import DEFAULT_MAX_DECODED_SIZE, DEFAULT_MAX_RETRY_AFTER, Deadline
from ._logging import redact as scrub

# A real type, not a string: typing.get_type_hints resolves it in any module that uses the alias.
PathLike = Union[str, os.PathLike[str]]


Transport = HttpTransport[Any, Any]


#: Bytes read per chunk from the network or a local file (1 MiB: fewer Python round trips per byte;
#: 8 concurrent downloads hold 8 MiB of buffers).
CHUNK_SIZE = 1024 * 1024


_E = TypeVar("_E", bound=enum.Enum)


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


#: Query keys whose values are credentials (Azure SAS, S3 and GCS presigned URLs, tokens).
_SECRET_KEYS = frozenset(
    ["sig", "signature", "x-amz-signature", "x-amz-security-token", "x-goog-signature", "token", "access_token"]
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
    absolute_hrefs: Optional[bool]
    keep_non_downloaded: bool
    allow_local_hrefs: bool = False
    timeout: Optional[float] = None
    max_decoded_size: Optional[int] = DEFAULT_MAX_DECODED_SIZE
    max_retry_after: Optional[float] = DEFAULT_MAX_RETRY_AFTER

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
        absolute_hrefs: Optional[bool] = None,
        keep_non_downloaded: bool = False,
        allow_local_hrefs: bool = False,
        timeout: Optional[float] = None,
        max_decoded_size: Optional[int] = DEFAULT_MAX_DECODED_SIZE,
        max_retry_after: Optional[float] = DEFAULT_MAX_RETRY_AFTER,
    ) -> "_Options":
        if not isinstance(max_concurrency, int) or max_concurrency < 1:
            raise ValueError(f"max_concurrency must be a positive integer; got {max_concurrency!r}")
        Deadline(timeout)  # checks the value
        for name, value in (("max_decoded_size", max_decoded_size), ("max_retry_after", max_retry_after)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0):
                raise ValueError(f"{name} must be a non-negative number or None; got {value!r}")
        if max_retry_after is None:
            max_retry_after = DEFAULT_MAX_RETRY_AFTER
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
            absolute_hrefs=None if absolute_hrefs is None else bool(absolute_hrefs),
            keep_non_downloaded=bool(keep_non_downloaded),
            allow_local_hrefs=bool(allow_local_hrefs),
            timeout=timeout,
            max_decoded_size=max_decoded_size,
            max_retry_after=max_retry_after,
        )

    def emit(self, event: DownloadEvent) -> None:
        if self.progress is not None:
            self.progress(event)
