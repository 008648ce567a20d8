"""A failed or canceled long-running operation: its code and message reach the caller, sync and async.

The service wraps a failed operation's error once more than the reference examples show
(``{"error": {"error": {"code", "message"}}}`` rather than ``{"error": {"code", "message"}}``);
a canceled one reports its code only in the last ``statusHistory`` entry. Both, and the flat
shape, must end up in ``HttpResponseError.error`` and in ``Operation.error``.
"""

from __future__ import annotations

from typing import Any, Dict, List

import pytest
from azure.core.exceptions import HttpResponseError

from azure.planetarycomputer import PlanetaryComputerProClient, models
from azure.planetarycomputer.aio import PlanetaryComputerProClient as AsyncClient
from azure.planetarycomputer.models._patch import operation_error

from .conftest import ENDPOINT, AsyncFakeCredential, FakeCredential
from .fakes import AsyncFakeTransport, FakeTransport, Reply

OP_URL = ENDPOINT + "/inma/operations/op-1"
ITEM = {"type": "Feature", "id": "i", "bbox": [0, 0, 1, 1], "properties": {"datetime": "2024-01-01T00:00:00Z"}}
FAILED = {"code": "ItemAlreadyExistsInCollection", "message": "Item 'i' already exists."}
HISTORY: List[Dict[str, Any]] = [
    {"status": "Pending", "timestamp": "2026-01-01T00:00:00Z"},
    {"status": "Running", "timestamp": "2026-01-01T00:00:01Z"},
]


def failed_operation(error: Any) -> Dict[str, Any]:
    last = {"status": "Failed", "timestamp": "2026-01-01T00:00:02Z", "errorCode": FAILED["code"]}
    return {"id": "op-1", "status": "Failed", "type": "AddItem", "statusHistory": [*HISTORY, last], "error": error}


CANCELED = {
    "id": "op-1",
    "status": "Canceled",
    "type": "AddItem",
    "statusHistory": [
        *HISTORY,
        {
            "status": "Canceled",
            "timestamp": "2026-01-01T00:00:02Z",
            "errorCode": "CanceledOperation",
            "errorMessage": "The operation was canceled by the user.",
        },
    ],
}
SHAPES = {
    "wrapped": (failed_operation({"error": FAILED}), FAILED["code"], FAILED["message"]),
    "flat": (failed_operation(FAILED), FAILED["code"], FAILED["message"]),
    "canceled": (CANCELED, "CanceledOperation", "The operation was canceled by the user."),
}


def replies(final: Dict[str, Any]) -> List[Reply]:
    return [
        Reply(202, {"id": "op-1", "status": "Pending"}, {"Operation-Location": OP_URL}),
        Reply(200, {"id": "op-1", "status": "Running"}),
        Reply(200, final),
    ]


def check(error: HttpResponseError, code: str, message: str) -> None:
    assert error.error is not None, str(error)
    assert (error.error.code, error.error.message) == (code, message)
    assert code in str(error) and message in str(error)
    assert "invalid status" not in str(error)
    ended = "was canceled" if code == "CanceledOperation" else "failed"
    assert str(error).startswith(f"POST /stac/collections/c/items started a long-running operation that {ended}: ")


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_failed_operation_raises_with_its_code_and_message(shape: str) -> None:
    final, code, message = SHAPES[shape]
    client = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=FakeTransport(replies(final)))
    poller = client.stac.begin_create_item("c", ITEM, polling_interval=0)
    with pytest.raises(HttpResponseError) as info:
        poller.result()
    check(info.value, code, message)
    assert poller.status() in ("Failed", "Canceled")


@pytest.mark.parametrize("shape", sorted(SHAPES))
async def test_failed_operation_raises_with_its_code_and_message_async(shape: str) -> None:
    final, code, message = SHAPES[shape]
    async with AsyncClient(ENDPOINT, AsyncFakeCredential(), transport=AsyncFakeTransport(replies(final))) as client:
        poller = await client.stac.begin_create_item("c", ITEM, polling_interval=0)
        with pytest.raises(HttpResponseError) as info:
            await poller.result()
    check(info.value, code, message)


def test_failed_operation_resumed_from_a_token_raises_with_its_code() -> None:
    final, code, message = SHAPES["wrapped"]
    first = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=FakeTransport(replies(final)[:1]))
    token = first.stac.begin_create_item("c", ITEM, polling_interval=0).continuation_token()
    second = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=FakeTransport([Reply(200, final)]))
    with pytest.raises(HttpResponseError) as info:
        second.stac.begin_create_item("c", ITEM, continuation_token=token, polling_interval=0).result()
    check(info.value, code, message)


def test_operation_failing_without_any_error_keeps_azure_cores_error() -> None:
    bare = {"id": "op-1", "status": "Failed", "type": "AddItem", "statusHistory": HISTORY}
    client = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=FakeTransport(replies(bare)))
    with pytest.raises(HttpResponseError) as info:
        client.stac.begin_create_item("c", ITEM, polling_interval=0).result()
    assert info.value.error is None and info.value.response is not None
    assert str(info.value).startswith("POST /stac/collections/c/items started a long-running operation that failed: ")


def test_operation_failure_messages_are_redacted() -> None:
    signed = "https://account.blob.core.windows.net/c/a.tif?se=2030-01-01&sig=SECRETsig%3D"
    final = failed_operation({"error": {"code": "IngestionResourceUriNotFound", "message": f"{signed}: HTTP 404."}})
    client = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=FakeTransport(replies(final)))
    with pytest.raises(HttpResponseError) as info:
        client.stac.begin_create_item("c", ITEM, polling_interval=0).result()
    assert info.value.error is not None and info.value.error.code == "IngestionResourceUriNotFound"
    assert "SECRETsig" not in str(info.value) and "SECRETsig" not in info.value.message


@pytest.mark.parametrize("shape", ["wrapped", "flat"])
def test_operation_model_error_has_code_and_message_in_both_shapes(shape: str) -> None:
    operation = models.Operation(SHAPES[shape][0])
    assert isinstance(operation.error, models.ErrorInfo)
    assert (operation.error.code, operation.error.message) == (FAILED["code"], FAILED["message"])
    assert operation_error(operation) == (FAILED["code"], FAILED["message"])
    assert operation.as_dict() == SHAPES[shape][0]  # reading both shapes changes nothing on the wire


def test_error_info_fields_can_still_be_set_and_cleared() -> None:
    info = models.ErrorInfo(error=models.Error(code="Wrapped", message="inner"))
    assert (info.code, info.message) == ("Wrapped", "inner")
    info.code = "Direct"
    assert info.code == "Direct" and info.as_dict() == {
        "error": {"code": "Wrapped", "message": "inner"},
        "code": "Direct",
    }
    del info.code
    assert info.code == "Wrapped"
    assert models.ErrorInfo({}).code is None


def test_operation_error_of_a_canceled_operation_comes_from_its_history() -> None:
    assert operation_error(CANCELED) == ("CanceledOperation", "The operation was canceled by the user.")
    assert operation_error({"id": "x", "status": "Succeeded"}) == (None, None)
    assert operation_error("not an operation") == (None, None)
