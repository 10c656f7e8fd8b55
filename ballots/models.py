"""The ballot engine: polls inside meetings, the frozen roll, the sealed ballot box, paper counts, results.

Secrecy is a property of the tables, not only of the pages (domain.md §2):
- `HasVoted` says who voted (poll, member) and nothing of what;
- `Ballot` says what was voted, sealed to the poll's public key, under a random UUIDv4, with no member, no
  timestamp and no sequence; its only index is (poll, tracker), a hash order;
- after the count, `CountedBallot` keeps the opened contents, written in random order in one transaction,
  and the key material is destroyed, so the sealed ballots can never be opened again.
Ballots, has-voted rows, counted ballots and results are append-only: PostgreSQL triggers refuse an UPDATE
or DELETE (elections migration 0002), whatever the application does.

The engine was born inside `elections/`; when it became an app of its own its tables kept their names
(`db_table = "elections_…"`), so no row moved and the triggers still guard the same tables.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from branches.models import Meeting, Member, Organisation


class PollKind(models.TextChoices):
    CANDIDATES = "candidates", _("Candidates: for, against or abstain, with write-ins")
    MOTION = "motion", _("Motion: for, against or abstain")
    RATING = "rating", _("Rating scale")


class Secrecy(models.TextChoices):
    SECRET = "secret", _("Secret ballot")
    NAMED = "named", _("Named ballot")


class PollStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Voting open")
    CLOSED = "closed", _("Voting closed")
    COUNTED = "counted", _("Counted")
    PUBLISHED = "published", _("Published")
    VOID = "void", _("Void")


class RulePreset(models.TextChoices):
    ELECTION = "election", _("Election (选举条例)")
    GENERAL_MEETING = "general_meeting", _("General meeting motion")
    COMMITTEE = "committee", _("Committee decision")
    EVALUATION = "evaluation", _("Evaluation")


class Choice(models.TextChoices):
    """The marks of candidate and motion polls; rating polls use the values of their scale."""

    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper")


class PollQuerySet(models.QuerySet):
    def visible_to(self, user) -> PollQuerySet:
        """The security boundary of every poll list (see `selectors.poll_scope_q`)."""
        from .selectors import poll_scope_q

        return self.filter(poll_scope_q(user))


class Poll(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="polls"
    )
    # The meeting's organisation, kept on the poll for scoping and the audit log.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="polls", editable=False
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PollKind.choices)
    secrecy = models.CharField(_("secrecy"), max_length=10, choices=Secrecy.choices, default=Secrecy.SECRET)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    allow_write_in = models.BooleanField(_("write-ins allowed"), default=False)
    # Rating polls: the scale as [[value, label], …], best first.
    scale = models.JSONField(_("scale"), default=list, blank=True)
    rule_preset = models.CharField(_("rule set"), max_length=20, choices=RulePreset.choices)
    # The rule values this poll runs under, copied from settings.ZHIBU_RULES when it is created.
    rules = models.JSONField(default=dict, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=PollStatus.choices, default=PollStatus.DRAFT
    )
    round_no = models.PositiveSmallIntegerField(_("round"), default=1)
    previous_round = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_round", editable=False
    )
    void_reason = models.CharField(_("reason for voiding"), max_length=300, blank=True)
    # The ballot box: the public key seals ballots; the private key is kept only wrapped (SecretBox) under a
    # key split among the scrutineers (Shamir). Both are destroyed after the count.
    public_key = models.BinaryField(null=True, editable=False)
    wrapped_private_key = models.BinaryField(null=True, editable=False)
    sealed_at = models.DateTimeField(null=True, editable=False)
    # Frozen when voting opens (应到 and 实到 of the roll) and when it closes.
    expected_count = models.PositiveIntegerField(null=True, editable=False)
    present_at_open = models.PositiveIntegerField(null=True, editable=False)
    present_at_close = models.PositiveIntegerField(null=True, editable=False)
    paper_accepted_at = models.DateTimeField(null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, editable=False)
    closed_at = models.DateTimeField(null=True, editable=False)
    counted_at = models.DateTimeField(null=True, editable=False)
    published_at = models.DateTimeField(null=True, editable=False)

    objects = PollQuerySet.as_manager()

    class Meta:
        db_table = "elections_poll"
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=PollStatus.values), name="poll_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=PollKind.values), name="poll_kind_valid"),
            models.CheckConstraint(condition=Q(secrecy__in=Secrecy.values), name="poll_secrecy_valid"),
            models.CheckConstraint(condition=Q(rule_preset__in=RulePreset.values), name="poll_preset_valid"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="poll_seats_positive"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(status="void") | Q(public_key__isnull=False),
                name="poll_sealed_before_open",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_secret(self) -> bool:
        return self.secrecy == Secrecy.SECRET

    @property
    def choice_values(self) -> list[str]:
        if self.kind == PollKind.RATING:
            return [str(value) for value, _label in self.scale]
        return list(Choice.values)

    @property
    def choice_labels(self) -> list[tuple[str, str]]:
        if self.kind == PollKind.RATING:
            return [(str(value), str(label)) for value, label in self.scale]
        if self.kind == PollKind.MOTION:
            return [("for", _("For")), ("against", _("Against")), ("abstain", _("Abstain"))]
        return [("for", _("For")), ("against", _("Against (不赞成)")), ("abstain", _("Abstain"))]


class PollOption(models.Model):
    """A line of the ballot: a candidate, a motion, or a person or team to rate."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("label"), max_length=200)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Order on the ballot: surname stroke order for candidates (computed), insertion order otherwise.
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "elections_polloption"
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "member"], condition=Q(member__isnull=False), name="option_member_once"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Scrutineer(models.Model):
    """监票人: elected by the meeting from non-candidates; holds one share of the ballot box's key."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="scrutineers")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    # Shamir x-coordinate, and the share encrypted under a key derived from the passphrase (argon2id).
    share_index = models.PositiveSmallIntegerField(null=True, editable=False)
    encrypted_share = models.BinaryField(null=True, editable=False)
    salt = models.BinaryField(null=True, editable=False)
    opslimit = models.PositiveBigIntegerField(null=True, editable=False)
    memlimit = models.PositiveBigIntegerField(null=True, editable=False)

    class Meta:
        db_table = "elections_scrutineer"
        verbose_name = _("scrutineer")
        verbose_name_plural = _("scrutineers")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["poll", "member"], name="scrutineer_once")]

    def __str__(self) -> str:
        return self.member.name


class RollEntry(models.Model):
    """A member of the roll frozen when voting opens: voting rights, not excluded (应到)."""

    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="roll")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")

    class Meta:
        db_table = "elections_rollentry"
        constraints = [models.UniqueConstraint(fields=["poll", "member"], name="roll_member_once")]

    def __str__(self) -> str:
        return f"roll {self.poll_id}/{self.member_id}"


class HasVoted(models.Model):
    """Who voted, on which channel — never what. One per (poll, member), across both channels."""

    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # 选举条例 art. 24: helped by a non-candidate; a flag, nothing more.
    assisted = models.BooleanField(default=False)
    # Online: SHA-256 of the client's idempotency key, and the ballot's tracker encrypted under a key derived
    # from that idempotency key — only the voter's own retry can read it back.
    idempotency_key_hash = models.BinaryField(null=True)
    receipt = models.BinaryField(null=True)

    class Meta:
        db_table = "elections_hasvoted"
        constraints = [
            models.UniqueConstraint(fields=["poll", "member"], name="has_voted_once"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="has_voted_channel_valid"),
        ]

    def __str__(self) -> str:
        return f"has voted {self.poll_id}/{self.member_id}"


class BallotInbox(models.Model):
    """A sealed ballot on its way into the box. The cast writes it with the has-voted row in one transaction
    (durable and final at commit), so the two share a transaction id; the mixer (services/mixing.py) moves
    the inbox into the box in shuffled batches of at least `ballot_mix_batch`, in a transaction of its own,
    and deletes these rows, so no live row of the box shares anything with a has-voted row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="+")
    sealed = models.BinaryField()
    tracker = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "tracker"], name="ballot_inbox_tracker_unique")
        ]

    def __str__(self) -> str:
        return "sealed ballot in the inbox"


class Ballot(models.Model):
    """A sealed ballot in the box: random id, the poll, the ciphertext and its hash. Nothing else, on purpose.
    Written only by the mixer, a batch at a time in random order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="+", db_index=False)
    sealed = models.BinaryField()
    tracker = models.CharField(max_length=64)  # SHA-256 of `sealed`, hex

    class Meta:
        db_table = "elections_ballot"
        constraints = [models.UniqueConstraint(fields=["poll", "tracker"], name="ballot_tracker_unique")]

    def __str__(self) -> str:
        return "sealed ballot"  # says nothing about the ballot, on purpose


class CountedBallot(models.Model):
    """An opened ballot, written at the count in random order; no link to who cast it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="+")
    content = models.JSONField()
    valid = models.BooleanField()
    blank = models.BooleanField()

    class Meta:
        db_table = "elections_countedballot"

    def __str__(self) -> str:
        return "counted ballot"


class NamedVote(models.Model):
    """A named poll's vote, revealed by the count (the member's id is sealed inside his ballot)."""

    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="named_votes")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    content = models.JSONField()

    class Meta:
        db_table = "elections_namedvote"
        constraints = [models.UniqueConstraint(fields=["poll", "member"], name="named_vote_once")]

    def __str__(self) -> str:
        return f"named vote {self.poll_id}/{self.member_id}"


class PaperCount(models.Model):
    """One counter's independent entry of the paper ballots; two must agree before acceptance."""

    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="paper_counts")
    entry = models.PositiveSmallIntegerField()  # 1 or 2
    counter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    returned = models.PositiveIntegerField(_("ballots returned"))
    invalid = models.PositiveIntegerField(_("invalid ballots"))
    blank = models.PositiveIntegerField(_("blank ballots"))
    # {option_id: {choice: n}} and {member_id: n} for write-ins.
    totals = models.JSONField(default=dict)
    write_ins = models.JSONField(default=dict)
    # Written-in marks for someone without the right to be elected: void, the rest of those ballots stands.
    void_write_ins = models.PositiveIntegerField(default=0)
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "elections_papercount"
        constraints = [
            models.UniqueConstraint(fields=["poll", "entry"], name="paper_count_entry_once"),
            models.UniqueConstraint(fields=["poll", "counter"], name="paper_count_counter_once"),
            models.CheckConstraint(condition=Q(entry__in=[1, 2]), name="paper_count_entry_1_or_2"),
        ]

    def __str__(self) -> str:
        return f"paper count {self.poll_id} #{self.entry}"


class SignaturePurpose(models.TextChoices):
    PAPER = "paper", _("Accepted the paper count")
    COUNT = "count", _("Unsealed and counted")


class Signature(models.Model):
    """A scrutineer's signature, given by entering his passphrase."""

    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="signatures")
    scrutineer = models.ForeignKey(Scrutineer, on_delete=models.PROTECT, related_name="signatures")
    purpose = models.CharField(max_length=10, choices=SignaturePurpose.choices)
    signed_at = models.DateTimeField()

    class Meta:
        db_table = "elections_signature"
        constraints = [
            models.UniqueConstraint(fields=["poll", "scrutineer", "purpose"], name="signature_once"),
        ]

    def __str__(self) -> str:
        return f"signature {self.poll_id}/{self.scrutineer_id}"


class PollResult(models.Model):
    """The count: figures per channel, the outcome, and the rule values it was computed under."""

    poll = models.OneToOneField(Poll, on_delete=models.PROTECT, related_name="result")
    rules = models.JSONField()
    expected = models.PositiveIntegerField()  # 应到
    present = models.PositiveIntegerField()  # 实到 of the roll when voting closed
    voters = models.PositiveIntegerField()  # has-voted rows, both channels
    returned = models.PositiveIntegerField()  # ballots returned, both channels
    valid = models.PositiveIntegerField()
    invalid = models.PositiveIntegerField()
    blank = models.PositiveIntegerField()
    # {"online": {...}, "paper": {...}, "total": {...}}: ballots and per-option totals per channel.
    figures = models.JSONField()
    outcome = models.JSONField()
    void_required = models.BooleanField(default=False)
    counted_at = models.DateTimeField()

    class Meta:
        db_table = "elections_pollresult"

    def __str__(self) -> str:
        return f"result of {self.poll_id}"
