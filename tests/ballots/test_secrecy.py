"""Secrecy against whoever runs the database, and against the application's own outputs."""

import io
import json
import logging
import os
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.views.debug import SafeExceptionReporterFilter
from pypdf import PdfReader

from ballots import ballotbox, services
from ballots.models import Ballot, CountedBallot, Poll
from branches.models import AuditLog

from .conftest import PASSPHRASES, option_ids, passphrases_of


def _cast_three(election, members):
    o = option_ids(election)
    votes = {"alice": {o[0]: "for"}, "sam": {o[1]: "for"}, "m1": {o[2]: "against"}}
    for name, marks in votes.items():
        services.cast_ballot(
            user=members[name].user,
            poll=election,
            marks=marks,
            write_ins=[],
            idempotency_key=f"secrecy-{name}-0123456789",
        )
    return votes


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _looks_sealed(blob: bytes) -> bool:
    """Ciphertext: no JSON, none of the option ids or marks in clear, a padded length."""
    try:
        json.loads(blob)
        return False
    except ValueError:
        pass
    return b"for" not in blob and b'"c"' not in blob and (len(blob) - 48) % ballotbox.PAD_TO == 0


def _box(poll_id):
    """The live rows of the box and of the inbox, as an attacker with a copy of the database sees them."""
    return {
        "voters": _rows(
            "SELECT member_id, xmin::text, ctid::text FROM elections_hasvoted WHERE poll_id = %s ORDER BY ctid",
            [poll_id],
        ),
        "box": _rows(
            "SELECT tracker, xmin::text, ctid::text FROM elections_ballot WHERE poll_id = %s ORDER BY ctid",
            [poll_id],
        ),
        "inbox": _rows("SELECT tracker FROM ballots_ballotinbox WHERE poll_id = %s", [poll_id]),
    }


@pytest.mark.django_db(transaction=True)
def test_once_closed_no_live_row_links_a_voter_to_his_ballot(election, members, sam):
    """The cast writes the has-voted row and the ballot in one transaction (they share its xmin), but the
    ballot goes to the inbox; the close mixes the inbox into the box in a transaction of its own, so the box's
    ballots share one xmin that is no voter's, the inbox is empty, and an xmin join finds nothing."""
    _cast_three(election, members)
    open_ = _box(election.pk)
    assert len(open_["inbox"]) == 3 and not open_["box"]  # below a batch: nothing mixed yet

    services.close_poll(actor=sam, poll=election)

    closed = _box(election.pk)
    assert not closed["inbox"] and len(closed["box"]) == 3
    voter_xmins = {xmin for _m, xmin, _c in closed["voters"]}
    box_xmins = {xmin for _t, xmin, _c in closed["box"]}
    assert len(box_xmins) == 1 and not box_xmins & voter_xmins
    exact = _rows(
        "SELECT hv.member_id FROM elections_hasvoted hv JOIN elections_ballot b "
        "ON b.poll_id = hv.poll_id AND b.xmin = hv.xmin WHERE hv.poll_id = %s",
        [election.pk],
    )
    assert exact == []


@pytest.mark.django_db(transaction=True)
def test_the_mixer_moves_full_batches_in_random_order_and_the_rest_at_close(tree, sam, members, settings):
    from ballots.services.mixing import mix_due

    from .conftest import crowd, make_poll, start_meeting

    settings.ZHIBU_RULES = {**settings.ZHIBU_RULES, "ballot_mix_batch": 20}
    voters = crowd(tree.a, 45, prefix="mix")
    meeting = start_meeting(tree.a, sam, sign_in=[*members.values(), *voters])
    poll = make_poll(meeting, sam, options=[members["m1"]], scrutineers=[members["m4"], members["m5"]])
    tracker_of = {}

    def cast(voter):
        result = services.cast_ballot(
            user=voter.user,
            poll=poll,
            marks={option_ids(poll)[0]: "for"},
            write_ins=[],
            idempotency_key=f"mix-{voter.pk}-0123456789",
        )
        tracker_of[voter.pk] = result.tracker

    for v in voters[:19]:
        cast(v)
    assert mix_due() == 0  # 19 < a batch of 20: they wait in the inbox
    for v in voters[19:42]:
        cast(v)
    assert mix_due() == 42  # one batch of everything pending
    assert mix_due() == 0
    for v in voters[42:]:
        cast(v)
    services.close_poll(actor=sam, poll=poll)  # the last 3 at close, before any count

    state = _box(poll.pk)
    assert not state["inbox"] and len(state["box"]) == 45
    batches = {}
    for tracker, xmin, _ctid in state["box"]:
        batches.setdefault(xmin, []).append(tracker)
    assert sorted(len(b) for b in batches.values()) == [3, 42]
    assert not set(batches) & {xmin for _m, xmin, _c in state["voters"]}
    # Within the batch of 42 the physical order is shuffled: matching the voters' order (has-voted ctid) to
    # the box's order is right about once, not 42 times (P(≥ 10 right) < 1e-6).
    big = next(b for b in batches.values() if len(b) == 42)
    cast_order = [tracker_of[m] for m, _x, _c in state["voters"] if tracker_of.get(m) in set(big)]
    assert sum(a == b for a, b in zip(cast_order, big, strict=True)) < 10


@pytest.mark.django_db(transaction=True)
def test_what_an_xmin_join_finds_before_the_mix_is_ciphertext(election, members, sam):
    _cast_three(election, members)
    linked = _rows(
        "SELECT hv.member_id, i.sealed FROM elections_hasvoted hv JOIN ballots_ballotinbox i "
        "ON i.poll_id = hv.poll_id AND i.xmin = hv.xmin WHERE hv.poll_id = %s",
        [election.pk],
    )
    assert len(linked) == 3  # before the mix the inbox links: only a batch's mixing unlinks …
    assert all(_looks_sealed(bytes(sealed)) for _m, sealed in linked)  # … and it leads only to ciphertext

    # One scrutineer (k − 1) cannot open what the join found.
    scrutineer = election.scrutineers.order_by("pk").first()
    share = ballotbox.unlock_share(
        ballotbox.ShareMaterial(
            scrutineer.share_index,
            bytes(scrutineer.encrypted_share),
            bytes(scrutineer.salt),
            scrutineer.opslimit,
            scrutineer.memlimit,
        ),
        PASSPHRASES[0],
    )
    with pytest.raises(ballotbox.BoxError):
        ballotbox.open_box(bytes(Poll.objects.get(pk=election.pk).wrapped_private_key), [share], 2)

    # After the count the key is gone: the sealed ballots can never be opened, and the opened contents share
    # the count's transaction id, not any voter's.
    services.close_poll(actor=sam, poll=election)
    services.count_poll(actor=sam, poll=election, passphrases=passphrases_of(election))
    assert Poll.objects.get(pk=election.pk).wrapped_private_key is None
    voter_xmins = {
        r[0] for r in _rows("SELECT xmin::text FROM elections_hasvoted WHERE poll_id = %s", [election.pk])
    }
    counted_xmins = {
        r[0]
        for r in _rows("SELECT xmin::text FROM elections_countedballot WHERE poll_id = %s", [election.pk])
    }
    assert len(counted_xmins) == 1 and not counted_xmins & voter_xmins


@pytest.mark.django_db
def test_no_column_or_index_of_the_ballot_table_orders_ballots_by_time(election, members):
    from ballots.services.mixing import mix_poll

    _cast_three(election, members)
    mix_poll(election.pk, final=True)
    columns = dict(
        _rows(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'elections_ballot'",
            [],
        )
    )
    assert columns == {"id": "uuid", "poll_id": "bigint", "sealed": "bytea", "tracker": "character varying"}
    defaults = _rows(
        "SELECT column_default FROM information_schema.columns WHERE table_name = 'elections_ballot' "
        "AND column_default IS NOT NULL",
        [],
    )
    assert defaults == []  # no sequence, no now()
    indexes = [
        r[0] for r in _rows("SELECT indexdef FROM pg_indexes WHERE tablename = 'elections_ballot'", [])
    ]
    assert len(indexes) == 2
    assert any("(id)" in i for i in indexes) and any("(poll_id, tracker)" in i for i in indexes)
    assert {uuid.UUID(str(pk)).version for pk in Ballot.objects.values_list("id", flat=True)} == {4}
    inbox = {
        r[0]
        for r in _rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'ballots_ballotinbox'", []
        )
    }
    assert inbox == {"id", "poll_id", "sealed", "tracker"}  # the inbox neither: no member, no time
    for table in ("elections_countedballot",):
        cols = {
            r[0]
            for r in _rows(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s", [table]
            )
        }
        assert cols == {"id", "poll_id", "content", "valid", "blank"}  # no member, no time


@pytest.mark.django_db
def test_logs_task_queue_audit_log_exports_and_error_reports_carry_no_ballot_content(
    election, members, sam, caplog, django_capture_on_commit_callbacks, client
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks() as callbacks:
        votes = _cast_three(election, members)
    assert callbacks == []  # casting enqueues no task: no task argument can carry a ballot
    trackers = list(Ballot.objects.values_list("tracker", flat=True))
    services.close_poll(actor=sam, poll=election)
    services.count_poll(actor=sam, poll=election, passphrases=passphrases_of(election))
    services.publish_poll(actor=sam, poll=election)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert not any(t in logged for t in trackers)
    assert '"c":' not in logged

    # The audit log: poll events only, no has-voted entry, no ballot, no tracker, no voter's name.
    entries = AuditLog.objects.filter(content_type__app_label="elections")
    text = json.dumps([[e.verb, e.changes, e.object_repr] for e in entries], ensure_ascii=False)
    assert not any(t in text for t in trackers)
    assert (
        "艾丽斯" not in text and "孙书记" not in text
    )  # alice and sam voted; neither stands nor scrutinises
    assert not any("vote" in e.verb or "ballot" in e.verb for e in entries)

    # Exports: the report and the tracker list name no voter.
    client.force_login(sam)
    report = client.get(reverse("ballots:report_pdf", args=[election.pk]))
    report_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(report.content)).pages)
    assert "艾丽斯" not in report_text and "孙书记" not in report_text
    tracker_page = client.get(reverse("ballots:trackers", args=[election.pk])).content.decode()
    assert "艾丽斯" not in tracker_page.split("<main")[1]
    # Counted contents exist but have no member.
    assert CountedBallot.objects.filter(poll=election).count() == len(votes)


@pytest.mark.django_db
def test_an_error_while_casting_shows_and_reports_nothing_of_the_ballot(election, members, monkeypatch):
    o = option_ids(election)
    captured = {}

    def explode(*args, **kwargs):
        raise RuntimeError("sealing failed")

    monkeypatch.setattr(ballotbox, "seal", explode)
    from django.core.signals import got_request_exception

    def keep(sender, request, **kwargs):
        captured["request"] = request

    got_request_exception.connect(keep, dispatch_uid="secrecy-test")
    try:
        browser = Client(raise_request_exception=False)
        browser.force_login(members["alice"].user)
        response = browser.post(
            reverse("ballots:vote", args=[election.pk]),
            {"key": "error-key-0123456789", f"o{o[0]}": "against", f"o{o[1]}": "for", "confirm": "1"},
        )
    finally:
        got_request_exception.disconnect(dispatch_uid="secrecy-test")
    assert response.status_code == 500
    assert "against" not in response.content.decode()
    post = SafeExceptionReporterFilter().get_post_parameters(captured["request"])
    assert all(set(str(v)) == {"*"} for v in post.values())  # an error report shows stars, never the marks
    assert not Ballot.objects.filter(poll=election).exists()


@pytest.mark.schema_owner
@pytest.mark.django_db(transaction=True)
def test_the_key_material_is_vacuumed_out_of_the_dead_rows_after_the_count(election, members, sam):
    """The hostile test found the destroyed key and shares in dead rows with pageinspect; after the count the
    rows that held them are vacuumed (by the count where its role owns the tables, else by autovacuum, told to
    act on the first dead row)."""
    _cast_three(election, members)
    shares = [bytes(s.encrypted_share) for s in election.scrutineers.all()]
    key = bytes(Poll.objects.get(pk=election.pk).wrapped_private_key)
    services.close_poll(actor=sam, poll=election)
    services.count_poll(actor=sam, poll=election, passphrases=passphrases_of(election))
    options = dict(
        _rows(
            "SELECT relname, array_to_string(reloptions, ',') FROM pg_class "
            "WHERE relname IN ('elections_poll', 'elections_scrutineer', 'ballots_ballotinbox')",
            [],
        )
    )
    assert (
        all("autovacuum_vacuum_scale_factor=0" in (options[t] or "") for t in options) and len(options) == 3
    )
    # Read the pages as a superuser (pageinspect needs one), on a connection of its own: the suite itself
    # runs as the portal's role, and this test (schema_owner) as the tables' owner, who may VACUUM them.
    import dj_database_url
    import psycopg2

    server = dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    spy = psycopg2.connect(
        dbname=connection.settings_dict["NAME"],
        user=server["USER"],
        password=server["PASSWORD"] or None,
        host=server["HOST"] or None,
        port=server["PORT"] or None,
    )
    spy.autocommit = True
    try:
        with spy.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if not cursor.fetchone()[0]:
                pytest.skip("pageinspect needs a superuser: DATABASE_URL names none")
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
            for table, secrets_ in (("elections_scrutineer", shares), ("elections_poll", [key])):
                cursor.execute(f"SELECT pg_relation_size('{table}') / current_setting('block_size')::int")
                items = []
                for page in range(cursor.fetchone()[0]):
                    cursor.execute(
                        f"SELECT t_data FROM heap_page_items(get_raw_page('{table}', {page})) "
                        "WHERE t_data IS NOT NULL"
                    )
                    items += [bytes(r[0]) for r in cursor.fetchall()]
                assert not [i for i in items for s in secrets_ if s in i], table
    finally:
        spy.close()
