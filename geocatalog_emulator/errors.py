"""Errors in the service's shape: ``{"error": {"code", "message"}}`` plus ``x-ms-error-code``.

A missing collection or item is ``ResourceNotFound`` with the service's wording; a duplicate
item fails its operation with ``ItemAlreadyExistsInCollection``. Other resources keep a
``<What>NotFound`` / ``<What>AlreadyExists`` code.
"""

from __future__ import annotations


class ApiError(Exception):
    """An error response: raise it from a handler and the server answers with it."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message}}


#: How the service words a missing collection or item (code ``ResourceNotFound``).
_RESOURCE_NOT_FOUND = {
    "Collection": "Collection '{}' not found. Please verify the collection ID and try again.",
    "Item": "Item '{}' not found. Please verify the item ID and try again.",
}
#: The service's codes for resources that exist already, where they differ from ``<What>AlreadyExists``.
_ALREADY_EXISTS = {"Item": "ItemAlreadyExistsInCollection"}


def not_found(what: str, name: str) -> ApiError:
    template = _RESOURCE_NOT_FOUND.get(what)
    if template is not None:
        return ApiError(404, "ResourceNotFound", template.format(name))
    return ApiError(404, f"{what}NotFound", f"{what} '{name}' was not found.")


def bad_request(message: str, code: str = "InvalidRequest") -> ApiError:
    return ApiError(400, code, message)


def conflict(what: str, name: str) -> ApiError:
    return ApiError(409, _ALREADY_EXISTS.get(what, f"{what}AlreadyExists"), f"{what} '{name}' already exists.")
