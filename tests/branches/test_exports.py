"""branches.exports: the one way every export writes a cell, so that nothing typed becomes a formula."""

import io
import zipfile

import openpyxl
import pytest

from branches.exports import inert_cell, xlsx_cell

HOSTILE = ["=1+1", "+1+1", "-1+1", "@SUM(1)", "\t=1+1", "\r=1+1", '=HYPERLINK("http://x","y")']


@pytest.mark.parametrize("value", HOSTILE)
def test_inert_cell_prefixes_an_apostrophe_to_text_that_begins_like_a_formula(value):
    assert inert_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["党费", "13800000001", " =1", "a=b", "", 42, -3, 1.5, None])
def test_inert_cell_leaves_anything_else_alone(value):
    assert inert_cell(value) == value


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_cell_keeps_the_text_and_stores_it_as_text(write_only):
    book = openpyxl.Workbook(write_only=write_only)
    sheet = book.create_sheet("x") if write_only else book.active
    sheet.append([xlsx_cell(sheet, value) for value in [*HOSTILE, "plain", 7, None, "\x01=2"]])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml
    row = next(openpyxl.load_workbook(buffer).worksheets[0].iter_rows())
    values = [c.value for c in row]
    # XML reads a carriage return back as a line feed; it is still text, and still marked.
    assert values[:5] == HOSTILE[:5] and values[6:9] == [HOSTILE[6], "plain", 7]
    assert values[-1] == "=2"  # a control character XML cannot hold is dropped, the rest stays text
    assert all(c.data_type == "s" and c.quotePrefix for c in row[:7])
    assert not row[7].quotePrefix and row[8].data_type == "n"
