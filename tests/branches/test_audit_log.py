"""The audit log reads as sentences about people: whole names, words for codes, a link to the object."""

import ast
import datetime as dt
import pathlib

import pytest
from django.urls import reverse
from django.utils import timezone

from branches import services
from branches.audit import log_action
from branches.models import AuditLog, Meeting
from branches.verbs import SENTENCES, changes_of, object_url, sentence
from tests.conftest import member_of
from tests.factories import MemberFactory

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = ["branches", "ballots", "elections", "motions", "openness"]


def _verbs_in_code() -> dict[str, str]:
    """Every verb literal handed to log_action(), transition() or a wrapper with a `verb` parameter."""
    trees = {
        p: ast.parse(p.read_text())
        for app in APPS
        for p in (ROOT / app).rglob("*.py")
        if "migrations" not in p.parts
    }
    position: dict[str, int | None] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                names = [a.arg for a in node.args.posonlyargs + node.args.args]
                if "verb" in names:
                    position[node.name] = names.index("verb")
    found: dict[str, str] = {}
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            values = [k.value for k in node.keywords if k.arg == "verb"]
            index = position.get(name)
            if index is not None and len(node.args) > index:
                values.append(node.args[index])
            for value in values:
                # `"a" if passed else "b"`: both branches are verbs
                for leaf in (value.body, value.orelse) if isinstance(value, ast.IfExp) else (value,):
                    if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str):
                        found[leaf.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_every_verb_used_in_the_code_has_a_sentence():
    used = _verbs_in_code()
    assert len(used) > 150  # the scan finds the verbs (a broken scan would pass vacuously)
    missing = {verb: where for verb, where in used.items() if verb not in SENTENCES}
    assert not missing


def test_no_sentence_is_a_raw_code():
    for verb, text in SENTENCES.items():
        assert "." not in str(text) and "_" not in str(text), verb


@pytest.fixture
def meeting(sam, tree):
    return services.schedule_meeting(
        actor=sam,
        organisation=tree.a,
        kind="general",
        title="三月党员大会",
        agenda="学习",
        starts_at=timezone.now() + dt.timedelta(days=3),
    )


def _entry(verb):
    return AuditLog.objects.select_related("actor__member", "content_type").filter(verb=verb).first()


def test_an_entry_reads_as_a_chinese_sentence_with_the_whole_name(meeting):
    entry = _entry("meeting.schedule")
    assert sentence(entry) == "孙书记安排了会议"
    assert object_url(entry) == reverse("branches:meeting", args=[meeting.pk])


def test_a_status_change_is_told_in_words(sam, meeting):
    services.start_meeting(actor=sam, meeting=meeting, urgent_reason="紧急事项")
    (change,) = changes_of(_entry("meeting.start"))
    assert (change.label, change.old, change.new) == ("状态", "已安排", "进行中")


def test_a_name_in_the_changes_stays_whole(sam, tree):
    member = MemberFactory(organisation=tree.a, name="胡燕瑶")
    log_action(sam, "attendance.set", member, changes={"member": "胡燕瑶", "count": 3, "cosigners": []})
    rows = changes_of(_entry("attendance.set"))
    assert sorted((r.new, r.single) for r in rows) == [("3", True), ("胡燕瑶", True)]


def test_an_entry_without_an_actor_is_the_system(tree):
    log_action(None, "organisation.create", tree.a)
    assert sentence(_entry("organisation.create")) == "系统建立了组织"


def _log(sam, tree, n):
    for i in range(n):
        member = MemberFactory(organisation=tree.a, name=f"党员{i}")
        log_action(
            sam,
            "member.update",
            member,
            changes={"name": ["旧名", member.name], "category": ["full", "probationary"]},
        )


@pytest.mark.parametrize("rows", [1, 30])
def test_the_page_costs_the_same_queries_for_1_and_30_entries(
    client_for, sam, tree, rows, django_assert_num_queries
):
    _log(sam, tree, rows)
    client = client_for(sam)
    client.get(reverse("branches:audit", args=[tree.a.pk]))  # warm the content-type cache
    with django_assert_num_queries(8):
        response = client.get(reverse("branches:audit", args=[tree.a.pk]))
    body = response.content.decode()
    assert "孙书记修改了党员信息" in body
    assert ">member.update<" not in body and "<code>" not in body
    assert "正式党员 → 预备党员" in body


def test_the_log_filters_by_person_action_and_date(client_for, sam, olga, tree, meeting):
    log_action(olga, "member.update", member_of(sam), changes={"phone": ["1", "2"]})
    client = client_for(sam)
    url = reverse("branches:audit", args=[tree.a.pk])
    by_person = client.get(url, {"person": "欧干部"}).content.decode()
    assert "欧干部修改了党员信息" in by_person and "孙书记安排了会议" not in by_person
    by_verb = client.get(url, {"verb": "meeting.schedule"}).content.decode()
    # the actions offered are those of this log, no other
    assert 'value="meeting.schedule"' in by_verb and 'value="poll.open"' not in by_verb
    assert "孙书记安排了会议" in by_verb and "欧干部" not in by_verb
    today = timezone.localdate().isoformat()
    assert "孙书记安排了会议" in client.get(url, {"since": today}).content.decode()
    assert "孙书记安排了会议" not in client.get(url, {"until": "2000-01-01"}).content.decode()


@pytest.mark.parametrize(
    "query", [{"since": "not-a-date"}, {"verb": "no.such"}, {"page": "x"}, {"person": "\x00"}]
)
def test_bad_filter_input_never_breaks_the_page(client_for, sam, tree, query):
    assert client_for(sam).get(reverse("branches:audit", args=[tree.a.pk]), query).status_code == 200


def test_the_log_refuses_members_and_hides_other_branches(client_for, alice, bob, tree):
    url = reverse("branches:audit", args=[tree.a.pk])
    assert client_for(alice).get(url).status_code == 403
    assert client_for(bob).get(url).status_code == 404
    assert client_for(alice).post(url).status_code == 405


def test_meeting_statuses_exist():
    assert {"scheduled", "in_progress"} <= {s for s, _ in Meeting._meta.get_field("status").choices}
