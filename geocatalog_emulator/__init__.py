"""A local GeoCatalog emulator: the Planetary Computer Pro REST API (2026-04-15) on loopback.

Start it with ``geocatalog-emulator --port 8080 --data ./.geocatalog`` or in-process:

>>> from geocatalog_emulator import Emulator
>>> with Emulator() as emulator:
...     print(emulator.endpoint)

It is a separate package from the client (``pip install azure-planetarycomputer[emulator]``);
the client never imports it.
"""

from .catalog import API_VERSION, GeoCatalog
from .server import Emulator

__all__ = ["API_VERSION", "Emulator", "GeoCatalog"]
