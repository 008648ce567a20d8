# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Signing on other processes: the signer, ``client.sas`` and signed hrefs pickle without secrets.

Work that outgrows one machine runs on Dask (``dask.distributed``), which pickles what a task
needs and sends it to worker processes. A SAS token baked into that task graph would expire in
the middle of a long computation, so nothing here pickles a token or a signature. Instead:

* a signer (``client.sas.signer``, ``SasSigner(...)``) and the ``client.sas`` group (so
  ``client.sas.sign_href`` as ``odc.stac.load(patch_url=...)``) pickle as *how to reach the
  GeoCatalog*: the endpoint, the API version and how to get a credential. Each receiving process
  builds one client per GeoCatalog and keeps it: every task there signs with the same cached
  tokens, renewed shortly before they expire.
* a signed href (what ``sign_href`` returns: a ``str``) pickles as the unsigned href and its
  signer, and is signed again when unpickled, with the receiving process's cached token.
  (odc-stac applies ``patch_url`` while it builds the graph: this is what keeps its hrefs fresh.)

How a credential travels: ``azure.identity`` credentials that take no arguments
(``DefaultAzureCredential``, ``ManagedIdentityCredential``, ``AzureCliCredential``,
``EnvironmentCredential``, ``WorkloadIdentityCredential`` ...) are created again in the
receiving process, which signs in with its own identity (their constructor options are not
carried); ``StaticTokenCredential`` (for an emulator) travels with its fixed token; any other
credential travels only if it pickles itself. Clients built in a process are sync: an async
signer or group unpickles as its sync twin (code in Dask tasks is synchronous).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Dict, NamedTuple, Optional, Tuple

if TYPE_CHECKING:
    from ._client import PlanetaryComputerProClient
    from ._sas_signer import SasSigner
    from .operations import SasOperations

__all__ = ["ClientSpec", "client_spec", "rebuild_sas", "rebuild_signer", "signed", "SignedHref"]

#: azure.identity credentials a process can create again with no arguments (it signs in itself).
_REBUILDABLE = frozenset(
    {
        "DefaultAzureCredential",
        "ManagedIdentityCredential",
        "AzureCliCredential",
        "AzureDeveloperCliCredential",
        "AzurePowerShellCredential",
        "EnvironmentCredential",
        "WorkloadIdentityCredential",
    }
)


class ClientSpec(NamedTuple):
    """How to build a sync client of one GeoCatalog in another process (no token, no signature)."""

    endpoint: str
    api_version: str
    #: An azure.identity class name to create with no arguments, or a credential object.
    credential: Any

    def __repr__(self) -> str:
        kind = self.credential if isinstance(self.credential, str) else type(self.credential).__name__
        return f"ClientSpec(endpoint={self.endpoint!r}, api_version={self.api_version!r}, credential={kind})"


def client_spec(owner: Any) -> ClientSpec:
    """The spec of the client behind an operation group (sync or async).

    :raises TypeError: If the client's credential cannot be carried to another process.
    """
    config = owner._config
    credential = config.credential
    name = type(credential).__name__
    module = type(credential).__module__
    if module.startswith("azure.identity") and name in _REBUILDABLE:
        return ClientSpec(config.endpoint, config.api_version, name)
    if name in ("StaticTokenCredential", "AsyncStaticTokenCredential") and module.startswith(__package__ or ""):
        from ._auth import StaticTokenCredential

        inner = getattr(credential, "_sync", credential)  # AsyncStaticTokenCredential wraps a sync one
        return ClientSpec(config.endpoint, config.api_version, StaticTokenCredential(inner._token))
    import pickle  # here, not at import: pickling is for Dask workers, rarely used

    try:
        pickle.dumps(credential)
    except Exception as exc:
        raise TypeError(
            f"The client's {name} cannot be sent to another process: give the client a credential the "
            "other process can create itself (e.g. DefaultAzureCredential), or one that pickles"
        ) from exc
    return ClientSpec(config.endpoint, config.api_version, credential)


# --------------------------------------------------------------------------- the receiving process

_CLIENTS: Dict[Tuple[str, str, str], "PlanetaryComputerProClient"] = {}
_SIGNERS: Dict[Tuple[Any, ...], "SasSigner"] = {}
_GUARD = threading.Lock()


def _credential_key(credential: Any) -> str:
    import hashlib
    import pickle

    if isinstance(credential, str):
        return credential
    return hashlib.sha256(pickle.dumps(credential)).hexdigest()  # never the credential's text itself


def _client(spec: ClientSpec) -> "PlanetaryComputerProClient":
    """The one client of this process for ``spec`` (built on first use, kept for the process's life)."""
    key = (spec.endpoint, spec.api_version, _credential_key(spec.credential))
    with _GUARD:
        client = _CLIENTS.get(key)
        if client is None:
            from ._client import PlanetaryComputerProClient

            credential = spec.credential
            if isinstance(credential, str):
                import azure.identity

                credential = getattr(azure.identity, credential)()
            client = _CLIENTS[key] = PlanetaryComputerProClient(spec.endpoint, credential, api_version=spec.api_version)
        return client


def rebuild_sas(spec: ClientSpec) -> "SasOperations":
    """``client.sas`` of this process's client for ``spec`` (what a pickled ``client.sas`` becomes)."""
    return _client(spec).sas


def rebuild_signer(spec: ClientSpec, duration_in_minutes: Optional[int], refresh_margin: Any) -> "SasSigner":
    """This process's signer for ``spec`` with these settings (what a pickled signer becomes)."""
    client: Any = _client(spec)
    default: "SasSigner" = client.sas.signer
    if duration_in_minutes == default.duration_in_minutes and refresh_margin == default._cache.refresh_margin:
        return default
    key = (spec.endpoint, spec.api_version, _credential_key(spec.credential), duration_in_minutes, refresh_margin)
    with _GUARD:
        signer = _SIGNERS.get(key)
        if signer is None:
            from ._sas_signer import SasSigner

            signer = _SIGNERS[key] = SasSigner(
                client.sas, duration_in_minutes=duration_in_minutes, refresh_margin=refresh_margin
            )
        return signer


# --------------------------------------------------------------------------- signed hrefs


class SignedHref(str):
    """A signed href (a ``str``) that pickles unsigned and is signed again when unpickled.

    Copies (``copy``, ``deepcopy``) are the same object: it is immutable, and copying must not sign.
    """

    _unsigned: str
    _collection_id: Optional[str]
    _signer: Any

    def __reduce__(self) -> Any:
        return (_sign_again, (self._signer, self._unsigned, self._collection_id))

    def __copy__(self) -> "SignedHref":
        return self

    def __deepcopy__(self, memo: Any) -> "SignedHref":
        return self


def signed(value: str, href: str, collection_id: Optional[str], sas: Any) -> str:
    """``value`` (``href`` signed by ``sas.sign_href``) as a :class:`SignedHref`; unchanged hrefs stay plain.

    :param sas: What signs it again when unpickled: a ``client.sas`` group (it pickles as its spec).
    """
    if value == href:
        return value
    result = SignedHref(value)
    result._unsigned, result._collection_id, result._signer = href, collection_id, sas
    return result


def _sign_again(sas: Any, href: str, collection_id: Optional[str]) -> str:
    try:
        result: str = sas.sign_href(href, collection_id)  # a SignedHref again: it pickles the same way
    except Exception as exc:
        from ._logging import redact

        raise RuntimeError(
            redact(f"Could not sign {href.split('?')[0]} again in this process (signed hrefs pickle unsigned): {exc}")
        ) from exc
    return result
