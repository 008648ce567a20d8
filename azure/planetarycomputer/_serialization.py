# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Serializer and Deserializer of the generated operations, and the names generated code and the
runtime import from here: the model bases (``_model.py``, ``_document.py``), JSON and date-times (``_wire.py``)."""

from __future__ import annotations

import datetime as _dt
import enum
import math
from collections.abc import Mapping
from typing import IO, Any, Dict, List, Optional, Tuple, Union
from urllib.parse import quote

from azure.core.exceptions import DeserializationError

from ._attributes import _convert_in, _parse_spec, _plain, _Spec
from ._document import DocumentModel
from ._model import CaseInsensitiveStrEnum, Model
from ._wire import JSON, body_to_json, dumps, format_rfc3339, loads, parse_rfc3339

__all__ = [
    "Model",
    "DocumentModel",
    "Serializer",
    "Deserializer",
    "JSON",
    "FileType",
    "dumps",
    "body_to_json",
    "loads",
    "parse_rfc3339",
    "format_rfc3339",
    "CaseInsensitiveStrEnum",
]

#: A multipart file part: bytes, a binary file object, or (filename, content[, content_type]).
FileType = Union[bytes, IO[bytes], Tuple[Optional[str], Any], Tuple[Optional[str], Any, Optional[str]]]


# --------------------------------------------------------------------------
# Serializer / Deserializer used by the generated operations
# --------------------------------------------------------------------------


def _parameter_text(name: str, value: Any, data_type: str) -> str:
    """``_scalar_text`` after the checks a service cannot make sense of: bytes and NaN/infinity."""
    if isinstance(value, (bytes, bytearray)):
        raise TypeError(f"{name} must be str, not {type(value).__name__} (decode it first)")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return _scalar_text(value, data_type)


def _scalar_text(value: Any, data_type: str = "str") -> str:
    # Numbers take the declared type first: a float parameter given 14 is sent as "14.0".
    if data_type == "float" and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = float(value)
    elif data_type == "int" and isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, _dt.datetime):
        return format_rfc3339(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


class Serializer:
    """Turns Python values into URL, query, header and body text (msrest style).

    :param classes: Model and enum classes by name (unused; models carry their
        own type information).
    """

    def __init__(self, classes: Optional[Mapping[str, type]] = None) -> None:
        self.dependencies = dict(classes or {})
        self.client_side_validation = True

    def url(self, name: str, data: Any, data_type: str, skip_quote: bool = False, **kwargs: Any) -> str:
        """Text for a path segment, percent-quoted with nothing kept safe.

        :raises ValueError: If the value is None, empty or a non-finite number.
        :raises TypeError: If the value is bytes.
        """
        if data is None:
            raise ValueError(f"{name} must not be None")
        text = _parameter_text(name, data, data_type)
        if not text:  # an empty path segment (a str or enum value) addresses something else
            raise ValueError(f"{name} must not be empty")
        return text if skip_quote else quote(text, safe="")

    def query(
        self,
        name: str,
        data: Any,
        data_type: str,
        div: Optional[str] = None,
        skip_quote: bool = False,
        **kwargs: Any,
    ) -> Union[str, List[str]]:
        """Text for a query parameter; arrays are joined with ``div`` or returned as a list.

        :raises ValueError: If the value is None or a non-finite number.
        :raises TypeError: If the value is bytes, or not a list where a list is expected.
        """
        if data is None:
            raise ValueError(f"{name} must not be None")
        if data_type.startswith("["):
            if isinstance(data, (str, bytes, bytearray, Mapping)) or not hasattr(data, "__iter__"):
                raise TypeError(f"{name} must be a list, got {type(data).__name__}")
            parts = [_parameter_text(name, v, data_type[1:-1]) for v in data]
            if not skip_quote:
                parts = [quote(p, safe="") for p in parts]
            return div.join(parts) if div is not None else parts
        text = _parameter_text(name, data, data_type)
        return text if skip_quote else quote(text, safe="")

    def header(self, name: str, data: Any, data_type: str, **kwargs: Any) -> str:
        """Text for a header value.

        :raises ValueError: If the value is None.
        """
        if data is None:
            raise ValueError(f"{name} must not be None")
        if data_type.startswith("["):
            return ",".join(_parameter_text(name, v, data_type[1:-1]) for v in data)
        return _parameter_text(name, data, data_type)

    def body(self, data: Any, data_type: str, **kwargs: Any) -> Any:
        """A JSON-compatible tree for a request body (models become wire dicts).

        Read-only properties of a model body are left out: the service sets them.
        """
        if isinstance(data, Model):
            return data.as_dict(exclude_readonly=True)
        return _plain(data)


class Deserializer:
    """Turns response payloads into models and Python values (msrest style).

    Called as ``deserializer("StacItem", pipeline_response_or_data)``.

    :param classes: Model and enum classes by name.
    """

    def __init__(self, classes: Optional[Mapping[str, type]] = None) -> None:
        self.dependencies: Dict[str, type] = dict(classes or {})
        self._specs: Dict[str, _Spec] = {}

    def _spec(self, data_type: str) -> _Spec:
        spec = self._specs.get(data_type)
        if spec is None:

            def resolve(name: str) -> Any:
                found = self.dependencies.get(name) or Model._registry.get(name)
                if found is None:
                    raise DeserializationError(f"Unknown type {name!r}")
                return found

            spec = _parse_spec(data_type, resolve)
            self._specs[data_type] = spec
        return spec

    def __call__(self, target_type: str, response_data: Any, content_type: Optional[str] = None) -> Any:
        data = response_data
        if hasattr(data, "http_response"):  # a PipelineResponse
            data = data.http_response
        if hasattr(data, "status_code"):  # an HTTP response, already read
            body = data.content if hasattr(type(data), "content") else data.body()
            if not body:
                return None
            data = loads(body)
        return self.deserialize_data(data, target_type)

    def deserialize_data(self, data: Any, data_type: str) -> Any:
        """Convert parsed JSON to ``data_type``.

        :raises ~azure.core.exceptions.DeserializationError: If the data does not fit the type.
        """
        if data is None:
            return None
        spec = self._spec(data_type)
        return _convert_in(spec, data, data_type)


def multipart_fields(body: Any, file_fields: List[str]) -> List[Tuple[str, Any]]:
    """The parts of a multipart body, file parts first, for ``HttpRequest(files=...)``.

    File fields take bytes, a binary file object, or a ``(filename, content[,
    content_type])`` tuple; every other field is sent as a JSON text part.

    :param body: The body model or mapping.
    :param file_fields: Wire names of the file parts.
    :return: ``(name, value)`` pairs.
    :raises TypeError: If the body is not a mapping or a file part is missing.
    """
    if isinstance(body, Model):
        body = body._data
    if not isinstance(body, Mapping):
        raise TypeError(f"A multipart body must be a model or a mapping, got {type(body).__name__}")
    missing = [f for f in file_fields if body.get(f) is None]
    if missing:
        raise TypeError(f"The multipart body needs the file field(s): {', '.join(missing)}")
    parts: List[Tuple[str, Any]] = []
    for key in file_fields:
        value = body[key]
        parts.extend((key, v) for v in value) if isinstance(value, list) else parts.append((key, value))
    for key, value in body.items():
        if key in file_fields or value is None:
            continue
        parts.append((key, (None, value if isinstance(value, str) else dumps(value))))
    return parts
