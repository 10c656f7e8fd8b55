"""The linkage attack after a burst of 200 ballots through HTTP: nothing links a voter to his ballot.

A live server (a real HTTP server in a thread, on the test database), 200 members each with his own session
fetching his ballot page and posting it from 16 threads at once, while the mixer runs as the beat would.
Then the close, and the attack of tests/security/linkage.py on the live rows: no better than chance.
"""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from ballots import services
from ballots.services.mixing import mix_due
from tests.ballots.conftest import crowd, make_poll, start_meeting

from .linkage import attack, no_better_than_chance

VOTERS = 200


def _browser(live_server, user):
    """A member's browser: his session cookie (logged in through Django's test client) on a cookie jar."""
    client = Client()
    client.force_login(user)
    jar = http.cookiejar.CookieJar()
    host = urllib.parse.urlparse(live_server.url).hostname
    host = host if "." in host else f"{host}.local"  # how the cookie jar names a host without a dot
    for name, morsel in client.cookies.items():
        jar.set_cookie(
            http.cookiejar.Cookie(
                0,
                name,
                morsel.value,
                None,
                False,
                host,
                False,
                False,
                "/",
                True,
                False,
                None,
                False,
                None,
                None,
                {},
            )
        )
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def _vote(live_server, opener, poll_id, option_id) -> tuple[int, str]:
    url = f"{live_server.url}/ballots/polls/{poll_id}/vote/"
    page = opener.open(url, timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "key": key, f"o{option_id}": "for", "confirm": "1"}
    ).encode()
    request = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310 — our own server
    with opener.open(request, timeout=60) as response:
        return response.status, key


@pytest.mark.django_db(transaction=True)
def test_two_hundred_ballots_through_http_cannot_be_linked_to_their_voters(live_server, settings, tree, sam):
    settings.ZHIBU_RULES = {**settings.ZHIBU_RULES, "ballot_mix_batch": 10}
    voters = crowd(tree.a, VOTERS + 4, prefix="link")
    voters, candidates, scrutineers = voters[:VOTERS], voters[VOTERS : VOTERS + 2], voters[VOTERS + 2 :]
    meeting = start_meeting(tree.a, sam, sign_in=[*voters, *candidates, *scrutineers])
    poll = make_poll(meeting, sam, options=candidates, scrutineers=scrutineers)
    option_ids = list(poll.options.values_list("pk", flat=True))
    openers = [_browser(live_server, v.user) for v in voters]

    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(0.2):
                mix_due()
        finally:
            connection.close()

    mixer = threading.Thread(target=beat)
    mixer.start()

    def one(i):
        try:
            return _vote(live_server, openers[i], poll.pk, option_ids[i % 2])
        finally:
            connection.close()

    try:
        with ThreadPoolExecutor(16) as pool:
            results = list(pool.map(one, range(VOTERS)))
    finally:
        stop.set()
        mixer.join(timeout=60)
    assert [status for status, _key in results] == [200] * VOTERS
    services.close_poll(actor=sam, poll=poll)

    keys = {v.pk: key for v, (_status, key) in zip(voters, results, strict=True)}
    figures = attack(poll.pk, keys)
    print(f"\nlinkage after {VOTERS} ballots through HTTP: {figures}")  # noqa: T201 — the harness's figures
    assert figures["voters"] == figures["ballots_in_box"] == VOTERS
    assert figures["smallest_batch"] >= 1 and figures["batches"] >= 1
    assert no_better_than_chance(figures), figures
