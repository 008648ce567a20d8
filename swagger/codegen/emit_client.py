"""Write the clients, their configurations, _version.py and the package __init__ files."""

from __future__ import annotations

from typing import List

from .spec import Definition
from .writer import header, paragraphs, wrap


def emit_version(definition: Definition) -> str:
    return header(definition.source_files) + f'\nVERSION = "{definition.config.package_version}"\n'


def emit_configuration(definition: Definition, async_: bool) -> str:
    cfg = definition.config
    pkg = ".." if async_ else "."
    cred = "AsyncTokenCredential" if async_ else "TokenCredential"
    cred_import = (
        "from azure.core.credentials_async import AsyncTokenCredential\n"
        if async_
        else "from azure.core.credentials import TokenCredential\n"
    )
    prefix = "Async" if async_ else ""
    scopes = ", ".join(f'"{s}"' for s in cfg.credential_scopes)
    return (
        header(definition.source_files)
        + f'''"""Settings of {cfg.client}{" (async)" if async_ else ""}: endpoint, credential, API version, policies."""

from __future__ import annotations

from typing import Any

from azure.core.pipeline import policies
{cred_import}
from {pkg}_auth import {prefix}LoopbackAwareBearerTokenPolicy
from {pkg}_guards import trusted_origins
from {pkg}_logging import RedactingNetworkTraceLoggingPolicy, install_log_redaction
from {pkg}_policies import {prefix}CappedRetryPolicy
from {pkg}_version import VERSION


class {cfg.client}Configuration:
    """Everything the {cfg.client} pipeline is built from.

    :param endpoint: The GeoCatalog endpoint, e.g. ``https://<name>.<id>.<region>.geocatalog.spatio.azure.com``.
        Required.
    :type endpoint: str
    :param credential: Credential used to get bearer tokens. Required.
    :type credential: ~azure.core.credentials{"_async" if async_ else ""}.{cred}
    :keyword api_version: The service API version. Default value is "{cfg.default_api_version}".
    :paramtype api_version: str
    :keyword credential_scopes: OAuth scopes to request. Default value is [{scopes}].
    :paramtype credential_scopes: list[str]
    :keyword float polling_interval: Seconds between polls of long-running operations when the service does not
        say. Default: poll after 1 s, then back off to 30 s.
    :keyword float max_retry_after: Longest wait a ``Retry-After`` header can ask for, in seconds. Default value is 60.
    :keyword max_empty_pages: Consecutive empty pages after which a pager stops; None for no limit.
        Default value is 5.
    :paramtype max_empty_pages: int or None
    :keyword trusted_origins: Origins (``https://host[:port]``) besides the endpoint that may receive the bearer
        token and that next links and polling URLs may name. Default value is [].
    :paramtype trusted_origins: list[str]
    """

    def __init__(self, endpoint: str, credential: {cred}, **kwargs: Any) -> None:
        api_version: str = kwargs.pop("api_version", "{cfg.default_api_version}")
        if endpoint is None:
            raise ValueError("Parameter 'endpoint' must not be None.")
        if credential is None:
            raise ValueError("Parameter 'credential' must not be None.")
        self.endpoint = endpoint.rstrip("/")
        self.credential = credential
        self.api_version = api_version
        self.credential_scopes = kwargs.pop("credential_scopes", [{scopes}])
        polling_interval = kwargs.get("polling_interval")
        # No interval given: long-running operations poll adaptively (see _policies.EndpointPolling).
        self.adaptive_polling = polling_interval is None
        self.polling_interval = 30 if polling_interval is None else polling_interval
        self.max_retry_after = kwargs.get("max_retry_after", 60)
        self.max_empty_pages = kwargs.get("max_empty_pages", 5)
        self.trusted_origins = trusted_origins(kwargs.get("trusted_origins"))
        kwargs.setdefault("sdk_moniker", f"planetarycomputer/{{VERSION}}")
        install_log_redaction()  # the HTTP libraries' own loggers print request URLs
        self._configure(**kwargs)

    def _configure(self, **kwargs: Any) -> None:
        self.user_agent_policy = kwargs.get("user_agent_policy") or policies.UserAgentPolicy(**kwargs)
        self.headers_policy = kwargs.get("headers_policy") or policies.HeadersPolicy(**kwargs)
        self.proxy_policy = kwargs.get("proxy_policy") or policies.ProxyPolicy(**kwargs)
        # azure-core's network trace, with bearer tokens, cookies and SAS signatures redacted.
        self.logging_policy = kwargs.get("logging_policy") or RedactingNetworkTraceLoggingPolicy(**kwargs)
        self.http_logging_policy = kwargs.get("http_logging_policy") or policies.HttpLoggingPolicy(**kwargs)
        self.custom_hook_policy = kwargs.get("custom_hook_policy") or policies.CustomHookPolicy(**kwargs)
        self.redirect_policy = kwargs.get("redirect_policy") or policies.{prefix}RedirectPolicy(**kwargs)
        # azure-core's retry, with Retry-After capped at max_retry_after and waits bounded by timeout.
        self.retry_policy = kwargs.get("retry_policy") or {prefix}CappedRetryPolicy(**kwargs)
        self.authentication_policy = kwargs.get("authentication_policy")
        if self.credential and not self.authentication_policy:
            # Like azure-core's bearer policy, but plain http is allowed to loopback hosts (an emulator),
            # and the token goes to the endpoint's origin (and trusted_origins) only.
            self.authentication_policy = {prefix}LoopbackAwareBearerTokenPolicy(
                self.credential, *self.credential_scopes, endpoint=self.endpoint, **kwargs
            )
'''
    )


def emit_client(definition: Definition, async_: bool) -> str:
    cfg = definition.config
    groups = [g for g in definition.groups if g.operations]
    pkg = ".." if async_ else "."
    cred = "AsyncTokenCredential" if async_ else "TokenCredential"
    pipeline_client = "AsyncPipelineClient" if async_ else "PipelineClient"
    response = "AsyncHttpResponse" if async_ else "HttpResponse"
    ns = cfg.namespace + (".aio" if async_ else "")

    doc: List[str] = paragraphs(definition.description or definition.title, "    ")
    doc.append("")
    for group in groups:
        doc.extend(wrap(f"{group.attribute} operations", "    ", f":ivar {group.attribute}: "))
        doc.append(f"    :vartype {group.attribute}: ~{ns}.operations.{group.class_name}")
        for alias in group.attribute_aliases:
            doc.extend(wrap(f"the same object as ``{group.attribute}``", "    ", f":ivar {alias}: "))
            doc.append(f"    :vartype {alias}: ~{ns}.operations.{group.class_name}")
    doc += [
        "    :param endpoint: The GeoCatalog endpoint, e.g.",
        "        ``https://<name>.<id>.<region>.geocatalog.spatio.azure.com``. Required.",
        "    :type endpoint: str",
        "    :param credential: Credential used to get bearer tokens. Required.",
        f"    :type credential: ~azure.core.credentials{'_async' if async_ else ''}.{cred}",
        f'    :keyword api_version: The service API version. Default value is "{cfg.default_api_version}".',
        "        Other values may not work.",
        "    :paramtype api_version: str",
        "    :keyword float polling_interval: Seconds between polls of long-running operations when the service",
        "        does not say. Default: poll after 1 s, then back off to 30 s.",
        "    :keyword float max_retry_after: Longest wait a ``Retry-After`` header can ask for, in seconds.",
        "        Default value is 60.",
        "    :keyword max_empty_pages: Consecutive empty pages after which a pager stops; None for no limit.",
        "        Default value is 5.",
        "    :paramtype max_empty_pages: int or None",
        "    :keyword trusted_origins: Origins besides the endpoint that may receive the bearer token.",
        "        Default value is [].",
        "    :paramtype trusted_origins: list[str]",
    ]
    group_lines = "".join(
        f"        self.{g.attribute} = {g.class_name}(self._client, self._config, self._serialize, self._deserialize)\n"
        + "".join(f"        self.{alias} = self.{g.attribute}\n" for alias in g.attribute_aliases)
        for g in groups
    )
    await_ = "await " if async_ else ""
    adef = "async def" if async_ else "def"
    ret = f"Awaitable[{response}]" if async_ else response
    enter = "__aenter__" if async_ else "__enter__"
    exit_ = "__aexit__" if async_ else "__exit__"
    send_return = "self._client.send_request(request_copy, stream=stream, **kwargs)"
    # Hand-written methods of the sync client (pystac-client reads synchronously): client.pystac_client().
    mixin_import = "" if async_ else "from ._pystac_client import PystacClientMixin\n"
    bases = "" if async_ else "(PystacClientMixin)"
    return (
        header(definition.source_files)
        + f'''"""The {cfg.client}{" (async)" if async_ else ""}."""

from __future__ import annotations

from copy import deepcopy
from typing import Any, Awaitable

from azure.core import {pipeline_client}
from azure.core.credentials{"_async" if async_ else ""} import {cred}
from azure.core.pipeline import policies
from azure.core.rest import HttpRequest, {response}
from typing_extensions import Self

from {pkg} import models as _models
from {pkg}_policies import SafeContentDecodePolicy
from {pkg}_serialization import Deserializer, Serializer
from ._configuration import {cfg.client}Configuration
from .operations import {", ".join(g.class_name for g in groups)}
{mixin_import}

class {cfg.client}{bases}:
    """{chr(10).join(doc).lstrip()}
    """

    def __init__(self, endpoint: str, credential: {cred}, **kwargs: Any) -> None:
        _endpoint = "{{endpoint}}"
        self._config = {cfg.client}Configuration(endpoint=endpoint, credential=credential, **kwargs)
        _policies = kwargs.pop("policies", None)
        if _policies is None:
            _policies = [
                policies.RequestIdPolicy(**kwargs),
                self._config.headers_policy,
                self._config.user_agent_policy,
                self._config.proxy_policy,
                SafeContentDecodePolicy(**kwargs),
                self._config.redirect_policy,
                self._config.retry_policy,
                self._config.authentication_policy,
                self._config.custom_hook_policy,
                self._config.logging_policy,
                policies.DistributedTracingPolicy(**kwargs),
                policies.SensitiveHeaderCleanupPolicy(**kwargs) if self._config.redirect_policy else None,
                self._config.http_logging_policy,
            ]
        self._client: {pipeline_client}[HttpRequest, {response}] = {pipeline_client}(
            base_url=_endpoint, policies=_policies, **kwargs
        )
        classes = {{name: getattr(_models, name) for name in _models.__all__}}
        self._serialize = Serializer(classes)
        self._deserialize = Deserializer(classes)
{group_lines}
    def send_request(self, request: HttpRequest, *, stream: bool = False, **kwargs: Any) -> {ret}:
        """Send a request you built through the client's pipeline.

        >>> from azure.core.rest import HttpRequest
        >>> request = HttpRequest("GET", "/stac/conformance?api-version={cfg.default_api_version}")
        >>> response = {await_}client.send_request(request)

        :param request: The request; a relative URL is joined to the endpoint.
        :type request: ~azure.core.rest.HttpRequest
        :keyword bool stream: Whether to stream the response body. Default value is False.
        :return: The response; no error is raised for error status codes.
        :rtype: ~azure.core.rest.{response}
        """
        request_copy = deepcopy(request)
        endpoint = self._serialize.url("endpoint", self._config.endpoint, "str", skip_quote=True)
        request_copy.url = self._client.format_url(request_copy.url, endpoint=endpoint)
        return {send_return}

    {adef} close(self) -> None:
        """Close the client's transport and its connections."""
        {await_}self._client.close()

    {adef} {enter}(self) -> Self:
        {await_}self._client.{enter}()
        return self

    {adef} {exit_}(self, *exc_details: Any) -> None:
        {await_}self._client.{exit_}(*exc_details)
'''
    )


INIT = '''\
"""{doc}"""

from ._client import {client}  # noqa: F401
{version}
from ._patch import *  # noqa: F403
from ._patch import LAZY_EXPORTS as _lazy_exports
from ._patch import __all__ as _patch_all
from ._patch import __getattr__  # noqa: F401  (names in LAZY_EXPORTS load on first use)
from ._patch import patch_sdk as _patch_sdk

__all__ = ["{client}", *_patch_all, *(name for name in _lazy_exports if name not in _patch_all)]
{version_all}
_patch_sdk()
'''


def emit_package_init(definition: Definition, async_: bool) -> str:
    cfg = definition.config
    return header(definition.source_files) + INIT.format(
        doc=f"Python client for {definition.title}{' (async)' if async_ else ''}.",
        client=cfg.client,
        version="" if async_ else "from ._version import VERSION\n\n__version__ = VERSION\n",
        version_all="",
    )
