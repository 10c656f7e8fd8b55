"""Canaries: unique strings in the text of the world's objects, each labelled with who may read it.

A token is `CNRY` + four digits + `X` (`CNRY0042X`), put at the start of a title, a body, a note, so that no
truncation in a list cuts it. Its label says who may read it:

    soc            everyone, anonymous visitors too (published to society)
    int:<org>      party members of <org> or of an organisation below it, and whoever reads <org>'s subtree
                   (manages or supervises it); for a branch: its members and those above who read it
    mgr:<org>      only those who manage or supervise <org>'s subtree (drafts, records, imports, audit)
    own:<org>:<u>  user <u> himself, and those who manage or supervise <org>
    disc:<org>:<u> discipline officers over <org> (纪检委员, supervisors), never <u>, the person accused

The labels are a lower bound of the rules in the selectors (an object a persona may see under a finer rule
is never labelled narrower than that), so a canary in a response is a leak, never a judgement call.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

TOKEN_RE = re.compile(r"CNRY(\d{4})X")

# The organisation tree of the world (tests/conftest.py's `tree`): child → parent.
PARENT = {"county": None, "town": "county", "town2": "county", "a": "town", "b": "town", "c": "town2"}


def ancestors(org: str) -> set[str]:
    """`org` and every organisation above it."""
    out = set()
    while org is not None:
        out.add(org)
        org = PARENT[org]
    return out


def under(org: str, top: str) -> bool:
    return top in ancestors(org)


@dataclass
class Audience:
    """What the selectors grant a persona, in the world's organisation keys."""

    name: str
    authenticated: bool = True
    branch: str | None = None  # the organisation of his member record
    reads: set[str] = field(default_factory=set)  # subtrees he manages or supervises
    discipline: set[str] = field(default_factory=set)  # subtrees where he is a discipline officer

    def may_read(self, label: str) -> bool:
        kind, *args = label.split(":")
        if kind == "soc":
            return True
        if not self.authenticated:
            return False
        org = args[0]
        reads = any(under(org, top) for top in self.reads)
        if kind == "int":
            return reads or (self.branch is not None and under(self.branch, org))
        if kind == "mgr":
            return reads
        if kind == "own":
            return reads or self.name == args[1]
        if kind == "disc":
            return self.name != args[1] and any(under(org, top) for top in self.discipline)
        raise ValueError(label)


class Canaries:
    def __init__(self) -> None:
        self.labels: dict[str, str] = {}  # token → label
        self.what: dict[str, str] = {}  # token → the object and field it marks

    def mint(self, label: str, what: str) -> str:
        Audience("check").may_read(label)  # a typo in a label fails here
        token = f"CNRY{len(self.labels) + 1:04d}X"
        self.labels[token] = label
        self.what[token] = what
        return token

    def found(self, text: str) -> set[str]:
        return {f"CNRY{m}X" for m in TOKEN_RE.findall(text)}

    def leaks(self, text: str, audience: Audience, allowed: frozenset[str] = frozenset()) -> list[str]:
        """The tokens in `text` that `audience` may not read (`allowed`: tokens this request may show, such
        as those of the object a valid one-time link opens)."""
        return sorted(
            t
            for t in self.found(text)
            if t not in allowed and t in self.labels and not audience.may_read(self.labels[t])
        )

    def describe(self, token: str) -> str:
        return f"{token} ({self.labels[token]}: {self.what[token]})"


def body_text(data: bytes, ctype: str) -> str:
    """Everything a response's body shows its reader, as text: HTML and CSV as they are, the XML parts of an
    .xlsx workbook, the text and raw bytes of a PDF."""
    if data.startswith(b"PK\x03\x04"):  # a zip container: xlsx, docx
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "\n".join(
                    archive.read(n).decode("utf-8", "replace")
                    for n in archive.namelist()
                    if n.endswith(".xml")
                )
        except zipfile.BadZipFile:
            pass
    if data.startswith(b"%PDF") or "pdf" in ctype:
        return _pdf_text(data)
    return data.decode("utf-8", "replace")


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    parts = [data.decode("latin-1")]
    try:
        reader = PdfReader(io.BytesIO(data))
        parts += [page.extract_text() or "" for page in reader.pages]
        meta = reader.metadata or {}
        parts += [str(v) for v in meta.values()]
    except Exception as exc:  # noqa: BLE001 — an unreadable PDF still has its raw bytes searched
        parts.append(f"<unreadable PDF: {exc}>")
    return "\n".join(parts)
