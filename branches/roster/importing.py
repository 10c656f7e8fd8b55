"""Importing a roster as a whole or not at all: the preview, its table, applying it, purging stale ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import rules
from ..audit import log_action
from ..models import Organisation, RosterImport, RosterImportStatus
from ..services import BranchError, add_member, refresh_rolls_below
from .checking import check_rows
from .columns import COLUMNS, DATE_KEYS, INDEX, Problem, Row, describe
from .reading import check_file, read_sheet


@transaction.atomic
def preview_roster(*, actor, organisation: Organisation, uploaded_file) -> RosterImport:
    """Read and check an upload and store the result; raises BranchError if the file cannot be read."""
    header, rows = read_sheet(uploaded_file)
    problems = check_file(header, rows)
    if problems:
        rows = []
    else:
        rows, problems = check_rows(rows, actor=actor, organisation=organisation)
    return RosterImport.objects.create(
        organisation=organisation,
        uploaded_by=actor,
        file_name=(uploaded_file.name or "")[-200:],
        rows=rows,
        errors=problems,
    )


@transaction.atomic
def apply_roster(*, actor, roster_import: RosterImport) -> int:
    """Create every member of a checked roster, or none; returns how many were created."""
    # Claim first: a concurrent second submit waits on this row and then finds it applied.
    now = timezone.now()
    claimed = RosterImport.objects.filter(pk=roster_import.pk, status=RosterImportStatus.PREVIEWED).update(
        status=RosterImportStatus.APPLIED, applied_at=now
    )
    if not claimed:
        raise BranchError(_("This roster has already been imported."))
    if not roster_import.rows:
        raise BranchError(_("This file cannot be imported; correct it and upload it again."))
    organisation = roster_import.organisation
    rows, problems = check_rows(roster_import.rows, actor=actor, organisation=organisation)
    if problems:
        raise BranchError(
            ngettext(
                "The roster has %(count)d problem; nothing was imported.",
                "The roster has %(count)d problems; nothing was imported.",
                len(problems),
            )
            % {"count": len(problems)}
        )
    branches = Organisation.objects.in_bulk({row["values"]["organisation_id"] for row in rows})
    for row in rows:
        values = dict(row["values"])
        for key in DATE_KEYS:
            values[key] = values[key] and dt.date.fromisoformat(values[key])
        try:
            add_member(
                actor=actor,
                organisation=branches[values.pop("organisation_id")],
                name=values.pop("name"),
                category=values.pop("category"),
                **values,
            )
        except BranchError as exc:
            # A member added by someone else since the check above; nothing of this file is kept.
            raise BranchError(_("Row %(row)d: %(error)s") % {"row": row["row"], "error": exc}) from exc
    roster_import.status, roster_import.applied_at = RosterImportStatus.APPLIED, now
    log_action(
        actor,
        "roster.apply",
        roster_import,
        organisation=organisation,
        changes={
            "status": [RosterImportStatus.PREVIEWED, RosterImportStatus.APPLIED],
            "file": roster_import.file_name,
            "members": len(rows),
        },
    )
    refresh_rolls_below(list(branches.values()))
    return len(rows)


@dataclass(frozen=True)
class PreviewCell:
    text: str
    has_problem: bool


@dataclass(frozen=True)
class PreviewRow:
    number: int
    cells: list[PreviewCell]
    messages: list[str]


def preview_rows(rows: list[Row], problems: list[Problem]) -> list[PreviewRow]:
    """The rows as the preview table shows them: valid ID numbers masked, the cells with a problem marked."""
    by_row: dict[int, list[Problem]] = {}
    for problem in problems:
        if problem.get("row") is not None:
            by_row.setdefault(problem["row"], []).append(problem)
    id_index = INDEX["id_number"]
    table = []
    for row in rows:
        row_problems = by_row.get(row["row"], [])
        marked = {p["column"] for p in row_problems}
        cells = [PreviewCell(text, COLUMNS[i] in marked) for i, text in enumerate(row["cells"])]
        id_text = row["cells"][id_index]
        if rules.id_number_is_valid(id_text.upper()):
            # A real ID number is masked as in every list; a mistyped one is shown so it can be found.
            cells[id_index] = PreviewCell(rules.mask_id_number(id_text), cells[id_index].has_problem)
        table.append(PreviewRow(row["row"], cells, [describe(p) for p in row_problems]))
    return table


def purge_stale_previews(older_than: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Delete previews never imported: they hold full ID numbers that no member record needs."""
    cutoff = timezone.now() - older_than
    deleted, _per_model = RosterImport.objects.filter(
        status=RosterImportStatus.PREVIEWED, created_at__lt=cutoff
    ).delete()
    return deleted
