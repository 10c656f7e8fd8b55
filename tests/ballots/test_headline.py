"""The result in words: the rule and the numbers in one sentence (ballots.rules.result_sentences)."""

import pytest

from ballots import pdf, rules, services
from ballots.selectors import result_rows

from .conftest import option_ids, passphrases_of
from .test_pdf import _text

GENERAL = {"threshold": [1, 2], "threshold_base": "expected", "threshold_inclusive": False}
ELECTION = {"threshold": [1, 2], "threshold_base": "present", "threshold_inclusive": False}


def _motion_figures(votes_for):
    return {"total": {"totals": {"7": {"for": votes_for, "against": 0, "abstain": 0}}, "write_ins": {}}}


def test_a_passed_motion_states_the_rule_and_the_numbers():
    outcome = {"kind": "motion", "options": {"7": {"passed": True, "base": 50}}, "base": 50}
    sentences = rules.result_sentences(
        kind="motion", seats=1, rules=GENERAL, outcome=outcome, figures=_motion_figures(26), labels={}
    )
    assert sentences == ["通过：赞成26票，超过应到会有表决权人数50人的半数（26 > 25）"]


def test_a_failed_motion_says_how_many_were_needed():
    outcome = {"kind": "motion", "options": {"7": {"passed": False, "base": 50}}, "base": 50}
    sentences = rules.result_sentences(
        kind="motion", seats=1, rules=GENERAL, outcome=outcome, figures=_motion_figures(25), labels={}
    )
    assert sentences == ["未通过：赞成25票，未超过应到会有表决权人数50人的半数（至少需要26票）"]


def test_two_thirds_of_an_odd_base_is_stated_without_rounding():
    rules_ = {**GENERAL, "threshold": [2, 3]}
    outcome = {"kind": "motion", "options": {"7": {"passed": True, "base": 49}}, "base": 49}
    (line,) = rules.result_sentences(
        kind="motion", seats=1, rules=rules_, outcome=outcome, figures=_motion_figures(33), labels={}
    )
    assert "三分之二" in line and "33 > 49×2/3" in line


def test_each_candidate_is_elected_or_not_with_the_threshold():
    figures = {
        "total": {
            "totals": {"1": {"for": 5}, "2": {"for": 3}, "3": {"for": 4}},
            "write_ins": {"9": 1},
        }
    }
    outcome = {"kind": "candidates", "elected": ["o1", "o3"], "tied": [], "base": 7, "tie_seats": 0}
    labels = {"o1": "王一", "o2": "李二", "o3": "张三", "m9": "周四"}
    lines = rules.result_sentences(
        kind="candidates", seats=2, rules=ELECTION, outcome=outcome, figures=figures, labels=labels
    )
    assert lines[0] == "应选2名，当选2名"
    assert lines[1] == "王一：当选，赞成5票，超过实到会有选举权人数7人的半数（5 > 3.5）"
    assert lines[3] == "李二：未当选，赞成3票，未超过实到会有选举权人数7人的半数（至少需要4票）"
    assert lines[4].startswith("周四：未当选")


def test_a_void_round_says_so_first():
    (line,) = rules.result_sentences(
        kind="motion", seats=1, rules=GENERAL, outcome={}, figures={}, labels={}, void_required=True
    )
    assert line.startswith("本轮无效")


@pytest.mark.django_db
def test_the_results_page_and_the_pdf_open_with_the_sentence(client, election, members, sam):
    o = option_ids(election)
    for name in ("alice", "m1", "m2", "m3", "m4"):
        services.cast_ballot(
            user=members[name].user,
            poll=election,
            marks={o[0]: "for"},
            write_ins=[],
            idempotency_key=f"headline-{name}-0123456789",
        )
    services.close_poll(actor=sam, poll=election)
    services.count_poll(actor=sam, poll=election, passphrases=passphrases_of(election))
    election.refresh_from_db()
    client.force_login(sam)
    page = client.get(f"/ballots/polls/{election.pk}/results/").content.decode()
    headline = page.index('data-testid="result-headline"')
    assert headline < page.index('data-testid="figures"')  # at the top, before the figures and the table
    assert "应选2名，当选1名" in page and "当选，赞成5票" in page
    table = result_rows(election)
    text = _text(pdf.report_pdf(election, table, list(election.scrutineers.all()), [])).replace("\n", "")
    assert "应选2名，当选1名" in text
    assert "当选，赞成5票" in text
