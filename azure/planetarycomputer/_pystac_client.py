# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""pystac and pystac-client reading through the client's pipeline.

pystac and pystac-client fetch documents with their own HTTP code (``urllib`` / ``requests``):
without the client's bearer token a GeoCatalog answers 401, and a token put in a static header
expires after an hour. The StacIO classes here send every request for the client's endpoint
through the client's pipeline instead (the token renewed by its credential, retries,
``api-version``, redacted logs), and every other href through pystac's own code *without* any
credential: the bearer token goes to the client's endpoint and nowhere else.

* :meth:`PystacClientMixin.pystac_client` gives a ``pystac_client.Client`` that reads this way and
  signs every item and collection it returns with the client's :class:`~.SasSigner`.
* :func:`stac_io_for` finds the StacIO of a live (sync) client for an href: ``to_pystac`` gives the
  pystac objects it makes one, so ``to_pystac(item).get_collection()`` works.

pystac and pystac-client stay optional: nothing here imports them before it is used.
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import parse_qsl, urlsplit

from ._logging import redact

if TYPE_CHECKING:
    import pystac
    import pystac_client
else:

    class _ModuleOnFirstUse:
        """Stands for an optional module in this module's globals, importing it on first attribute
        access: ``typing.get_type_hints`` resolves the annotations below (``pystac_client.Client``)
        while importing this package never imports pystac or pystac-client."""

        def __init__(self, name: str) -> None:
            self._name = name

        def __getattr__(self, attribute: str) -> Any:
            import importlib

            return getattr(importlib.import_module(self._name), attribute)

    pystac = _ModuleOnFirstUse("pystac")
    pystac_client = _ModuleOnFirstUse("pystac_client")

__all__ = ["PystacClientMixin", "stac_io_for", "register_client"]

_BODY_METHODS = ("POST", "PUT", "PATCH")
#: Characters of an error body kept in the exception (the rest is rarely useful and may be large).
_ERROR_BODY_LIMIT = 2000


def _origin(url: str) -> Tuple[str, str, Optional[int]]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


class _Pipeline:
    """Sends requests for one endpoint through a sync client's pipeline; the client is held weakly."""

    def __init__(self, owner: Any) -> None:
        # ``owner`` is the client or one of its operation groups: both carry _client and _config.
        self._pipeline = weakref.ref(owner._client)
        self.endpoint: str = owner._config.endpoint
        self.api_version: str = owner._config.api_version
        self.origin = _origin(self.endpoint)
        self._stac_io: Optional["pystac.StacIO"] = None

    def owns(self, href: str) -> bool:
        """Whether ``href`` is on this endpoint (scheme, host and port): only then is the token sent."""
        return _origin(href) == self.origin

    def alive(self) -> bool:
        return self._pipeline() is not None

    def stac_io(self) -> "pystac.StacIO":
        """This endpoint's StacIO, made once (``to_pystac`` asks for it for every object it converts)."""
        if self._stac_io is None:
            self._stac_io = make_stac_io(self)
        return self._stac_io

    def send(
        self, href: str, method: str, headers: Optional[Dict[str, str]], parameters: Optional[Dict[str, Any]]
    ) -> Tuple[int, str]:
        """(status, text) of a request for an href on this endpoint."""
        from azure.core.rest import HttpRequest

        pipeline = self._pipeline()
        if pipeline is None:
            raise RuntimeError("The PlanetaryComputerProClient behind this StacIO was garbage-collected")
        method = method.upper()
        query = {} if method in _BODY_METHODS else dict(parameters or {})
        if not any(key == "api-version" for key, _ in parse_qsl(urlsplit(href).query)):
            query["api-version"] = self.api_version
        request = HttpRequest(
            method,
            href,
            params=query,
            headers=dict(headers or {}),
            json=parameters if method in _BODY_METHODS else None,
        )
        response = pipeline.send_request(request, stream=False)
        return response.status_code, response.text()


def _fail(error_type: Any, href: str, status: int, text: str) -> Exception:
    message = redact(f"{status} from {href.split('?')[0]}: {text[:_ERROR_BODY_LIMIT]}")
    error = error_type(message)
    error.status_code = status
    return error  # type: ignore[no-any-return]


_CLASSES: Dict[str, Any] = {}
_CLASSES_GUARD = threading.Lock()


def _stac_api_io_class() -> Any:
    """pystac-client's ``StacApiIO`` sending through the pipeline (built on first use)."""
    with _CLASSES_GUARD:
        if "api" not in _CLASSES:
            from pystac_client.exceptions import APIError
            from pystac_client.stac_api_io import StacApiIO

            class GeoCatalogStacApiIO(StacApiIO):
                """pystac-client I/O: the GeoCatalog through the client's pipeline, other hosts anonymously."""

                def __init__(self, pipeline: _Pipeline) -> None:
                    super().__init__(max_retries=None)  # retries are the pipeline's
                    self._geocatalog = pipeline

                def update(
                    self,
                    headers: Optional[Dict[str, str]] = None,
                    parameters: Optional[Dict[str, Any]] = None,
                    request_modifier: Any = None,
                    timeout: Any = None,
                ) -> None:
                    if request_modifier is not None:
                        raise ValueError(
                            "request_modifier edits requests.Request objects, which the GeoCatalog pipeline does not "
                            "use: give the client a policy (per_call_policies=...) instead"
                        )
                    super().update(headers=headers, parameters=parameters, timeout=timeout)

                def request(
                    self,
                    href: str,
                    method: Optional[str] = None,
                    headers: Optional[Dict[str, str]] = None,
                    parameters: Optional[Dict[str, Any]] = None,
                ) -> str:
                    if not self._geocatalog.owns(href):
                        return str(super().request(href, method=method, headers=headers, parameters=parameters))
                    method = (method or "GET").upper()
                    extra = {k: str(v) for k, v in self.session.headers.items() if k.lower() not in _REQUESTS_DEFAULTS}
                    if method not in _BODY_METHODS:
                        parameters = {**dict(self.session.params or {}), **(parameters or {})}
                    status, text = self._geocatalog.send(href, method, {**extra, **(headers or {})}, parameters)
                    if not 200 <= status < 300:
                        raise _fail(APIError, href, status, text)
                    return text

            _CLASSES["api"] = GeoCatalogStacApiIO
        return _CLASSES["api"]


#: Headers every ``requests.Session`` carries; the pipeline sets its own.
_REQUESTS_DEFAULTS = frozenset({"user-agent", "accept-encoding", "accept", "connection"})


def _stac_io_class() -> Any:
    """pystac's ``DefaultStacIO`` sending through the pipeline, for when pystac-client is not installed."""
    with _CLASSES_GUARD:
        if "plain" not in _CLASSES:
            from pystac.stac_io import DefaultStacIO

            class GeoCatalogStacIO(DefaultStacIO):
                """pystac I/O: the GeoCatalog through the client's pipeline, other hosts anonymously."""

                def __init__(self, pipeline: _Pipeline) -> None:
                    super().__init__()
                    self._geocatalog = pipeline

                def read_text_from_href(self, href: str) -> str:
                    if not self._geocatalog.owns(href):
                        return str(super().read_text_from_href(href))
                    status, text = self._geocatalog.send(href, "GET", None, None)
                    if not 200 <= status < 300:
                        raise _fail(OSError, href, status, text)
                    return text

            _CLASSES["plain"] = GeoCatalogStacIO
        return _CLASSES["plain"]


def make_stac_io(owner: Any) -> "pystac.StacIO":
    """A StacIO reading the client's endpoint through its pipeline (pystac-client's kind when installed).

    :param owner: A sync client, one of its operation groups, or a ``_Pipeline``.
    """
    pipeline = owner if isinstance(owner, _Pipeline) else _Pipeline(owner)
    try:
        return _stac_api_io_class()(pipeline)  # type: ignore[no-any-return]
    except ImportError:
        return _stac_io_class()(pipeline)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- live clients, by endpoint

_REGISTRY: List[Tuple["weakref.ref[Any]", _Pipeline]] = []
_REGISTRY_GUARD = threading.Lock()


def register_client(owner: Any) -> None:
    """Remember a sync client (or operation group), weakly, so pystac objects can read through it.

    Async clients are skipped: pystac reads synchronously.
    """
    from azure.core import PipelineClient

    if not isinstance(getattr(owner, "_client", None), PipelineClient):
        return
    entry = (weakref.ref(owner), _Pipeline(owner))
    with _REGISTRY_GUARD:
        _REGISTRY[:] = [(ref, pipe) for ref, pipe in _REGISTRY if ref() is not None and pipe.alive()]
        _REGISTRY.append(entry)


def stac_io_for(href: Optional[str]) -> Optional["pystac.StacIO"]:
    """The StacIO of the most recent live sync client whose endpoint serves ``href``; None if there is none.

    :param str href: A URL (a document's ``self`` or ``root`` link).
    """
    if not href:
        return None
    with _REGISTRY_GUARD:
        for ref, pipeline in reversed(_REGISTRY):
            if ref() is not None and pipeline.alive() and pipeline.owns(href):
                stac_io: "pystac.StacIO" = pipeline.stac_io()
                return stac_io
    return None


# --------------------------------------------------------------------------- client.pystac_client()


class PystacClientMixin:
    """What the sync client adds for pystac-client users (``client.pystac_client()``)."""

    def pystac_client(
        self,
        *,
        sign: bool = True,
        modifier: Optional[Callable[[Any], Any]] = None,
        headers: Optional[Dict[str, str]] = None,
        parameters: Optional[Dict[str, Any]] = None,
    ) -> "pystac_client.Client":
        """A ``pystac_client.Client`` of this GeoCatalog that reads through this client.

        Every request for the GeoCatalog goes through this client's pipeline: the bearer token
        comes from its credential (and is renewed as it expires), with its retries, API version and
        redacted logging. Items and collections come back with asset hrefs signed by
        ``client.sas.signer`` (SAS tokens cached per collection), ready for odc-stac, stackstac or
        rasterio. Needs the ``pystac-client`` extra.

        .. code-block:: python

            catalog = client.pystac_client()
            search = catalog.search(collections=["naip-atl"], datetime="2021-11")
            items = search.item_collection()

        :keyword sign: Sign asset hrefs with the client's signer. Default value is True.
        :paramtype sign: bool
        :keyword modifier: Another pystac-client ``modifier`` to run on every result (after
            signing). Default value is None.
        :paramtype modifier: callable
        :keyword headers: Extra headers for every GeoCatalog request. Default value is None.
        :paramtype headers: dict[str, str]
        :keyword parameters: Extra query parameters for every GeoCatalog GET request. Default
            value is None.
        :paramtype parameters: dict[str, any]
        :return: The pystac-client client of the GeoCatalog's STAC API (``<endpoint>/stac``).
        :rtype: ~pystac_client.Client
        :raises ImportError: If pystac-client is not installed.
        :raises pystac_client.exceptions.APIError: If the landing page cannot be read.
        """
        try:
            from pystac_client import Client
        except ImportError as exc:
            raise ImportError(
                "client.pystac_client() needs pystac-client: pip install 'azure-planetarycomputer[pystac-client]'"
            ) from exc
        owner: Any = self
        steps: List[Callable[[Any], Any]] = []
        if sign:
            steps.append(owner.sas.sign_inplace)
        if modifier is not None:
            steps.append(modifier)

        def modify(obj: Any) -> None:
            for step in steps:
                step(obj)

        return Client.open(
            f"{owner._config.endpoint}/stac",
            headers=headers,
            parameters=parameters,
            modifier=modify if steps else None,
            stac_io=_stac_api_io_class()(_Pipeline(owner)),
        )
