"""(d) Sign and download an asset: ``sas.get_token``, ``sas.get_url``, signed search results; the
downloaded bytes equal the demo COG.

python wf_d_sign_download.py <endpoint> <workdir>
"""

from __future__ import annotations

import urllib.error

from _harness import Demo, Workflow, cog_asset_key, collection_body, download, ingest_demo

from azure.planetarycomputer import models


def main(wf: Workflow) -> None:
    stac, sas = wf.client.stac, wf.client.sas
    demo = Demo(wf.workdir)
    cid = wf.uid("wf-d-sas")
    wf.info["collection"] = cid
    wf.wait(
        stac.begin_create_collection(collection_body(cid, "SAS", [-180, -90, 180, 90], ["2000-01-01T00:00:00Z", None])),
        "create collection",
    )
    wf.cleanups.append(lambda: stac.begin_delete_collection(cid).result(timeout=30))
    ingest_demo(wf, demo, cid)
    item = demo.items[0]

    got = stac.get_item(cid, item["id"])
    key = cog_asset_key(item)
    href = got.assets[key].href
    expected = demo.local_file(item, key).read_bytes()
    wf.info.update(asset=key, href=href, bytes=len(expected))
    wf.check(href.startswith(("http://", "https://")), "ingested asset: an http(s) href in managed storage", href)
    wf.check(href != item["assets"][key]["href"], "ingested asset: copied (href rewritten)")

    # the unsigned href is refused
    try:
        download(href)
        refused = None
    except urllib.error.HTTPError as exc:
        refused = exc.code
    wf.check(refused in (401, 403, 404), "download without a SAS token: refused", refused)

    # a collection token appended to the href
    token = sas.get_token(cid, duration_in_minutes=30)
    wf.check(isinstance(token, models.SharedAccessSignatureToken), "get token: a SharedAccessSignatureToken")
    wf.check(bool(token.token), "get token: token text")
    wf.check(token.expires_on is not None, "get token: msft:expiry")
    data = download(f"{href}?{token.token}")
    wf.equal(len(data), len(expected), "download with the token: size")
    wf.check(data == expected, "download with the token: same bytes as the demo COG")

    # a signed href
    signed = sas.get_url(href=href, duration_in_minutes=30)
    wf.check(signed.href.startswith(href.split("?")[0]), "get url: same blob", signed.href)
    wf.check(signed.href != href, "get url: signed")
    wf.check(download(signed.href) == expected, "download the signed href: same bytes as the demo COG")

    # a tampered signature is refused
    tampered = signed.href.replace("sig=", "sig=x", 1)
    try:
        download(tampered)
        refused = None
    except urllib.error.HTTPError as exc:
        refused = exc.code
    wf.check(refused in (401, 403), "download with a tampered signature: refused", refused)

    # signed hrefs straight from get_item and search
    signed_item = stac.get_item(cid, item["id"], sign="true", duration_in_minutes=30)
    wf.check(download(signed_item.assets[key].href) == expected, "get_item(sign=true): the href downloads")
    page = stac.search({"collections": [cid], "ids": [item["id"]]}, sign="true")
    wf.equal([f.id for f in page.features], [item["id"]], "search(sign=true): the item")
    wf.check(download(page.features[0].assets[key].href) == expected, "search(sign=true): the href downloads")

    # a token for a collection that does not exist
    wf.not_found(lambda: sas.get_token(wf.uid("wf-d-missing")), "get token of a missing collection: 404")

    wf.wait(stac.begin_delete_collection(cid), "delete collection")
    wf.cleanups.clear()
    wf.not_found(lambda: stac.get_collection(cid), "get deleted collection: 404")


if __name__ == "__main__":
    Workflow("wf_d_sign_download").run(main)
