"""Members' records, in the order of the national template, their linked households and liaisons."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..rules import voting_rights_q
from .organisations import Organisation


class MemberCategory(models.TextChoices):
    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")
    CANDIDATE = "candidate", _("Development candidate")
    ACTIVIST = "activist", _("Activist")
    APPLICANT = "applicant", _("Applicant")


PARTY_MEMBER_CATEGORIES = (MemberCategory.FULL, MemberCategory.PROBATIONARY)


class Standing(models.TextChoices):
    NORMAL = "normal", _("Normal")
    PROBATION = "probation", _("Party probation")


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class MemberQuerySet(models.QuerySet):
    def active(self) -> MemberQuerySet:
        return self.filter(is_active=True)

    def party_members(self) -> MemberQuerySet:
        return self.filter(category__in=PARTY_MEMBER_CATEGORIES)

    def with_voting_rights(self) -> MemberQuerySet:
        return self.filter(voting_rights_q())

    def visible_to(self, user) -> MemberQuerySet:
        """The security boundary of every member list (see `selectors.scope_for`)."""
        from ..selectors import scope_for

        return self.filter(scope_for(user).member_q())


class Member(models.Model):
    """A member's record, in the order of the national template (domain.md §1)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="member"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="members"
    )
    group = models.ForeignKey(
        Organisation,
        verbose_name=_("party group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_members",
    )
    name = models.CharField(_("name"), max_length=60)
    # "zhangsan zs": full pinyin and initials, for search by pinyin.
    name_pinyin = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    id_number = models.CharField(_("ID number"), max_length=18, unique=True, null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True, default="汉族")
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    education = models.CharField(_("education"), max_length=40, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=MemberCategory.choices)
    joined_on = models.DateField(_("joined the party"), null=True, blank=True)
    full_on = models.DateField(_("became a full member"), null=True, blank=True)
    job = models.CharField(_("post"), max_length=100, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, unique=True, null=True, blank=True)
    address = models.CharField(_("home address"), max_length=200, blank=True)
    standing = models.CharField(
        _("standing"), max_length=20, choices=Standing.choices, default=Standing.NORMAL
    )
    lost_contact = models.BooleanField(_("lost contact"), default=False)
    migrant = models.BooleanField(_("migrant member"), default=False)
    migrant_to = models.CharField(_("migrant destination"), max_length=120, blank=True)
    rights_suspended = models.BooleanField(
        _("rights suspended"), default=False, help_text=_("While detained or arrested.")
    )
    is_delegate = models.BooleanField(_("party delegate"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("on the roll"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["organisation_id", "name_pinyin", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=MemberCategory.values), name="member_category_valid"
            ),
            models.CheckConstraint(condition=Q(standing__in=Standing.values), name="member_standing_valid"),
            models.CheckConstraint(
                condition=Q(migrant=True) | Q(migrant_to=""), name="member_destination_only_if_migrant"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "category"])]

    def __str__(self) -> str:
        return self.name

    @property
    def has_voting_rights(self) -> bool:
        from ..rules import has_voting_rights

        return has_voting_rights(self)

    @property
    def party_age(self) -> int | None:
        from ..rules import party_age

        return party_age(self)

    @property
    def masked_id_number(self) -> str:
        from ..rules import mask_id_number

        return mask_id_number(self.id_number)


class Household(models.Model):
    """党员联户: a household a member keeps in contact with (3–5 each)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="households")
    head_name = models.CharField(_("head of household"), max_length=60)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("linked household")
        verbose_name_plural = _("linked households")

    def __str__(self) -> str:
        return self.head_name


class LiaisonKind(models.TextChoices):
    COMMITTEE_TO_DELEGATE = "committee_delegate", _("Committee member → delegate")
    DELEGATE_TO_MEMBER = "delegate_member", _("Delegate → member")


class Liaison(models.Model):
    """三联: committee members link delegates, delegates link members."""

    upper = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="liaisons_down")
    lower = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="liaisons_up")
    kind = models.CharField(max_length=30, choices=LiaisonKind.choices)

    class Meta:
        verbose_name = _("liaison")
        verbose_name_plural = _("liaisons")
        constraints = [
            models.UniqueConstraint(fields=["upper", "lower"], name="liaison_unique_pair"),
            models.CheckConstraint(condition=~Q(upper=models.F("lower")), name="liaison_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.upper} → {self.lower}"
