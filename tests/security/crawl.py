"""The crawl: every URL of the resolver (routes.py) with its parameters filled from the world (planner.py),
GET and then POST with an empty body, as every persona; each request through fetching.fetch (a savepoint
rolled back). It runs once for the package (conftest.crawl) and keeps what the tests judge: per route and
persona the outcomes (without the pages), the canaries each persona was shown, the POST forms the pages
offer, and the files (CSV, XLSX, PDF) answered.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .fetching import STATS, Outcome, fetch
from .pages import Form, parse_page
from .planner import ODD_PERSONAS, Planner
from .routes import Route, route_of, routes


@dataclass
class Seen:
    """What one request showed, without the page itself."""

    outcome: Outcome
    leaks: list[str]


class Crawl:
    def __init__(self, world) -> None:
        self.world = world
        self.routes = routes()
        self.by_route = {r.route: r for r in self.routes}
        self.planner = Planner(world, self.routes)
        self.seen: dict[tuple[str, str, str], list[Seen]] = defaultdict(list)  # (route id, persona, method)
        self.forms: dict[str, list[Form]] = defaultdict(list)  # route id posted to → forms, first shown first
        self.files: list[Outcome] = []  # the 2xx answers that are files, not pages
        self.shows = {t: shows for kind in world.tokens.values() for t, shows in kind}
        self.shown: dict[str, set[str]] = defaultdict(set)  # persona → canaries he was shown (allowed)

    def run(self) -> Crawl:
        for route in self.routes:
            self.planner.probe(route)
        # The routes the probe filled first: their pages give the values of the others (the actions of a
        # step form, the entries of a paper count, the tails of old addresses).
        first = [r for r in self.routes if self.planner.filled_by_probe(r)]
        for route in first + [r for r in self.routes if r not in first]:
            STATS.routes.add(route.id)
            self.visit(route, "GET")
        for route in self.routes:
            self.visit(route, "POST")
        return self

    def allowed(self, values: dict[str, str]) -> frozenset[str]:
        """Canaries a one-time link may show its holder: those of the object it opens."""
        out: frozenset[str] = frozenset()
        for v in values.values():
            out |= self.shows.get(v, frozenset())
        return out

    def visit(self, route: Route, method: str) -> None:
        """Each combination of values as each persona, until a persona is answered before the view (405,
        the login page): the other values would get the same answer."""
        settled: set[str] = set()
        for values, odd in self.planner.combinations(route, for_post=method == "POST"):
            path = route.path(values)
            if path is None:
                continue
            for persona in ODD_PERSONAS if odd else self.world.clients:
                if persona not in settled:
                    outcome = self.request(route, persona, method, path, values)
                    if outcome.status == 405 or outcome.to_login:
                        settled.add(persona)

    def request(self, route: Route, persona: str, method: str, path: str, values: dict[str, str]) -> Outcome:
        outcome = fetch(self.world.clients[persona], persona, method, path)
        if method == "GET":
            self.planner.paths.add(path)
        else:
            STATS.empty_posts += 1
        canaries = self.world.canaries
        leaks = canaries.leaks(outcome.text, self.world.audience(persona), self.allowed(values))
        STATS.leaks += len(leaks)
        STATS.findings += [f"leak: {outcome.describe()} shows {canaries.describe(t)}" for t in leaks]
        if outcome.status >= 500:
            STATS.findings.append(f"5xx: {outcome.describe()}")
        elif outcome.refused and outcome.written:
            STATS.findings.append(f"write on refusal: {outcome.describe()} wrote {outcome.written}")
        self.seen[route.id, persona, method].append(Seen(outcome, leaks))
        self.shown[persona] |= canaries.found(outcome.text) - set(leaks)
        if outcome.status == 200 and outcome.is_html:
            forms, links = parse_page(outcome.text, path, persona)
            self.planner.learn(links + [f.action for f in forms])
            for form in forms:
                found = route_of(form.action, self.by_route)
                if found and form.signature() not in {f.signature() for f in self.forms[found[0].id]}:
                    self.forms[found[0].id].append(form)
        elif 200 <= outcome.status < 300 and outcome.body and method == "GET":
            self.files.append(outcome)
        outcome.text = ""  # the page is read: keep the figures, not the text
        return outcome

    # --- what the tests ask ------------------------------------------------------------------------------

    def outcomes(self, route: Route, persona: str | None = None, method: str | None = None) -> list[Outcome]:
        return [
            s.outcome
            for (rid, p, m), seen in self.seen.items()
            if rid == route.id and persona in (None, p) and method in (None, m)
            for s in seen
        ]

    def reached(self, route: Route) -> bool:
        """Some persona's request got past the lookup to the view's answer."""
        return any(o.reached_the_view for o in self.outcomes(route))

    def takes_post(self, route: Route) -> bool:
        return any(o.status != 405 and not o.to_login for o in self.outcomes(route, method="POST"))
