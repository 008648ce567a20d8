"""(f) Render options and mosaics of a collection: create, get, list, replace, delete; then register
a search mosaic and render a tile of it.

python wf_f_render_options_mosaics.py <endpoint> <workdir>
"""

from __future__ import annotations

from _harness import (
    Demo,
    Workflow,
    cog_asset_key,
    collection_body,
    ingest_demo,
    png_size,
    read_all,
    render_kwargs,
    tile_for,
    wire,
)

from azure.planetarycomputer import models


def main(wf: Workflow) -> None:
    stac, data = wf.client.stac, wf.client.data
    demo = Demo(wf.workdir)
    cid = wf.uid("wf-f-config")
    wf.info["collection"] = cid
    wf.wait(
        stac.begin_create_collection(
            collection_body(cid, "Config", [-180, -90, 180, 90], ["2000-01-01T00:00:00Z", None])
        ),
        "create collection",
    )
    wf.cleanups.append(lambda: stac.begin_delete_collection(cid).result(timeout=30))
    ingest_demo(wf, demo, cid)
    item = demo.items[0]
    key = cog_asset_key(item)
    options = render_kwargs(item, key)

    # -- render options --------------------------------------------------------------------
    option = models.RenderOption(
        id="natural-color",
        name="Natural color",
        description="The image as it is",
        type="raster-tile",
        options=f"assets={key}",
        min_zoom=2,
    )
    created = stac.create_render_option(cid, option)
    wf.equal(created.id, "natural-color", "create render option: id")
    wf.equal(created.name, "Natural color", "create render option: name")
    got = stac.get_render_option(cid, "natural-color")
    wf.equal(got.options, f"assets={key}", "get render option: options")
    wf.equal(got.min_zoom, 2, "get render option: minZoom")
    wf.equal(wire(got.type), "raster-tile", "get render option: type")
    second = {"id": "gray", "name": "Gray", "type": "raster-tile", "options": f"assets={key}&colormap_name=gray"}
    stac.create_render_option(cid, second)
    listed = stac.get_render_options(cid)
    wf.equal(sorted(o.id for o in listed), ["gray", "natural-color"], "list render options: both")
    wf.raises(Exception, lambda: stac.create_render_option(cid, second), "create a duplicate render option: refused")

    replacement = got.as_dict()
    replacement["description"] = "Replaced description"
    replacement["minZoom"] = 4
    replaced = stac.replace_render_option(cid, "natural-color", replacement)
    wf.equal(replaced.description, "Replaced description", "replace render option: response")
    got = stac.get_render_option(cid, "natural-color")
    wf.equal((got.description, got.min_zoom), ("Replaced description", 4), "replace render option: stored")

    stac.delete_render_option(cid, "gray")
    wf.not_found(lambda: stac.get_render_option(cid, "gray"), "get deleted render option: 404")
    wf.equal([o.id for o in stac.get_render_options(cid)], ["natural-color"], "list render options: one left")

    # -- mosaics -------------------------------------------------------------------------------
    mosaic = models.StacMosaic(id="recent", name="Most recent", description="Most recent imagery", cql=[])
    created = stac.add_mosaic(cid, mosaic)
    wf.equal((created.id, created.name), ("recent", "Most recent"), "add mosaic")
    low_cloud = {
        "id": "low-cloud",
        "name": "Low cloud",
        "cql": [{"op": "<=", "args": [{"property": "eo:cloud_cover"}, 10]}],
    }
    stac.add_mosaic(cid, low_cloud)
    got = stac.get_mosaic(cid, "low-cloud")
    wf.equal(got.cql, low_cloud["cql"], "get mosaic: cql")
    mine = {"low-cloud", "recent"}
    builtin = {m.id for m in stac.get_mosaics(cid)} - mine  # the service may add a "default" mosaic
    wf.equal({m.id for m in stac.get_mosaics(cid)} & mine, mine, "list mosaics: both")
    replaced = stac.replace_mosaic(cid, "recent", {"id": "recent", "name": "Newest first", "cql": []})
    wf.equal(replaced.name, "Newest first", "replace mosaic: response")
    wf.equal(stac.get_mosaic(cid, "recent").name, "Newest first", "replace mosaic: stored")

    configuration = stac.get_collection_configuration(cid).mosaic_configuration
    wf.equal(
        [o.id for o in configuration.render_options], ["natural-color"], "collection configuration: render options"
    )
    wf.equal({m.id for m in configuration.mosaics}, mine | builtin, "collection configuration: mosaics")

    stac.delete_mosaic(cid, "low-cloud")
    wf.not_found(lambda: stac.get_mosaic(cid, "low-cloud"), "get deleted mosaic: 404")
    wf.equal({m.id for m in stac.get_mosaics(cid)}, {"recent"} | builtin, "list mosaics: one left")

    # -- a registered search mosaic and its tile -------------------------------------------------
    registered = data.register_mosaics_search(
        {
            "collections": [cid],
            "filter-lang": "cql2-json",
            "filter": {"op": "=", "args": [{"property": "collection"}, cid]},
            "sortby": [{"field": "datetime", "direction": "desc"}],
        }
    )
    search_id = registered.search_id
    wf.check(bool(search_id), "register search mosaic: a search id")
    wf.info["search_id"] = search_id
    z, x, y = tile_for(item["bbox"])
    tile = read_all(
        data.get_search_tile_by_scale_and_format(search_id, "WebMercatorQuad", z, x, y, 1, "png", **options)
    )
    wf.equal(png_size(tile), (256, 256), "search mosaic tile: a 256x256 PNG")
    tilejson = data.get_search_tile_json(search_id, tile_matrix_set_id="WebMercatorQuad", **options)
    wf.check(len(tilejson.tiles) >= 1 and search_id in tilejson.tiles[0], "search mosaic tilejson: its tile URL")
    wf.not_found(
        lambda: read_all(
            data.get_search_tile_by_scale_and_format("0" * 32, "WebMercatorQuad", z, x, y, 1, "png", **options)
        ),
        "tile of an unknown search: 404",
    )

    # -- clean up -------------------------------------------------------------------------------
    stac.delete_render_option(cid, "natural-color")
    stac.delete_mosaic(cid, "recent")
    wf.equal(list(stac.get_render_options(cid)), [], "every render option deleted")
    wf.equal({m.id for m in stac.get_mosaics(cid)}, builtin, "every mosaic of ours deleted")
    wf.wait(stac.begin_delete_collection(cid), "delete collection")
    wf.cleanups.clear()
    wf.not_found(lambda: stac.get_render_options(cid), "render options of a deleted collection: 404")


if __name__ == "__main__":
    Workflow("wf_f_render_options_mosaics").run(main)
