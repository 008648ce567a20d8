"""Request and response objects, and a small router with path templates."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Pattern, Tuple, Union
from urllib.parse import parse_qs, unquote

from .errors import ApiError, bad_request

JSON_TYPE = "application/json"


@dataclass
class Request:
    method: str
    path: str  # percent-decoded per segment by the router; raw here
    query: Dict[str, List[str]]
    headers: Dict[str, str]  # lower-case names
    body: bytes
    base_url: str  # e.g. http://127.0.0.1:8080, for links and Location headers
    params: Dict[str, str] = field(default_factory=dict)  # path parameters

    @classmethod
    def build(cls, method: str, target: str, headers: Dict[str, str], body: bytes, base_url: str) -> "Request":
        path, _, query = target.partition("?")
        return cls(method, path, parse_qs(query, keep_blank_values=True), headers, body, base_url)

    def arg(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """The first value of a query parameter."""
        values = self.query.get(name)
        return values[0] if values else default

    def args(self, name: str) -> List[str]:
        """Every value of a query parameter; comma-joined values are split."""
        out: List[str] = []
        for value in self.query.get(name, []):
            out.extend(v for v in value.split(",") if v != "")
        return out

    def int_arg(self, name: str, default: Optional[int] = None) -> Optional[int]:
        value = self.arg(name)
        if value is None or value == "":
            return default
        try:
            return int(float(value))
        except ValueError:
            raise bad_request(f"Query parameter '{name}' must be a number, got '{value}'.") from None

    def json(self) -> Any:
        if not self.body:
            raise bad_request("The request needs a JSON body.")
        try:
            return json.loads(self.body)
        except ValueError as exc:
            raise bad_request(f"The request body is not valid JSON: {exc}") from None


@dataclass
class Response:
    status: int = 200
    body: Union[bytes, Iterable[bytes], None] = None
    headers: Dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, value: Any, status: int = 200, headers: Optional[Dict[str, str]] = None) -> "Response":
        data = json.dumps(value).encode("utf-8")
        return cls(status, data, {"Content-Type": JSON_TYPE, **(headers or {})})

    @classmethod
    def empty(cls, status: int = 204, headers: Optional[Dict[str, str]] = None) -> "Response":
        return cls(status, b"", dict(headers or {}))

    @classmethod
    def data(cls, data: bytes, content_type: str, status: int = 200) -> "Response":
        return cls(status, data, {"Content-Type": content_type})


Handler = Callable[[Request], Response]


def _compile(template: str) -> Pattern[str]:
    """``/stac/collections/{collection_id}/items`` -> a regex with named groups.

    Parameters match within one path segment; literal characters around them
    (``{z}/{x}/{y}@{scale}x.{format}``) are matched exactly. ``{name*}`` matches the rest of
    the path, slashes included (blob names).
    """
    pattern = ""
    for literal, name, rest in re.findall(r"([^{]*)(?:\{(\w+)(\*?)\})?", template):
        pattern += re.escape(literal)
        if name:
            pattern += rf"(?P<{name}>.+)" if rest else rf"(?P<{name}>[^/]+?)"
    return re.compile(f"^{pattern}$")


class Router:
    """Method + path template -> handler. Routes are tried in the order they were added."""

    def __init__(self) -> None:
        self._routes: List[Tuple[str, Pattern[str], Handler]] = []

    def add(self, method: str, template: str, handler: Handler) -> None:
        self.add_pattern(method, _compile(template), handler)

    def add_pattern(self, method: str, pattern: Pattern[str], handler: Handler) -> None:
        """A route whose path is a compiled regex; its named groups become ``request.params``."""
        self._routes.append((method.upper(), pattern, handler))

    def route(self, method: str, template: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.add(method, template, handler)
            return handler

        return register

    def include(self, other: "Router") -> None:
        self._routes.extend(other._routes)

    def match(self, request: Request) -> Handler:
        allowed = False
        for method, pattern, handler in self._routes:
            found = pattern.match(request.path)
            if not found:
                continue
            if method != request.method:
                allowed = True
                continue
            request.params = {k: unquote(v) for k, v in found.groupdict().items()}
            return handler
        if allowed:
            raise ApiError(405, "MethodNotAllowed", f"{request.method} is not allowed on {request.path}.")
        raise ApiError(404, "NotFound", f"No API at {request.path}.")


def iter_chunks(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]
