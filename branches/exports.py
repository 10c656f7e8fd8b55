"""Cells of the spreadsheets and CSV files the portal hands out, made inert.

A name, a title or a note typed by anyone ends up in a cell that a secretary opens in Excel, WPS or
LibreOffice. Text that begins like a formula (=, +, -, @, a tab or a carriage return) would be evaluated
there: `=HYPERLINK(...)` sends the sheet's contents away, `=cmd|...` (DDE) starts a program. Every export
writes its cells through one of these two functions:

- `xlsx_cell(sheet, value)` for an .xlsx sheet (openpyxl): text keeps its exact characters and is stored
  as text, so it is never a formula;
- `inert_cell(value)` for a CSV file, which has no text type: text that begins like a formula gets a
  leading apostrophe.
"""

from __future__ import annotations

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

# What makes a spreadsheet read a cell as a formula (OWASP, "CSV injection"): the formula signs, and the
# tab and carriage return some programs skip before looking for one.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: object) -> object:
    """`value` safe to write as one cell of a CSV file: text that begins with =, +, -, @, a tab or a carriage
    return gets a leading apostrophe ('), which spreadsheets show as text and never evaluate.

    Anything else — other text, numbers, dates, None — is returned unchanged, so a number stays a number.
    For an .xlsx sheet use `xlsx_cell`, which keeps the text exactly as it is.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def xlsx_cell(sheet, value: object) -> Cell:
    """A cell of the openpyxl `sheet` (write-only or not) holding `value`, text always stored as text.

    Text stays text: "=…" would otherwise become a formula, "#N/A" an error value, and a long ID number a
    rounded float. Its characters are kept (no apostrophe is added); those XML cannot hold are dropped.
    Text that begins like a formula is also marked quote-prefixed, as Excel marks what is typed after an
    apostrophe, so that editing the cell later does not turn it into a formula either.
    Append the cell to `sheet` itself: `sheet.append([xlsx_cell(sheet, v) for v in row])`.
    """
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    return cell
