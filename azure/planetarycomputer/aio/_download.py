# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Download the assets of STAC items, item collections and collections (async).

The async twins of ``azure.planetarycomputer.download_item`` and its siblings: same parameters,
same results. Files are fetched by asyncio tasks (at most ``max_concurrency`` at once) through an
``AsyncPipelineClient`` on aiohttp (the ``aio`` extra); a signer's ``sign_href`` may be a
coroutine (our async client's ``sas`` group) or a plain function. Options, naming and reporting
are shared with the sync module.
"""

from __future__ import annotations

import asyncio
import inspect
import os
from pathlib import Path
from typing import IO, Any, AsyncIterator, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from azure.core import AsyncPipelineClient
from azure.core.pipeline import policies
from azure.core.pipeline.transport import AsyncHttpTransport
from azure.core.rest import AsyncHttpResponse, HttpRequest

from .._download_plan import (
    Job,
    asset_job,
    check_length,
    check_remote,
    check_response,
    content_length,
    failed_jobs,
    finish_item_collection,
    pipeline_policies,
    plan,
    plan_item_collection,
    prepare_directory,
    report,
    rewrite,
    temporary_path,
    to_wire,
    write_json,
)
from .._download_safety import (
    DEFAULT_MAX_DECODED_SIZE,
    DEFAULT_MAX_RETRY_AFTER,
    AsyncCappedRetryPolicy,
    Deadline,
    DecodedSizeLimit,
    DownloadTimeoutError,
    ResumeInfo,
    check_clear_text,
    stale_partials,
)
from .._download_types import (
    CHUNK_SIZE,
    ContentTypeError,
    DownloadError,
    DownloadEvent,
    DownloadFailed,
    DownloadFailure,
    DownloadFinished,
    DownloadProgress,
    DownloadStarted,
    DownloadWarning,
    ErrorStrategy,
    FileNameStrategy,
    OnError,
    PathLike,
    ProgressCallback,
    TqdmProgress,
    _is_signed,
    _Options,
    _scrub_exception,
)
from ..models import StacCollection, StacItem, StacItemCollection
from ._download_io import Stopper, chunks_within, within

__all__ = [
    "download_item",
    "download_item_collection",
    "download_collection",
    "download_asset",
    # shared with the sync module, re-exported for convenience
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

AsyncTransport = AsyncHttpTransport[Any, Any]


def _transport(**kwargs: Any) -> AsyncTransport:
    try:
        from azure.core.pipeline.transport import AioHttpTransport
    except ImportError:  # pragma: no cover - azure-core always has it; aiohttp is what may be missing
        raise ImportError("async downloads need aiohttp: pip install 'azure-planetarycomputer[aio]'") from None
    try:
        import aiohttp  # noqa: F401
    except ImportError:
        raise ImportError("async downloads need aiohttp: pip install 'azure-planetarycomputer[aio]'") from None
    kwargs.setdefault("connection_data_block_size", CHUNK_SIZE)
    transport: AsyncTransport = AioHttpTransport(**kwargs)
    return transport


async def _emit(options: _Options, event: DownloadEvent) -> None:
    if options.progress is not None:
        result = options.progress(event)
        if inspect.isawaitable(result):  # an async callback is awaited
            await result


class _Downloader:
    def __init__(self, options: _Options, transport: Optional[AsyncTransport], kwargs: Dict[str, Any]) -> None:
        self.options = options
        self._transport = transport
        self._kwargs = kwargs
        self.deadline = Deadline(options.timeout)
        self.stopper = Stopper()

    def _pipeline(self) -> "AsyncPipelineClient[HttpRequest, AsyncHttpResponse]":
        kwargs = dict(self._kwargs)
        transport = self._transport
        if transport is None:
            transport = _transport(**kwargs)
            self.stopper.track(transport)  # ours: its sockets may be shut down to stop the run
        retry = AsyncCappedRetryPolicy(max_retry_after=self.options.max_retry_after, **kwargs)
        chain = pipeline_policies(retry, policies.AsyncRedirectPolicy(**kwargs), self.stopper.policy(), **kwargs)
        return AsyncPipelineClient(base_url="", policies=chain, transport=transport)

    async def run(self, jobs: Sequence[Job]) -> List[Tuple[Job, DownloadFailure]]:
        """Fetch every job in tasks bounded by a semaphore; returns the failures (or raises at the
        first one when ``on_error="raise"``, after cancelling the other tasks)."""
        if not jobs:
            return []
        failures: List[Tuple[Job, DownloadFailure]] = []
        semaphore = asyncio.Semaphore(self.options.max_concurrency)
        client = self._pipeline()

        async def bounded(job: Job) -> Tuple[Job, Optional[DownloadFailure]]:
            async with semaphore:
                return job, await self._one(client, job)

        tasks = [asyncio.ensure_future(bounded(job)) for job in jobs]
        try:
            with self.stopper.watch(self.deadline):
                try:
                    for next_done in asyncio.as_completed(tasks):
                        job, failure = await next_done
                        if failure is None:
                            continue
                        if self.options.on_error is OnError.RAISE:
                            raise DownloadError([failure]) from failure.error
                        failures.append((job, failure))
                except BaseException:
                    self.stopper.stop()  # close hung peers' connections now: nobody waits for them
                    raise
        finally:
            # Cancelled tasks remove their temporary files as the cancellation unwinds them.
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if self._transport is None:  # ours to close; a caller's transport stays open for reuse
                await client.close()
        order = {id(job): index for index, job in enumerate(jobs)}
        return sorted(failures, key=lambda pair: order[id(pair[0])])

    async def _one(self, client: Any, job: Job) -> Optional[DownloadFailure]:
        try:
            await self._fetch(client, job)
            return None
        except Exception as exc:  # noqa: BLE001 - every error becomes this asset's failure
            if self.deadline.expired() and not isinstance(exc, DownloadTimeoutError):
                cause, exc = exc, self.deadline.error()  # whatever broke, the deadline broke it
                exc.__cause__ = cause
            elif self.stopper.stopped:
                return None  # the run was stopped by another failure
            _scrub_exception(exc)
            await _emit(self.options, job.event(DownloadFailed, error=exc))
            return job.failure(exc)

    async def _fetch(self, client: Any, job: Job) -> None:
        if self.deadline.expired():
            raise self.deadline.error()
        if job.path.exists() and not self.options.overwrite:
            size = job.path.stat().st_size
            await _emit(self.options, job.event(DownloadFinished, path=job.path, size=size, skipped=True))
            return
        if not job.href:
            raise ValueError("the asset has no href")
        source = job.local_source()
        if source is not None:
            with open(source, "rb") as handle:
                await self._write(job, _read_file(handle), os.fstat(handle.fileno()).st_size, None, None)
            return
        check_remote(job.href)
        url = job.href
        if self.options.sign is not None and not _is_signed(url):
            signed = self.options.sign(url, collection_id=job.collection_id)
            url = await signed if inspect.isawaitable(signed) else signed
            if not isinstance(url, str):
                raise TypeError(f"the signer returned {type(url).__name__}, not a str")
        check_clear_text(url)
        for stale in stale_partials(job.path):  # left by a run that was killed: cannot be resumed
            stale.unlink(missing_ok=True)
        resume = ResumeInfo(temporary_path(job.path))
        request = HttpRequest("GET", url, headers=resume.request_headers())
        response = await within(client.send_request(request, stream=True), self.deadline)
        try:
            status, headers = response.status_code, response.headers
            check_response(status, response.reason, headers, job, response, url)
            if not resume.continues(status, headers):
                resume.offset = 0  # the whole file: the partial one is replaced
            resume.remember(status, headers)
            chunks = chunks_within(response.iter_bytes(), self.deadline)
            limit = DecodedSizeLimit(headers, self.options.max_decoded_size)
            await self._write(job, chunks, content_length(headers), limit, resume)
        finally:
            await response.close()

    async def _write(
        self,
        job: Job,
        chunks: AsyncIterator[bytes],
        total: Optional[int],
        limit: Optional[DecodedSizeLimit],
        resume: Optional[ResumeInfo],
    ) -> None:
        """Stream ``chunks`` to the partial file (appended to it when ``resume`` continues it), then
        rename it into place. A failed download keeps the partial file only when it can resume."""
        offset = resume.offset if resume is not None else 0
        size = None if total is None else offset + total
        await _emit(self.options, job.event(DownloadStarted, path=job.path, total=size))
        tmp = temporary_path(job.path)
        written = 0
        keep = False
        try:
            with open(tmp, "ab" if offset else "wb") as out:
                async for chunk in chunks:
                    if self.deadline.expired():  # a server trickling bytes never lets a read time out
                        raise self.deadline.error()
                    if limit is not None:
                        limit.add(len(chunk))
                    out.write(chunk)  # page-cache writes are quick; fsync below is the slow part
                    written += len(chunk)
                    await _emit(self.options, job.event(DownloadProgress, downloaded=offset + written, total=size))
                check_length(written, total, job)
                out.flush()
                await asyncio.get_running_loop().run_in_executor(None, os.fsync, out.fileno())
            os.replace(tmp, job.path)
        except BaseException:
            keep = resume is not None and resume.resumable and tmp.exists() and tmp.stat().st_size > 0
            raise
        finally:
            if not keep:
                tmp.unlink(missing_ok=True)
                if resume is not None:
                    resume.forget()
        await _emit(self.options, job.event(DownloadFinished, path=job.path, size=offset + written))


async def _read_file(handle: IO[bytes]) -> AsyncIterator[bytes]:
    while True:
        chunk = handle.read(CHUNK_SIZE)
        if not chunk:
            return
        yield chunk
        await asyncio.sleep(0)  # let other downloads run between chunks of a large copy


async def download_item(
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
    absolute_hrefs: Optional[bool] = None,
    keep_non_downloaded: bool = False,
    allow_local_hrefs: bool = False,
    timeout: Optional[float] = None,
    max_decoded_size: Optional[int] = DEFAULT_MAX_DECODED_SIZE,
    max_retry_after: Optional[float] = DEFAULT_MAX_RETRY_AFTER,
    transport: Optional[AsyncTransport] = None,
    **kwargs: Any,
) -> StacItem:
    """Download an item's assets into a folder and write the item JSON beside them (async).

    Same parameters and result as :func:`azure.planetarycomputer.download_item`, except:
    ``signer`` may be our async client (its ``sas.signer`` or ``sas.sign_href`` is awaited) or
    any object whose ``sign_href`` returns a str or an awaitable of one; ``progress`` may be an
    async callable; files are fetched by asyncio tasks, at most ``max_concurrency`` at once.

    :param item: The item: a :class:`~azure.planetarycomputer.models.StacItem`, a dict of STAC
        JSON, or a ``pystac.Item``. It is not modified.
    :param directory: The folder for the files and the item JSON.
    :type directory: str or os.PathLike
    :keyword transport: The async HTTP transport (default: aiohttp).
    :paramtype transport: ~azure.core.pipeline.transport.AsyncHttpTransport
    :return: A new item whose downloaded assets point at the local files.
    :rtype: ~azure.planetarycomputer.models.StacItem
    :raises ~azure.planetarycomputer.DownloadError: If assets failed (per ``on_error``).
    :raises ImportError: If aiohttp is missing, or ``progress=True`` and tqdm is missing.
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
        allow_local_hrefs=allow_local_hrefs,
        timeout=timeout,
        max_decoded_size=max_decoded_size,
        max_retry_after=max_retry_after,
    )
    data = to_wire(item, "item")
    root = prepare_directory(directory, make_directory)
    document = plan(data, root, options, data.get("collection"), [item_file_name])
    failures = await _Downloader(options, transport, kwargs).run(document.jobs)
    result = rewrite(document, failed_jobs(failures), options, root)
    if write_item:
        write_json(root / item_file_name, result)
    model = StacItem.deserialize(result)
    report([failure for _, failure in failures], options, model)
    return model


async def download_item_collection(
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
    absolute_hrefs: Optional[bool] = None,
    keep_non_downloaded: bool = False,
    allow_local_hrefs: bool = False,
    timeout: Optional[float] = None,
    max_decoded_size: Optional[int] = DEFAULT_MAX_DECODED_SIZE,
    max_retry_after: Optional[float] = DEFAULT_MAX_RETRY_AFTER,
    transport: Optional[AsyncTransport] = None,
    **kwargs: Any,
) -> StacItemCollection:
    """Download the assets of several items, each item in its own subfolder (async).

    Same parameters and result as :func:`azure.planetarycomputer.download_item_collection`;
    ``items`` may also be an async iterable of items (e.g. an async search pager), read to the end
    before the downloads start.

    :param items: The items.
    :param directory: The root folder.
    :type directory: str or os.PathLike
    :return: The items, hrefs relative to the ItemCollection JSON (or absolute).
    :rtype: ~azure.planetarycomputer.models.StacItemCollection
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
        allow_local_hrefs=allow_local_hrefs,
        timeout=timeout,
        max_decoded_size=max_decoded_size,
        max_retry_after=max_retry_after,
    )
    if hasattr(items, "__aiter__"):  # an async pager of items
        items = [item async for item in items]
    documents, root = plan_item_collection(items, directory, make_directory, item_directory, item_file_name, options)
    failures = await _Downloader(options, transport, kwargs).run([job for doc in documents for job in doc.jobs])
    result = finish_item_collection(
        documents, root, failures, options, item_file_name if write_item else None,
        item_collection_file_name if write_item_collection else None,
    )  # fmt: skip
    report([failure for _, failure in failures], options, result)
    return result


async def download_collection(
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
    absolute_hrefs: Optional[bool] = None,
    keep_non_downloaded: bool = False,
    allow_local_hrefs: bool = False,
    timeout: Optional[float] = None,
    max_decoded_size: Optional[int] = DEFAULT_MAX_DECODED_SIZE,
    max_retry_after: Optional[float] = DEFAULT_MAX_RETRY_AFTER,
    transport: Optional[AsyncTransport] = None,
    **kwargs: Any,
) -> StacCollection:
    """Download a collection's own assets and write its JSON (async).

    Same parameters and result as :func:`azure.planetarycomputer.download_collection`.

    :param collection: A :class:`~azure.planetarycomputer.models.StacCollection`, a dict of STAC
        JSON or a ``pystac.Collection``.
    :param directory: The folder for the files and the collection JSON.
    :type directory: str or os.PathLike
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
        allow_local_hrefs=allow_local_hrefs,
        timeout=timeout,
        max_decoded_size=max_decoded_size,
        max_retry_after=max_retry_after,
    )
    data = to_wire(collection, "collection")
    root = prepare_directory(directory, make_directory)
    document = plan(data, root, options, data.get("id"), [collection_file_name])
    failures = await _Downloader(options, transport, kwargs).run(document.jobs)
    result = rewrite(document, failed_jobs(failures), options, root)
    if write_collection:
        write_json(root / collection_file_name, result)
    model = StacCollection.deserialize(result)
    report([failure for _, failure in failures], options, model)
    return model


async def download_asset(
    href: str,
    path: PathLike,
    *,
    signer: Any = None,
    collection_id: Optional[str] = None,
    content_type: Optional[str] = None,
    overwrite: bool = False,
    make_directory: bool = True,
    progress: Union[None, bool, ProgressCallback] = None,
    allow_local_hrefs: bool = False,
    timeout: Optional[float] = None,
    max_decoded_size: Optional[int] = DEFAULT_MAX_DECODED_SIZE,
    max_retry_after: Optional[float] = DEFAULT_MAX_RETRY_AFTER,
    transport: Optional[AsyncTransport] = None,
    **kwargs: Any,
) -> Path:
    """Download one href to a file (async); see :func:`azure.planetarycomputer.download_asset`.

    :param str href: An http(s) URL, a ``file://`` URI or a local path.
    :param path: The destination file, or an existing folder (the file name is taken from the href).
    :type path: str or os.PathLike
    :return: The path of the file.
    :rtype: ~pathlib.Path
    :raises ~azure.planetarycomputer.DownloadError: If the download failed.
    """
    options = _Options.create(
        signer=signer,
        overwrite=overwrite,
        progress=progress,
        max_concurrency=1,
        allow_local_hrefs=allow_local_hrefs,
        timeout=timeout,
        max_decoded_size=max_decoded_size,
        max_retry_after=max_retry_after,
    )
    job = asset_job(href, path, make_directory, collection_id, content_type, allow_local_hrefs)
    await _Downloader(options, transport, kwargs).run([job])
    return job.path
