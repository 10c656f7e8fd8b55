"""What a page offers: its POST forms (fields, default values, options, the buttons that post elsewhere) and
the local URLs it links to. The crawl learns parameter values from the links, and the fuzzer takes its field
names from the forms.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit


@dataclass
class Field:
    name: str
    type: str  # input type, "select", "textarea"
    value: str = ""
    options: tuple[str, ...] = ()
    multiple: bool = False
    required: bool = False


@dataclass
class Form:
    action: str  # the path posted to
    fields: list[Field]
    enctype: str = ""
    page: str = ""  # where it was found
    persona: str = ""

    @property
    def has_file(self) -> bool:
        return any(f.type == "file" for f in self.fields)

    def signature(self) -> tuple:
        return (self.action, tuple(sorted((f.name, f.type) for f in self.fields)))


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.links: list[str] = []
        self._form: dict | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        for attr in ("hx-post", "hx-get", "data-url"):
            if a.get(attr):
                self.links.append(a[attr])
        if tag == "form":
            method = a.get("method", "get").lower()
            action = a.get("action", "") or a.get("hx-post", "")
            self._form = {"method": "post" if a.get("hx-post") else method, "action": action}
            self._form |= {"enctype": a.get("enctype", ""), "fields": [], "buttons": []}
            self.forms.append(self._form)
            if action:
                self.links.append(action)
            return
        if self._form is None:
            return
        fields = self._form["fields"]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                for f in fields:
                    if f.name == a["name"] and f.type == kind:
                        f.options += (a.get("value", "on"),)
                        break
                else:
                    fields.append(Field(a["name"], kind, a.get("value", ""), (a.get("value", "on"),)))
            elif kind in ("submit", "image", "button", "reset"):
                self._form["buttons"].append((a["name"], a.get("value", ""), a.get("formaction", "")))
            else:
                fields.append(Field(a["name"], kind, a.get("value", ""), required="required" in a))
        elif tag == "input" and a.get("formaction"):
            self._form["buttons"].append(("", "", a["formaction"]))
        elif tag == "button":
            if a.get("name") or a.get("formaction"):
                self._form["buttons"].append((a.get("name", ""), a.get("value", ""), a.get("formaction", "")))
        elif tag == "select" and a.get("name"):
            self._select = Field(a["name"], "select", multiple="multiple" in a, required="required" in a)
            fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options += (a.get("value", ""),)
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field(a["name"], "textarea", required="required" in a)
            fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_page(html: str, page: str, persona: str) -> tuple[list[Form], list[str]]:
    """The POST forms of a page (one per submit button that names itself or posts elsewhere) and every
    URL it links to, as local paths."""
    parser = _PageParser()
    with contextlib.suppress(Exception):  # a page the parser chokes on still gives what it read
        parser.feed(html)
    forms = []
    for raw in parser.forms:
        if raw["method"] != "post":
            continue
        action = _local(raw["action"], page)
        fields = [f for f in raw["fields"] if f.name != "csrfmiddlewaretoken"]
        targets = {(action, None)}
        for name, value, formaction in raw["buttons"]:
            if formaction:
                targets.add((_local(formaction, page), (name, value) if name else None))
            elif name:
                targets.add((action, (name, value)))
        for target, button in sorted(targets, key=str):
            if target is None:
                continue
            extra = [Field(button[0], "hidden", button[1])] if button else []
            forms.append(Form(target, fields + extra, raw["enctype"], page, persona))
    links = [p for p in (_local(h, page) for h in parser.links) if p]
    return forms, links


def _local(href: str, page: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and parts.netloc not in ("testserver", "127.0.0.1", "localhost"):
        return None
    path = parts.path or urlsplit(page).path
    if not path.startswith("/"):
        base = urlsplit(page).path
        path = base.rsplit("/", 1)[0] + "/" + path
    return path + (f"?{parts.query}" if parts.query else "")
