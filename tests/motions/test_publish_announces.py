"""Publishing a motion's poll and announcing the motion are one step: from the poll's page or the motion's."""

import pytest
from django.urls import reverse
from django.utils import translation

from ballots import services as engine
from branches.outbox import DisclosureDraft

from .motion_helpers import PASSPHRASES, cast, draft, general_meeting, make_branch, to_circulated, to_voting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    """Here in Chinese, the sentences as the minutes read them (the motions' conftest reads English)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def branch(tree, sam, alice, petra):
    return make_branch(tree, sam, alice, petra)


def _counted(branch, votes_for):
    meeting = general_meeting(branch.org, branch.sam)
    motion = draft(branch.org, branch.sam)
    to_circulated(motion, branch.sam, meeting)
    vote = to_voting(motion, branch.sam, present=branch.voting)
    choices = [(m, "for" if i < votes_for else "against") for i, m in enumerate(branch.voting)]
    cast(vote, choices)
    poll = vote.poll
    engine.close_poll(actor=branch.sam, poll=poll)
    passphrases = {s.pk: PASSPHRASES[i] for i, s in enumerate(poll.scrutineers.order_by("pk")[:2])}
    engine.count_poll(actor=branch.sam, poll=poll, passphrases=passphrases)
    poll.refresh_from_db()
    return motion, poll


def test_publishing_the_poll_on_its_page_announces_the_motion_at_once(client, branch):
    motion, poll = _counted(branch, votes_for=4)  # 应到 6: 4 for passes
    client.force_login(branch.sam)
    assert client.post(reverse("ballots:publish", args=[poll.pk])).status_code == 302
    motion.refresh_from_db()
    poll.refresh_from_db()
    assert poll.status == "published" and motion.status == "passed"  # never 表决中 with the result out
    vote = motion.votes.get()
    assert vote.announced_at is not None and vote.passed is True
    draft_ = DisclosureDraft.objects.get(kind="motion.resolution", object_id=str(motion.pk))
    assert "通过：赞成4票，超过应到会有表决权人数6人的半数（4 > 3）" in draft_.body


def test_the_motions_button_publishes_and_announces_in_one_post(client, branch):
    motion, poll = _counted(branch, votes_for=3)  # 3 of 应到 6 is not more than half
    client.force_login(branch.sam)
    page = client.get(reverse("motions:motion", args=[motion.pk])).content.decode()
    assert "公布并当场宣布结果" in page
    client.post(reverse("motions:motion_action", args=[motion.pk, "announce"]))
    motion.refresh_from_db()
    poll.refresh_from_db()
    assert poll.status == "published"
    assert motion.status == "postponed" and motion.votes.get().passed is False
