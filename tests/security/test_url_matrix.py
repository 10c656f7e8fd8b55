"""Every URL of the resolver × every persona, its parameters filled from the world's objects of the right
kind in every organisation (crawl.py, planner.py): no 5xx, no canary outside the persona's scope in what he
is shown (anonymous visitors: only what is published to society), and an empty POST that is refused writes
nothing.

The URLs come from the resolver at collection time, so a new URL is in the matrix without an edit here; one
whose parameters the harness cannot fill from the world, or that no persona ever gets past its lookup,
fails test_every_url_is_filled_from_the_world unless it is in NOT_FILLED with the reason.
"""

from __future__ import annotations

import pytest

from .routes import routes
from .world import PERSONAS

ROUTES = routes()

# (route id, persona, method) → a finding of the harness, kept visible as an xfail until it is fixed.
KNOWN: dict[tuple[str, str, str], str] = {}

# Route id → why the harness cannot fill it from the world. Empty: every URL is filled.
NOT_FILLED: dict[str, str] = {}


def _cases(method: str):
    for route in ROUTES:
        for persona in PERSONAS:
            reason = KNOWN.get((route.id, persona, method))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(route, persona, id=f"{route.id}-{persona}", marks=marks)


def _report(failures: list[str]) -> str:
    more = f"\n… and {len(failures) - 10} more" if len(failures) > 10 else ""
    return "\n\n".join(failures[:10]) + more


def _failures(crawl, route, persona, method) -> list[str]:
    failures = []
    for seen in crawl.seen[route.id, persona, method]:
        outcome = seen.outcome
        if outcome.status >= 500:
            failures.append(f"5xx: {outcome.describe()}")
        elif outcome.refused and outcome.written:
            failures.append(
                f"write on refusal: {outcome.describe()} wrote {outcome.written} ({outcome.messages})"
            )
        failures += [
            f"leak: {outcome.describe()} shows {crawl.world.canaries.describe(t)}" for t in seen.leaks
        ]
    return failures


@pytest.mark.parametrize(("route", "persona"), list(_cases("GET")))
def test_a_get_answers_without_a_5xx_and_shows_nothing_outside_the_personas_scope(crawl, route, persona):
    assert crawl.seen[route.id, persona, "GET"], f"{route.id} was never requested as {persona}"
    failures = _failures(crawl, route, persona, "GET")
    assert not failures, _report(failures)


@pytest.mark.parametrize(("route", "persona"), list(_cases("POST")))
def test_an_empty_post_is_answered_without_a_5xx_and_writes_nothing_when_refused(crawl, route, persona):
    failures = _failures(crawl, route, persona, "POST")
    assert not failures, _report(failures)


def test_every_url_is_filled_from_the_world(crawl):
    """Each parameter of each URL got values from the world, and some persona got past the lookup with
    them: otherwise the matrix would only ever have seen 404s there, and shown nothing."""
    problems = {}
    for route in ROUTES:
        if unfilled := crawl.planner.unfilled(route):
            problems[route.id] = f"nothing in the world fills {unfilled}"
        elif not crawl.reached(route):
            statuses = sorted({o.status for o in crawl.outcomes(route)})
            problems[route.id] = f"every request was answered before the view: {statuses}"
    stale = sorted(set(NOT_FILLED) - {r.id for r in ROUTES})
    assert not stale, f"NOT_FILLED names URLs the resolver no longer has: {stale}"
    unexpected = {rid: why for rid, why in problems.items() if rid not in NOT_FILLED}
    assert not unexpected, (
        "URLs the harness cannot fill (give the world an object, or say why in NOT_FILLED):\n"
        + ("\n".join(f"  {rid}: {why}" for rid, why in sorted(unexpected.items())))
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_was_shown_canaries_of_his_own_scope(crawl, persona):
    """The harness is not blind: what a persona may read does reach him, so a missing leak means something."""
    labels = {crawl.world.canaries.labels[t].split(":")[0] for t in crawl.shown[persona]}
    expected = {"soc"} if persona == "anonymous" else {"soc", "int"}
    if crawl.world.audience(persona).reads:
        expected.add("mgr")
    assert expected <= labels, f"{persona} was shown only {sorted(labels)}"


def test_a_write_is_seen_by_the_harness(world, crawl):
    """The harness is not blind to writes either: an accepted POST shows the tables it wrote."""
    from .fetching import fetch

    meeting = world.branches["a"].live_meeting
    outcome = fetch(
        world.clients["sam"], "sam", "POST", f"/meetings/{meeting.pk}/minutes/", {"minutes": "记录"}
    )
    assert not outcome.refused and "branches_meeting" in outcome.written, outcome.describe()
