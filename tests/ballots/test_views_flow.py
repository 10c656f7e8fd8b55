"""The whole round through the pages, as organiser and members would do it."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ballots.models import HasVoted, Poll

from .conftest import PASSPHRASES, sealed_count

pytestmark = pytest.mark.django_db


def test_an_organiser_prepares_opens_closes_unseals_and_publishes_through_the_pages(
    client, sam, members, meeting
):
    client.force_login(sam)
    response = client.post(
        reverse("ballots:poll_new", args=[meeting.pk]),
        {
            "title": "选举支部委员会委员",
            "kind": "candidates",
            "secrecy": "secret",
            "seats": 2,
            "allow_write_in": "on",
        },
    )
    poll = Poll.objects.get()
    assert response.status_code == 302
    for name in ("m3", "m1", "m2"):
        client.post(reverse("ballots:option_add", args=[poll.pk]), {"member": members[name].pk})
    for name in ("m4", "m5"):
        client.post(reverse("ballots:scrutineer_add", args=[poll.pk]), {"member": members[name].pk})
    page = client.get(reverse("ballots:poll", args=[poll.pk]))
    assert page.status_code == 200
    assert "blocking-issues" in page.content.decode()
    scrutineers = list(poll.scrutineers.order_by("pk"))
    data = {}
    for s, p in zip(scrutineers, PASSPHRASES, strict=False):
        data[f"p{s.pk}"] = data[f"c{s.pk}"] = p
    assert client.get(reverse("ballots:seal", args=[poll.pk])).status_code == 200
    assert client.post(reverse("ballots:seal", args=[poll.pk]), data).status_code == 302
    assert client.post(reverse("ballots:open", args=[poll.pk])).status_code == 302
    poll.refresh_from_db()
    assert poll.status == "open"
    assert client.get(reverse("ballots:ballot_pdf", args=[poll.pk])).status_code == 200

    options = [str(pk) for pk in poll.options.order_by("position").values_list("pk", flat=True)]
    for name in ("alice", "m1", "m2", "m3", "m4"):
        client.force_login(members[name].user)
        form = client.get(reverse("ballots:vote", args=[poll.pk]))
        assert form.status_code == 200
        key = form.context["key"]
        done = client.post(
            reverse("ballots:vote", args=[poll.pk]),
            {"key": key, f"o{options[0]}": "for", f"o{options[1]}": "for", "confirm": "1"},
        )
        assert done.status_code == 200, done.content.decode()[:2000]
        assert 'data-testid="tracker"' in done.content.decode()
    assert sealed_count(poll) == HasVoted.objects.filter(poll=poll).count() == 5

    client.force_login(sam)
    assert client.get(reverse("ballots:turnout", args=[poll.pk])).status_code == 200
    assert client.get(reverse("ballots:desk", args=[poll.pk])).status_code == 200
    assert client.post(reverse("ballots:close", args=[poll.pk])).status_code == 302
    assert client.get(reverse("ballots:unseal", args=[poll.pk])).status_code == 200
    unseal = {f"p{scrutineers[0].pk}": PASSPHRASES[0], f"p{scrutineers[1].pk}": PASSPHRASES[1]}
    assert client.post(reverse("ballots:unseal", args=[poll.pk]), unseal).status_code == 302
    results = client.get(reverse("ballots:results", args=[poll.pk]))
    assert results.status_code == 200
    report = client.get(reverse("ballots:report_pdf", args=[poll.pk]))
    assert report.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(report.content)).pages)
    assert "周四" in text and "吴五" in text
    assert client.post(reverse("ballots:publish", args=[poll.pk])).status_code == 302
    client.force_login(members["alice"].user)
    assert client.get(reverse("ballots:trackers", args=[poll.pk])).status_code == 200
    assert client.get(reverse("ballots:results", args=[poll.pk])).status_code == 200
    assert client.get(reverse("ballots:polls")).status_code == 200


def test_the_paper_desk_two_entries_differences_signatures_and_count_through_the_pages(
    client, election, sam, olga, members
):
    o = [str(pk) for pk in election.options.order_by("position").values_list("pk", flat=True)]
    client.force_login(sam)
    desk = reverse("ballots:desk", args=[election.pk])
    assert client.post(desk, {"member": members["alice"].pk}).status_code == 302
    assert client.post(desk, {"member": members["m1"].pk, "assisted": "on"}).status_code == 302
    assert HasVoted.objects.filter(poll=election, channel="paper").count() == 2
    client.post(reverse("ballots:close", args=[election.pk]))

    def entry(user, n, first_for):
        client.force_login(user)
        data = {"returned": 2, "invalid": 0, "blank": 0}
        for i, option in enumerate(o):
            data.update(
                {
                    f"t{option}_for": first_for if i == 0 else 0,
                    f"t{option}_against": 0,
                    f"t{option}_abstain": 2 - (first_for if i == 0 else 0),
                }
            )
        return client.post(reverse("ballots:paper_entry", args=[election.pk, n]), data)

    assert entry(sam, 1, 2).status_code == 302
    assert entry(olga, 2, 1).status_code == 302
    page = client.get(reverse("ballots:paper_accept", args=[election.pk])).content.decode()
    assert 'data-testid="differences"' in page and "王一" in page
    assert entry(olga, 2, 2).status_code == 302
    page = client.get(reverse("ballots:paper_accept", args=[election.pk])).content.decode()
    assert 'data-testid="entries-agree"' in page
    s1, s2 = election.scrutineers.order_by("pk")
    signed = client.post(
        reverse("ballots:paper_accept", args=[election.pk]),
        {f"p{s1.pk}": PASSPHRASES[0], f"p{s2.pk}": PASSPHRASES[1]},
    )
    assert signed.status_code == 302
    counted = client.post(
        reverse("ballots:unseal", args=[election.pk]),
        {f"p{s1.pk}": PASSPHRASES[0], f"p{s2.pk}": PASSPHRASES[1]},
    )
    assert counted.status_code == 302
    results = client.get(reverse("ballots:results", args=[election.pk])).content.decode()
    assert 'data-testid="result-table"' in results


def test_a_wrong_passphrase_at_unsealing_says_whose_and_writes_nothing(client, election, sam):
    client.force_login(sam)
    client.post(reverse("ballots:close", args=[election.pk]))
    s1, s2 = election.scrutineers.order_by("pk")
    response = client.post(
        reverse("ballots:unseal", args=[election.pk]),
        {f"p{s1.pk}": PASSPHRASES[0], f"p{s2.pk}": "not-the-passphrase"},
    )
    assert response.status_code == 400
    assert f"{s2.member.name}的口令不正确" in response.content.decode()
    election.refresh_from_db()
    assert election.status == "closed"


def test_a_ballot_costs_the_same_few_queries_and_the_booth_shows_no_navigation(
    client, election, members, django_assert_num_queries
):
    """The hot path of a meeting: user, the booth (poll, standing, options), the cast lock, the has-voted row
    with the ballot; inside the test's transaction the cast is a savepoint (two more). No session write,
    no scope or inbox query for a navigation the booth does not show."""
    from .conftest import option_ids

    url = reverse("ballots:vote", args=[election.pk])
    options = option_ids(election)
    for name in ("alice", "m1"):
        client.force_login(members[name].user)
        key = client.get(url).context["key"]  # the ballot page refreshes the new session's expiry
        full = {f"o{options[0]}": "for", f"o{options[1]}": "abstain", f"o{options[2]}": "against"}
        with django_assert_num_queries(6):  # a full ballot: one POST, no question asked
            done = client.post(url, {"key": key, **full})
        assert done.status_code == 200 and 'data-testid="tracker"' in done.content.decode()
        assert 'data-testid="booth-back"' in done.content.decode()
        assert "branches/inbox" not in done.content.decode() and "/inbox/" not in done.content.decode()
    assert HasVoted.objects.filter(poll=election).count() == sealed_count(election) == 2


def test_the_result_says_of_each_candidate_elected_or_not_elected(client, election, members, sam):
    from ballots import services

    from .conftest import option_ids, passphrases_of

    o = option_ids(election)  # 王一, 李二, 张三; 2 seats; the roll is 7, all present
    for name in ("alice", "m1", "m2", "m3", "m4"):
        services.cast_ballot(
            user=members[name].user,
            poll=election,
            marks={o[0]: "for", o[1]: "against"},
            write_ins=[],
            idempotency_key=f"key-{name}-0123456789",
        )
    services.close_poll(actor=sam, poll=election)
    services.count_poll(actor=sam, poll=election, passphrases=passphrases_of(election))
    client.force_login(sam)
    page = client.get(reverse("ballots:results", args=[election.pk])).content.decode()
    outcomes = [cell.split("</td>")[0] for cell in page.split('data-testid="outcome">')[1:]]
    assert "当选" in outcomes[0] and "未当选" not in outcomes[0]  # 5 of 7 for
    assert all("未当选" in cell for cell in outcomes[1:])
