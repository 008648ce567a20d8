# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Download the assets of STAC items, item collections and collections to local files.

``download_item`` (and its siblings) pick assets, name their files, fetch them with bounded
concurrency and return the document with each downloaded asset's href pointing at the local
file. Written once, async, in ``aio/_download.py``; the sync ``_download.py`` is generated from
that text (threads instead of tasks, see ``_primitives.py``), as is the engine that fetches
(``_download_engine.py``). The parts without I/O are shared: types, options and redaction in
``_download_types.py``; picking assets, naming files, planning, rewriting hrefs and checking
responses in ``_download_plan.py``.

Safety rules the code keeps:

* assets are fetched through a pipeline of their own, without an authentication policy: the
  client's bearer token is never sent to blob storage (SAS tokens in the query are the auth);
* files are written to a partial file in the target folder, fsync'ed, then renamed: a failed
  or interrupted download never leaves a half-written file where the asset belongs;
* hrefs in events, warnings and errors have their SAS query removed, and exception messages are
  scrubbed of ``sig=`` values;
* what a server or an item says cannot hurt the caller (``_download_safety.py``): local files are
  read only on request, compressed bodies decode to a bounded size, ``Retry-After`` is capped,
  ``timeout=`` bounds the whole call, a stopped run closes its connections at once
  (``_download_io.py``), and no live signature is written to disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Optional, Union

from .._download_input import to_wire
from .._download_plan import (
    asset_job,
    failed_jobs,
    finish_item_collection,
    plan,
    plan_item_collection,
    prepare_directory,
    report,
    rewrite,
    write_json,
)
from .._download_safety import (
    DEFAULT_MAX_DECODED_SIZE,
    DEFAULT_MAX_RETRY_AFTER,
    DecodedSizeError,
    DownloadTimeoutError,
    LocalHrefError,
)
from .._download_types import (
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
    _Options,
)
from ..models import StacCollection, StacItem, StacItemCollection
from ._download_engine import AsyncTransport, Downloader
from ._primitives import materialize

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
    "DownloadTimeoutError",
    "DecodedSizeError",
    "LocalHrefError",
]


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
    """Download an item's assets into a folder and write the item JSON beside them.

    .. code-block:: python

        item = await client.stac.get_item("naip", "ga_m_3308421_se_16_060_20211114")
        local = await download_item(item, "downloads/ga", signer=client, include=["image"])
        local.assets["image"].href   # "./ga_m_3308421_se_16_060_20211114.tif"

    Files are streamed to a hidden partial file in ``directory`` (``.<name>.part``), fsync'ed and
    renamed into place, so an interrupted download never leaves a half-written file where the
    asset belongs; run the call again to complete it (existing files are kept unless
    ``overwrite``; a partial file whose server sent a strong ``ETag`` resumes with an HTTP range
    request). Assets are fetched through a pipeline without authentication (retry, redirect,
    proxy, user agent and logging policies only): the client's bearer token never reaches blob
    storage. Relative hrefs are resolved against the item's ``self`` link, else the working folder.
    Local hrefs (``file://``, absolute or relative paths) are copied only with
    ``allow_local_hrefs=True`` or when ``item`` is the path of a JSON file: an item from a server
    must not make the downloader copy this machine's files.

    :param item: The item: a :class:`~azure.planetarycomputer.models.StacItem`, a dict of STAC
        JSON, a ``pystac.Item``, or the path of an item JSON file (its relative hrefs are relative
        to the file). It is not modified.
    :type item: ~azure.planetarycomputer.models.StacItem or dict or pystac.Item or str or os.PathLike
    :param directory: The folder for the files and the item JSON.
    :type directory: str or os.PathLike
    :keyword signer: Signs http(s) hrefs before they are fetched (hrefs that already carry a
        ``sig`` are used as they are): a ``PlanetaryComputerProClient`` (its ``sas.signer``, else
        ``sas.sign_href``), any object with ``sign_href(href, collection_id=None) -> str``, or such a
        callable. With ``azure.planetarycomputer.aio``, ``sign_href`` may also return an awaitable
        (the async client's does). Default None: hrefs are used as given.
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
    :keyword int max_concurrency: Most files fetched at once (threads, or asyncio tasks with
        ``azure.planetarycomputer.aio``). Default 8.
    :keyword progress: A callable receiving :class:`~azure.planetarycomputer.DownloadEvent`
        objects (``DownloadStarted``, ``DownloadProgress``, ``DownloadFinished``,
        ``DownloadFailed``; called from worker threads, or awaited when it returns an awaitable with
        ``azure.planetarycomputer.aio``), or True for a tqdm bar per file (needs the ``progress``
        extra).
    :paramtype progress: callable or bool
    :keyword str item_file_name: Name of the item JSON file. Default "item.json".
    :keyword bool write_item: Write the item JSON. Default True.
    :keyword bool absolute_hrefs: Point assets at absolute paths. Default None: paths relative to
        the item JSON (``./image.tif``), so the folder can be moved (``pystac.Item.from_file``
        resolves them).
    :keyword bool keep_non_downloaded: Keep the assets not selected by ``include``/``exclude``
        (with their original hrefs, SAS signatures removed). Default False: the result lists
        downloaded assets only. No live signature is ever written to disk.
    :keyword bool allow_local_hrefs: Copy local hrefs (``file://``, absolute or relative paths).
        Default False: they fail with ``LocalHrefError`` (unless ``item`` is a file path).
    :keyword float timeout: Seconds the whole call may take; then every unfinished file fails with
        ``DownloadTimeoutError`` and its connection is closed (a server trickling bytes cannot
        hold the call). Default None: no overall limit (``read_timeout`` still bounds each read).
    :keyword int max_decoded_size: Most bytes a response sent with a ``Content-Encoding`` (gzip,
        deflate, br) may decode to, so a small compressed body cannot fill the disk. Default 1 GiB;
        None for no cap.
    :keyword float max_retry_after: Longest wait a ``Retry-After`` header may ask for, in seconds
        (unreadable values count as absent; no retry waits past ``timeout``). Default 60 (also for None).
    :keyword transport: The HTTP transport for the asset pipeline (default: requests; aiohttp with
        ``azure.planetarycomputer.aio``). A transport of your own is not closed, and its
        connections are not shut down to stop a run early.
    :paramtype transport: ~azure.core.pipeline.transport.AsyncHttpTransport
    :return: A new item whose downloaded assets point at the local files (always a ``StacItem``;
        for a pystac item use ``pystac.Item.from_dict(result.as_dict())``). Its ``self`` link is
        removed.
    :rtype: ~azure.planetarycomputer.models.StacItem
    :raises ~azure.planetarycomputer.DownloadError: If assets failed (per ``on_error``).
    :raises ImportError: If ``progress=True`` and tqdm is not installed (or, for
        ``azure.planetarycomputer.aio``, aiohttp).
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
    failures = await Downloader(options, transport, kwargs).run(document.jobs)
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
    """Download the assets of several items, each item in its own subfolder.

    ``directory/item-collection.json`` lists the items with absolute hrefs (pystac, odc-stac and
    stackstac cannot resolve an ItemCollection's relative hrefs: its items have no ``self``
    link); each subfolder also gets its ``item.json``, with hrefs relative to it
    (``./image.tif``). ``absolute_hrefs=True`` or False sets both. Downloads of all items share
    one pool of ``max_concurrency`` workers, and ``on_error`` applies to the whole run: the
    default ``"raise"`` stops at the first failure, ``"collect"`` downloads everything it can and
    then raises one error listing every failure (``"warn"``: warnings instead). Keywords not listed
    here are those of :func:`download_item`.

    :param items: A :class:`~azure.planetarycomputer.models.StacItemCollection` (e.g. a search
        page), a FeatureCollection dict, a ``pystac.ItemCollection``, or any iterable of items
        (e.g. ``client.stac.item_search(...)``; with ``azure.planetarycomputer.aio`` also an async
        iterable, read to the end before the downloads start), or the path of a FeatureCollection
        JSON file (its local hrefs are copied, relative to the file).
    :param directory: The root folder.
    :type directory: str or os.PathLike
    :keyword str item_directory: Subfolder of each item, formatted with ``{id}`` and
        ``{collection}``. Default "{id}". Two items may not share a subfolder.
    :keyword str item_file_name: Name of each item's JSON file. Default "item.json".
    :keyword bool write_item: Write each item's JSON in its subfolder. Default True.
    :keyword str item_collection_file_name: Name of the ItemCollection JSON in ``directory``.
        Default "item-collection.json".
    :keyword bool write_item_collection: Write the ItemCollection JSON. Default True.
    :return: The items, as written to the ItemCollection JSON (absolute hrefs by default).
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
        allow_local_hrefs=allow_local_hrefs,
        timeout=timeout,
        max_decoded_size=max_decoded_size,
        max_retry_after=max_retry_after,
    )
    items = await materialize(items)
    documents, root = plan_item_collection(items, directory, make_directory, item_directory, item_file_name, options)
    failures = await Downloader(options, transport, kwargs).run([job for doc in documents for job in doc.jobs])
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
        allow_local_hrefs=allow_local_hrefs,
        timeout=timeout,
        max_decoded_size=max_decoded_size,
        max_retry_after=max_retry_after,
    )
    data = to_wire(collection, "collection")
    root = prepare_directory(directory, make_directory)
    document = plan(data, root, options, data.get("id"), [collection_file_name])
    failures = await Downloader(options, transport, kwargs).run(document.jobs)
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
    """Download one href to a file (same streaming, atomic write and signing as :func:`download_item`).

    :param str href: An http(s) URL; a ``file://`` URI or a local path with ``allow_local_hrefs=True``.
    :param path: The destination file, or an existing folder (the file name is taken from the href).
    :type path: str or os.PathLike
    :keyword signer: As for :func:`download_item`.
    :keyword str collection_id: The collection the href belongs to, passed to the signer.
    :keyword str content_type: The expected media type; when given, a response whose
        ``Content-Type`` does not match fails.
    :keyword bool overwrite: Download even if the file exists. Default False (the file is kept).
    :keyword bool make_directory: Create the destination's folder if missing. Default True.
    :keyword progress: As for :func:`download_item`.
    :keyword bool allow_local_hrefs: Copy a local ``href``. Default False.
    :keyword float timeout: As for :func:`download_item`.
    :keyword int max_decoded_size: As for :func:`download_item`.
    :keyword float max_retry_after: As for :func:`download_item`.
    :keyword transport: As for :func:`download_item`.
    :paramtype transport: ~azure.core.pipeline.transport.AsyncHttpTransport
    :return: The path of the file.
    :rtype: ~pathlib.Path
    :raises ~azure.planetarycomputer.DownloadError: If the download failed (the cause is chained
        and in ``failures[0].error``).
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
    await Downloader(options, transport, kwargs).run([job])
    return job.path
