"""Serve the JSON schemas stac-validator fetches from the copies in this folder (see README.md)."""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Pattern, Set, Tuple

HERE = Path(__file__).resolve().parent

#: Schema URL pattern -> the file of this folder it names.
_LOCAL: List[Tuple[Pattern[str], Callable[[re.Match], Optional[Path]]]] = [
    (re.compile(r"^https://schemas\.stacspec\.org/v1\.0\.0/(.+)$"), lambda m: HERE / "stacspec" / "v1.0.0" / m[1]),
    (
        re.compile(r"^https://stac-extensions\.github\.io/([\w-]+)/(v[\w.-]+)/schema\.json$"),
        lambda m: HERE / "ext" / m[1] / m[2] / "schema.json",
    ),
    (re.compile(r"^https://geojson\.org/schema/(\w+\.json)$"), lambda m: HERE / "geojson" / m[1]),
]


def local_path(url: str) -> Optional[Path]:
    """The local copy of a schema URL (fragment ignored), or None."""
    bare = url.split("#", 1)[0]
    if bare in ("http://json-schema.org/draft-07/schema", "https://json-schema.org/draft-07/schema"):
        import jsonschema_specifications

        return Path(jsonschema_specifications.__file__).parent / "schemas" / "draft7" / "metaschema.json"
    for pattern, where in _LOCAL:
        found = pattern.match(bare)
        if found:
            path = where(found)
            resolved = path.resolve() if path is not None else None
            # Only files of this folder: a crafted "../" in a URL must not read elsewhere.
            if resolved is not None and HERE in resolved.parents and resolved.is_file():
                return resolved
            return None
    return None


@contextmanager
def local_schemas(allowed_hosts: Tuple[str, ...] = ("127.0.0.1",)) -> Iterator[Set[str]]:
    """Within the block, stac-validator reads schemas from this folder.

    Yields the set of URLs fetched that are neither local copies nor on ``allowed_hosts`` (the
    server under test): empty when the run needed no internet.
    """
    import stac_validator.utilities as utilities

    original: Callable[..., Dict[str, Any]] = utilities.fetch_and_parse_file
    elsewhere: Set[str] = set()

    def fetch(input_path: str, headers: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
        if isinstance(input_path, str) and input_path.startswith(("http://", "https://")):
            path = local_path(input_path)
            if path is not None:
                return original(str(path))
            if not re.match(rf"^https?://({'|'.join(map(re.escape, allowed_hosts))})[:/]", input_path):
                elsewhere.add(input_path)  # never fetched: the run must not depend on the internet
                raise OSError(f"no local copy of {input_path} (see tests/stac_schemas/README.md)")
        return original(input_path, headers)

    utilities.fetch_and_parse_schema.cache_clear()
    utilities.fetch_and_parse_file = fetch
    try:
        yield elsewhere
    finally:
        utilities.fetch_and_parse_file = original
        utilities.fetch_and_parse_schema.cache_clear()
