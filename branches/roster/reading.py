"""Reading an upload: the first sheet of an .xlsx as text cells, and the file checked as a whole."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
from openpyxl.utils.datetime import from_excel

from ..services import BranchError
from .columns import COLUMNS, DATE_KEYS, MESSAGES, TEMPLATE, Problem, Row, _problem

MAX_ROWS = 5000
# An .xlsx is a zip: refuse archives that unpack to more than this before parsing them (zip bombs).
MAX_UNPACKED_BYTES = 64 * 1024 * 1024


def _cell_text(value, key: str) -> str:
    """A cell as the text the secretary sees, whatever type Excel gave it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        if key in DATE_KEYS and 0 < value < 2958466:  # an Excel date serial without a date format
            return from_excel(value).date().isoformat()
        if isinstance(value, float) and key == "id_number":
            return f"{value:.15g}"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    return str(value).strip()


def _check_archive(uploaded_file) -> None:
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise BranchError(str(MESSAGES["unreadable"])) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise BranchError(str(MESSAGES["unreadable"]))
    uploaded_file.seek(0)


def read_sheet(uploaded_file) -> tuple[list[str] | None, list[Row]]:
    """The header row and the non-blank rows below it, from the first sheet; at most MAX_ROWS + 1 rows.

    Raises BranchError if the file is not a readable .xlsx.
    """
    _check_archive(uploaded_file)
    width = len(TEMPLATE)
    keys = [key for _header, key in TEMPLATE] + ["extra"]
    header: list[str] | None = None
    rows: list[Row] = []
    try:
        workbook = openpyxl.load_workbook(uploaded_file, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # Trust the cells, not the size the file declares: a wrong declaration would pad or cut rows.
            sheet.reset_dimensions()
            # One column more than the template, so that an extra header column is noticed.
            for number, values in enumerate(sheet.iter_rows(max_col=width + 1, values_only=True), start=1):
                cells = [_cell_text(value, key) for value, key in zip(values, keys, strict=False)]
                cells += [""] * (width + 1 - len(cells))
                if number == 1:
                    header = cells
                elif any(cells[:width]):  # blank rows (trailing ones above all) are not members
                    rows.append({"row": number, "cells": cells[:width]})
                    if len(rows) > MAX_ROWS:
                        break
        finally:
            workbook.close()
    except BranchError:
        raise
    except Exception as exc:  # openpyxl reports a malformed workbook through a dozen exception types
        raise BranchError(str(MESSAGES["unreadable"])) from exc
    return header, rows


def check_file(header: list[str] | None, rows: list[Row]) -> list[Problem]:
    """Problems of the file as a whole; with one of these the rows are not checked."""
    if header is None or tuple(header[: len(COLUMNS)]) != COLUMNS or any(header[len(COLUMNS) :]):
        return [_problem("header", expected="、".join(COLUMNS))]
    if len(rows) > MAX_ROWS:
        return [_problem("too_many_rows", max=MAX_ROWS)]
    if not rows:
        return [_problem("no_rows")]
    return []
