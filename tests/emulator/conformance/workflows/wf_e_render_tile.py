"""(e) Render a tile: ``data.get_item_tile_json``, ``data.get_tile_by_scale_and_format`` (1x and 2x),
the preview, and the tile URL template of the TileJSON; every image is a PNG.

python wf_e_render_tile.py <endpoint> <workdir>
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
)
from azure.core.rest import HttpRequest


def main(wf: Workflow) -> None:
    stac, data = wf.client.stac, wf.client.data
    demo = Demo(wf.workdir)
    cid = wf.uid("wf-e-tiles")
    wf.info["collection"] = cid
    wf.wait(
        stac.begin_create_collection(
            collection_body(cid, "Tiles", [-180, -90, 180, 90], ["2000-01-01T00:00:00Z", None])
        ),
        "create collection",
    )
    wf.cleanups.append(lambda: stac.begin_delete_collection(cid).result(timeout=30))
    ingest_demo(wf, demo, cid)
    item = demo.items[0]
    iid = item["id"]
    key = cog_asset_key(item)
    options = render_kwargs(item, key)
    wf.info.update(item=iid, asset=key, options=options)

    tilejson = data.get_item_tile_json(cid, iid, tile_matrix_set_id="WebMercatorQuad", tile_format="png", **options)
    wf.check(len(tilejson.tiles) >= 1, "tilejson: a tile URL template")
    template = tilejson.tiles[0]
    wf.check(all(part in template for part in ("{z}", "{x}", "{y}")), "tilejson: template has {z}/{x}/{y}", template)
    wf.check(tilejson.bounds is not None and len(tilejson.bounds) == 4, "tilejson: bounds")
    z, x, y = tile_for(item["bbox"], tilejson.min_zoom, tilejson.max_zoom)
    wf.info["tile"] = [z, x, y]

    tile = read_all(data.get_tile_by_scale_and_format(cid, iid, "WebMercatorQuad", z, x, y, 1, "png", **options))
    wf.equal(png_size(tile), (256, 256), "tile @1x: a 256x256 PNG")
    (wf.workdir / "tile.png").write_bytes(tile)
    tile2 = read_all(data.get_tile_by_scale_and_format(cid, iid, "WebMercatorQuad", z, x, y, 2, "png", **options))
    wf.equal(png_size(tile2), (512, 512), "tile @2x: a 512x512 PNG")

    preview = read_all(data.get_item_preview(cid, iid, format="png", max_size=128, **options))
    size = png_size(preview)
    wf.check(size is not None and max(size) <= 128, "preview: a PNG at most 128 px", size)
    preview2 = read_all(data.get_item_preview_with_format(cid, iid, "png", max_size=64, **options))
    size = png_size(preview2)
    wf.check(size is not None and max(size) <= 64, "preview with format: a PNG at most 64 px", size)

    # the TileJSON's URL template is a working tile URL (with the same bearer token)
    url = template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))

    response = wf.client.send_request(HttpRequest("GET", url), stream=True)
    wf.equal(response.status_code, 200, "tilejson template URL: 200")
    wf.check(png_size(response.read()) is not None, "tilejson template URL: a PNG")

    # a tile of an item that does not exist
    wf.not_found(
        lambda: read_all(
            data.get_tile_by_scale_and_format(cid, "missing", "WebMercatorQuad", z, x, y, 1, "png", **options)
        ),
        "tile of a missing item: 404",
    )

    wf.wait(stac.begin_delete_collection(cid), "delete collection")
    wf.cleanups.clear()
    wf.not_found(lambda: stac.get_collection(cid), "get deleted collection: 404")


if __name__ == "__main__":
    Workflow("wf_e_render_tile").run(main)
