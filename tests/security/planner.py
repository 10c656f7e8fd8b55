"""Which values each parameter of each URL is tried with, all taken from the world.

An integer parameter is *probed*: requested once as a superuser with a sentinel value, the SQL the view runs
says which table's key (or foreign key) it looks the value up in. A GET then tries objects of that model
from branches a, b and c and one more of a's states (the latest of its life cycle; the first is its
earliest); a POST tries a's first (the fuzzer does the rest). A string parameter is probed the same way
(the column compared with the sentinel gives its values), or takes the one-time tokens the world handed out
for that URL, or the values the pages already crawled link to (the actions of a step form, the entries of
a paper count). Odd values — a's other states, objects the pages link to, another model's key, a number
beyond bigint, strings of no token; for a POST, c's object — are tried by one persona (ODD_PERSONAS, a's
secretary): enough to reach every state's page and to show a 5xx.

`unfilled(route)` names the parameters none of these gave a value: test_url_matrix fails on them.
"""

from __future__ import annotations

import re
from collections import defaultdict

from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from .routes import Param, Route, route_of

INT_SENTINEL = 987654301
STR_SENTINEL = "zzsentinelzz"
HUGE = "99999999999999999999"  # beyond bigint
STR_FUZZ = ("x", "0" * 300, "%C0%AE%C0%AE")
ODD_PERSONAS = ("sam",)
APPS = ("branches", "ballots", "elections", "motions", "openness")

_SQL_INT = re.compile(r'"(\w+)"\."(\w+)" (?:= |IN \()(\d+)\b')
_SQL_STR = re.compile(r"\"(\w+)\"\.\"(\w+)\" = '([^']*)'")


class Planner:
    def __init__(self, world, routes: list[Route]) -> None:
        self.world = world
        self.tables = {m._meta.db_table: m for m in apps.get_models()}
        self.samples = _samples(world)
        self.by_route = {r.route: r for r in routes}
        self.models: dict[tuple[str, str], type] = {}  # (route id, param) → the model its value keys
        self.columns: dict[tuple[str, str], tuple[type, str]] = {}  # str params: model, column
        self.harvest: dict[tuple[str, str], set[str]] = defaultdict(set)  # values the pages link to
        self.paths: set[str] = set()  # every path crawled so far

    # --- the probe ---------------------------------------------------------------------------------------

    def probe(self, route: Route) -> None:
        """Find the model of each int parameter and the column of each string one."""
        for i, param in enumerate(route.params):
            if param.kind not in ("int", "str", "slug"):
                continue
            values = {}
            for j, other in enumerate(route.params):
                if other.kind == "literal":
                    values[other.name] = other.literal
                elif j < i and (route.id, other.name) in self.models:
                    values[other.name] = str(self.samples[self.models[route.id, other.name]][0])
                else:
                    values[other.name] = (
                        str(INT_SENTINEL + j) if other.kind == "int" else f"{STR_SENTINEL}{j}"
                    )
            path = route.path(values)
            if path is None:
                continue
            sql = self._sql(path)
            if param.kind == "int":
                model = self._model_of(sql, str(INT_SENTINEL + i))
                if model is not None and self.samples.get(model):
                    self.models[route.id, param.name] = model
                continue
            for table, column, value in _SQL_STR.findall(sql):
                if value == f"{STR_SENTINEL}{i}" and table in self.tables:
                    self.columns[route.id, param.name] = (self.tables[table], column)
                    break

    def _sql(self, path: str) -> str:
        """The SQL a GET of `path` runs as the superuser, or a POST with an empty body if the view takes
        POST only (its writes undone); for an old address that redirects, the SQL of where it leads."""
        for method in ("get", "post"):
            with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                response = getattr(self.world.root, method)(path)
                transaction.set_rollback(True)
            if response.status_code != 405:
                break
        if response.status_code in (301, 308) and response["Location"].startswith("/"):
            return self._sql(response["Location"])
        return "\n".join(q["sql"] for q in queries.captured_queries)

    def _model_of(self, sql: str, value: str):
        for table, column, found in _SQL_INT.findall(sql):
            if found != value or table not in self.tables:
                continue
            model = self.tables[table]
            if column == "id":
                return model
            for f in model._meta.concrete_fields:
                if f.column == column and f.is_relation:
                    return f.related_model
        return None

    # --- the values --------------------------------------------------------------------------------------

    def values(self, route: Route, param: Param, *, for_post: bool = False) -> tuple[list[str], list[str]]:
        """(the values every persona tries, the odd values only ODD_PERSONAS try)."""
        key = (route.id, param.name)
        if param.kind == "literal":
            return [param.literal], []
        harvested = sorted(self.harvest.get(key, ()), key=lambda v: (len(v), v))
        if param.kind == "int":
            model = self.models.get(key)
            own = [str(pk) for pk in self.samples.get(model, [])]
            if for_post:  # a's, whose people may act on it (c's: nobody may); the fuzzer does the rest
                return own[:1] or harvested[:1], own[2:3]
            linked = [v for v in harvested if v not in own][:2]
            if not own:  # a key of no model (the entry of a paper count): what the pages link to
                return linked, [HUGE]
            return own[:4], _dedupe([*own[4:], *linked, *self._cross(model, route), HUGE])
        if param.kind == "path":
            return self._suffixes(route, param), list(STR_FUZZ[:1])
        found = []
        if key in self.columns:
            model, name = self.columns[key]
            found = [str(v) for v in model.objects.values_list(name, flat=True).order_by("pk") if v]
        tokens = [t for t, _shows in self.world.tokens.get(route.name, [])]
        n = 2 if for_post else 4
        return _dedupe(tokens[:n] + found[:n] + harvested[: n + 2]), list(STR_FUZZ[: 1 if for_post else 3])

    def filled_by_probe(self, route: Route) -> bool:
        return all(
            p.kind == "literal" or (route.id, p.name) in self.models or (route.id, p.name) in self.columns
            for p in route.params
        )

    def unfilled(self, route: Route) -> list[str]:
        """The parameters of `route` that nothing in the world gave a value."""
        out = []
        for p in route.params:
            key = (route.id, p.name)
            if p.kind == "literal":
                continue
            if p.kind == "path":
                if self._suffixes(route, p) == []:
                    out.append(p.name)
            elif p.kind == "int":
                if key not in self.models and not self.harvest.get(key):
                    out.append(p.name)
            elif (
                key not in self.columns
                and not self.harvest.get(key)
                and not self.world.tokens.get(route.name)
            ):
                out.append(p.name)
        return out

    def combinations(self, route: Route, *, for_post: bool = False) -> list[tuple[dict[str, str], bool]]:
        """(values, odd) for each request of the route: every value of each parameter with the first of
        the others; odd ones are for ODD_PERSONAS only."""
        if not route.params:
            return [({}, False)]
        names = [p.name for p in route.params]
        pairs = [self.values(route, p, for_post=for_post) for p in route.params]
        firsts = [main[0] if main else odd[0] for main, odd in pairs]
        combos: dict[tuple, bool] = {}
        for i, (main, odd) in enumerate(pairs):
            for v, is_odd in [(v, False) for v in main] + [(v, True) for v in odd]:
                row = tuple(firsts[:i] + [v] + firsts[i + 1 :])
                combos[row] = combos.get(row, True) and is_odd
        return [(dict(zip(names, row, strict=True)), odd) for row, odd in combos.items()]

    def learn(self, links: list[str]) -> None:
        """Remember the parameter values of the links and forms a page shows."""
        for link in links:
            found = route_of(link, self.by_route)
            if found:
                route, kwargs = found
                for name, value in kwargs.items():
                    self.harvest[route.id, name].add(value)

    def _suffixes(self, route: Route, param: Param) -> list[str]:
        """For a parameter that takes the rest of a path (an old address that redirects): tails of the
        paths already crawled that make a URL of this route."""
        out = []
        for path in sorted(self.paths):
            parts = path.lstrip("/").split("/")
            for k in range(1, len(parts)):
                tail = "/".join(parts[k:])
                if tail and route.path({param.name: tail}):
                    out.append(tail)
                    break
            if len(out) >= 2:
                break
        return out

    def _cross(self, model, route: Route) -> list[str]:
        """A key of another model (a view that looks up the wrong table shows itself), rotating with the
        route so that every model's keys are tried somewhere."""
        others = [m for m in self.samples if m is not model and self.samples[m]]
        if not others:
            return []
        other = others[sum(map(ord, route.id)) % len(others)]
        own = set(self.samples.get(model, []))
        return [str(pk) for pk in self.samples[other][:1] if pk not in own]


def _dedupe(values):
    return list(dict.fromkeys(values))


def _samples(world) -> dict[type, list[int]]:
    """Per model, the keys its parameters are tried with: the first object of branch a, of b and of c
    (so that the first three cross every boundary), then one of each other state in a, latest first (the
    first is a's earliest state: the others from the far end of the life cycle), the committees' first,
    then one of each other state in b and c."""
    org_of = {o.pk: key for key, o in world.orgs.items()}
    out: dict[type, list[int]] = {}
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        path = _org_path(model)
        fields = ["pk"] + ([path] if path else []) + (["status"] if _has(model, "status") else [])
        firsts: dict[str | None, list[int]] = defaultdict(list)  # org → one object per state, in pk order
        states: dict[str | None, set] = defaultdict(set)
        for row in model.objects.order_by("pk").values_list(*fields):
            org = org_of.get(row[1]) if path else None
            status = row[-1] if "status" in fields else None
            if status not in states[org]:
                states[org].add(status)
                firsts[org].append(row[0])
        order = [
            *(firsts[k][:1] for k in ("a", "b", "c")),
            firsts["a"][:0:-1],
            *(firsts[k][:1] for k in ("town", "town2", "county", None)),
            *(firsts[k][1:] for k in ("b", "c", None)),
        ]
        out[model] = [pk for group in order for pk in group][:8]
    return out


def _has(model, name) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def _org_path(model) -> str | None:
    """The lookup from `model` to its organisation's key, up to two relations away."""
    from branches.models import Organisation

    if model is Organisation:
        return "pk"
    for f in model._meta.concrete_fields:
        if f.is_relation and f.related_model is Organisation and f.name in ("organisation", "handled_by"):
            return f.name
    for f in model._meta.concrete_fields:
        if f.is_relation and f.many_to_one and f.related_model is not None:
            for g in f.related_model._meta.concrete_fields:
                if g.is_relation and g.related_model is Organisation and g.name == "organisation":
                    return f"{f.name}__{g.name}"
    return None
