import pytest
from django.urls import reverse

from branches.models import AuditLog, Member
from tests.conftest import member_of
from tests.factories import MemberFactory, make_id_number


def test_the_member_list_costs_the_same_queries_for_1_and_50_members(
    client, tree, sam, django_assert_num_queries
):
    client.force_login(sam)
    url = reverse("branches:members", args=[tree.a.pk])
    client.get(url)  # warm caches (content types, translations)
    with django_assert_num_queries(7) as one:
        client.get(url)
    for _ in range(49):
        MemberFactory(organisation=tree.a)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 50


def test_the_member_list_masks_id_numbers(client, tree, sam, alice):
    client.force_login(sam)
    body = client.get(reverse("branches:members", args=[tree.a.pk])).content.decode()
    full = member_of(alice).id_number
    assert full not in body
    assert member_of(alice).masked_id_number in body


@pytest.mark.parametrize(
    ("query", "found"), [("艾", True), ("ail", True), ("als", True), ("ALS", True), ("zzz", False)]
)
def test_the_member_list_searches_by_name_and_pinyin(client, tree, sam, alice, query, found):
    client.force_login(sam)
    response = client.get(reverse("branches:members", args=[tree.a.pk]), {"q": query})
    names = [m.name for m in response.context["page"]]
    assert ("艾丽斯" in names) is found


def test_the_member_list_filters_by_category_and_status(client, tree, sam, alice, petra):
    MemberFactory(organisation=tree.a, name="流动党员甲", migrant=True, migrant_to="上海")
    client.force_login(sam)
    url = reverse("branches:members", args=[tree.a.pk])
    names = lambda params: {m.name for m in client.get(url, params).context["page"]}  # noqa: E731
    assert names({"category": "probationary"}) == {"裴预备"}
    assert names({"status": "migrant"}) == {"流动党员甲"}
    assert "裴预备" not in names({"status": "voting"})
    assert client.get(url, {"category": "nonsense"}).status_code == 200


def test_a_secretary_adds_a_member_and_the_change_is_audited(client, tree, sam):
    client.force_login(sam)
    response = client.post(
        reverse("branches:member_add", args=[tree.a.pk]),
        {
            "name": "新党员",
            "category": "probationary",
            "gender": "F",
            "ethnicity": "汉族",
            "id_number": make_id_number(),
            "phone": "13912345678",
            "standing": "normal",
            "joined_on": "2026-07-01",
        },
    )
    assert response.status_code == 302
    member = Member.objects.get(name="新党员")
    assert member.name_pinyin.startswith("xindangyuan")
    assert AuditLog.objects.filter(verb="member.add", object_id=str(member.pk), actor=sam).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("id_number", "110101198001010019"), ("phone", "12345"), ("name", ""), ("category", "boss")],
)
def test_a_bad_member_form_shows_the_error_and_writes_nothing(client, tree, sam, field, value):
    client.force_login(sam)
    data = {
        "name": "错误党员",
        "category": "full",
        "full_on": "2020-01-01",
        "standing": "normal",
        "id_number": make_id_number(),
        "phone": "13900000000",
        field: value,
    }
    response = client.post(reverse("branches:member_add", args=[tree.a.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Member.objects.filter(phone="13900000000").exists()


def test_a_duplicate_id_number_is_refused_and_the_existing_record_is_intact(client, tree, sam, alice):
    existing = member_of(alice)
    client.force_login(sam)
    response = client.post(
        reverse("branches:member_add", args=[tree.a.pk]),
        {
            "name": "重复",
            "category": "probationary",
            "standing": "normal",
            "id_number": existing.id_number,
        },
    )
    assert response.status_code == 200
    assert Member.objects.filter(id_number=existing.id_number).get().name == "艾丽斯"


def test_editing_a_member_records_old_and_new_values(client, tree, sam, alice):
    member = member_of(alice)
    client.force_login(sam)
    data = {
        f: getattr(member, f) or ""
        for f in [
            "name",
            "id_number",
            "gender",
            "ethnicity",
            "education",
            "category",
            "job",
            "phone",
            "address",
            "standing",
            "notes",
        ]
    }
    data.update({"full_on": "2011-07-01", "joined_on": "2010-07-01", "migrant": "on", "migrant_to": "深圳"})
    response = client.post(reverse("branches:member_edit", args=[member.pk]), data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.migrant and member.migrant_to == "深圳"
    entry = AuditLog.objects.get(verb="member.update")
    assert entry.changes["migrant"] == [False, True]


def test_a_member_sees_his_full_id_number_but_not_others(client, tree, alice, sam):
    client.force_login(alice)
    own = member_of(alice)
    assert own.id_number in client.get(reverse("branches:member", args=[own.pk])).content.decode()


def test_the_tree_page_counts_members_in_two_queries_whatever_the_size(
    client, tree, olga, django_assert_max_num_queries
):
    for org in (tree.a, tree.b):
        for _ in range(5):
            MemberFactory(organisation=org)
    client.force_login(olga)
    client.get(reverse("branches:tree"))
    # session, user, scope (member, roles), the tree, unread count, session save (+ its savepoint pair)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("branches:tree"))
    rows = {o.name: o.full_count for o in response.context["organisations"]}
    assert rows["东街社区党支部"] == 5


def test_a_secretary_links_households_and_liaisons(client, tree, sam, alice):
    member = member_of(alice)
    client.force_login(sam)
    for i in range(6):
        client.post(reverse("branches:household_add", args=[member.pk]), {"head_name": f"户主{i}"})
    assert member.households.count() == 5  # at most five; the sixth is refused with a message
    client.post(
        reverse("branches:liaison_add", args=[member_of(sam).pk]),
        {"lower": member.pk, "kind": "delegate_member"},
    )
    assert member.liaisons_up.get().upper == member_of(sam)


def test_a_member_cannot_link_households(client, tree, alice):
    client.force_login(alice)
    member = member_of(alice)
    assert (
        client.post(reverse("branches:household_add", args=[member.pk]), {"head_name": "户主"}).status_code
        == 403
    )
    assert not member.households.exists()
