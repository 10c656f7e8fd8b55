"""Nomination (推荐): recommendation forms from the four sources — the organisation, members, the masses
(through a one-time link) and oneself — until the branch closes nomination for the qualification review."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from branches.audit import log_action
from branches.models import Member, MemberCategory

from ..models import (
    Candidacy,
    Election,
    ElectionStatus,
    Invitation,
    InvitationPurpose,
    Nomination,
    Post,
    Source,
)
from .common import check_no_issues, check_status, move
from .errors import ElectionError
from .invitations import claim_invitation


def _check_branch_member(election: Election, member: Member) -> None:
    if not member.is_active or not member.organisation.is_within(election.organisation):
        raise ElectionError(_("%(name)s is not a member of this branch.") % {"name": member.name})
    if member.category != MemberCategory.FULL:
        # 选举条例: only full members (正式党员) have the right to stand; a 预备党员 or an activist is refused
        # at the form rather than rejected later at the review.
        raise ElectionError(
            _("%(name)s is a %(category)s; only full members can be nominated.")
            % {"name": member.name, "category": member.get_category_display()}
        )


def _check_secretary_on_committee(election: Election, member: Member, post: str) -> None:
    """A 书记 (or 副书记) is elected from among the committee, so a nominee for it stands for the committee
    too: the committee nomination comes first."""
    if post == Post.COMMITTEE or Post.COMMITTEE not in election.posts:
        return
    if not Candidacy.objects.filter(election=election, member=member, post=Post.COMMITTEE).exists():
        raise ElectionError(
            _("%(name)s must first be nominated for the committee: the secretary is elected from among it.")
            % {"name": member.name}
        )


def _check_source(actor, election: Election, member: Member, source: str) -> None:
    """Who may recommend from which source; a mass recommendation is checked by its link."""
    nominator = getattr(actor, "member", None) if actor is not None and actor.is_authenticated else None
    if source == Source.SELF:
        if nominator is None or nominator.pk != member.pk:
            raise ElectionError(_("A self-nomination names oneself."))
    elif source == Source.MEMBER:
        if nominator is None or not nominator.organisation.is_within(election.organisation):
            raise ElectionError(_("Only members of the branch recommend."))
        if not nominator.has_voting_rights:
            raise ElectionError(_("Only full members with voting rights recommend."))
    elif source != Source.ORGANISATION:
        raise ElectionError(_("Unknown source of a nomination."))


@transaction.atomic
def nominate(
    *,
    actor,
    election: Election,
    member: Member,
    post: str,
    source: str,
    reason: str = "",
    invitation: Invitation | None = None,
) -> Nomination:
    """A recommendation form naming a member and a post, from one of the four sources."""
    check_status(election, ElectionStatus.NOMINATION)
    if post not in election.posts:
        raise ElectionError(_("This election does not fill that post by nomination."))
    _check_branch_member(election, member)
    _check_secretary_on_committee(election, member, post)
    if source == Source.MASS:
        if invitation is None:
            raise ElectionError(_("Mass recommendations come through an invitation link."))
        claim_invitation(invitation, InvitationPurpose.NOMINATE)
        actor = None
    else:
        _check_source(actor, election, member, source)
    candidacy, _created = Candidacy.objects.get_or_create(election=election, member=member, post=post)
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                candidacy=candidacy,
                source=source,
                nominated_by=actor,
                invitation=invitation,
                reason=reason.strip(),
            )
    except IntegrityError as exc:
        raise ElectionError(
            _("You have already nominated %(name)s for this post.") % {"name": member.name}
        ) from exc
    log_action(
        actor,
        "election.nominate",
        election,
        changes={"nominee": member.name, "post": post, "source": source},
    )
    return nomination


@transaction.atomic
def close_nomination(*, actor, election: Election) -> Election:
    check_status(election, ElectionStatus.NOMINATION)
    check_no_issues(election)
    return move(election, ElectionStatus.REVIEW, actor=actor, verb="election.nomination_close")
