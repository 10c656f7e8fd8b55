"""Surname stroke order (姓氏笔画): the order in which candidates stand on a ballot.

Names compare character by character (the surname first, then the given name; a shorter name that is the
start of a longer one comes first). Characters compare by
1. total strokes, fewer first;
2. the strokes in writing order, as digits 横1 竖2 撇3 点4 折5 — the first stroke (起笔) decides, then the
   second, and so on; a character whose count is known but not its sequence comes after those of its count
   whose sequence is known;
3. the code point, so that the order is total and the same on every machine.
A character not in the table (Latin, digits, `·`, a rare ideograph outside the basic block and extension A)
comes after every character that is, among such characters by code point.

The table `data/strokes.tsv` is generated once by `scripts/build_stroke_table.py` from Unihan's
kTotalStrokes and cnchar's stroke orders; licences in `data/LICENSES.md`. It is read on first use.
"""

from __future__ import annotations

import functools
import importlib.resources

TABLE = "data/strokes.tsv"

type CharKey = tuple[int, int, int, str, str]


@functools.cache
def _table() -> dict[str, tuple[int, str]]:
    text = importlib.resources.files("ballots").joinpath(TABLE).read_text("utf-8")
    table = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        char, total, *sequence = line.split("\t")
        table[char] = (int(total), sequence[0] if sequence else "")
    return table


def strokes_of(char: str) -> tuple[int, str] | None:
    """(total strokes, strokes in writing order as digits or ""), or None for a character not in the table."""
    return _table().get(char)


@functools.cache
def _char_key(char: str) -> CharKey:
    entry = strokes_of(char)
    if entry is None:
        return (1, 0, 0, "", char)
    total, sequence = entry
    return (0, total, 0 if sequence else 1, sequence, char)


def stroke_key(name: str) -> tuple[CharKey, ...]:
    """Sort key for a name in surname stroke order."""
    return tuple(_char_key(char) for char in name.strip())


def sort_by_strokes(names: list[str]) -> list[str]:
    return sorted(names, key=stroke_key)
