# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""A network trace logging policy that never logs credentials.

azure-core's ``NetworkTraceLoggingPolicy`` (on with ``logging_enable=True``) logs
request and response headers and bodies verbatim: the bearer token in
``Authorization``, SAS signatures (``sig=``) in signed hrefs and in the SAS token
responses. This policy logs the same lines, to the same logger, with those values
replaced by ``REDACTED``. :func:`install_log_redaction` puts the same redaction on the loggers
of the HTTP libraries underneath (urllib3, aiohttp), which log request URLs themselves.
"""

from __future__ import annotations

import logging
import re
import types
from typing import Any, Dict, Iterable, Tuple, Type

from azure.core.exceptions import HttpResponseError
from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import NetworkTraceLoggingPolicy

__all__ = [
    "RedactingNetworkTraceLoggingPolicy",
    "RedactingFilter",
    "install_log_redaction",
    "redact",
    "redact_headers",
    "redact_error",
]

# azure-core's trace logger, so logging set up for azure-core's trace applies unchanged.
_LOGGER = logging.getLogger("azure.core.pipeline.policies._universal")

REDACTED = "REDACTED"

#: Headers whose whole value is a credential.
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
_SECRET_HEADER_PATTERN = re.compile(r"(?i)^x-ms-.*-key$")

#: A signature in a URL, header or body: Azure SAS ``sig``, and the other clouds' presigned-URL keys;
#: plain (``sig=``), percent-encoded once or more (``sig%3D``, ``sig%253D``: inside another URL's query,
#: maybe a nested one) or JSON-escaped (``sig\u003d``); the value ends at the next separator of any form.
_SIGNATURE = re.compile(
    r"(?i)(?:(?<![a-z_])|(?<=%3F)|(?<=%26)|(?<=253F)|(?<=2526)|(?<=u003F)|(?<=u0026))"
    r"((?:x-amz-signature|x-amz-security-token|x-goog-signature|signature|access_token|sig)"
    r"(?:=|%(?:25)*3D|\\u003d))"
    r"(?:(?!%(?:25)*26)[^&\s'\"<>\\])+"
)
#: The password of a URL's userinfo (``scheme://user:password@host``), plain or percent-encoded.
_USERINFO = re.compile(
    r"(?i)(\b[a-z][a-z0-9+.\-]*(?::|%3A)(?://|%2F%2F)[^\s/@'\"<>]*?(?::|%3A))"
    r"(?:(?!%2F|%40)[^\s/@'\"<>])+((?:@|%40))"
)
#: A bearer token quoted in a message.
_BEARER = re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]+")
#: A token in a JSON body, e.g. the SAS token response ``{"token": "st=...&sig=..."}``.
_JSON_TOKEN = re.compile(r'(?i)("(?:token|access_token|accessToken)"\s*:\s*")(?:[^"\\]|\\.)*(")')

_ATTACHMENT = re.compile(r'attachment; ?filename=["\w.]+', re.IGNORECASE)


def redact(text: str) -> str:
    """``text`` with signatures, URL passwords, bearer tokens and JSON ``"token"`` values replaced by ``REDACTED``.

    The one redaction used for logs, exception messages and reprs.

    :param str text: A URL, header value or body.
    :return: The redacted text.
    :rtype: str
    """
    text = _SIGNATURE.sub(lambda m: m.group(1) + REDACTED, text)
    text = _USERINFO.sub(lambda m: m.group(1) + REDACTED + m.group(2), text)
    text = _BEARER.sub(lambda m: m.group(1) + REDACTED, text)
    return _JSON_TOKEN.sub(lambda m: m.group(1) + REDACTED + m.group(2), text)


def redact_headers(headers: Iterable[Tuple[str, Any]]) -> str:
    """Log lines for headers, credential headers' values replaced by ``REDACTED``.

    :param headers: (name, value) pairs.
    :type headers: iterable[tuple[str, any]]
    :return: One ``'name': 'value'`` line per header, each starting with a newline.
    :rtype: str
    """
    lines = []
    for name, value in headers:
        lowered = name.lower()
        secret = lowered in _SECRET_HEADERS or _SECRET_HEADER_PATTERN.match(lowered)
        lines.append(f"\n    '{name}': '{REDACTED if secret else redact(str(value))}'")
    return "".join(lines)


class RedactingNetworkTraceLoggingPolicy(NetworkTraceLoggingPolicy):
    """``NetworkTraceLoggingPolicy`` that redacts credentials.

    Logs the request URL, method, headers and body and the response status, headers
    and body like azure-core's policy, with ``Authorization``, ``Proxy-Authorization``,
    ``Cookie``, ``Set-Cookie`` and ``x-ms-*-key`` values, every ``sig=`` value and JSON
    ``"token"`` values replaced by ``REDACTED``.

    :keyword bool logging_enable: Log every request (else per call, with ``logging_enable=True``).
        Default value is False.
    """

    def on_request(self, request: PipelineRequest[Any]) -> None:
        http_request = request.http_request
        logging_enable = request.context.options.pop("logging_enable", self.enable_http_logger)
        request.context["logging_enable"] = logging_enable
        if not logging_enable or not _LOGGER.isEnabledFor(logging.DEBUG):
            return
        try:
            log = f"Request URL: '{redact(str(http_request.url))}'"
            log += f"\nRequest method: '{http_request.method}'"
            log += "\nRequest headers:" + redact_headers(http_request.headers.items())
            log += "\nRequest body:"
            body = http_request.body
            if isinstance(body, (types.GeneratorType, types.AsyncGeneratorType)):
                log += "\nFile upload"  # never log the bytes of an upload
            elif body:
                log += f"\n{redact(str(body))}"
            else:
                log += "\nThis request has no body"
            _LOGGER.debug(log)
        except Exception as err:  # pylint: disable=broad-except
            _LOGGER.debug("Failed to log request: %s", type(err).__name__)  # the error could quote the request

    def on_response(self, request: PipelineRequest[Any], response: PipelineResponse[Any, Any]) -> None:
        http_response = response.http_response
        try:
            if not response.context["logging_enable"] or not _LOGGER.isEnabledFor(logging.DEBUG):
                return
            log = f"Response status: '{http_response.status_code}'"
            log += "\nResponse headers:" + redact_headers(http_response.headers.items())
            log += "\nResponse content:"
            disposition = http_response.headers.get("content-disposition")
            content_type = http_response.headers.get("content-type", "")
            if disposition and _ATTACHMENT.match(disposition):
                log += f"\nFile attachments: {redact(disposition.partition('=')[2])}"
            elif content_type.endswith("octet-stream"):
                log += "\nBody contains binary data."
            elif content_type.startswith("image"):
                log += "\nBody contains image data."
            elif response.context.options.get("stream", False):
                log += "\nBody is streamable."
            else:
                log += f"\n{redact(http_response.text())}"
            _LOGGER.debug(log)
        except Exception as err:  # pylint: disable=broad-except
            _LOGGER.debug("Failed to log response: %s", type(err).__name__)


#: Loggers of the HTTP stacks under azure-core that write request URLs (signed hrefs among them).
THIRD_PARTY_LOGGERS = (
    "urllib3.connectionpool",
    "urllib3.poolmanager",
    "urllib3.util.retry",
    "aiohttp.client",
    "aiohttp.internal",
)


class RedactingFilter(logging.Filter):
    """A logging filter that rewrites each record's message with :func:`redact`.

    The formatted message replaces the record's ``msg`` (and its ``args`` are dropped) only when
    redaction changed it, so records without secrets keep their arguments for other handlers.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # pylint: disable=broad-except
            return True  # a broken record: logging reports it as it would without this filter
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


_FILTER = RedactingFilter()


def install_log_redaction(names: Iterable[str] = THIRD_PARTY_LOGGERS) -> None:
    """Add the redacting filter to the loggers of the HTTP libraries the clients drive (idempotent).

    ``urllib3`` logs every request line at DEBUG (``"GET /c/x.tif?...&sig=... HTTP/1.1" 200``) and
    retried URLs at WARNING; those records are redacted like the client's own. A filter on a logger
    sees the records logged to that logger, whatever handlers the application configures. To see
    raw URLs while debugging, remove it: ``logging.getLogger(name).removeFilter(...)`` for each
    filter that is a :class:`RedactingFilter`.

    :param names: Logger names. Default: urllib3's and aiohttp's loggers.
    :type names: iterable[str]
    """
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(_FILTER)


_REDACTING_TYPES: Dict[type, type] = {}


def _redacting_type(cls: Type[HttpResponseError]) -> type:
    """A subclass of ``cls`` whose ``str()`` is redacted (azure-core appends the raw response body).

    It keeps the name and module of ``cls``, so it pickles through :func:`_unpickle_error`.
    """
    sub = _REDACTING_TYPES.get(cls)
    if sub is None:

        def __str__(self: HttpResponseError) -> str:
            return redact(cls.__str__(self))

        def __reduce__(self: HttpResponseError) -> Any:
            return _unpickle_error, (cls, self.args, self.__dict__)

        namespace = {"__str__": __str__, "__reduce__": __reduce__, "__module__": cls.__module__}
        sub = type(cls.__name__, (cls,), {**namespace, "__qualname__": cls.__qualname__})
        _REDACTING_TYPES[cls] = sub
    return sub


def _unpickle_error(cls: Type[HttpResponseError], args: Tuple[Any, ...], state: Dict[str, Any]) -> HttpResponseError:
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    error.__class__ = _redacting_type(cls)
    return error


def _redacted_tree(value: Any) -> Any:
    """A JSON tree with every string redacted (a new tree)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redacted_tree(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_redacted_tree(item) for item in value]
    return value


def redact_error(error: HttpResponseError) -> HttpResponseError:
    """Redact SAS signatures and tokens from an ``HttpResponseError`` built from a response.

    Error bodies can echo signed hrefs; their text reaches the exception's message,
    ``args``, ``error`` (the parsed OData error), ``model`` (the body as a model) and ``str()``
    (the raw body when it is not an OData error). ``response`` keeps the body as it came. The
    exception stays an instance of its type (a subclass when needed).

    :param error: The exception, changed in place.
    :type error: ~azure.core.exceptions.HttpResponseError
    :return: The same exception.
    :rtype: ~azure.core.exceptions.HttpResponseError
    """
    error.message = redact(error.message)
    error.exc_msg = redact(error.exc_msg)
    error.args = tuple(redact(a) if isinstance(a, str) else a for a in error.args)
    odata = error.error
    if odata is not None:
        odata.message = redact(odata.message or "")
        for detail in odata.details or []:
            detail.message = redact(detail.message or "")
    model = getattr(error, "model", None)  # the service's error body as a model (ErrorResponse)
    if model is not None and hasattr(model, "as_dict") and hasattr(type(model), "deserialize"):
        try:
            data = model.as_dict()
            clean = _redacted_tree(data)
            if clean != data:
                error.model = type(model).deserialize(clean)
        except (ValueError, RecursionError):
            error.model = None  # too deeply nested to clean: not kept with what it may hold
    if type(error) not in _REDACTING_TYPES.values():
        error.__class__ = _redacting_type(type(error))
    return error
