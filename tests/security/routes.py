"""The URLs of the portal, from the resolver: every pattern (includes and namespaces walked), its name and its
parameters, and the path it makes for a set of values.

Nothing here is listed by hand but SKIP: a URL added to any urls.py is in the harness's matrix at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

# URLs the harness leaves alone, each for a reason:
SKIP = (
    "admin/",  # Django's admin: superusers only, its own permission checks, not the portal's
    "static/",  # files (served by whitenoise / DEBUG only)
    "media/",
    "jsi18n/",  # the translation catalogue, the same for everyone
    "i18n/setlang/",  # the language switch: a cookie, no data
    "accounts/logout/",  # would end the persona's session in the middle of the run
)

_CONVERTERS = {
    "IntConverter": "int",
    "SlugConverter": "slug",
    "PathConverter": "path",
    "UUIDConverter": "uuid",
}


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # int, str, slug, path, uuid, or literal (a regex group that admits one word)
    literal: str = ""


@dataclass(frozen=True)
class Route:
    name: str  # the namespaced URL name ("ballots:poll"), or "" for an unnamed pattern
    route: str  # the route text as the resolver joins it
    params: tuple[Param, ...]
    regex: bool

    @property
    def id(self) -> str:
        """The name, or the route text of an unnamed pattern (the legacy redirects)."""
        return self.name or self.route

    def path(self, values: dict[str, str]) -> str | None:
        """The URL for `values`, or None if the resolver would not send it to this pattern."""
        if self.regex:
            text = _fill_regex(self.route, values)
        else:
            text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), self.route)
        if text is None:
            return None
        path = "/" + text
        try:
            match = resolve(urlsplit(path).path)
        except Resolver404:
            return None
        return path if match.route == self.route else None


def routes() -> list[Route]:
    out = []
    for route, name, pattern in _walk(get_resolver()):
        if route.lstrip("^").startswith(SKIP):
            continue
        params, regex = _params(route, pattern)
        out.append(Route(name=name, route=route, params=params, regex=regex))
    return out


def route_of(path: str, by_route: dict[str, Route]) -> tuple[Route, dict[str, str]] | None:
    """The route a local path resolves to, and its parameters' values."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    route = by_route.get(match.route)
    return (route, {k: str(v) for k, v in match.kwargs.items()}) if route else None


def _walk(resolver, prefix="", ns=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            child_ns = ":".join(x for x in (ns, p.namespace) if x)
            yield from _walk(p, prefix + str(p.pattern), child_ns)
        elif isinstance(p, URLPattern):
            name = f"{ns}:{p.name}" if ns and p.name else (p.name or "")
            yield prefix + str(p.pattern), name, p


def _params(route: str, pattern: URLPattern) -> tuple[tuple[Param, ...], bool]:
    if "(?P<" not in route:
        # The converters of an include()'s prefix are not on the leaf pattern: read them from the text too.
        found = {n: _CONVERTERS.get(type(c).__name__, "str") for n, c in pattern.pattern.converters.items()}
        for conv, n in re.findall(r"<(?:(\w+):)?(\w+)>", route):
            found.setdefault(n, conv if conv in ("int", "slug", "path", "uuid") else "str")
        return tuple(Param(n, found[n]) for n in re.findall(r"<(?:\w+:)?(\w+)>", route)), False
    params = []
    for name, body, _start, _end in _group_spans(route):
        if body in (r"[0-9]+", r"\d+"):
            params.append(Param(name, "int"))
        elif re.fullmatch(r"[\w-]+", body):
            params.append(Param(name, "literal", body))
        else:
            params.append(Param(name, "path"))
    return tuple(params), True


def _group_spans(text: str):
    """(name, body, start, end) of each named group `(?P<name>body)`."""
    for m in re.finditer(r"\(\?P<(\w+)>", text):
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        yield m.group(1), text[m.end() : i - 1], m.start(), i


def _fill_regex(route: str, values: dict[str, str]) -> str | None:
    out, last = [], 0
    for name, _body, start, end in _group_spans(route):
        out += [route[last:start], str(values[name])]
        last = end
    out.append(route[last:])
    text = "".join(out).replace("^", "").replace("$", "")
    return None if re.search(r"[\\\[\](){}*+?|]", text) else text
