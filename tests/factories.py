"""factory_boy factories that write through the services, so tests cannot build impossible states."""

import datetime as dt
import itertools

import factory

from branches import services
from branches.models import Member, Organisation, User
from branches.rules import id_number_check_char

_id_seq = itertools.count(1)


def make_id_number(birth: dt.date = dt.date(1980, 1, 1), gender: str = "M") -> str:
    serial = next(_id_seq) % 500
    seq = f"{serial * 2 + (1 if gender == 'M' else 0):03d}"
    first17 = f"110101{birth:%Y%m%d}{seq}"
    return first17 + id_number_check_char(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"第{n}党支部")
    kind = "branch"
    unit_type = "community"
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.create_organisation(actor=None, **kwargs)


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "华",
    "平",
]


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(
        lambda n: (
            SURNAMES[n % len(SURNAMES)]
            + GIVEN[(n // len(SURNAMES)) % len(GIVEN)]
            + ("" if n < 400 else str(n))
        )
    )
    category = "full"
    gender = "M"
    joined_on = dt.date(2010, 7, 1)
    full_on = factory.LazyAttribute(lambda m: dt.date(2011, 7, 1) if m.category == "full" else None)
    id_number = factory.LazyFunction(make_id_number)
    user = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        org = kwargs.pop("organisation")
        name = kwargs.pop("name")
        category = kwargs.pop("category")
        user = kwargs.pop("user", None)
        member = services.add_member(actor=None, organisation=org, name=name, category=category, **kwargs)
        if user is not None:
            member.user = user
            member.save(update_fields=["user"])
        return member


def exclude_from_expected(*, meeting, member, reason, secretary, officer, votes_for=4, votes_cast=5):
    """Leave a member out of 应到 the way the regulations allow: the branch asks, the higher committee
    consents, the meeting votes for it."""
    from branches import services

    services.request_exclusion(actor=secretary, meeting=meeting, member=member, reason=reason)
    services.consent_to_exclusion(actor=officer, meeting=meeting, member=member)
    return services.record_exclusion_vote(
        actor=secretary, meeting=meeting, member=member, votes_for=votes_for, votes_cast=votes_cast
    )
