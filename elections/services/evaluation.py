"""The three-way evaluation (三方评议) of the outgoing committee, by the members, the masses and the employer:
counts only, per source and rating; who rated is kept apart from what he rated (one form per member)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from branches.models import PARTY_MEMBER_CATEGORIES

from ..models import (
    Election,
    ElectionStatus,
    EvaluationResponse,
    EvaluationSource,
    EvaluationTally,
    Invitation,
    InvitationPurpose,
    Rating,
)
from .errors import ElectionError
from .invitations import claim_invitation

BEFORE_APPROVAL = (ElectionStatus.DRAFT, ElectionStatus.REQUESTED, ElectionStatus.CANCELLED)
SOURCE_OF_LINK = {
    InvitationPurpose.EVALUATE_MASS: EvaluationSource.MASSES,
    InvitationPurpose.EVALUATE_EMPLOYER: EvaluationSource.EMPLOYER,
}


def _tally(election: Election, source: str, rating: str) -> None:
    if rating not in Rating.values:
        raise ElectionError(_("Choose one of the ratings."))
    if election.status in BEFORE_APPROVAL:
        raise ElectionError(_("The evaluation opens once the request is approved."))
    row, _created = EvaluationTally.objects.get_or_create(election=election, source=source, rating=rating)
    EvaluationTally.objects.filter(pk=row.pk).update(count=F("count") + 1)


@transaction.atomic
def evaluate_as_member(*, actor, election: Election, rating: str) -> None:
    member = getattr(actor, "member", None)
    if (
        member is None
        or not member.organisation.is_within(election.organisation)
        or member.category not in PARTY_MEMBER_CATEGORIES
    ):
        raise ElectionError(_("Members of the branch rate the outgoing committee."))
    try:
        with transaction.atomic():
            EvaluationResponse.objects.create(election=election, user=actor)
    except IntegrityError as exc:
        raise ElectionError(_("You have already rated the outgoing committee.")) from exc
    _tally(election, EvaluationSource.MEMBERS, rating)


@transaction.atomic
def evaluate_by_invitation(*, invitation: Invitation, rating: str) -> None:
    source = SOURCE_OF_LINK.get(invitation.purpose)
    if source is None:
        raise ElectionError(_("This link is not valid."))
    claim_invitation(invitation, invitation.purpose)
    _tally(invitation.election, source, rating)
