"""Benchmark: the cost of one online vote inside the server — milliseconds and SQL queries per ballot.

    .venv/bin/python tests/bench/vote_path.py --votes 300 [--write-ins] [--show-queries]

One process, no network: N members (logged in beforehand, not timed) each post their ballot through the
whole Django stack (middleware, session, view, cast, rendered confirmation) with the test client, one after
another. Prints one JSON line: votes, ms per vote (mean, p50, p95) and the queries of one vote, and the
mean ms of the ballot page each member opened before (with --write-ins the poll allows 另选他人, so the page
offers every eligible member of the branch). The figures to read beside ballot_burst.py: what the server
spends per member before any concurrency.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import time

from _setup import build_poll, throwaway_database

PASSWORD = "bench-pass-123"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--votes", type=int, default=300)
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of the last vote")
    parser.add_argument("--write-ins", action="store_true", help="a poll that allows write-ins")
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    with throwaway_database():
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from ballots.models import Ballot, BallotInbox, HasVoted
        from branches.models import User

        settings.ALLOWED_HOSTS = ["testserver"]
        poll, _members, _secretary = build_poll(
            args.votes, with_users=True, password=PASSWORD, allow_write_in=args.write_ins
        )
        option_ids = list(poll.options.values_list("pk", flat=True))
        url = f"/ballots/polls/{poll.pk}/vote/"
        forms, page_timings = [], []
        for i in range(args.votes):
            client = Client(enforce_csrf_checks=True)
            client.force_login(User.objects.get(username=f"voter{i}"))
            start = time.perf_counter()
            page = client.get(url).content.decode()
            page_timings.append((time.perf_counter() - start) * 1000)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            key = re.search(r'name="key" value="([^"]+)"', page).group(1)
            # A full ballot (every line marked): one POST, no question asked about unmarked lines.
            marks = {f"o{o}": "abstain" for o in option_ids} | {f"o{option_ids[i % len(option_ids)]}": "for"}
            form = {"csrfmiddlewaretoken": token, "key": key, **marks}
            forms.append((client, form))
        timings, queries = [], []
        for client, form in forms:
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.post(url, form)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200 and b'data-testid="tracker"' in response.content, response
            queries.append(len(captured.captured_queries))
        assert (
            HasVoted.objects.filter(poll=poll).count()
            == Ballot.objects.filter(poll=poll).count() + BallotInbox.objects.filter(poll=poll).count()
            == args.votes
        )
        if args.show_queries:
            for query in captured.captured_queries:
                print(query["sql"][:200])
        timings.sort()
        print(
            json.dumps(
                {
                    "benchmark": "vote_path",
                    "votes": args.votes,
                    "ms_mean": round(statistics.fmean(timings), 2),
                    "ms_p50": round(timings[len(timings) // 2], 2),
                    "ms_p95": round(timings[int(len(timings) * 0.95)], 2),
                    "queries_per_vote": max(queries),
                    "write_ins": args.write_ins,
                    "ballot_page_ms_mean": round(statistics.fmean(page_timings[10:] or page_timings), 2),
                    "ballot_page_kb": round(len(page.encode()) / 1024, 1),
                }
            )
        )


if __name__ == "__main__":
    main()
