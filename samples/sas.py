"""Shared access signatures: read a collection's files straight from its storage.

Gets a collection's SAS token and uses it; signs one href (with the cached token, and through the
service), signs a whole item (every asset href) and downloads an asset with the signed URL; then
revokes the tokens and shows that an old signed URL stops working.

    python samples/sas.py [--output DIR]

Runs against a local emulator unless ``PLANETARYCOMPUTER_ENDPOINT`` is set (see ``samples/_setup.py``).
Revoking cuts off every token of the GeoCatalog, for everyone: against a real GeoCatalog the sample
revokes only when ``PLANETARYCOMPUTER_REVOKE=1``.
"""

import os
import urllib.error
import urllib.request

from _setup import ASSET, ENDPOINT, demo, output_folder, step


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def main() -> None:
    output = output_folder()
    with demo() as (client, collection_id, item_id):
        item = client.stac.get_item(collection_id, item_id)
        href = item.assets[ASSET].href  # the blob URL: unreadable without a SAS token

        step(f"A SAS token for {collection_id}")
        token = client.sas.get_token(collection_id, duration_in_minutes=60)
        print(f"   valid until {token.expires_on}; append it to any blob URL of the collection after '?'")
        print(f"   read with it: {len(fetch(href + '?' + token.token))} bytes of {ASSET}")

        step("Sign one href")
        signed_href = client.sas.sign_href(href, collection_id)  # the collection's token, cached by the client
        print(f"   cached token: {signed_href.split('?')[0]}?<token>")
        by_service = client.sas.get_url(href=href, duration_in_minutes=30)  # one request per href
        print(f"   signed by the service, valid until {by_service.expires_on}")

        step("Sign a whole item, then download an asset")
        signed = client.sas.sign(item)  # a copy with every asset href signed; `item` is unchanged
        print(f"   signed assets: {sorted(signed.assets)}; signer: {client.sas.signer}")
        path = output / f"{item_id}-{ASSET}.tif"
        path.write_bytes(fetch(signed.assets[ASSET].href))
        print(f"   {path.name}: {path.stat().st_size} bytes")

        step("Revoke")
        if ENDPOINT and os.environ.get("PLANETARYCOMPUTER_REVOKE") != "1":
            print("   skipped: set PLANETARYCOMPUTER_REVOKE=1 to revoke every token of this GeoCatalog")
            return
        client.sas.revoke_token()  # also empties the client's token cache
        try:
            fetch(signed_href)
        except urllib.error.HTTPError as error:
            print(f"   the old signed URL is refused after revoke (HTTP {error.code})")
        fresh = client.sas.sign_href(href, collection_id)  # a new token
        print(f"   a new token works: {len(fetch(fresh))} bytes")


if __name__ == "__main__":
    main()
