"""`seed_disclosures` builds the demo boards through the services, once."""

import pytest
from django.core.management import CommandError, call_command

from openness.models import DisclosureItem, Feedback


def test_it_needs_the_demo_county(db):
    with pytest.raises(CommandError):
        call_command("seed_disclosures")


def test_it_builds_the_demo_boards_once(db, capsys):
    call_command("seed_demo")
    call_command("seed_disclosures")
    call_command("seed_disclosures")
    statuses = sorted(DisclosureItem.objects.values_list("status", flat=True))
    assert statuses == ["approval", "published", "published", "returned"]
    assert DisclosureItem.objects.filter(scope="society", status="published").count() == 1
    assert Feedback.objects.filter(status="answered").count() == 1
    assert "nothing added" in capsys.readouterr().out
