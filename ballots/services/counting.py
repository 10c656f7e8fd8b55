"""The count: two counters enter the paper ballots, the scrutineers sign, then k of them unseal the box.

Unsealing (`count_poll`), in one transaction:
1. lock the closed poll; paper ballots issued → the paper count must have been accepted;
2. k scrutineers' passphrases open k shares; the shares recombine the wrapping key; it unwraps the
   private key — which exists in clear only here, in this process, for this call;
3. the sealed ballots are read and shuffled (a CSPRNG), then opened in that random order;
4. totals, valid / invalid / blank are computed by the pure rules; the opened contents are written as
   `CountedBallot` rows in the same random order (they share one transaction id, and their physical order
   is random); named polls also get their `NamedVote` rows;
5. the wrapped private key and the encrypted shares are destroyed: the sealed ballots can never be opened
   again, so the has-voted rows, which share a transaction id with them, lead only to ciphertext for ever;
6. the result with the rule values is stored, and the poll moves to counted — or to void when more ballots
   were returned than members voted.
"""

from __future__ import annotations

import csv
import io
import json
import random
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from branches.audit import log_action

from .. import ballotbox, rules
from ..models import (
    Ballot,
    Channel,
    CountedBallot,
    HasVoted,
    NamedVote,
    PaperCount,
    Poll,
    PollResult,
    PollStatus,
    Scrutineer,
    Signature,
    SignaturePurpose,
)
from ..states import POLL, TransitionError, transition
from .ballots import eligible_write_ins
from .errors import BallotError
from .mixing import vacuum


def _locked_closed_poll(poll: Poll) -> Poll:
    poll = Poll.objects.select_for_update().select_related("meeting", "organisation").get(pk=poll.pk)
    if poll.status != PollStatus.CLOSED:
        raise BallotError(_("Counting starts once voting has closed."))
    return poll


def _paper_issued(poll: Poll) -> int:
    return HasVoted.objects.filter(poll_id=poll.pk, channel=Channel.PAPER).count()


@transaction.atomic
def enter_paper_count(
    *,
    actor,
    poll: Poll,
    entry: int,
    returned: int,
    invalid: int,
    blank: int,
    totals: dict[str, dict[str, int]],
    write_ins: dict[str, int],
    void_write_ins: int = 0,
) -> PaperCount:
    """One counter's entry (1 or 2); the two are entered independently, by two different people.

    `void_write_ins`: marks written in for someone without the right to be elected (or no member at all);
    only those marks are void, the rest of each such ballot is counted as marked."""
    poll = _locked_closed_poll(poll)
    if poll.paper_accepted_at is not None:
        raise BallotError(_("The paper count has been accepted and signed; it no longer changes."))
    if entry not in (1, 2):
        raise BallotError(_("There are two entries of the paper count, the first and the second."))
    other = PaperCount.objects.filter(poll=poll).exclude(entry=entry).first()
    if other is not None and other.counter_id == actor.pk:
        raise BallotError(_("The two entries must be made by two different counters."))
    spec = rules.spec_for(poll)
    totals = {str(o): {c: int(n) for c, n in row.items()} for o, row in totals.items()}
    write_ins = {str(m): int(n) for m, n in write_ins.items() if int(n) > 0}
    if set(totals) != set(spec.option_ids) or any(set(row) - spec.choices for row in totals.values()):
        raise BallotError(_("The paper count does not match the ballot's options."))
    if (
        any(n < 0 for row in totals.values() for n in row.values())
        or any(n < 0 for n in write_ins.values())
        or void_write_ins < 0
    ):
        raise BallotError(_("Counts cannot be negative."))
    if void_write_ins and not spec.allow_write_in:
        raise BallotError(_("This ballot takes no write-ins."))
    if write_ins:
        if not spec.allow_write_in:
            raise BallotError(_("This ballot takes no write-ins."))
        eligible = {
            str(pk)
            for pk in eligible_write_ins(poll).filter(pk__in=list(write_ins)).values_list("pk", flat=True)
        }
        if set(write_ins) - eligible:
            raise BallotError(_("A written-in person is not an eligible member."))
    problems = rules.paper_entry_problems(
        spec,
        returned=returned,
        invalid=invalid,
        blank=blank,
        totals=totals,
        write_ins=write_ins,
        void_write_ins=void_write_ins,
    )
    if problems:
        raise BallotError(problems[0])
    values = {
        "counter": actor,
        "returned": returned,
        "invalid": invalid,
        "blank": blank,
        "totals": totals,
        "write_ins": write_ins,
        "void_write_ins": void_write_ins,
    }
    existing = PaperCount.objects.filter(poll=poll, entry=entry).first()
    if existing is not None and existing.counter_id != actor.pk:
        raise BallotError(_("This entry was made by another counter."))
    count, _created = PaperCount.objects.update_or_create(poll=poll, entry=entry, defaults=values)
    log_action(actor, "poll.paper_entry", poll, changes={"entry": entry, "returned": returned})
    return count


def paper_comparison(poll: Poll) -> tuple[list[PaperCount], list[tuple]]:
    entries = list(PaperCount.objects.filter(poll=poll).order_by("entry"))
    if len(entries) < 2:
        return entries, []
    a, b = (
        {
            "returned": e.returned,
            "invalid": e.invalid,
            "blank": e.blank,
            "totals": e.totals,
            "write_ins": e.write_ins,
            "void_write_ins": e.void_write_ins,
        }
        for e in entries
    )
    return entries, rules.paper_differences(a, b)


@sensitive_variables("passphrases", "shares")
def _signing_scrutineers(
    poll: Poll, passphrases: dict[int, str]
) -> list[tuple[Scrutineer, tuple[int, bytes]]]:
    """The scrutineers whose passphrases open their shares; at least k, or an error naming who failed."""
    k = poll.rules["shamir_threshold"]
    given = {pk: p for pk, p in passphrases.items() if p}
    if len(given) < k:
        raise BallotError(
            _("%(k)d scrutineers must enter their passphrases; %(n)d did.") % {"k": k, "n": len(given)}
        )
    scrutineers = {s.pk: s for s in poll.scrutineers.select_related("member").filter(pk__in=list(given))}
    shares = []
    for pk, passphrase in given.items():
        scrutineer = scrutineers.get(pk)
        if scrutineer is None:
            raise BallotError(_("Only the scrutineers of this poll can sign."))
        if scrutineer.encrypted_share is None:
            raise BallotError(_("The ballot box of this poll is not sealed."))
        material = ballotbox.ShareMaterial(
            index=scrutineer.share_index,
            encrypted=bytes(scrutineer.encrypted_share),
            salt=bytes(scrutineer.salt),
            opslimit=scrutineer.opslimit,
            memlimit=scrutineer.memlimit,
        )
        try:
            shares.append((scrutineer, ballotbox.unlock_share(material, passphrase)))
        except ballotbox.BoxError as exc:
            raise BallotError(
                _("The passphrase of %(name)s is not correct.") % {"name": scrutineer.member.name}
            ) from exc
    return shares


def _sign(poll: Poll, scrutineers: list[Scrutineer], purpose: str) -> None:
    now = timezone.now()
    Signature.objects.bulk_create(
        Signature(poll=poll, scrutineer=s, purpose=purpose, signed_at=now) for s in scrutineers
    )


@sensitive_variables("passphrases")
@transaction.atomic
def accept_paper_count(*, actor, poll: Poll, passphrases: dict[int, str]) -> Poll:
    """The two entries agree; k scrutineers sign with their passphrases; the paper count is final."""
    poll = _locked_closed_poll(poll)
    if poll.paper_accepted_at is not None:
        raise BallotError(_("The paper count has already been accepted."))
    entries, differences = paper_comparison(poll)
    if len(entries) < 2:
        raise BallotError(_("The paper count must be entered twice, by two counters, before it is accepted."))
    if differences:
        raise BallotError(
            _("The two entries differ in %(n)d places; correct them before acceptance.")
            % {"n": len(differences)}
        )
    signers = [s for s, _share in _signing_scrutineers(poll, passphrases)]
    now = timezone.now()
    Poll.objects.filter(pk=poll.pk, status=PollStatus.CLOSED).update(paper_accepted_at=now)
    poll.paper_accepted_at = now
    _sign(poll, signers, SignaturePurpose.PAPER)
    log_action(
        actor,
        "poll.paper_accept",
        poll,
        changes={"signed_by": [s.member.name for s in signers], "returned": entries[0].returned},
    )
    return poll


def _paper_tally(poll: Poll, spec: rules.BallotSpec) -> rules.Tally:
    entry = PaperCount.objects.filter(poll=poll, entry=1).first()
    if entry is None or poll.paper_accepted_at is None:
        return rules.Tally(totals=rules.empty_totals(spec))
    valid = entry.returned - entry.invalid - entry.blank
    totals = rules.empty_totals(spec)
    for option_id, row in entry.totals.items():
        for choice, n in row.items():
            totals[option_id][choice] += n
    return rules.Tally(
        returned=entry.returned,
        valid=valid,
        invalid=entry.invalid,
        blank=entry.blank,
        totals=totals,
        write_ins=dict(entry.write_ins),
        void_write_ins=entry.void_write_ins,
    )


@sensitive_variables("opened", "buffer")
def _write_counted(poll: Poll, opened: list[tuple[dict, bool, bool]]) -> None:
    """The opened ballots, in the (random) order given, in one statement: COPY when the driver has it."""
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        copy = getattr(cursor, "copy_expert", None)
        if copy is None:
            CountedBallot.objects.bulk_create(
                (CountedBallot(poll_id=poll.pk, content=c, valid=v, blank=b) for c, v, b in opened),
                batch_size=5000,
            )
            return
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for content, valid, blank in opened:
            writer.writerow([uuid.uuid4(), poll.pk, json.dumps(content, separators=(",", ":")), valid, blank])
        buffer.seek(0)
        copy(
            "COPY elections_countedballot (id, poll_id, content, valid, blank) FROM STDIN WITH (FORMAT csv)",
            buffer,
        )


@sensitive_variables("passphrases", "box", "sealed", "contents", "opened", "shares")
@transaction.atomic
def count_poll(*, actor, poll: Poll, passphrases: dict[int, str]) -> PollResult:
    poll = _locked_closed_poll(poll)
    if _paper_issued(poll) and poll.paper_accepted_at is None:
        raise BallotError(
            _(
                "Paper ballots were issued: the paper count must be entered twice and accepted "
                "before the box is unsealed."
            )
        )
    if poll.wrapped_private_key is None:
        raise BallotError(_("The ballot box of this poll is not sealed."))
    shares = _signing_scrutineers(poll, passphrases)
    try:
        box = ballotbox.open_box(
            bytes(poll.wrapped_private_key), [share for _s, share in shares], poll.rules["shamir_threshold"]
        )
    except ballotbox.BoxError as exc:
        raise BallotError(_("These passphrases do not open the ballot box.")) from exc

    sealed = list(Ballot.objects.filter(poll_id=poll.pk).values_list("sealed", flat=True))
    random.SystemRandom().shuffle(sealed)
    contents = ballotbox.open_all(box, sealed)
    del box, sealed

    written_in = {
        str(w) for c in contents if isinstance(c.get("w"), list) for w in c["w"] if isinstance(w, int)
    }
    eligible = (
        eligible_write_ins(poll).filter(pk__in=[int(w) for w in written_in]).values_list("pk", flat=True)
    )
    spec = rules.spec_for(poll, eligible_write_ins=eligible)
    voter_ids = [c.pop("m", None) for c in contents]
    online, opened = rules.tally(spec, contents)
    _write_counted(poll, opened)
    if poll.secrecy == "named":
        NamedVote.objects.bulk_create(
            NamedVote(poll_id=poll.pk, member_id=m, content=c)
            for m, (c, _v, _b) in zip(voter_ids, opened, strict=True)
            if isinstance(m, int)
        )
    paper = _paper_tally(poll, spec)
    total = rules.add_tallies(online, paper)
    voters_online = HasVoted.objects.filter(poll_id=poll.pk, channel=Channel.ONLINE).count()
    voters_paper = _paper_issued(poll)
    voters = voters_online + voters_paper
    expected, present = poll.expected_count or 0, poll.present_at_close or 0
    void_required = rules.ballots_exceed_voters(total.returned, voters) or rules.ballots_exceed_voters(
        paper.returned, voters_paper
    )
    outcome = rules.outcome(poll.kind, poll.rules, poll.seats, total, expected=expected, present=present)
    now = timezone.now()
    result = PollResult.objects.create(
        poll=poll,
        rules=poll.rules,
        expected=expected,
        present=present,
        voters=voters,
        returned=total.returned,
        valid=total.valid,
        invalid=total.invalid,
        blank=total.blank,
        figures={
            "online": {**online.as_dict(), "voters": voters_online},
            "paper": {**paper.as_dict(), "voters": voters_paper},
            "total": {**total.as_dict(), "voters": voters},
        },
        outcome=outcome,
        void_required=void_required,
        counted_at=now,
    )
    # The key dies with the count (step 5).
    Poll.objects.filter(pk=poll.pk).update(wrapped_private_key=None)
    Scrutineer.objects.filter(poll=poll).update(encrypted_share=None, salt=None)
    # The old row versions still hold the key material until vacuumed: now, where the role may (README,
    # security); else autovacuum, set to act on the first dead row of these tables (migration 0005).
    transaction.on_commit(lambda: vacuum("elections_poll", "elections_scrutineer"))
    signers = [s for s, _share in shares]
    _sign(poll, signers, SignaturePurpose.COUNT)
    extra = {"counted_at": now}
    try:
        if void_required:
            transition(
                poll,
                POLL,
                PollStatus.VOID,
                actor=actor,
                verb="poll.count_void",
                organisation=poll.organisation,
                void_reason=_(
                    "More ballots were returned (%(returned)d) than members voted (%(voters)d): "
                    "the round is void and voting repeats."
                )
                % {"returned": total.returned, "voters": voters},
                **extra,
            )
        else:
            transition(
                poll,
                POLL,
                PollStatus.COUNTED,
                actor=actor,
                verb="poll.count",
                organisation=poll.organisation,
                **extra,
            )
    except TransitionError as exc:
        raise BallotError(str(exc)) from exc
    log_action(
        actor,
        "poll.unseal",
        poll,
        changes={
            "signed_by": [s.member.name for s in signers],
            "returned": total.returned,
            "valid": total.valid,
            "invalid": total.invalid,
            "blank": total.blank,
        },
    )
    return result
