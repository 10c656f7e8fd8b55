"""The ratings by invitation and by count: a mass representative's or a member of the public's one rating
(it adds to counts — nothing records who gave which value), the public rating of a leader (民评官) and
two-way reporting (双向述职)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.audit import log_action
from branches.models import Member, Organisation
from branches.rules import is_ascii_digits, rule

from ... import states
from ...models import (
    Audience,
    Invitation,
    LeadershipStatus,
    LeadershipTally,
    PublicRating,
    PublicRatingStatus,
    PublicRatingTally,
    RaterKind,
    TwoWayRating,
    TwoWayReport,
)
from ..common import MotionError, clean_text, move
from .common import invite


def _bump(model, **key) -> None:
    row, _created = model.objects.get_or_create(**key)
    model.objects.filter(pk=row.pk).update(count=F("count") + 1)


@transaction.atomic
def rate_by_invitation(*, token: str, values: dict[str, str]) -> Invitation:
    """One rating per invitation. Leadership: {"team": v, "<member id>": v}; 民评官: {"<dimension index>": v}.
    Values outside the scale are refused; the invitation is used in the same transaction."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("leadership", "public_rating")
        .filter(token_hash=Invitation.hash(token or ""))
        .first()
    )
    if invitation is None:
        raise MotionError(_("This invitation is not valid."))
    if invitation.used_at is not None:
        raise MotionError(_("This invitation has already been used."))
    if invitation.leadership_id:
        evaluation = invitation.leadership
        if evaluation.status != LeadershipStatus.RATING:
            raise MotionError(_("The rating is not open."))
        members = {str(m) for m in evaluation.member_poll.options.values_list("member_id", flat=True)}
        if values.get("team") not in evaluation.team_scale:
            raise MotionError(_("Rate the leadership team."))
        for key, value in values.items():
            if key != "team" and (key not in members or value not in evaluation.member_scale):
                raise MotionError(_("A rating is outside the scale."))
        for key, value in values.items():
            target = None if key == "team" else int(key)
            _bump(
                LeadershipTally,
                evaluation=evaluation,
                target_id=target,
                raters=RaterKind.REPRESENTATIVES,
                value=value,
            )
    else:
        rating = invitation.public_rating
        if rating.status != PublicRatingStatus.OPEN:
            raise MotionError(_("The rating is closed."))
        if not values:
            raise MotionError(_("Rate at least one dimension."))
        for key, value in values.items():
            if not is_ascii_digits(key) or int(key) >= len(rating.dimensions) or value not in rating.scale:
                raise MotionError(_("A rating is outside the scale."))
        for key, value in values.items():
            _bump(PublicRatingTally, rating=rating, dimension=int(key), value=value)
    Invitation.objects.filter(pk=invitation.pk).update(used_at=timezone.now())
    return invitation


@transaction.atomic
def create_public_rating(*, actor, organisation: Organisation, leader: Member, title: str) -> PublicRating:
    title = clean_text(title)
    if not title:
        raise MotionError(_("The rating needs a title."))
    rating = PublicRating.objects.create(
        organisation=organisation,
        leader=leader,
        title=title[:200],
        dimensions=list(rule("public_rating_dimensions")),
        scale=list(rule("public_rating_scale")),
        created_by=actor,
    )
    log_action(actor, "public_rating.create", rating, organisation=organisation)
    return rating


@transaction.atomic
def invite_public_rater(*, actor, rating: PublicRating, name: str) -> tuple[Invitation, str]:
    if rating.status != PublicRatingStatus.OPEN:
        raise MotionError(_("The rating is closed."))
    return invite(actor=actor, name=name, public_rating=rating)


@transaction.atomic
def publish_public_rating(*, actor, rating: PublicRating) -> PublicRating:
    results: dict[str, dict[str, int]] = {d: dict.fromkeys(rating.scale, 0) for d in rating.dimensions}
    for t in rating.tallies.all():
        results[rating.dimensions[t.dimension]][t.value] = t.count
    return move(
        rating,
        states.PUBLIC_RATING,
        PublicRatingStatus.PUBLISHED,
        actor=actor,
        verb="public_rating.publish",
        results=results,
        published_at=timezone.now(),
    )


@transaction.atomic
def record_two_way_report(
    *, actor, organisation: Organisation, secretary: Member, period: str, to_higher: str, to_members: str
) -> TwoWayReport:
    period = clean_text(period)
    if not period or not (clean_text(to_higher) and clean_text(to_members)):
        raise MotionError(_("双向述职: the report to the higher committee and the report to the members."))
    report, _created = TwoWayReport.objects.update_or_create(
        organisation=organisation,
        secretary=secretary,
        period=period[:40],
        defaults={"to_higher": clean_text(to_higher), "to_members": clean_text(to_members)},
    )
    log_action(actor, "two_way.report", report, organisation=organisation)
    return report


@transaction.atomic
def record_two_way_rating(
    *, actor, report: TwoWayReport, audience: str, counts: dict[str, int]
) -> TwoWayReport:
    """Each audience's rating (好/中/差) of the secretary's report, as counted at its meeting."""
    if audience not in Audience.values:
        raise MotionError(_("Unknown audience."))
    scale = rule("public_rating_scale")
    if set(counts) - set(scale) or any(int(n) < 0 for n in counts.values()):
        raise MotionError(_("A rating is outside the scale."))
    for value in scale:
        TwoWayRating.objects.update_or_create(
            report=report,
            audience=audience,
            value=value,
            defaults={"count": int(counts.get(value, 0)), "recorded_by": actor},
        )
    log_action(actor, "two_way.rating", report, changes={"audience": [None, audience]})
    return report
