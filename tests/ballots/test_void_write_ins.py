"""A written-in mark for someone not eligible is void; the rest of the ballot stands (选举条例 practice).

Online the booth refuses such a write-in with a clear message (test_bad_input). But a person written in may
lose his rights between the cast and the count: then only that mark is void, online and on paper, and the
paper desk can enter such marks at all.
"""

import pytest
from django.urls import reverse

from ballots import rules, services
from ballots.models import PollResult

from .conftest import PASSPHRASES, option_ids, passphrases_of

pytestmark = pytest.mark.django_db


def test_the_count_voids_only_the_mark_of_someone_no_longer_eligible(election, members, sam):
    o = option_ids(election)
    services.cast_ballot(
        user=members["alice"].user,
        poll=election,
        marks={o[0]: "for", o[1]: "against"},
        write_ins=[str(members["sam"].pk)],
        idempotency_key="void-write-in-0123456789",
    )
    members["sam"].category = "probationary"  # he loses the right to be elected before the count
    members["sam"].save(update_fields=["category"])
    services.close_poll(actor=sam, poll=election)
    services.count_poll(actor=sam, poll=election, passphrases=passphrases_of(election))

    figures = PollResult.objects.get(poll=election).figures["total"]
    assert figures["valid"] == 1 and figures["invalid"] == 0  # the ballot stands …
    assert (
        figures["totals"][o[0]]["for"] == 1 and figures["totals"][o[1]]["against"] == 1
    )  # … its marks count
    assert figures["write_ins"] == {} and figures["void_write_ins"] == 1  # only the write-in is void


def test_a_write_in_of_a_candidate_still_spoils_the_ballot_at_the_count():
    spec = rules.BallotSpec(
        kind="candidates",
        seats=2,
        option_ids=frozenset({"1", "2"}),
        choices=frozenset({"for", "against", "abstain"}),
        allow_write_in=True,
        candidate_member_ids=frozenset({"7"}),
    )
    assert rules.ballot_problems(spec, {"c": {"1": "against"}, "w": [7]}, at_count=True)
    assert not rules.ballot_problems(spec, {"c": {"1": "against"}, "w": [8]}, at_count=True)
    assert rules.ballot_problems(spec, {"c": {"1": "against"}, "w": [8]})  # the booth still refuses


def test_the_paper_desk_enters_void_write_ins_and_the_result_shows_them(client, election, sam, olga, members):
    o = [str(pk) for pk in election.options.order_by("position").values_list("pk", flat=True)]
    client.force_login(sam)
    client.post(reverse("ballots:desk", args=[election.pk]), {"member": members["alice"].pk})
    client.post(reverse("ballots:close", args=[election.pk]))
    entry_page = client.get(reverse("ballots:paper_entry", args=[election.pk, 1])).content.decode()
    assert 'data-testid="void-write-ins"' in entry_page and "另选了无被选举权的人" in entry_page

    def entry(user, n, void):
        client.force_login(user)
        data = {"returned": 1, "invalid": 0, "blank": 0, "wvoid": void}
        for i, option in enumerate(o):  # 王一 against (the void write-in replaced him), the others abstain
            data.update(
                {f"t{option}_for": 0, f"t{option}_against": int(i == 0), f"t{option}_abstain": int(i != 0)}
            )
        return client.post(reverse("ballots:paper_entry", args=[election.pk, n]), data)

    assert entry(sam, 1, 1).status_code == 302
    assert entry(olga, 2, 0).status_code == 302
    page = client.get(reverse("ballots:paper_accept", args=[election.pk])).content.decode()
    assert (
        "另选无被选举权者（无效）" in page
    )  # the counters disagree on the void marks: shown before acceptance
    assert entry(olga, 2, 1).status_code == 302
    s1, s2 = election.scrutineers.order_by("pk")
    client.post(
        reverse("ballots:paper_accept", args=[election.pk]),
        {f"p{s1.pk}": PASSPHRASES[0], f"p{s2.pk}": PASSPHRASES[1]},
    )
    client.post(
        reverse("ballots:unseal", args=[election.pk]),
        {f"p{s1.pk}": PASSPHRASES[0], f"p{s2.pk}": PASSPHRASES[1]},
    )
    figures = PollResult.objects.get(poll=election).figures
    assert figures["paper"]["void_write_ins"] == 1 and figures["total"]["valid"] == 1
    results = client.get(reverse("ballots:results", args=[election.pk])).content.decode()
    assert 'data-testid="void-write-ins"' in results and "该项无效" in results
