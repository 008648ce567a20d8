"""Errors in the service's shape: ``{"error": {"code", "message"}}`` plus ``x-ms-error-code``."""

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


def not_found(what: str, name: str) -> ApiError:
    return ApiError(404, f"{what}NotFound", f"{what} '{name}' was not found.")


def bad_request(message: str, code: str = "InvalidRequest") -> ApiError:
    return ApiError(400, code, message)


def conflict(what: str, name: str) -> ApiError:
    return ApiError(409, f"{what}AlreadyExists", f"{what} '{name}' already exists.")
