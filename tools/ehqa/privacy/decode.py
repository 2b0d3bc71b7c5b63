"""Encodings undone, so that an identifier hidden by one is still found: the decoded view.

Only encodings that can hide an identifier's characters are undone: HTML entities (``&#39;``,
``&amp;``), JSON and JavaScript escapes (``\\u0034``, ``\\x34``) and URL %-escapes (a byte that is
not part of valid UTF-8 stays as written), repeated so that double encoding is undone too.
``DecodedView.original_offset`` maps an offset in the decoded text back to the text as written.
"""

from __future__ import annotations

import html
import json
import re

from ehqa.privacy.normalise import OffsetMap

# Only encodings that can hide an identifier's characters are undone: entities, \\u and \\x escapes,
# %-escapes. (``\\n`` between the words of a name is a gap of its own.) One leading character per
# piece keeps the scan fast; an escaped backslash is taken as a piece, unchanged, so that the ``u``
# after it is not read as an escape.
_ENCODED = re.compile(
    r"[&\\%](?:"
    r"(?<=&)(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?"  # an HTML entity
    r"|(?<=\\)(?:u[0-9A-Fa-f]{4}(?:\\u[0-9A-Fa-f]{4})?|x[0-9A-Fa-f]{2}|\\)"  # JSON and JavaScript
    r"|(?<=%)[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2})*"  # URL-encoded bytes
    r")"
)
_DECODE_ROUNDS = 3  # undoes double (and triple) encoding, such as &amp;#39; or an escaped entity in JSON


def _decode_piece(piece: str) -> str:
    first = piece[0]
    if first == "&":
        return html.unescape(piece)
    if first == "%":
        return _decode_percent(piece)
    if piece.startswith("\\x"):
        return chr(int(piece[2:], 16))
    if piece.startswith("\\u"):
        try:
            return json.loads(f'"{piece}"')
        except ValueError:
            return piece
    return piece  # an escaped backslash


def _decode_percent(piece: str) -> str:
    """%-escaped UTF-8; a byte that is not part of a valid character stays as written."""
    units = piece.split("%")[1:]
    decoded = bytes.fromhex("".join(units)).decode("utf-8", "surrogateescape")
    out: list[str] = []
    index = 0
    for char in decoded:
        if "\udc80" <= char <= "\udcff":  # an undecodable byte
            out.append("%" + units[index])
            index += 1
        else:
            out.append(char)
            index += len(char.encode("utf-8"))
    return "".join(out)


class DecodedView:
    """The text with its encodings undone, and the way back from an offset in it to the original."""

    def __init__(self, text: str, layers: list[OffsetMap]) -> None:
        self.text = text
        self.layers = layers

    @classmethod
    def of(cls, text: str) -> DecodedView | None:
        """The decoded view of text, or None when there is nothing to decode."""
        layers: list[OffsetMap] = []
        for _ in range(_DECODE_ROUNDS):
            decoded = _decode_once(text)
            if decoded is None:
                break
            text, layer = decoded
            layers.append(layer)
        return cls(text, layers) if layers else None

    def original_offset(self, offset: int) -> int:
        for layer in reversed(self.layers):
            offset = layer.source_offset(offset)
        return offset


def _decode_once(text: str) -> tuple[str, OffsetMap] | None:
    out: list[str] = []
    layer = OffsetMap()
    last = 0
    at = 0  # length of the decoded text so far
    for match in _ENCODED.finditer(text):
        start, end = match.span()
        piece = match.group()
        replacement = _decode_piece(piece)
        if replacement == piece:
            continue
        out.append(text[last:start])
        at += start - last
        layer.replaced(at, start, end, len(replacement))
        out.append(replacement)
        at += len(replacement)
        last = end
    if not layer.changed_at:
        return None
    out.append(text[last:])
    return "".join(out), layer
