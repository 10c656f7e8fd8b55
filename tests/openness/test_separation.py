"""Separation of duties (公开条例 art. 15): the secrecy reviewer and the approver of an item are different
people wherever the approving organisation has more than one person who may approve; in a one-officer
organisation one person may do both."""

import pytest
from django.urls import reverse

from openness import rules, services
from openness.models import ItemStatus

from .conftest import draft, fresh, through_review

APPROVAL_BEYOND = {"beyond_authority": True}  # approved by the town committee, where olga is an officer


def test_the_rule_separates_duties_from_two_approvers_on():
    assert not rules.duties_must_be_separate(1)
    assert rules.duties_must_be_separate(2)


def test_the_reviewer_cannot_approve_where_another_officer_can(tree, sam, olga, victor):
    item = draft(author=sam, org=tree.a, **APPROVAL_BEYOND)
    through_review(item, author=sam, reviewer=olga)
    with pytest.raises(services.DisclosureError) as refused:
        services.approve_item(actor=olga, item=item)
    assert "保密审查" in str(refused.value) or "secrecy review" in str(refused.value)
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVAL
    assert not item.reviews.filter(decision="approved").exists()


def test_another_officer_approves_what_the_reviewer_reviewed(tree, sam, olga, victor):
    item = draft(author=sam, org=tree.a, **APPROVAL_BEYOND)
    through_review(item, author=sam, reviewer=victor)
    services.approve_item(actor=olga, item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED


def test_in_a_one_officer_organisation_one_person_reviews_and_approves(tree, sam, olga):
    # The town committee has olga alone (no supervisor, no committee member): she may do both.
    item = draft(author=sam, org=tree.a, **APPROVAL_BEYOND)
    through_review(item, author=sam, reviewer=olga)
    services.approve_item(actor=olga, item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED


def test_the_rule_value_decides_how_many_approvers_make_duties_separate(settings, tree, sam, olga, victor):
    settings.ZHIBU_RULES = {**settings.ZHIBU_RULES, "disclosure_separate_duties_min_approvers": 3}
    item = draft(author=sam, org=tree.a, **APPROVAL_BEYOND)
    through_review(item, author=sam, reviewer=olga)
    services.approve_item(actor=olga, item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED


def test_the_page_shows_what_blocks_the_approval_and_the_post_is_refused(client, tree, sam, olga, victor):
    item = draft(author=sam, org=tree.a, **APPROVAL_BEYOND)
    through_review(item, author=sam, reviewer=olga)
    client.force_login(fresh(olga))
    page = client.get(reverse("openness:item", args=[item.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    html = page.content.decode()
    assert "审查人与审批人不得为同一人" in html
    assert 'data-testid="approve-form"' in html
    response = client.post(reverse("openness:item_approve", args=[item.pk]), {"comment": ""})
    assert response.status_code in (302, 400, 403)
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVAL


def test_the_page_of_the_other_approver_shows_no_such_block(client, tree, sam, olga, victor):
    item = draft(author=sam, org=tree.a, **APPROVAL_BEYOND)
    through_review(item, author=sam, reviewer=victor)
    client.force_login(fresh(olga))
    html = client.get(reverse("openness:item", args=[item.pk])).content.decode()
    assert "审查人与审批人不得为同一人" not in html
