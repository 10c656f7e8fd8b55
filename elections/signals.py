"""What elections hears from the engine (ballots.signals), connected in ElectionsConfig.ready()."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from ballots.models import Poll, PollStatus
from branches.audit import log_action
from branches.outbox import DisclosureDraft, DisclosureKind

from .models import Election, ElectionPoll, Purpose, RoundKind


def start_notice_on_publication(sender, draft: DisclosureDraft, **kwargs) -> None:
    """The outbox reports the board published an offer: the candidates' notice starts the election's 公示."""
    if draft.kind != DisclosureKind.ELECTION_CANDIDATES:
        return
    if draft.content_type_id != ContentType.objects.get_for_model(Election).pk:
        return
    election = Election.objects.filter(pk=draft.object_id).select_related("organisation").first()
    if election is not None:
        from .services.notice import start_notice

        start_notice(election=election, published_at=draft.published_at, ends_at=draft.notice_ends_at)


def follow_new_round(sender, previous_id: int, poll_id: int, **kwargs) -> None:
    """The engine started a new round of a void poll: the election's link follows it, in the same
    transaction. A recommendation keeps one ballot per post, so its link moves to the new poll (the void one
    stays in the engine's chain of rounds); an election ballot's void round stays on the record and the new
    one is linked as its repeat, as `rounds.repeat_round()` would have done."""
    link = ElectionPoll.objects.filter(poll_id=previous_id).select_related("election").first()
    if link is None or Poll.objects.filter(pk=previous_id, status=PollStatus.VOID).count() == 0:
        return
    if link.purpose == Purpose.RECOMMENDATION:
        ElectionPoll.objects.filter(pk=link.pk).update(poll_id=poll_id)
    else:
        ElectionPoll.objects.create(
            election=link.election,
            poll_id=poll_id,
            post=link.post,
            purpose=link.purpose,
            round_kind=RoundKind.REPEAT,
            seats=link.seats,
        )
    log_action(
        None,
        "election.round_followed",
        link.election,
        changes={"post": link.post, "poll": [previous_id, poll_id]},
    )
