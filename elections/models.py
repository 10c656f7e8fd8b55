"""公推直选: a branch committee's election, from the request to the committee in office (domain.md §3).

The `Election` carries the life cycle (states.ELECTION); a person proposed for a post is a `Candidacy`, whose
`stage` records how far he came (nominated → qualified → preliminary → pre-candidate → candidate); the ballots
are engine polls (`ballots.Poll`), linked to the election and its post by `ElectionPoll`, round by round.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import CommitteeTerm, Meeting, Member, Organisation


class ElectionMode(models.TextChoices):
    STANDARD = "standard", _("Standard: the new committee chooses its secretary")
    DIRECT = "direct", _("Public nomination, direct election (公推直选)")


class ElectionStatus(models.TextChoices):
    DRAFT = "draft", _("Request being drafted")
    REQUESTED = "requested", _("Request with the higher committee")
    APPROVED = "approved", _("Request approved")
    NOMINATION = "nomination", _("Nomination")
    REVIEW = "review", _("Qualification review")
    RECOMMENDATION = "recommendation", _("Democratic recommendation")
    INSPECTION = "inspection", _("Inspection")
    PRE_APPROVAL = "pre_approval", _("Pre-candidates with the higher committee")
    NOTICE = "notice", _("Public notice")
    NOTICE_OVER = "notice_over", _("Notice over")
    CANDIDATES = "candidates", _("Candidates fixed")
    MEETING = "meeting", _("Election meeting")
    COUNTED = "counted", _("Results announced")
    FILED = "filed", _("Filed with the higher committee")
    CONFIRMED = "confirmed", _("Approved by the higher committee")
    IN_OFFICE = "in_office", _("New committee in office")
    CANCELLED = "cancelled", _("Cancelled")


class Post(models.TextChoices):
    COMMITTEE = "committee", _("Committee member")
    SECRETARY = "secretary", _("Secretary")
    DEPUTY = "deputy", _("Deputy secretary")


class Election(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="elections"
    )
    title = models.CharField(_("title"), max_length=200)
    mode = models.CharField(
        _("mode"), max_length=10, choices=ElectionMode.choices, default=ElectionMode.DIRECT
    )
    committee_seats = models.PositiveSmallIntegerField(_("committee seats"))
    deputy_seats = models.PositiveSmallIntegerField(_("deputy secretary seats"), default=0)
    request_text = models.TextField(_("request (换届请示)"))
    timetable = models.TextField(_("timetable"), blank=True)
    procedure = models.TextField(_("procedure and conditions"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ElectionStatus.choices, default=ElectionStatus.DRAFT
    )
    # The rule values of settings.ZHIBU_RULES when the election was created; every result names them.
    rules = models.JSONField(default=dict, editable=False)
    higher_comment = models.TextField(_("comment of the higher committee"), blank=True)
    mobilisation_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recommendation_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    election_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mass_recommenders = models.PositiveIntegerField(default=0, editable=False)
    recommendation_result = models.JSONField(default=dict, blank=True, editable=False)
    notice_starts_at = models.DateTimeField(null=True, blank=True, editable=False)
    notice_ends_at = models.DateTimeField(null=True, blank=True, editable=False)
    notice_estimated = models.BooleanField(default=False, editable=False)
    deliberation_note = models.TextField(_("members' deliberation"), blank=True)
    work_report = models.TextField(_("work report of the outgoing committee"), blank=True)
    dues_report = models.TextField(_("dues report"), blank=True)
    # Roll call of the election meeting (应到, 实到) when the quorum was confirmed.
    expected_electors = models.PositiveIntegerField(null=True, blank=True, editable=False)
    present_electors = models.PositiveIntegerField(null=True, blank=True, editable=False)
    quorum_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    scrutineers_votes_for = models.PositiveIntegerField(null=True, blank=True, editable=False)
    election_rules_text = models.TextField(_("election rules (选举办法)"), blank=True)
    election_rules_votes_for = models.PositiveIntegerField(null=True, blank=True, editable=False)
    committee_seats_final = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    reduction_votes_for = models.PositiveIntegerField(null=True, blank=True, editable=False)
    result_sheet = models.JSONField(default=dict, blank=True, editable=False)
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    filed_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    term = models.ForeignKey(
        CommitteeTerm, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ElectionStatus.values), name="election_status_valid"
            ),
            models.CheckConstraint(condition=Q(mode__in=ElectionMode.values), name="election_mode_valid"),
            models.CheckConstraint(condition=Q(committee_seats__gte=1), name="election_seats_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_direct(self) -> bool:
        return self.mode == ElectionMode.DIRECT

    def seats_for(self, post: str) -> int:
        if post == Post.COMMITTEE:
            return self.committee_seats_final or self.committee_seats
        if post == Post.SECRETARY:
            return 1
        return self.deputy_seats

    @property
    def posts(self) -> list[str]:
        """The posts the election fills by ballot or nomination: in 公推直选 also 书记 (and 副书记)."""
        posts = [Post.COMMITTEE.value]
        if self.is_direct:
            posts.append(Post.SECRETARY.value)
            if self.deputy_seats:
                posts.append(Post.DEPUTY.value)
        return posts


class Stage(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    REJECTED = "rejected", _("Not qualified")
    QUALIFIED = "qualified", _("Qualified")
    PRELIMINARY = "preliminary", _("Preliminary candidate")
    PRE_CANDIDATE = "pre_candidate", _("Pre-candidate")
    CANDIDATE = "candidate", _("Candidate")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Candidacy(models.Model):
    """A member proposed for a post of an election, from nomination to the ballot; his candidate page."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidacies")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="candidacies")
    post = models.CharField(_("post"), max_length=10, choices=Post.choices)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.NOMINATED)
    rejection_reason = models.TextField(_("reason"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    member_votes = models.PositiveIntegerField(default=0, editable=False)
    mass_votes = models.PositiveIntegerField(default=0, editable=False)
    score = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True, editable=False)
    rank = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    inspection_note = models.TextField(_("inspection"), blank=True)
    withdrawn_reason = models.TextField(blank=True)
    cv = models.TextField(_("curriculum vitae"), blank=True)
    record = models.TextField(_("record"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    pledge = models.TextField(_("responsibility pledge (任职承诺)"), blank=True)

    class Meta:
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")
        ordering = ["election_id", "post", "rank", "member__name_pinyin", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["election", "member", "post"], name="candidacy_once_per_post"),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="candidacy_stage_valid"),
            models.CheckConstraint(condition=Q(post__in=Post.values), name="candidacy_post_valid"),
            models.CheckConstraint(
                condition=~Q(stage="rejected") | ~Q(rejection_reason=""),
                name="candidacy_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member.name} ({self.get_post_display()})"


class Source(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation recommendation")
    MEMBER = "member", _("Member recommendation")
    MASS = "mass", _("Mass recommendation")
    SELF = "self", _("Self-nomination")


class InvitationPurpose(models.TextChoices):
    NOMINATE = "nominate", _("Nominate")
    RECOMMEND = "recommend", _("Recommend")
    EVALUATE_MASS = "evaluate_mass", _("Evaluate (masses)")
    EVALUATE_EMPLOYER = "evaluate_employer", _("Evaluate (employer)")


class Invitation(models.Model):
    """A one-time link for a mass representative (群众代表) or the employer, without an account.

    The link carries a signed token (pk and a random nonce); only the nonce's SHA-256 is stored, and the
    first use sets `used_at` with a conditional UPDATE, so a link works once.
    """

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="invitations")
    purpose = models.CharField(_("purpose"), max_length=20, choices=InvitationPurpose.choices)
    name = models.CharField(_("representative"), max_length=100)
    nonce_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=InvitationPurpose.values), name="invitation_purpose_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_purpose_display()})"


class Nomination(models.Model):
    """One recommendation form: who proposed whom for which post, from which of the four sources."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="nominations")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(source__in=Source.values), name="nomination_source_valid"),
            models.UniqueConstraint(
                fields=["candidacy", "nominated_by", "source"],
                condition=Q(nominated_by__isnull=False),
                name="nomination_once_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.candidacy_id}"


class Objection(models.Model):
    """An objection raised during the public notice; answered before the list of candidates is fixed."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="objections")
    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="objections")
    text = models.TextField(_("objection"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    upheld = models.BooleanField(_("upheld"), default=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""), name="objection_answer_has_text"
            ),
        ]

    def __str__(self) -> str:
        return f"objection {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class CandidateQuestion(models.Model):
    """A member's question to a candidate, answered by the candidate before the vote."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("question"))
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]

    def __str__(self) -> str:
        return f"question {self.pk}"


class ObserverKind(models.TextChoices):
    DELEGATE = "delegate", _("Party congress delegate")
    DEPUTY = "deputy", _("People's congress deputy")
    CPPCC = "cppcc", _("CPPCC member")
    MASS = "mass", _("Mass representative")
    OTHER = "other", _("Other")


class Observer(models.Model):
    """阳光选举: someone invited to watch the election meeting."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="observers")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=ObserverKind.choices)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ElectionScrutineer(models.Model):
    """A scrutineer elected by the election meeting from non-candidates; named on each of its ballots."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="scrutineers")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["election", "member"], name="election_scrutineer_once")
        ]

    def __str__(self) -> str:
        return f"scrutineer {self.member_id}"


class Purpose(models.TextChoices):
    RECOMMENDATION = "recommendation", _("Democratic recommendation")
    ELECTION = "election", _("Election")


class RoundKind(models.TextChoices):
    FIRST = "first", _("First round")
    RUNOFF = "runoff", _("Runoff among the tied")
    FURTHER = "further", _("Further round (另行选举)")
    REPEAT = "repeat", _("Repeated round (the previous one was void)")


class ElectionPoll(models.Model):
    """An engine poll held for an election: which post, which purpose, which round."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="election_polls")
    poll = models.OneToOneField("ballots.Poll", on_delete=models.PROTECT, related_name="election_link")
    post = models.CharField(max_length=10, choices=Post.choices)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    round_kind = models.CharField(max_length=10, choices=RoundKind.choices, default=RoundKind.FIRST)
    seats = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.post} {self.purpose} {self.round_kind}"


class ElectedMember(models.Model):
    """A line of the result sheet: who was elected to which post, with his votes; filled when announced."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="elected")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    post = models.CharField(max_length=10, choices=Post.choices)
    votes = models.PositiveIntegerField(default=0)
    # The new committee's division of work (组织/宣传/纪检 委员); by default a plain committee member.
    duty = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["post", "-votes", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["election", "member", "post"], name="elected_once_per_post")
        ]

    def __str__(self) -> str:
        return f"{self.post} {self.member_id}"


class EvaluationSource(models.TextChoices):
    MEMBERS = "members", _("Members")
    MASSES = "masses", _("Masses")
    EMPLOYER = "employer", _("Employer")


class Rating(models.TextChoices):
    GOOD = "good", _("Satisfied")
    FAIR = "fair", _("Basically satisfied")
    POOR = "poor", _("Not satisfied")


class EvaluationTally(models.Model):
    """The three-way evaluation of the outgoing committee: counts only, per source and rating."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="evaluation")
    source = models.CharField(max_length=10, choices=EvaluationSource.choices)
    rating = models.CharField(max_length=10, choices=Rating.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["election", "source", "rating"], name="evaluation_tally_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.rating}"


class EvaluationResponse(models.Model):
    """That a member has rated (never what): one form per member."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "user"], name="evaluation_response_once")]

    def __str__(self) -> str:
        return f"rated {self.election_id}"
