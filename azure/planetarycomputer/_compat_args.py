# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""How 1.0.0b1 arguments and results become 1.0.0's, and back.

The 1.0.0b1 method names (``operations/_compat.py`` and its async twin, generated from
``swagger/compat.yaml``) call these by name: argument converters (a 1.0.0b1 value -> the value the
current method takes), result converters (the current result -> the type 1.0.0b1 returned), and
the helpers that send parameters 1.0.0 no longer declares and that read 1.0.0b1's tile call
shape. Sync and async share them; nothing here does I/O.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from . import models as _models
from ._serialization import DocumentModel, Model, Serializer

# --------------------------------------------------------------------------- arguments


def band_indices(value: Optional[Union[str, Sequence[str]]]) -> Optional[List[str]]:
    """``asset_bidx``: 1.0.0b1 took one string ("image|1,2,3"), 1.0.0 a list of such strings.

    :param value: One string or a list of them.
    :type value: str or list[str]
    :return: A list, or None.
    :rtype: list[str] or None
    """
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return list(value)


def no_data_text(value: Optional[Union[float, str]]) -> Optional[str]:
    """``nodata``: 1.0.0b1 took a number (sent as a float, "0.0"), 1.0.0 takes text ("nan", "0").

    :param value: A number or text.
    :type value: float or str
    :return: The text sent, or None.
    :rtype: str or None
    """
    if value is None or isinstance(value, str):
        return value
    return str(float(value))


def buffer_value(value: Optional[Union[str, float]]) -> Optional[float]:
    """``buffer``: 1.0.0b1 took text, 1.0.0 a number.

    :param value: Text or a number.
    :type value: str or float
    :return: The number, or None.
    :rtype: float or None
    """
    if value is None:
        return None
    return float(value)


def as_sent(values: Optional[Sequence[Any]]) -> Optional[List[Any]]:
    """A list 1.0.0b1 typed as strings where 1.0.0 types integers (``c``, ``subdataset_bands``).

    The elements are sent as given (each one's text), exactly as 1.0.0b1 sent them.

    :param values: The list, or None.
    :type values: list
    :return: A copy of the list, or None.
    :rtype: list or None
    """
    return None if values is None else list(values)


def extra_query(serializer: Serializer, kwargs: Dict[str, Any], *entries: Tuple[str, Any, str]) -> None:
    """Send query parameters that 1.0.0b1 declared and 1.0.0 no longer does.

    Each entry is (wire name, value, serializer type); lists (``[str]``) repeat the key. They go
    into the ``params`` keyword every generated method passes to its request (the caller's own
    ``params`` win on a clash). Entries whose value is None are not sent.

    :param serializer: The operation group's serializer.
    :type serializer: ~azure.planetarycomputer._serialization.Serializer
    :param kwargs: The keyword arguments the current method will get; updated in place.
    :type kwargs: dict
    """
    extra: Dict[str, Any] = {
        wire: serializer.query(wire, value, type_) for wire, value, type_ in entries if value is not None
    }
    if extra:
        kwargs["params"] = {**extra, **(kwargs.get("params") or {})}


def path_values(
    method: str, fixed: int, args: Tuple[Any, ...], keywords: Dict[str, Any], newer: Tuple[Any, ...]
) -> Optional[Dict[str, Any]]:
    """Read a call that has 1.0.0b1's shape: which values go into the path.

    1.0.0b1 took some path values (``get_tile``'s ``scale`` and ``format``) as positional
    parameters after the ``fixed`` first ones, where 1.0.0 takes keywords of the same names and
    sends them in the query. A call is read 1.0.0b1's way when it passes them positionally
    (``args``), or by keyword with every one of them given and none of the keywords that only
    1.0.0 has (``newer``): such a call is valid 1.0.0b1 code, and 1.0.0b1 put them in the path.
    Any other call is 1.0.0's (the keywords stay in the query).

    :param method: The method's name, for error messages.
    :type method: str
    :param fixed: How many positional parameters come before these.
    :type fixed: int
    :param args: The extra positional arguments.
    :type args: tuple
    :param keywords: Each path parameter's name -> the value given by keyword, in 1.0.0b1's
        positional order.
    :type keywords: dict[str, any]
    :param newer: The values of the keywords only 1.0.0 has.
    :type newer: tuple
    :return: Name -> value of the path values that are not None, or None for a call in 1.0.0's shape.
    :rtype: dict[str, any] or None
    :raises TypeError: More positional arguments than 1.0.0b1 took, or a value given both
        positionally and by keyword.
    """
    names = list(keywords)
    if len(args) > len(names):
        raise TypeError(
            f"{method}() takes at most {fixed + len(names)} positional arguments, got {fixed + len(args)} "
            f"(the last {len(names)}, {' and '.join(names)}, as in 1.0.0b1)"
        )
    for name in names[: len(args)]:
        if keywords[name] is not None:
            raise TypeError(f"{method}() got multiple values for argument '{name}'")
    if not args and (any(v is None for v in keywords.values()) or any(v is not None for v in newer)):
        return None
    values = {**keywords, **dict(zip(names, args))}
    return {name: value for name, value in values.items() if value is not None}


# --------------------------------------------------------------------------- results


def convert_result(kwargs: Dict[str, Any], convert: Callable[[Any], Any]) -> None:
    """Return 1.0.0b1's result type: ``convert`` the deserialized result before any ``cls`` hook.

    :param kwargs: The keyword arguments the current method will get; its ``cls`` is wrapped.
    :type kwargs: dict
    :param convert: The result converter.
    :type convert: callable
    """
    user_cls: Optional[Callable[..., Any]] = kwargs.pop("cls", None)

    def hook(pipeline_response: Any, deserialized: Any, headers: Any) -> Any:
        value = convert(deserialized)
        return user_cls(pipeline_response, value, headers) if user_cls else value

    kwargs["cls"] = hook


def plain_json(result: Any) -> Any:
    """A model (or a list of them) -> 1.0.0b1's plain JSON: dicts and lists.

    :param result: The deserialized result.
    :type result: ~azure.planetarycomputer.models.Model or list
    :return: New plain dicts and lists; other values as they are.
    :rtype: any
    """
    if isinstance(result, (Model, DocumentModel)):  # a document model is a dict, but not a plain one
        return result.as_dict()
    if isinstance(result, list):
        return [plain_json(value) for value in result]
    return result


def asset_statistics(result: Any) -> Dict[str, Dict[str, _models.BandStatistics]]:
    """AssetStatisticsResponse (a mapping) -> 1.0.0b1's ``{asset: {band: BandStatistics}}``.

    :param result: The deserialized response.
    :type result: ~azure.planetarycomputer.models.AssetStatisticsResponse
    :return: Band statistics per band, per asset.
    :rtype: dict[str, dict[str, ~azure.planetarycomputer.models.BandStatistics]]
    """
    return {
        asset: {band: _models.BandStatistics.deserialize(stats) for band, stats in bands.items()}
        for asset, bands in result.items()
    }


def item_info(result: Any) -> Dict[str, _models.TilerInfo]:
    """TilerInfoMapResponse (a mapping) -> 1.0.0b1's ``{asset: TilerInfo}``.

    :param result: The deserialized response.
    :type result: ~azure.planetarycomputer.models.TilerInfoMapResponse
    :return: Raster information per asset.
    :rtype: dict[str, ~azure.planetarycomputer.models.TilerInfo]
    """
    return {asset: _models.TilerInfo.deserialize(info) for asset, info in result.items()}
