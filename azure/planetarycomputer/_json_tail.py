# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""The top-level ``links`` of a JSON object read from the end of its raw bytes, without parsing
the rest: a search page's next link is known as soon as the page has arrived, so the next
request goes out while the page (megabytes of features) is still being parsed.

The service writes ``links`` after ``features``, so the array is near the end. A candidate is
only taken when everything from its key to the last ``}`` parses as members of one object, which
(in valid JSON) can only be the outermost one; anything else gives None and the caller waits for
the full parse. The caller still compares the guess with the parsed page's own link.
"""

from __future__ import annotations

import json
from typing import Any, List, Optional

__all__ = ["top_level_links"]

#: How far from the end the key is looked for; a page's own links take a few hundred bytes.
TAIL_BYTES = 64 * 1024
#: Occurrences of ``"links"`` tried, last first (the features before them have links too).
ATTEMPTS = 3

_WHITESPACE = " \t\n\r"
_DECODER = json.JSONDecoder()


def top_level_links(body: bytes) -> Optional[List[Any]]:
    """The ``links`` array of the JSON object ``body``, read from its tail; None if not found there.

    :param body: The raw bytes of a JSON object (UTF-8).
    :return: The array, or None when the tail does not show it unambiguously.
    """
    end = len(body.rstrip())
    if end == 0 or body[end - 1 : end] != b"}":
        return None
    # A cut inside a multi-byte character only spoils text before any key tried here.
    tail = body[max(0, end - TAIL_BYTES) : end].decode("utf-8", errors="replace")
    position = len(tail)
    for _ in range(ATTEMPTS):
        position = tail.rfind('"links"', 0, position)
        if position < 0:
            return None
        links = _members_to_end(tail, position)
        if links is not None:
            return links
    return None


def _members_to_end(text: str, key_at: int) -> Optional[List[Any]]:
    """The value of the ``"links"`` key at ``key_at`` if it and the members after it run to the
    closing ``}`` at the end of ``text``; None otherwise."""
    before = text[:key_at].rstrip(_WHITESPACE)
    if not before or before[-1] not in ",{":
        return None  # not where a key starts (text inside a string would have \\" here)
    try:
        index = _skip(text, key_at + len('"links"'))
        if text[index] != ":":
            return None
        links, index = _DECODER.raw_decode(text, _skip(text, index + 1))
        while True:
            index = _skip(text, index)
            if text[index] == "}":
                return links if isinstance(links, list) and index == len(text) - 1 else None
            if text[index] != ",":
                return None
            key, index = _DECODER.raw_decode(text, _skip(text, index + 1))
            index = _skip(text, index)
            if not isinstance(key, str) or text[index] != ":":
                return None
            _, index = _DECODER.raw_decode(text, _skip(text, index + 1))
    except (ValueError, IndexError, RecursionError):
        return None


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in _WHITESPACE:
        index += 1
    return index
