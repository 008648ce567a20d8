"""A local GeoCatalog emulator: the Planetary Computer Pro REST API (2026-04-15) on loopback.

Start it with ``geocatalog-emulator --port 8080 --data ./.geocatalog`` or in-process:

>>> from geocatalog_emulator import Emulator
>>> with Emulator() as emulator:
...     print(emulator.endpoint)

It is a separate package from the client (``pip install azure-planetarycomputer[emulator]``);
the client never imports it.

It answers like the real GeoCatalog, not like a tidier idea of it: status codes, headers, content
types, JSON shapes, error codes and operation records are the service's, and the third-party
``stac-api-validator`` runs against it in the test suite. Where the service is odd, the emulator
is odd the same way, so code tested here works there:

* a failed operation's ``error`` is wrapped once more than the reference examples show
  (``{"error": {"error": {"code", "message"}}}``). azure-core's poller cannot read that shape (it
  raises "Operation returned an invalid status 'OK'" without the code); this package's client
  reads both;
* a succeeded operation's last ``statusHistory`` entry is ``Finished``, which is not an
  ``OperationStatus`` value (the top-level ``status`` is ``Succeeded``);
* colormap legend images are PNG bytes labelled ``image/jpg``; item info is labelled
  ``application/geo+json`` although only ``info.geojson`` is GeoJSON. Clients read the bytes;
* the queryables ``$id`` ends in ``?api-version=...``, so it differs from the URL it was read at
  (validators flag it);
* replacing an ingestion source (PUT) answers without ``created`` (reads show it); run operations
  do not name their ingestion or run (``DeleteIngestion`` names its ingestion, as recorded).

Beyond the service, and harmless to clients: ``api-version`` ``2025-04-30-preview`` (what the
1.0.0b1 generation sends) is served like ``2026-04-15``; ``HEAD`` works on every STAC route;
the OpenAPI description (``/stac/openapi.json``, also ``/openapi.json``) and its page are served
without a token. An unknown item's 404 message follows the collection's wording, which is the one
recorded.
"""

from .catalog import API_VERSION, GeoCatalog
from .server import Emulator

__all__ = ["API_VERSION", "Emulator", "GeoCatalog"]
