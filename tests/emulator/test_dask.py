"""Signing on Dask workers: the signer and client.sas.sign_href pickle without tokens and sign again there.

A lazy ``odc.stac.load(..., patch_url=client.sas.sign_href, chunks=...)`` runs on a
``distributed.LocalCluster`` of two worker *processes* (they reach the in-process emulator over
loopback), and its pixels must equal an eager load's.
"""

from __future__ import annotations

import copy
import pickle
import threading
from typing import Any, Dict, Iterator, List

import pytest

from azure.planetarycomputer import PlanetaryComputerProClient, SasSigner, StaticTokenCredential, to_pystac
from azure.planetarycomputer._pickling import SignedHref, _client, client_spec
from geocatalog_emulator.server import Emulator
from geocatalog_emulator.testing import geocatalog_emulator  # noqa: F401

from .stored_demo import StoredDemo, remove, store_demo


@pytest.fixture(scope="module")
def demo(geocatalog_emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoredDemo]:  # noqa: F811
    stored = store_demo(geocatalog_emulator, tmp_path_factory.mktemp("demo"), "dask", items=3)
    yield stored
    remove(geocatalog_emulator, stored)


@pytest.fixture(scope="module")
def client(geocatalog_emulator: Emulator) -> Iterator[PlanetaryComputerProClient]:  # noqa: F811
    with PlanetaryComputerProClient(geocatalog_emulator.endpoint, StaticTokenCredential("emulator-token")) as client:
        yield client


def test_signed_hrefs_pickle_unsigned_and_sign_again(client: PlanetaryComputerProClient, demo: StoredDemo) -> None:
    href = demo.items[0]["assets"]["image"]["href"]
    signed = client.sas.sign_href(href, demo.collection_id)
    assert isinstance(signed, SignedHref) and "sig=" in signed
    data = pickle.dumps(signed)
    assert b"sig=" not in data and client.sas.signer.get_token(demo.collection_id).encode() not in data
    again = pickle.loads(data)
    assert again.startswith(href + "?") and "sig=" in again
    # Unpickled, it is signed by this process's own client for the endpoint, with its cached token.
    assert again == _client(client_spec(client.sas)).sas.sign_href(href, demo.collection_id)
    assert copy.deepcopy(signed) is signed and copy.copy(signed) is signed  # copying never signs
    assert client.sas.sign_href("https://example.com/not-a-blob.tif") == "https://example.com/not-a-blob.tif"


def test_signers_and_the_sas_group_pickle_as_how_to_reach_the_catalog(client: PlanetaryComputerProClient, demo: StoredDemo) -> None:
    client.sas.signer.get_token(demo.collection_id)  # a cached token that must not travel
    token = client.sas.signer.get_token(demo.collection_id)
    for obj in (client.sas.signer, client.sas, client.sas.sign_href, SasSigner(client.sas, duration_in_minutes=5)):
        data = pickle.dumps(obj)
        assert token.encode() not in data and b"sig=" not in data
    first, second = pickle.loads(pickle.dumps(client.sas.signer)), pickle.loads(pickle.dumps(client.sas.signer))
    assert first is second  # one signer (one token cache) per process and GeoCatalog
    short = pickle.loads(pickle.dumps(SasSigner(client.sas, duration_in_minutes=5)))
    assert short.duration_in_minutes == 5 and short is not first
    assert pickle.loads(pickle.dumps(client.sas.sign_href)).__self__ is first._sas


def test_credentials_travel_as_the_other_process_needs_them(client: PlanetaryComputerProClient) -> None:
    identity = pytest.importorskip("azure.identity")
    with PlanetaryComputerProClient(client._config.endpoint, identity.DefaultAzureCredential()) as signed_in:
        assert client_spec(signed_in.sas).credential == "DefaultAzureCredential"  # created again there

    class Unpicklable:
        def __init__(self) -> None:
            self.lock = threading.Lock()

        def get_token(self, *scopes: str, **kwargs: Any) -> Any:
            raise NotImplementedError

    with PlanetaryComputerProClient(client._config.endpoint, Unpicklable()) as odd:  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="cannot be sent to another process"):
            pickle.dumps(odd.sas.signer)


def test_lazy_odc_stac_load_on_two_dask_worker_processes_equals_an_eager_load(client: PlanetaryComputerProClient, demo: StoredDemo) -> None:
    odc_stac = pytest.importorskip("odc.stac")
    distributed = pytest.importorskip("distributed")
    cloudpickle = pytest.importorskip("cloudpickle")
    import numpy as np

    items = to_pystac(client.stac.item_search(collections=[demo.collection_id]).item_collection())
    options: Dict[str, Any] = {"bands": ["Red", "NIR"], "resolution": 2.4, "patch_url": client.sas.sign_href}
    eager = odc_stac.load(items, **options)
    lazy = odc_stac.load(items, chunks={"x": 128, "y": 128}, **options)
    assert lazy["Red"].data.npartitions > 3  # really chunked
    graph = cloudpickle.dumps(dict(lazy.__dask_graph__()))
    assert b"sig=" not in graph  # no SAS token baked into the task graph

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as dask_client:
            computed = lazy.compute()
            # Both workers have a client of their own, which signed the hrefs they read.
            signed_by: Dict[str, List[Any]] = dask_client.run(_signed_in_this_process)
            hrefs = dask_client.submit(_sign, client.sas.signer, demo.items[0]["assets"]["image"]["href"], demo.collection_id).result()
    assert len(signed_by) == 2 and sum(count for counts in signed_by.values() for count in counts) >= len(demo.items)
    assert "sig=" in hrefs
    for band in ("Red", "NIR"):
        assert eager[band].shape == computed[band].shape and eager[band].shape[0] == 3
        assert np.array_equal(eager[band].values, computed[band].values)
        assert eager[band].values.any()  # real pixels, not an empty read


def _signed_in_this_process() -> List[int]:
    from azure.planetarycomputer import _pickling

    return [len(client.sas.signer._cache) for client in _pickling._CLIENTS.values()]


def _sign(signer: SasSigner, href: str, collection_id: str) -> str:
    return str(signer.sign_href(href, collection_id))
