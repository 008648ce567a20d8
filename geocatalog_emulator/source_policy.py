"""What the emulator may read when it copies sources and asset hrefs: local files only under the
folders it was told to allow, and http(s) only from public addresses unless a host is allowed.

Anyone with a bearer token (any token, on the emulator) can name a source or an asset href, and the
emulator copies what it reads into storage and serves it back: without this policy that is a way to
read ``/etc/passwd`` or an internal web service from the developer's machine.

- Files: a path (or ``file://`` URL) is resolved, symbolic links included, and must then lie under
  an allowed folder.
- http(s): every address the host name resolves to is checked *before* connecting, and the socket
  connects to that checked address (a second lookup cannot answer differently). Loopback,
  link-local, private and other non-global addresses are refused unless the host name, the address
  or a network holding it was allowed. Redirects go through the same check; proxies from the
  environment are not used, and no scheme besides http and https is opened.
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import os
import socket
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, BinaryIO, Dict, List, Optional, Sequence, Tuple, Union
from urllib.parse import urlsplit

_DEFAULT_TIMEOUT: Any = getattr(socket, "_GLOBAL_DEFAULT_TIMEOUT", None)
Address = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]
Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]


class Refused(Exception):
    """A source the policy does not allow (the message says which option would allow it)."""


class SourcePolicy:
    """The folders and hosts the emulator may read from.

    :param allow_files: Folders whose files may be read (resolved once).
    :param allow_hosts: Host names, addresses or CIDR networks allowed although not public.
    """

    def __init__(self, allow_files: Sequence[Path] = (), allow_hosts: Sequence[str] = ()) -> None:
        self.folders: Tuple[Path, ...] = tuple(Path(os.path.realpath(folder)) for folder in allow_files)
        names: List[str] = []
        networks: List[Network] = []
        for entry in allow_hosts:
            try:
                networks.append(ipaddress.ip_network(entry.strip().strip("[]"), strict=False))
            except ValueError:
                names.append(entry.strip().lower().rstrip("."))
        self.names = frozenset(names)
        self.networks = tuple(networks)
        self._opener = _opener(self)

    # -- files ----------------------------------------------------------------------------------

    def check_file(self, path: Union[str, Path]) -> Path:
        """The real path of a file the emulator may read.

        :raises Refused: when it is not under an allowed folder (symbolic links followed).
        """
        real = Path(os.path.realpath(path))
        if not any(real == folder or folder in real.parents for folder in self.folders):
            raise Refused(
                f"{path} is not under a folder the emulator may read; start it with --allow-files <folder> "
                "(Emulator(allow_files=[...]) in-process)."
            )
        return real

    def file_allowed(self, path: Union[str, Path]) -> bool:
        try:
            self.check_file(path)
        except Refused:
            return False
        return True

    # -- hosts ----------------------------------------------------------------------------------

    def address_allowed(self, host: str, address: str) -> bool:
        """Whether ``host``, resolved to ``address``, may be connected to."""
        ip: Address = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address):
            ip = _embedded_ipv4(ip) or ip
        if ip.is_global and not ip.is_multicast:
            return True
        return host.lower().rstrip(".").strip("[]") in self.names or any(ip in network for network in self.networks)

    def connect(self, address: Tuple[str, int], timeout: Any = _DEFAULT_TIMEOUT, source: Any = None) -> socket.socket:
        """A socket to ``address`` (host, port), once every address the host resolves to is allowed."""
        host, port = address
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise OSError(f"cannot resolve {host}: {exc}") from None
        targets = [str(info[4][0]) for info in found]
        refused = [target for target in targets if not self.address_allowed(host, target)]
        if refused:
            raise Refused(
                f"{host} resolves to {refused[0]}, a loopback, link-local or private address; start the emulator "
                f"with --allow-hosts {host} (Emulator(allow_hosts=[...]) in-process) to read from it."
            )
        error: Optional[OSError] = None
        for target in dict.fromkeys(targets):
            try:
                return socket.create_connection((target, port), timeout, source)
            except OSError as exc:
                error = exc
        raise error or OSError(f"cannot connect to {host}")

    def open_url(self, url: str, headers: Dict[str, str], timeout: float) -> BinaryIO:
        """Open an http(s) URL under this policy (``urllib`` errors as ``urlopen`` raises them).

        :raises Refused: when the URL's host (or a redirect's) is not allowed.
        """
        if urlsplit(url).scheme not in ("http", "https"):
            raise Refused(f"{url}: only http and https URLs are read.")
        request = urllib.request.Request(url, headers=headers)
        try:
            return self._opener.open(request, timeout=timeout)  # type: ignore[no-any-return]
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, Refused):
                raise exc.reason from None
            raise


_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> Optional[ipaddress.IPv4Address]:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, NAT64, IPv4-compatible): the one
    the packets reach, so ``::ffff:127.0.0.1`` or ``64:ff9b::7f00:1`` count as loopback."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in network for network in (*_NAT64, _IPV4_COMPATIBLE)) and int(ip) > 1:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


class _CheckedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, policy: SourcePolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = policy.connect


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, policy: SourcePolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = policy.connect


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, policy: SourcePolicy) -> None:
        super().__init__()
        self._policy = policy

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_CheckedHTTPConnection, policy=self._policy), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, policy: SourcePolicy) -> None:
        super().__init__()
        self._policy = policy

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_CheckedHTTPSConnection, policy=self._policy), req)


def _opener(policy: SourcePolicy) -> urllib.request.OpenerDirector:
    """http and https only (no file, ftp or data handlers a redirect could reach), no proxies."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler({}),
        urllib.request.UnknownHandler(),
        _HTTPHandler(policy),
        _HTTPSHandler(policy),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener
