"""Inspection (考察) of the preliminary candidates and the choice of the pre-candidates (预备人选), submitted
to the higher committee, which approves them (the notice begins: notice.py) or returns them."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from branches.audit import log_action

from ..models import Candidacy, Election, ElectionStatus, Stage
from .common import check_no_issues, check_status, move
from .errors import ElectionError

INSPECTED = (Stage.PRELIMINARY, Stage.PRE_CANDIDATE)


@transaction.atomic
def record_inspection(*, actor, candidacy: Candidacy, note: str) -> Candidacy:
    check_status(candidacy.election, ElectionStatus.INSPECTION)
    if candidacy.stage not in INSPECTED:
        raise ElectionError(_("Only preliminary candidates are inspected."))
    candidacy.inspection_note = note.strip()
    candidacy.save(update_fields=["inspection_note"])
    log_action(actor, "election.inspect", candidacy.election, changes={"nominee": candidacy.member.name})
    return candidacy


@transaction.atomic
def choose_pre_candidates(*, actor, election: Election, candidacy_ids: list[int]) -> int:
    """The pre-candidates (预备人选) among the preliminary candidates; the others stay preliminary."""
    check_status(election, ElectionStatus.INSPECTION)
    pool = election.candidacies.filter(stage__in=INSPECTED)
    chosen = set(pool.filter(pk__in=candidacy_ids).values_list("pk", flat=True))
    if chosen != set(candidacy_ids):
        raise ElectionError(_("Pre-candidates are chosen among the preliminary candidates."))
    pool.exclude(pk__in=chosen).update(stage=Stage.PRELIMINARY)
    pool.filter(pk__in=chosen).update(stage=Stage.PRE_CANDIDATE)
    log_action(actor, "election.pre_candidates", election, changes={"chosen": len(chosen)})
    return len(chosen)


@transaction.atomic
def submit_pre_candidates(*, actor, election: Election) -> Election:
    check_status(election, ElectionStatus.INSPECTION)
    check_no_issues(election)
    return move(election, ElectionStatus.PRE_APPROVAL, actor=actor, verb="election.pre_candidates_submit")


@transaction.atomic
def return_pre_candidates(*, actor, election: Election, comment: str) -> Election:
    if not comment.strip():
        raise ElectionError(_("Say why the pre-candidates are returned."))
    return move(
        election,
        ElectionStatus.INSPECTION,
        actor=actor,
        verb="election.pre_candidates_return",
        higher_comment=comment,
    )
