"""One-time invitations (群众代表, the employer): a link without an account to nominate, recommend or rate.

The link carries a signed token (the invitation's pk and a random nonce); only the nonce's SHA-256 is
stored, so the token is shown once and never kept. A link works once: `claim_invitation()` sets `used_at`
with a conditional UPDATE.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.audit import log_action
from branches.rules import rule

from ..models import Election, Invitation, InvitationPurpose
from .errors import ElectionError

INVITATION_SALT = "elections.invitation"


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


@transaction.atomic
def invite(*, actor, election: Election, purpose: str, name: str) -> tuple[Invitation, str]:
    """A one-time link; the token is returned once and never stored (only its nonce's hash is)."""
    if purpose not in InvitationPurpose.values:
        raise ElectionError(_("Unknown purpose of an invitation."))
    if not name.strip():
        raise ElectionError(_("Name the representative the link is for."))
    if purpose == InvitationPurpose.RECOMMEND and not election.rules["election_recommendation_masses"]:
        raise ElectionError(_("Mass representatives do not take part in the recommendation here."))
    nonce = secrets.token_urlsafe(24)
    invitation = Invitation.objects.create(
        election=election, purpose=purpose, name=name.strip()[:100], nonce_hash=_hash(nonce), created_by=actor
    )
    token = signing.dumps({"i": invitation.pk, "n": nonce}, salt=INVITATION_SALT, compress=True)
    log_action(actor, "election.invite", election, changes={"purpose": purpose, "name": invitation.name})
    return invitation, token


def invitation_for(token: str) -> Invitation:
    """The invitation of a link, if it is genuine, not expired, and not used; else a refusal."""
    max_age = dt.timedelta(days=rule("election_invitation_max_age_days"))
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
        invitation = Invitation.objects.select_related("election__organisation").get(pk=int(data["i"]))
    except (signing.BadSignature, Invitation.DoesNotExist, KeyError, TypeError, ValueError) as exc:
        raise ElectionError(_("This link is not valid.")) from exc
    if not secrets.compare_digest(invitation.nonce_hash, _hash(str(data.get("n", "")))):
        raise ElectionError(_("This link is not valid."))
    if invitation.used_at is not None:
        raise ElectionError(_("This link has already been used."))
    return invitation


def claim_invitation(invitation: Invitation, purpose: str) -> None:
    """Use the link for `purpose`, once: the conditional UPDATE lets one request through, never two."""
    if invitation.purpose != purpose:
        raise ElectionError(_("This link is not valid."))
    if not Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise ElectionError(_("This link has already been used."))
