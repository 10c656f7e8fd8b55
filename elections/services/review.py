"""The qualification review (资格审查) by the higher committee: each nominee qualified against the conditions
of his post, or rejected with a reason; the qualified nominees are then offered for disclosure."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.audit import log_action
from branches.outbox import DisclosureKind

from .. import rules as prules
from ..models import Candidacy, Election, ElectionStatus, Stage
from .common import check_no_issues, check_status, disclose, move
from .errors import ElectionError


@transaction.atomic
def review_candidacy(*, actor, candidacy: Candidacy, qualified: bool, reason: str = "") -> Candidacy:
    election = candidacy.election
    check_status(election, ElectionStatus.REVIEW)
    if qualified:
        problems = prules.qualification_problems(
            candidacy.member, candidacy.post, election.organisation, election.rules, timezone.localdate()
        )
        if problems:
            raise ElectionError(" ".join(problems))
        stage, reason = Stage.QUALIFIED, ""
    else:
        if not reason.strip():
            raise ElectionError(_("Each rejected nominee gets a reason."))
        stage = Stage.REJECTED
    old = candidacy.stage
    candidacy.stage, candidacy.rejection_reason, candidacy.reviewed_at = stage, reason.strip(), timezone.now()
    candidacy.save(update_fields=["stage", "rejection_reason", "reviewed_at"])
    log_action(
        actor,
        "election.review",
        election,
        changes={
            "nominee": candidacy.member.name,
            "post": candidacy.post,
            "stage": [old, stage],
            "reason": reason,
        },
    )
    return candidacy


@transaction.atomic
def complete_review(*, actor, election: Election) -> Election:
    check_status(election, ElectionStatus.REVIEW)
    check_no_issues(election)
    move(election, ElectionStatus.RECOMMENDATION, actor=actor, verb="election.review_complete")
    names = "\n".join(
        f"{c.get_post_display()}：{c.member.name}"
        for c in election.candidacies.filter(stage=Stage.QUALIFIED).select_related("member")
    )
    disclose(
        election,
        DisclosureKind.ELECTION_NOMINEES,
        title=_("%(title)s: qualified nominees") % {"title": election.title},
        body=names,
    )
    return election
