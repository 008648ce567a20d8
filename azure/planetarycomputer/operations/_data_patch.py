# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""The ``data`` group's hand-written additions: 1.0.0b1 compatibility.

``DataOperations`` here extends the generated class with the 1.0.0b1 method names whose
parameters 1.0.0 changed (b1 -> 1.0.0 renames with unchanged parameters are plain aliases in
``swagger/client.yaml``). Each adapter keeps 1.0.0b1's signature, translates the arguments and
calls the current method, so the request is a 2026-04-15 request. ``get_tile`` takes both the
1.0.0 call shape and 1.0.0b1's (``scale`` and ``format`` as 7th and 8th positional arguments).

``_patch.py`` re-exports it and ``operations/__init__.py`` imports that after the generated module, so
``azure.planetarycomputer.operations.DataOperations`` (and the client's ``data`` attribute, whose
class the client imports from that package) is this subclass.
"""

from __future__ import annotations

from typing import IO, Any, Callable, Dict, List, Optional, Sequence, Tuple, Union, cast

from .. import models as _models
from .._serialization import JSON, Serializer
from .._streams import ResponseStream
from ._operations import DataOperations as _DataOperationsGenerated

__all__: List[str] = ["DataOperations"]


# --------------------------------------------------------------------------- 1.0.0b1 argument translation
# Shared with aio/operations/_data_patch.py.


def _band_indices(value: Optional[Union[str, Sequence[str]]]) -> Optional[List[str]]:
    """``asset_bidx``: 1.0.0b1 took one string ("image|1,2,3"), 1.0.0 a list of such strings."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return list(value)


def _no_data_text(value: Optional[Union[float, str]]) -> Optional[str]:
    """``nodata``: 1.0.0b1 took a number (sent as a float, "0.0"), 1.0.0 takes text ("nan", "0")."""
    if value is None or isinstance(value, str):
        return value
    return str(float(value))


def _buffer_value(value: Optional[Union[str, float]]) -> Optional[float]:
    """``buffer``: 1.0.0b1 took text, 1.0.0 a number."""
    if value is None:
        return None
    return float(value)


def _as_sent(values: Optional[Sequence[Any]]) -> Optional[List[Any]]:
    """A list 1.0.0b1 typed as strings where 1.0.0 types integers (``c``, ``subdataset_bands``).

    The elements are sent as given (each one's text), exactly as 1.0.0b1 sent them.
    """
    return None if values is None else list(values)


def _extra_query(serializer: Serializer, kwargs: Dict[str, Any], *entries: Tuple[str, Any, str]) -> None:
    """Send query parameters that 1.0.0b1 declared and 1.0.0 no longer does.

    Each entry is (wire name, value, type); lists (``[str]``) repeat the key. They go into the
    ``params`` keyword every generated method passes to its request (the caller's own
    ``params`` win on a clash).
    """
    extra: Dict[str, Any] = {
        wire: serializer.query(wire, value, type_) for wire, value, type_ in entries if value is not None
    }
    if extra:
        kwargs["params"] = {**extra, **(kwargs.get("params") or {})}


def _convert_result(kwargs: Dict[str, Any], convert: Callable[[Any], Any]) -> None:
    """Return 1.0.0b1's result type: ``convert`` the deserialized 1.0.0 result (before any ``cls``)."""
    user_cls: Optional[Callable[..., Any]] = kwargs.pop("cls", None)

    def hook(pipeline_response: Any, deserialized: Any, headers: Any) -> Any:
        value = convert(deserialized)
        return user_cls(pipeline_response, value, headers) if user_cls else value

    kwargs["cls"] = hook


def _asset_statistics(result: Any) -> Dict[str, Dict[str, _models.BandStatistics]]:
    """AssetStatisticsResponse (a mapping) -> 1.0.0b1's ``{asset: {band: BandStatistics}}``."""
    return {
        asset: {band: _models.BandStatistics.deserialize(stats) for band, stats in bands.items()}
        for asset, bands in result.items()
    }


def _item_info(result: Any) -> Dict[str, _models.TilerInfo]:
    """TilerInfoMapResponse (a mapping) -> 1.0.0b1's ``{asset: TilerInfo}``."""
    return {asset: _models.TilerInfo.deserialize(info) for asset, info in result.items()}


def _tile_scale_and_format(
    args: Tuple[Any, ...], scale: Optional[float], format: Optional[Union[str, _models.TilerImageFormat]]
) -> Tuple[Optional[float], Optional[Union[str, _models.TilerImageFormat]]]:
    """``scale`` and ``format`` of a ``get_tile`` call given 1.0.0b1's way (7th and 8th positional).

    :raises TypeError: More than two extra positional arguments, or a value given twice.
    """
    if len(args) > 2:
        raise TypeError(
            "get_tile() takes collection_id, item_id, tile_matrix_set_id, z, x, y and, as in 1.0.0b1, "
            f"scale and format positionally: at most 8 positional arguments, got {6 + len(args)}"
        )
    if scale is not None:
        raise TypeError("get_tile() got multiple values for argument 'scale'")
    if len(args) == 2 and format is not None:
        raise TypeError("get_tile() got multiple values for argument 'format'")
    return args[0], (args[1] if len(args) == 2 else format)


# --------------------------------------------------------------------------- the patched group


class DataOperations(_DataOperationsGenerated):
    """Raster tiler operations, plus the 1.0.0b1 method names whose parameters 1.0.0 changed.

    Do not create this class yourself: use the ``data`` attribute of
    :class:`~azure.planetarycomputer.PlanetaryComputerProClient`.
    """

    def get_tile(
        self,
        collection_id: str,
        item_id: str,
        tile_matrix_set_id: str,
        z: float,
        x: float,
        y: float,
        *args: Any,
        bidx: Optional[List[int]] = None,
        assets: Optional[List[str]] = None,
        expression: Optional[str] = None,
        asset_band_indices: Optional[Union[str, List[str]]] = None,
        asset_as_band: Optional[bool] = None,
        no_data: Optional[Union[str, float]] = None,
        unscale: Optional[bool] = None,
        reproject: Optional[Union[str, _models.WarpKernelResampling]] = None,
        algorithm: Optional[Union[str, _models.TerrainAlgorithm]] = None,
        algorithm_params: Optional[str] = None,
        format: Optional[Union[str, _models.TilerImageFormat]] = None,
        scale: Optional[float] = None,
        buffer: Optional[Union[float, str]] = None,
        color_formula: Optional[str] = None,
        resampling: Optional[Union[str, _models.Resampling]] = None,
        rescale: Optional[List[str]] = None,
        color_map_name: Optional[Union[str, _models.ColorMapNames]] = None,
        color_map: Optional[str] = None,
        return_mask: Optional[bool] = None,
        padding: Optional[int] = None,
        subdataset_name: Optional[str] = None,
        subdataset_bands: Optional[Union[List[int], List[str]]] = None,
        crs: Optional[str] = None,
        datetime: Optional[str] = None,
        sel: Optional[List[str]] = None,
        sel_method: Optional[Union[str, _models.SelMethod]] = None,
        **kwargs: Any,
    ) -> ResponseStream:
        """Render a map tile of an item, called the 1.0.0 way or the 1.0.0b1 way.

        1.0.0: ``get_tile(collection_id, item_id, tile_matrix_set_id, z, x, y, *, format=None,
        scale=None, ...)`` sends ``format`` and ``scale`` as query parameters of
        ``.../tiles/{tileMatrixSetId}/{z}/{x}/{y}`` (the generated method, unchanged).

        1.0.0b1: ``get_tile(collection_id, item_id, tile_matrix_set_id, z, x, y, scale, format, *,
        ...)`` put them in the path, ``.../{z}/{x}/{y}@{scale}x.{format}``. When ``scale`` (and
        ``format``) come positionally, the call goes to :meth:`get_tile_by_scale_and_format` (or
        :meth:`get_tile_by_scale` / :meth:`get_tile_by_format` when only one of them is not None),
        with 1.0.0b1's value types: ``no_data`` a number, ``buffer`` text.

        In both shapes ``asset_band_indices`` may be one string (1.0.0b1) or a list (1.0.0). The
        other parameters are those of the generated :meth:`get_tile`.

        :return: the tile, streamed: iterate for bytes chunks, or read()
        :rtype: ~azure.planetarycomputer.ResponseStream
        :raises TypeError: More than eight positional arguments, or ``scale`` / ``format`` given
            both positionally and by keyword.
        :raises ~azure.core.exceptions.HttpResponseError:
        """
        common: Dict[str, Any] = {
            "bidx": bidx,
            "assets": assets,
            "expression": expression,
            "asset_band_indices": _band_indices(asset_band_indices),
            "asset_as_band": asset_as_band,
            "no_data": no_data,
            "unscale": unscale,
            "reproject": reproject,
            "algorithm": algorithm,
            "algorithm_params": algorithm_params,
            "buffer": buffer,
            "color_formula": color_formula,
            "resampling": resampling,
            "rescale": rescale,
            "color_map_name": color_map_name,
            "color_map": color_map,
            "return_mask": return_mask,
            "padding": padding,
            "subdataset_name": subdataset_name,
            "subdataset_bands": subdataset_bands,
            "crs": crs,
            "datetime": datetime,
            "sel": sel,
            "sel_method": sel_method,
        }
        if not args:  # the 1.0.0 shape: the generated method, format and scale in the query
            common.update(format=format, scale=scale)
            return super().get_tile(collection_id, item_id, tile_matrix_set_id, z, x, y, **common, **kwargs)
        scale, format = _tile_scale_and_format(args, scale, format)
        common.update(no_data=_no_data_text(no_data), buffer=_buffer_value(buffer))
        route: Callable[..., ResponseStream] = super().get_tile
        path: Tuple[Any, ...] = ()
        if scale is not None and format is not None:
            route, path = self.get_tile_by_scale_and_format, (scale, format)
        elif scale is not None:
            route, path = self.get_tile_by_scale, (scale,)
        elif format is not None:
            route, path = self.get_tile_by_format, (format,)
        return route(collection_id, item_id, tile_matrix_set_id, z, x, y, *path, **common, **kwargs)

    #: The seed README's name for the item tile call (``get_item_tile(collection_id, item_id,
    #: tile_matrix_set_id=..., z=..., x=..., y=..., assets=[...])``): the same method.
    get_item_tile = get_tile

    # ----------------------------------------------------------------------- 1.0.0b1 adapters

    def crop_geo_json(
        self,
        collection_id: str,
        item_id: str,
        format: str,
        body: Union[_models.Feature, JSON, IO[bytes]],
        *,
        assets: Optional[List[str]] = None,
        expression: Optional[str] = None,
        asset_band_indices: Optional[str] = None,
        asset_as_band: Optional[bool] = None,
        no_data: Optional[float] = None,
        unscale: Optional[bool] = None,
        algorithm: Optional[Union[str, _models.TerrainAlgorithm]] = None,
        algorithm_params: Optional[str] = None,
        color_formula: Optional[str] = None,
        coordinate_reference_system: Optional[str] = None,
        resampling: Optional[Union[str, _models.Resampling]] = None,
        max_size: Optional[int] = None,
        height: Optional[int] = None,
        width: Optional[int] = None,
        rescale: Optional[List[str]] = None,
        color_map_name: Optional[Union[str, _models.ColorMapNames]] = None,
        color_map: Optional[str] = None,
        return_mask: Optional[bool] = None,
        **kwargs: Any,
    ) -> ResponseStream:
        """1.0.0b1 name of :meth:`crop_feature_by_format`, with 1.0.0b1's parameters.

        ``asset_band_indices``: one string in 1.0.0b1, sent as a one-element list.
        ``no_data``: a number in 1.0.0b1, sent as its text.
        """
        return self.crop_feature_by_format(
            collection_id,
            item_id,
            format,
            body,
            assets=assets,
            expression=expression,
            asset_band_indices=_band_indices(asset_band_indices),
            asset_as_band=asset_as_band,
            no_data=_no_data_text(no_data),
            unscale=unscale,
            algorithm=algorithm,
            algorithm_params=algorithm_params,
            color_formula=color_formula,
            coordinate_reference_system=coordinate_reference_system,
            resampling=resampling,
            max_size=max_size,
            height=height,
            width=width,
            rescale=rescale,
            color_map_name=color_map_name,
            color_map=color_map,
            return_mask=return_mask,
            **kwargs,
        )

    def crop_geo_json_with_dimensions(
        self,
        collection_id: str,
        item_id: str,
        width: int,
        height: int,
        format: str,
        body: Union[_models.Feature, JSON, IO[bytes]],
        *,
        assets: Optional[List[str]] = None,
        expression: Optional[str] = None,
        asset_band_indices: Optional[str] = None,
        asset_as_band: Optional[bool] = None,
        no_data: Optional[float] = None,
        unscale: Optional[bool] = None,
        algorithm: Optional[Union[str, _models.TerrainAlgorithm]] = None,
        algorithm_params: Optional[str] = None,
        color_formula: Optional[str] = None,
        coordinate_reference_system: Optional[str] = None,
        resampling: Optional[Union[str, _models.Resampling]] = None,
        max_size: Optional[int] = None,
        rescale: Optional[List[str]] = None,
        color_map_name: Optional[Union[str, _models.ColorMapNames]] = None,
        color_map: Optional[str] = None,
        return_mask: Optional[bool] = None,
        **kwargs: Any,
    ) -> ResponseStream:
        """1.0.0b1 name of :meth:`crop_feature_width_by_height`, with 1.0.0b1's parameters.

        ``asset_band_indices``: one string in 1.0.0b1, sent as a one-element list.
        ``no_data``: a number in 1.0.0b1, sent as its text.
        """
        return self.crop_feature_width_by_height(
            collection_id,
            item_id,
            width,
            height,
            format,
            body,
            assets=assets,
            expression=expression,
            asset_band_indices=_band_indices(asset_band_indices),
            asset_as_band=asset_as_band,
            no_data=_no_data_text(no_data),
            unscale=unscale,
            algorithm=algorithm,
            algorithm_params=algorithm_params,
            color_formula=color_formula,
            coordinate_reference_system=coordinate_reference_system,
            resampling=resampling,
            max_size=max_size,
            rescale=rescale,
            color_map_name=color_map_name,
            color_map=color_map,
            return_mask=return_mask,
            **kwargs,
        )

    def get_asset_statistics(
        self,
        collection_id: str,
        item_id: str,
        *,
        assets: Optional[List[str]] = None,
        expression: Optional[str] = None,
        asset_band_indices: Optional[str] = None,
        asset_as_band: Optional[bool] = None,
        no_data: Optional[float] = None,
        unscale: Optional[bool] = None,
        resampling: Optional[Union[str, _models.Resampling]] = None,
        max_size: Optional[int] = None,
        categorical: Optional[bool] = None,
        categories_pixels: Optional[List[str]] = None,
        percentiles: Optional[List[int]] = None,
        histogram_bins: Optional[str] = None,
        histogram_range: Optional[str] = None,
        **kwargs: Any,
    ) -> Dict[str, Dict[str, _models.BandStatistics]]:
        """1.0.0b1 name of :meth:`get_item_asset_statistics`, with 1.0.0b1's parameters.

        1.0.0 dropped ``expression``, ``asset_as_band``; they are still sent, as 1.0.0b1 sent them (query
        ``expression``, ``asset_as_band``).
        ``asset_band_indices``: one string in 1.0.0b1, sent as a one-element list.
        ``no_data``: a number in 1.0.0b1, sent as its text.
        ``categories_pixels``: strings in 1.0.0b1, sent as given.
        Returns 1.0.0b1's type, ``Dict[str, Dict[str, BandStatistics]]``.
        """
        _extra_query(
            self._serialize, kwargs, ("expression", expression, "str"), ("asset_as_band", asset_as_band, "bool")
        )
        _convert_result(kwargs, _asset_statistics)
        return cast(
            Dict[str, Dict[str, _models.BandStatistics]],
            self.get_item_asset_statistics(
                collection_id,
                item_id,
                assets=assets,
                asset_band_indices=_band_indices(asset_band_indices),
                no_data=_no_data_text(no_data),
                unscale=unscale,
                resampling=resampling,
                max_size=max_size,
                categorical=categorical,
                categories_pixels=_as_sent(categories_pixels),
                percentiles=percentiles,
                histogram_bins=histogram_bins,
                histogram_range=histogram_range,
                **kwargs,
            ),
        )

    def get_geo_json_statistics(
        self,
        collection_id: str,
        item_id: str,
        body: Union[_models.Feature, JSON, IO[bytes]],
        *,
        assets: Optional[List[str]] = None,
        expression: Optional[str] = None,
        asset_band_indices: Optional[str] = None,
        asset_as_band: Optional[bool] = None,
        no_data: Optional[float] = None,
        unscale: Optional[bool] = None,
        coordinate_reference_system: Optional[str] = None,
        resampling: Optional[Union[str, _models.Resampling]] = None,
        max_size: Optional[int] = None,
        categorical: Optional[bool] = None,
        categories_pixels: Optional[List[str]] = None,
        percentiles: Optional[List[int]] = None,
        histogram_bins: Optional[str] = None,
        histogram_range: Optional[str] = None,
        **kwargs: Any,
    ) -> _models.StacItemStatisticsGeoJson:
        """1.0.0b1 name of :meth:`get_item_feature_statistics`, with 1.0.0b1's parameters.

        ``asset_band_indices``: one string in 1.0.0b1, sent as a one-element list.
        ``no_data``: a number in 1.0.0b1, sent as its text.
        ``categories_pixels``: strings in 1.0.0b1, sent as given.
        """
        return self.get_item_feature_statistics(
            collection_id,
            item_id,
            body,
            assets=assets,
            expression=expression,
            asset_band_indices=_band_indices(asset_band_indices),
            asset_as_band=asset_as_band,
            no_data=_no_data_text(no_data),
            unscale=unscale,
            coordinate_reference_system=coordinate_reference_system,
            resampling=resampling,
            max_size=max_size,
            categorical=categorical,
            categories_pixels=_as_sent(categories_pixels),
            percentiles=percentiles,
            histogram_bins=histogram_bins,
            histogram_range=histogram_range,
            **kwargs,
        )

    def get_item_asset_details(
        self, collection_id: str, item_id: str, *, assets: Optional[List[str]] = None, **kwargs: Any
    ) -> Dict[str, _models.TilerInfo]:
        """1.0.0b1 name of :meth:`get_item_info`, with 1.0.0b1's parameters.

        Returns 1.0.0b1's type, ``Dict[str, TilerInfo]``.
        """
        _convert_result(kwargs, _item_info)
        return cast(
            Dict[str, _models.TilerInfo],
            self.get_item_info(collection_id, item_id, assets=assets, **kwargs),
        )

    def get_mosaics_tile(
        self,
        search_id: str,
        tile_matrix_set_id: str,
        z: float,
        x: float,
        y: float,
        scale: float,
        format: str,
        *,
        assets: Optional[List[str]] = None,
        expression: Optional[str] = None,
        asset_band_indices: Optional[str] = None,
        asset_as_band: Optional[bool] = None,
        no_data: Optional[float] = None,
        unscale: Optional[bool] = None,
        scan_limit: Optional[int] = None,
        items_limit: Optional[int] = None,
        time_limit: Optional[int] = None,
        exit_when_full: Optional[bool] = None,
        skip_covered: Optional[bool] = None,
        algorithm: Optional[Union[str, _models.TerrainAlgorithm]] = None,
        algorithm_params: Optional[str] = None,
        buffer: Optional[str] = None,
        color_formula: Optional[str] = None,
        collection: Optional[str] = None,
        resampling: Optional[Union[str, _models.Resampling]] = None,
        pixel_selection: Optional[Union[str, _models.PixelSelection]] = None,
        rescale: Optional[List[str]] = None,
        color_map_name: Optional[Union[str, _models.ColorMapNames]] = None,
        color_map: Optional[str] = None,
        return_mask: Optional[bool] = None,
        **kwargs: Any,
    ) -> ResponseStream:
        """1.0.0b1 name of :meth:`get_search_tile_by_scale_and_format`, with 1.0.0b1's parameters.

        ``asset_band_indices``: one string in 1.0.0b1, sent as a one-element list.
        ``no_data``: a number in 1.0.0b1, sent as its text.
        ``buffer``: text in 1.0.0b1, sent as a number.
        """
        return self.get_search_tile_by_scale_and_format(
            search_id,
            tile_matrix_set_id,
            z,
            x,
            y,
            scale,
            format,
            assets=assets,
            expression=expression,
            asset_band_indices=_band_indices(asset_band_indices),
            asset_as_band=asset_as_band,
            no_data=_no_data_text(no_data),
            unscale=unscale,
            scan_limit=scan_limit,
            items_limit=items_limit,
            time_limit=time_limit,
            exit_when_full=exit_when_full,
            skip_covered=skip_covered,
            algorithm=algorithm,
            algorithm_params=algorithm_params,
            buffer=_buffer_value(buffer),
            color_formula=color_formula,
            collection=collection,
            resampling=resampling,
            pixel_selection=pixel_selection,
            rescale=rescale,
            color_map_name=color_map_name,
            color_map=color_map,
            return_mask=return_mask,
            **kwargs,
        )

    def get_mosaics_tile_json(
        self,
        search_id: str,
        tile_matrix_set_id: str,
        *,
        assets: Optional[List[str]] = None,
        expression: Optional[str] = None,
        asset_band_indices: Optional[str] = None,
        asset_as_band: Optional[bool] = None,
        no_data: Optional[float] = None,
        unscale: Optional[bool] = None,
        scan_limit: Optional[int] = None,
        items_limit: Optional[int] = None,
        time_limit: Optional[int] = None,
        exit_when_full: Optional[bool] = None,
        skip_covered: Optional[bool] = None,
        algorithm: Optional[Union[str, _models.TerrainAlgorithm]] = None,
        algorithm_params: Optional[str] = None,
        min_zoom: Optional[int] = None,
        max_zoom: Optional[int] = None,
        tile_format: Optional[Union[str, _models.TilerImageFormat]] = None,
        tile_scale: Optional[int] = None,
        buffer: Optional[str] = None,
        color_formula: Optional[str] = None,
        collection: Optional[str] = None,
        resampling: Optional[Union[str, _models.Resampling]] = None,
        pixel_selection: Optional[Union[str, _models.PixelSelection]] = None,
        rescale: Optional[List[str]] = None,
        color_map_name: Optional[Union[str, _models.ColorMapNames]] = None,
        color_map: Optional[str] = None,
        return_mask: Optional[bool] = None,
        **kwargs: Any,
    ) -> _models.TileJsonMetadata:
        """1.0.0b1 name of :meth:`get_search_tile_json_by_tms`, with 1.0.0b1's parameters.

        ``asset_band_indices``: one string in 1.0.0b1, sent as a one-element list.
        ``no_data``: a number in 1.0.0b1, sent as its text.
        ``buffer``: text in 1.0.0b1, sent as a number.
        """
        return self.get_search_tile_json_by_tms(
            search_id,
            tile_matrix_set_id,
            assets=assets,
            expression=expression,
            asset_band_indices=_band_indices(asset_band_indices),
            asset_as_band=asset_as_band,
            no_data=_no_data_text(no_data),
            unscale=unscale,
            scan_limit=scan_limit,
            items_limit=items_limit,
            time_limit=time_limit,
            exit_when_full=exit_when_full,
            skip_covered=skip_covered,
            algorithm=algorithm,
            algorithm_params=algorithm_params,
            min_zoom=min_zoom,
            max_zoom=max_zoom,
            tile_format=tile_format,
            tile_scale=tile_scale,
            buffer=_buffer_value(buffer),
            color_formula=color_formula,
            collection=collection,
            resampling=resampling,
            pixel_selection=pixel_selection,
            rescale=rescale,
            color_map_name=color_map_name,
            color_map=color_map,
            return_mask=return_mask,
            **kwargs,
        )

    def get_mosaics_wmts_capabilities(
        self,
        search_id: str,
        tile_matrix_set_id: str,
        *,
        assets: Optional[List[str]] = None,
        expression: Optional[str] = None,
        asset_band_indices: Optional[str] = None,
        asset_as_band: Optional[bool] = None,
        no_data: Optional[float] = None,
        unscale: Optional[bool] = None,
        algorithm: Optional[Union[str, _models.TerrainAlgorithm]] = None,
        algorithm_params: Optional[str] = None,
        tile_format: Optional[Union[str, _models.TilerImageFormat]] = None,
        tile_scale: Optional[int] = None,
        min_zoom: Optional[int] = None,
        max_zoom: Optional[int] = None,
        buffer: Optional[str] = None,
        color_formula: Optional[str] = None,
        resampling: Optional[Union[str, _models.Resampling]] = None,
        rescale: Optional[List[str]] = None,
        color_map_name: Optional[Union[str, _models.ColorMapNames]] = None,
        color_map: Optional[str] = None,
        return_mask: Optional[bool] = None,
        **kwargs: Any,
    ) -> ResponseStream:
        """1.0.0b1 name of :meth:`get_search_wmts_capabilities_by_tms`, with 1.0.0b1's parameters.

        1.0.0 dropped ``algorithm``, ``algorithm_params``, ``buffer``, ``color_formula``, ``resampling``,
        ``rescale``, ``color_map_name``, ``color_map``, ``return_mask``; they are still sent, as 1.0.0b1 sent
        them (query ``algorithm``, ``algorithm_params``, ``buffer``, ``color_formula``, ``resampling``,
        ``rescale``, ``colormap_name``, ``colormap``, ``return_mask``).
        ``asset_band_indices``: one string in 1.0.0b1, sent as a one-element list.
        ``no_data``: a number in 1.0.0b1, sent as its text.
        """
        _extra_query(
            self._serialize,
            kwargs,
            ("algorithm", algorithm, "str"),
            ("algorithm_params", algorithm_params, "str"),
            ("buffer", buffer, "str"),
            ("color_formula", color_formula, "str"),
            ("resampling", resampling, "str"),
            ("rescale", rescale, "[str]"),
            ("colormap_name", color_map_name, "str"),
            ("colormap", color_map, "str"),
            ("return_mask", return_mask, "bool"),
        )
        return self.get_search_wmts_capabilities_by_tms(
            search_id,
            tile_matrix_set_id,
            assets=assets,
            expression=expression,
            asset_band_indices=_band_indices(asset_band_indices),
            asset_as_band=asset_as_band,
            no_data=_no_data_text(no_data),
            unscale=unscale,
            tile_format=tile_format,
            tile_scale=tile_scale,
            min_zoom=min_zoom,
            max_zoom=max_zoom,
            **kwargs,
        )

    def get_part(
        self,
        collection_id: str,
        item_id: str,
        minx: float,
        miny: float,
        maxx: float,
        maxy: float,
        format: str,
        *,
        assets: Optional[List[str]] = None,
        expression: Optional[str] = None,
        asset_band_indices: Optional[str] = None,
        asset_as_band: Optional[bool] = None,
        no_data: Optional[float] = None,
        unscale: Optional[bool] = None,
        algorithm: Optional[Union[str, _models.TerrainAlgorithm]] = None,
        algorithm_params: Optional[str] = None,
        color_formula: Optional[str] = None,
        dst_crs: Optional[str] = None,
        coordinate_reference_system: Optional[str] = None,
        resampling: Optional[Union[str, _models.Resampling]] = None,
        max_size: Optional[int] = None,
        height: Optional[int] = None,
        width: Optional[int] = None,
        rescale: Optional[List[str]] = None,
        color_map_name: Optional[Union[str, _models.ColorMapNames]] = None,
        color_map: Optional[str] = None,
        return_mask: Optional[bool] = None,
        **kwargs: Any,
    ) -> ResponseStream:
        """1.0.0b1 name of :meth:`get_item_bbox_crop`, with 1.0.0b1's parameters.

        Renamed: ``minx`` -> ``min_x``, ``miny`` -> ``min_y``, ``maxx`` -> ``max_x``, ``maxy`` -> ``max_y``,
        ``dst_crs`` -> ``destination_crs``.
        ``asset_band_indices``: one string in 1.0.0b1, sent as a one-element list.
        ``no_data``: a number in 1.0.0b1, sent as its text.
        """
        return self.get_item_bbox_crop(
            collection_id,
            item_id,
            minx,
            miny,
            maxx,
            maxy,
            format,
            assets=assets,
            expression=expression,
            asset_band_indices=_band_indices(asset_band_indices),
            asset_as_band=asset_as_band,
            no_data=_no_data_text(no_data),
            unscale=unscale,
            algorithm=algorithm,
            algorithm_params=algorithm_params,
            color_formula=color_formula,
            destination_crs=dst_crs,
            coordinate_reference_system=coordinate_reference_system,
            resampling=resampling,
            max_size=max_size,
            height=height,
            width=width,
            rescale=rescale,
            color_map_name=color_map_name,
            color_map=color_map,
            return_mask=return_mask,
            **kwargs,
        )

    def get_part_with_dimensions(
        self,
        collection_id: str,
        item_id: str,
        minx: float,
        miny: float,
        maxx: float,
        maxy: float,
        width: int,
        height: int,
        format: str,
        *,
        assets: Optional[List[str]] = None,
        expression: Optional[str] = None,
        asset_band_indices: Optional[str] = None,
        asset_as_band: Optional[bool] = None,
        no_data: Optional[float] = None,
        unscale: Optional[bool] = None,
        algorithm: Optional[Union[str, _models.TerrainAlgorithm]] = None,
        algorithm_params: Optional[str] = None,
        color_formula: Optional[str] = None,
        dst_crs: Optional[str] = None,
        coordinate_reference_system: Optional[str] = None,
        resampling: Optional[Union[str, _models.Resampling]] = None,
        max_size: Optional[int] = None,
        rescale: Optional[List[str]] = None,
        color_map_name: Optional[Union[str, _models.ColorMapNames]] = None,
        color_map: Optional[str] = None,
        return_mask: Optional[bool] = None,
        **kwargs: Any,
    ) -> ResponseStream:
        """1.0.0b1 name of :meth:`get_item_bbox_crop_with_dimensions`, with 1.0.0b1's parameters.

        Renamed: ``minx`` -> ``min_x``, ``miny`` -> ``min_y``, ``maxx`` -> ``max_x``, ``maxy`` -> ``max_y``,
        ``dst_crs`` -> ``destination_crs``.
        ``asset_band_indices``: one string in 1.0.0b1, sent as a one-element list.
        ``no_data``: a number in 1.0.0b1, sent as its text.
        """
        return self.get_item_bbox_crop_with_dimensions(
            collection_id,
            item_id,
            minx,
            miny,
            maxx,
            maxy,
            width,
            height,
            format,
            assets=assets,
            expression=expression,
            asset_band_indices=_band_indices(asset_band_indices),
            asset_as_band=asset_as_band,
            no_data=_no_data_text(no_data),
            unscale=unscale,
            algorithm=algorithm,
            algorithm_params=algorithm_params,
            color_formula=color_formula,
            destination_crs=dst_crs,
            coordinate_reference_system=coordinate_reference_system,
            resampling=resampling,
            max_size=max_size,
            rescale=rescale,
            color_map_name=color_map_name,
            color_map=color_map,
            return_mask=return_mask,
            **kwargs,
        )

    def get_point(
        self,
        collection_id: str,
        item_id: str,
        longitude: float,
        latitude: float,
        *,
        assets: Optional[List[str]] = None,
        expression: Optional[str] = None,
        asset_band_indices: Optional[str] = None,
        asset_as_band: Optional[bool] = None,
        no_data: Optional[float] = None,
        unscale: Optional[bool] = None,
        coordinate_reference_system: Optional[str] = None,
        resampling: Optional[Union[str, _models.Resampling]] = None,
        **kwargs: Any,
    ) -> _models.TilerCoreModelsResponsesPoint:
        """1.0.0b1 name of :meth:`get_item_point`, with 1.0.0b1's parameters.

        ``asset_band_indices``: one string in 1.0.0b1, sent as a one-element list.
        ``no_data``: a number in 1.0.0b1, sent as its text.
        """
        return self.get_item_point(
            collection_id,
            item_id,
            longitude,
            latitude,
            assets=assets,
            expression=expression,
            asset_band_indices=_band_indices(asset_band_indices),
            asset_as_band=asset_as_band,
            no_data=_no_data_text(no_data),
            unscale=unscale,
            coordinate_reference_system=coordinate_reference_system,
            resampling=resampling,
            **kwargs,
        )

    def get_preview(
        self,
        collection_id: str,
        item_id: str,
        *,
        assets: Optional[List[str]] = None,
        expression: Optional[str] = None,
        asset_band_indices: Optional[str] = None,
        asset_as_band: Optional[bool] = None,
        no_data: Optional[float] = None,
        unscale: Optional[bool] = None,
        algorithm: Optional[Union[str, _models.TerrainAlgorithm]] = None,
        algorithm_params: Optional[str] = None,
        format: Optional[Union[str, _models.TilerImageFormat]] = None,
        color_formula: Optional[str] = None,
        dst_crs: Optional[str] = None,
        resampling: Optional[Union[str, _models.Resampling]] = None,
        max_size: Optional[int] = None,
        height: Optional[int] = None,
        width: Optional[int] = None,
        rescale: Optional[List[str]] = None,
        color_map_name: Optional[Union[str, _models.ColorMapNames]] = None,
        color_map: Optional[str] = None,
        return_mask: Optional[bool] = None,
        **kwargs: Any,
    ) -> ResponseStream:
        """1.0.0b1 name of :meth:`get_item_preview`, with 1.0.0b1's parameters.

        ``asset_band_indices``: one string in 1.0.0b1, sent as a one-element list.
        ``no_data``: a number in 1.0.0b1, sent as its text.
        """
        return self.get_item_preview(
            collection_id,
            item_id,
            assets=assets,
            expression=expression,
            asset_band_indices=_band_indices(asset_band_indices),
            asset_as_band=asset_as_band,
            no_data=_no_data_text(no_data),
            unscale=unscale,
            algorithm=algorithm,
            algorithm_params=algorithm_params,
            format=format,
            color_formula=color_formula,
            dst_crs=dst_crs,
            resampling=resampling,
            max_size=max_size,
            height=height,
            width=width,
            rescale=rescale,
            color_map_name=color_map_name,
            color_map=color_map,
            return_mask=return_mask,
            **kwargs,
        )

    def get_preview_with_format(
        self,
        collection_id: str,
        item_id: str,
        format: str,
        *,
        assets: Optional[List[str]] = None,
        expression: Optional[str] = None,
        asset_band_indices: Optional[str] = None,
        asset_as_band: Optional[bool] = None,
        no_data: Optional[float] = None,
        unscale: Optional[bool] = None,
        algorithm: Optional[Union[str, _models.TerrainAlgorithm]] = None,
        algorithm_params: Optional[str] = None,
        color_formula: Optional[str] = None,
        dst_crs: Optional[str] = None,
        resampling: Optional[Union[str, _models.Resampling]] = None,
        max_size: Optional[int] = None,
        height: Optional[int] = None,
        width: Optional[int] = None,
        rescale: Optional[List[str]] = None,
        color_map_name: Optional[Union[str, _models.ColorMapNames]] = None,
        color_map: Optional[str] = None,
        return_mask: Optional[bool] = None,
        **kwargs: Any,
    ) -> ResponseStream:
        """1.0.0b1 name of :meth:`get_item_preview_with_format`, with 1.0.0b1's parameters.

        ``asset_band_indices``: one string in 1.0.0b1, sent as a one-element list.
        ``no_data``: a number in 1.0.0b1, sent as its text.
        """
        return self.get_item_preview_with_format(
            collection_id,
            item_id,
            format,
            assets=assets,
            expression=expression,
            asset_band_indices=_band_indices(asset_band_indices),
            asset_as_band=asset_as_band,
            no_data=_no_data_text(no_data),
            unscale=unscale,
            algorithm=algorithm,
            algorithm_params=algorithm_params,
            color_formula=color_formula,
            dst_crs=dst_crs,
            resampling=resampling,
            max_size=max_size,
            height=height,
            width=width,
            rescale=rescale,
            color_map_name=color_map_name,
            color_map=color_map,
            return_mask=return_mask,
            **kwargs,
        )

    def get_tile_json(
        self,
        collection_id: str,
        item_id: str,
        tile_matrix_set_id: str,
        *,
        assets: Optional[List[str]] = None,
        expression: Optional[str] = None,
        asset_band_indices: Optional[str] = None,
        asset_as_band: Optional[bool] = None,
        no_data: Optional[float] = None,
        unscale: Optional[bool] = None,
        algorithm: Optional[Union[str, _models.TerrainAlgorithm]] = None,
        algorithm_params: Optional[str] = None,
        tile_format: Optional[Union[str, _models.TilerImageFormat]] = None,
        tile_scale: Optional[int] = None,
        min_zoom: Optional[int] = None,
        max_zoom: Optional[int] = None,
        buffer: Optional[str] = None,
        color_formula: Optional[str] = None,
        resampling: Optional[Union[str, _models.Resampling]] = None,
        rescale: Optional[List[str]] = None,
        color_map_name: Optional[Union[str, _models.ColorMapNames]] = None,
        color_map: Optional[str] = None,
        return_mask: Optional[bool] = None,
        **kwargs: Any,
    ) -> _models.TileJsonMetadata:
        """1.0.0b1 name of :meth:`get_item_tile_json_by_tms`, with 1.0.0b1's parameters.

        ``asset_band_indices``: one string in 1.0.0b1, sent as a one-element list.
        ``no_data``: a number in 1.0.0b1, sent as its text.
        ``buffer``: text in 1.0.0b1, sent as a number.
        """
        return self.get_item_tile_json_by_tms(
            collection_id,
            item_id,
            tile_matrix_set_id,
            assets=assets,
            expression=expression,
            asset_band_indices=_band_indices(asset_band_indices),
            asset_as_band=asset_as_band,
            no_data=_no_data_text(no_data),
            unscale=unscale,
            algorithm=algorithm,
            algorithm_params=algorithm_params,
            tile_format=tile_format,
            tile_scale=tile_scale,
            min_zoom=min_zoom,
            max_zoom=max_zoom,
            buffer=_buffer_value(buffer),
            color_formula=color_formula,
            resampling=resampling,
            rescale=rescale,
            color_map_name=color_map_name,
            color_map=color_map,
            return_mask=return_mask,
            **kwargs,
        )

    def get_wmts_capabilities(
        self,
        collection_id: str,
        item_id: str,
        tile_matrix_set_id: str,
        *,
        assets: Optional[List[str]] = None,
        expression: Optional[str] = None,
        asset_band_indices: Optional[str] = None,
        asset_as_band: Optional[bool] = None,
        no_data: Optional[float] = None,
        unscale: Optional[bool] = None,
        algorithm: Optional[Union[str, _models.TerrainAlgorithm]] = None,
        algorithm_params: Optional[str] = None,
        tile_format: Optional[Union[str, _models.TilerImageFormat]] = None,
        tile_scale: Optional[int] = None,
        min_zoom: Optional[int] = None,
        max_zoom: Optional[int] = None,
        buffer: Optional[str] = None,
        color_formula: Optional[str] = None,
        resampling: Optional[Union[str, _models.Resampling]] = None,
        rescale: Optional[List[str]] = None,
        color_map_name: Optional[Union[str, _models.ColorMapNames]] = None,
        color_map: Optional[str] = None,
        return_mask: Optional[bool] = None,
        **kwargs: Any,
    ) -> ResponseStream:
        """1.0.0b1 name of :meth:`get_item_wmts_capabilities_by_tms`, with 1.0.0b1's parameters.

        ``asset_band_indices``: one string in 1.0.0b1, sent as a one-element list.
        ``no_data``: a number in 1.0.0b1, sent as its text.
        ``buffer``: text in 1.0.0b1, sent as a number.
        """
        return self.get_item_wmts_capabilities_by_tms(
            collection_id,
            item_id,
            tile_matrix_set_id,
            assets=assets,
            expression=expression,
            asset_band_indices=_band_indices(asset_band_indices),
            asset_as_band=asset_as_band,
            no_data=_no_data_text(no_data),
            unscale=unscale,
            algorithm=algorithm,
            algorithm_params=algorithm_params,
            tile_format=tile_format,
            tile_scale=tile_scale,
            min_zoom=min_zoom,
            max_zoom=max_zoom,
            buffer=_buffer_value(buffer),
            color_formula=color_formula,
            resampling=resampling,
            rescale=rescale,
            color_map_name=color_map_name,
            color_map=color_map,
            return_mask=return_mask,
            **kwargs,
        )

    def list_statistics(
        self,
        collection_id: str,
        item_id: str,
        *,
        assets: Optional[List[str]] = None,
        expression: Optional[str] = None,
        asset_band_indices: Optional[str] = None,
        asset_as_band: Optional[bool] = None,
        no_data: Optional[float] = None,
        unscale: Optional[bool] = None,
        resampling: Optional[Union[str, _models.Resampling]] = None,
        max_size: Optional[int] = None,
        categorical: Optional[bool] = None,
        categories_pixels: Optional[List[str]] = None,
        percentiles: Optional[List[int]] = None,
        histogram_bins: Optional[str] = None,
        histogram_range: Optional[str] = None,
        **kwargs: Any,
    ) -> _models.TilerStacItemStatistics:
        """1.0.0b1 name of :meth:`get_item_statistics`, with 1.0.0b1's parameters.

        ``asset_band_indices``: one string in 1.0.0b1, sent as a one-element list.
        ``no_data``: a number in 1.0.0b1, sent as its text.
        ``categories_pixels``: strings in 1.0.0b1, sent as given.
        """
        return self.get_item_statistics(
            collection_id,
            item_id,
            assets=assets,
            expression=expression,
            asset_band_indices=_band_indices(asset_band_indices),
            asset_as_band=asset_as_band,
            no_data=_no_data_text(no_data),
            unscale=unscale,
            resampling=resampling,
            max_size=max_size,
            categorical=categorical,
            categories_pixels=_as_sent(categories_pixels),
            percentiles=percentiles,
            histogram_bins=histogram_bins,
            histogram_range=histogram_range,
            **kwargs,
        )
