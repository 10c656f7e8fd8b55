"""One request of the harness, and what it did: its status, what it shows, whether it was a refusal, and
which tables it wrote — inside a savepoint rolled back afterwards, so the world stays as it was built.

The writes are read from pg_stat_xact_user_tables (rows inserted, updated and deleted by the transaction so
far), which costs one query. It also counts rows a request wrote and then undid itself (a service that
raised inside its own atomic block), so a refusal that seems to have written is replayed with a checksum of
each of those tables before and after: only a table whose rows changed is a write.
"""

from __future__ import annotations

import re
import traceback
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.db import DatabaseError, connection, transaction
from django.forms import BaseForm, BaseFormSet

from .canaries import body_text

# Tables a request may write even when it refuses: the session (its expiry is pushed forward, a message is
# kept there) and django-axes' record of failed logins (the lock-out needs it).
WRITE_EXEMPT = re.compile(r"^(django_session|axes_\w+)$")


@dataclass
class Outcome:
    persona: str
    method: str
    path: str
    data: dict | None
    status: int
    content_type: str = ""
    location: str = ""
    text: str = ""
    body: bytes = b""  # the raw body of a file (not HTML): exports, PDFs
    refused: bool = False
    written: dict[str, int] = field(default_factory=dict)
    exc: str = ""
    messages: list[str] = field(default_factory=list)

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")

    @property
    def reached_the_view(self) -> bool:
        """The view found what the URL names: not a 404/410 (no such object, or hidden), not a 405 or a
        redirect to the login page (a decorator answered before the view looked at anything)."""
        return self.status not in (404, 405, 410) and not self.to_login

    @property
    def to_login(self) -> bool:
        return 300 <= self.status < 400 and self.location.startswith("/accounts/login/")

    def describe(self) -> str:
        head = f"{self.method} {self.path} as {self.persona} → {self.status}"
        if self.data:
            head += f" body={_short(self.data)}"
        return head + (f"\n{self.exc}" if self.exc else "")


class Stats:
    """The figures of the run, printed at its end (conftest.pytest_terminal_summary)."""

    def __init__(self) -> None:
        self.requests = 0
        self.statuses: Counter = Counter()
        self.by_method: Counter = Counter()
        self.routes: set[str] = set()  # route ids in the GET matrix
        self.personas: set[str] = set()
        self.empty_posts = 0  # the crawl's POSTs without a body
        self.forms_fuzzed = 0
        self.forms_guessed = 0  # of them, URLs no page offered a form for: fuzzed with likely field names
        self.fuzz_posts = 0
        self.upload_cases = 0
        self.exports_scanned = 0
        self.leaks = 0
        self.errors = 0  # 5xx
        self.started = self.seconds = 0.0
        self.findings: list[str] = []  # leaks, 5xx and writes on refusal, for the summary


STATS = Stats()


def fetch(client, persona: str, method: str, path: str, data=None, *, multipart=False, **extra) -> Outcome:
    """One request, its writes undone afterwards."""
    response, raw, written = _request(client, method, path, data, multipart, extra)
    outcome = Outcome(
        persona=persona,
        method=method,
        path=path,
        data=data if isinstance(data, dict) else None,
        status=response.status_code,
        content_type=response.get("Content-Type", ""),
        location=response.get("Location", ""),
    )
    outcome.refused = _refused(response)
    storage = getattr(response.wsgi_request, "_messages", None)
    outcome.messages = [str(m) for m in getattr(storage, "_queued_messages", [])]
    if written and outcome.refused:
        written = _confirmed(client, method, path, data, multipart, extra, written)
    outcome.written = written
    STATS.requests += 1
    STATS.statuses[response.status_code] += 1
    STATS.by_method[method] += 1
    STATS.personas.add(persona)
    if response.status_code >= 500:
        STATS.errors += 1
        exc_info = getattr(response, "exc_info", None)
        outcome.exc = "".join(traceback.format_exception(*exc_info)) if exc_info else "(no traceback)"
    else:
        outcome.text = body_text(raw, outcome.content_type)
        outcome.body = b"" if outcome.is_html else raw
    return outcome


def _request(client, method, path, data, multipart, extra, tables=None):
    """The response and the tables it wrote (or, with `tables`, the checksums of those before and after)."""
    with transaction.atomic():
        before = _checksums(tables) if tables else _written_counts() if method != "GET" else {}
        if method == "GET":
            response = client.get(path, **extra)
        elif multipart:
            response = client.post(path, data or {}, **extra)
        else:
            body = urlencode(data, doseq=True) if isinstance(data, dict) else data or ""
            response = client.post(path, body, content_type="application/x-www-form-urlencoded", **extra)
        try:
            after = _checksums(tables) if tables else _written_counts() if method != "GET" else {}
        except DatabaseError:  # the request left the transaction aborted: the status says the rest
            after = before
        # A file is read while the rows it may stream from are still there.
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        transaction.set_rollback(True)
    changed = {
        t: after[t] - before.get(t, 0) if not tables else 1
        for t in after
        if after[t] != before.get(t, 0) and not WRITE_EXEMPT.match(t)
    }
    return response, raw, changed


def _confirmed(client, method, path, data, multipart, extra, written: dict[str, int]) -> dict[str, int]:
    _response, _raw, changed = _request(client, method, path, data, multipart, extra, tables=sorted(written))
    return {t: written[t] for t in changed}


_TABLES: dict[int, str] = {}  # oid → name of every table of the schema, read once


def _written_counts() -> dict[str, int]:
    """Rows inserted, updated and deleted so far by this transaction, per table (what
    pg_stat_xact_user_tables shows, without its joins: a third of the time, on every POST of the run)."""
    with connection.cursor() as cursor:
        if not _TABLES:
            cursor.execute("SELECT relid, relname FROM pg_stat_xact_user_tables")
            _TABLES.update(cursor.fetchall())
        cursor.execute(
            "SELECT t, pg_stat_get_xact_tuples_inserted(t) + pg_stat_get_xact_tuples_updated(t)"
            " + pg_stat_get_xact_tuples_deleted(t) FROM unnest(%s::oid[]) t",
            [list(_TABLES)],
        )
        return {_TABLES[oid]: n for oid, n in cursor.fetchall()}


def _checksums(tables: list[str]) -> dict[str, tuple]:
    """Per table, its number of rows and the sum of a hash of each row: what a write would change."""
    out = {}
    with connection.cursor() as cursor:
        for table in tables:
            name = connection.ops.quote_name(table)
            cursor.execute(f"SELECT count(*), coalesce(sum(hashtext(t::text)::numeric), 0) FROM {name} t")
            out[table] = cursor.fetchone()
    return out


def _refused(response) -> bool:
    """A refusal: a 4xx/5xx, a redirect to the login page, an error or warning message, or a form shown
    again with its errors."""
    if response.status_code >= 400:
        return True
    if 300 <= response.status_code < 400 and "/accounts/login/" in response.get("Location", ""):
        return True
    storage = getattr(response.wsgi_request, "_messages", None)
    if any(m.level >= messages.WARNING for m in getattr(storage, "_queued_messages", [])):
        return True
    for value in _context_values(response):
        if isinstance(value, BaseForm) and value.is_bound and value.errors:
            return True
        if isinstance(value, BaseFormSet) and value.is_bound and not value.is_valid():
            return True
    return False


def _context_values(response):
    """The values of the template contexts a response rendered (one Context, or a ContextList of them)."""
    context = response.context
    if context is None:
        return []
    contexts = context if isinstance(context, list) else [context]
    return [v for c in contexts for v in c.flatten().values()]


def _short(data, n=300) -> str:
    text = repr(data)
    return text if len(text) <= n else text[:n] + f"…({len(text)} chars)"
