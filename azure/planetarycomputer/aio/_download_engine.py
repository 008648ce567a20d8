# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""The download engine: fetch planned jobs with bounded concurrency into partial files, then
rename them into place (``_download.py`` has the public functions and the safety rules).

Written once, async; the sync ``_download_engine.py`` is generated from this text."""

from __future__ import annotations

import inspect
import os
from typing import Any, AsyncIterator, Dict, List, Optional, Sequence, Tuple

from azure.core import AsyncPipelineClient
from azure.core.pipeline import policies
from azure.core.pipeline.transport import AsyncHttpTransport
from azure.core.rest import AsyncHttpResponse, HttpRequest

from .._download_input import check_remote
from .._download_plan import (
    Job,
    check_length,
    check_response,
    content_length,
    pipeline_policies,
    temporary_path,
)
from .._download_safety import (
    Deadline,
    DecodedSizeLimit,
    DownloadTimeoutError,
    ResumeInfo,
    check_clear_text,
    stale_partials,
)
from .._download_types import (
    CHUNK_SIZE,
    DownloadError,
    DownloadEvent,
    DownloadFailed,
    DownloadFailure,
    DownloadFinished,
    DownloadProgress,
    DownloadStarted,
    OnError,
    _Options,
    _scrub_exception,
)
from .._logging import install_log_redaction
from .._policies import AsyncCappedRetryPolicy
from .._sas_scope import is_signed
from ._download_io import Stopper, chunks_within, within
from ._primitives import Cancelled, Workers, default_transport, fsync, maybe_await, read_chunks

__all__ = ["AsyncTransport", "Downloader"]

AsyncTransport = AsyncHttpTransport[Any, Any]


async def _emit(options: _Options, event: DownloadEvent) -> None:
    if options.progress is not None:
        await maybe_await(options.progress(event))


class Downloader:
    """Fetches the jobs of one download call: one pipeline, one deadline, one way to stop."""

    def __init__(self, options: _Options, transport: Optional[AsyncTransport], kwargs: Dict[str, Any]) -> None:
        self.options = options
        self._transport = transport
        self._kwargs = kwargs
        self.deadline = Deadline(options.timeout)
        self.stopper = Stopper()

    def _pipeline(self) -> "AsyncPipelineClient[HttpRequest, AsyncHttpResponse]":
        install_log_redaction()  # the HTTP libraries log signed URLs at DEBUG, client or no client
        kwargs = dict(self._kwargs)
        if self._transport is not None:
            transport: AsyncTransport = self._transport
        else:
            kwargs.setdefault("connection_data_block_size", CHUNK_SIZE)
            transport = default_transport(self.options.max_concurrency, **kwargs)
            self.stopper.track(transport)  # ours: its connections may be shut to stop the run at once
        remaining = self.deadline.remaining()
        if remaining is not None:  # no retry waits past the deadline (nor reads: azure-core bounds them too)
            kwargs["timeout"] = remaining
        retry = AsyncCappedRetryPolicy(max_retry_after=self.options.max_retry_after, **kwargs)
        chain = pipeline_policies(retry, policies.AsyncRedirectPolicy(**kwargs), self.stopper.policy(), **kwargs)
        return AsyncPipelineClient(base_url="", policies=chain, transport=transport)

    async def run(self, jobs: Sequence[Job]) -> List[Tuple[Job, DownloadFailure]]:
        """Fetch every job, at most ``max_concurrency`` at once; returns the failures (or raises at
        the first one when ``on_error="raise"``, after stopping the others: their temporary files
        are removed as they unwind)."""
        if not jobs:
            return []
        failures: List[Tuple[Job, DownloadFailure]] = []
        client = self._pipeline()
        try:
            with self.stopper.watch(self.deadline):
                async with Workers(min(self.options.max_concurrency, len(jobs)), "pc-download") as workers:

                    async def one(job: Job) -> Optional[DownloadFailure]:
                        return await self._one(client, job, workers)

                    try:
                        async for job, failure in workers.map_unordered(one, jobs):
                            if failure is None:
                                continue
                            if self.options.on_error is OnError.RAISE:
                                raise DownloadError([failure]) from failure.error
                            failures.append((job, failure))
                    except BaseException:
                        self.stopper.stop()  # close hung peers' connections now: nobody waits for them
                        raise
        finally:
            if self._transport is None:  # ours to close; a caller's transport stays open for reuse
                await client.close()
        order = {id(job): index for index, job in enumerate(jobs)}
        return sorted(failures, key=lambda pair: order[id(pair[0])])

    async def _one(self, client: Any, job: Job, workers: Workers) -> Optional[DownloadFailure]:
        try:
            await workers.checkpoint()
            await self._fetch(client, job, workers)
            return None
        except Exception as exc:  # noqa: BLE001 - every error becomes this asset's failure
            if self.deadline.expired() or self.stopper.timed_out:
                if not isinstance(exc, DownloadTimeoutError):
                    # Whatever broke, the deadline broke it: a cut connection, an early end of
                    # the body, or the run stopped at a checkpoint because time was up.
                    cause, exc = exc, self.deadline.error()
                    exc.__cause__ = cause
            elif isinstance(exc, Cancelled) or self.stopper.stopped:
                return None  # the run was stopped by another failure
            _scrub_exception(exc)
            await _emit(self.options, job.event(DownloadFailed, error=exc))
            return job.failure(exc)

    async def _fetch(self, client: Any, job: Job, workers: Workers) -> None:
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
                chunks = read_chunks(handle, CHUNK_SIZE)
                await self._write(job, chunks, os.fstat(handle.fileno()).st_size, workers, None, None)
            return
        check_remote(job.href)
        url = job.href
        if self.options.sign is not None and not is_signed(url):
            url = await maybe_await(self.options.sign(url, collection_id=job.collection_id))
            if not isinstance(url, str):
                if inspect.iscoroutine(url):
                    url.close()  # never awaited: say why instead of warning about it
                    raise TypeError(
                        "the signer returned a coroutine, not a str: "
                        "use azure.planetarycomputer.aio to download with an async signer"
                    )
                raise TypeError(f"the signer returned {type(url).__name__}, not a str")
        check_clear_text(url)
        for stale in stale_partials(job.path):  # left by a run that was killed: cannot be resumed
            stale.unlink(missing_ok=True)
        resume = ResumeInfo(temporary_path(job.path))
        request = HttpRequest("GET", url, headers=resume.request_headers())
        response = await within(client.send_request(request, stream=True), self.deadline)
        if response.status_code == 416 and resume.offset:  # the partial file is longer than the file now
            await response.close()
            resume.discard()
            response = await within(client.send_request(HttpRequest("GET", url), stream=True), self.deadline)
        try:
            status, headers = response.status_code, response.headers
            check_response(status, response.reason, headers, job, response, url, self.options.sign is not None)
            if not resume.continues(status, headers):
                resume.offset = 0  # the whole file: the partial one is replaced
            resume.remember(status, headers)
            chunks = chunks_within(response.iter_bytes(), self.deadline)
            limit = DecodedSizeLimit(headers, self.options.max_decoded_size)
            await self._write(job, chunks, content_length(headers), workers, limit, resume)
        finally:
            await response.close()

    async def _write(
        self,
        job: Job,
        chunks: AsyncIterator[bytes],
        total: Optional[int],
        workers: Workers,
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
                    await workers.checkpoint()
                    if self.deadline.expired():  # a server trickling bytes never lets a read time out
                        raise self.deadline.error()
                    if limit is not None:
                        limit.add(len(chunk))
                    out.write(chunk)  # page-cache writes are quick; fsync below is the slow part
                    written += len(chunk)
                    await _emit(self.options, job.event(DownloadProgress, downloaded=offset + written, total=size))
                check_length(written, total, job)
                out.flush()
                await fsync(out.fileno())
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
