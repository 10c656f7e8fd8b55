"""Every main page reads in Chinese: each demo persona follows the links from the home page (with the demo
data of `seed_demo`, built through the services) and no page shows an English word outside a short
allow-list (abbreviations, the product's name, file types, people's names written in Latin letters)."""

import re
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command

from branches.models import User

pytestmark = pytest.mark.django_db

PERSONAS = ["shuji", "dangyuan", "yubei", "ganbu", "jiancha"]
MAX_PAGES = 80  # per persona: the main pages, not every row of every list
# The audit log shows the recorded changes as they were stored (field names and raw values): data, not
# labels, and not yet translated field by field.
SKIP = re.compile(
    r"/audit/|^/(admin|accounts/logout|logout|i18n|static|media)/|/(export|download|pdf|qr|feed)\b|\.(xlsx|pdf|csv|png|svg)$"
)
ALLOWED = {
    # abbreviations and names that stay in Latin letters in Chinese text
    "zhibu",
    "PDF",
    "CSV",
    "QR",
    "URL",
    "ID",
    "IDs",
    "Excel",
    "xlsx",
    "SMS",
    "OK",
    "CSP",
    "HTTP",
    "HTTPS",
    "Email",
    "email",
    "mail",
    "WPS",
    "App",
    "APP",
    "Wi",
    "Fi",
    "PNG",
    "JPG",
    "JPEG",
    "GB",
    "MB",
    "KB",
    "Atom",
    "RSS",
    "English",
    "Bootstrap",
    "htmx",
    "Chart",
    "js",
    "UTC",
    "GMT",
    "CST",
    "Asia",
    "Shanghai",
    "PIN",
}
WORD = re.compile(r"(?<![\w@./%-])[A-Za-z]{3,}(?![\w@./%-])")


class _Text(HTMLParser):
    """The text a reader sees (no script or style), with placeholders, titles and labels of controls, and
    the links to follow."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style", "code", "pre", "svg"):
            self._skip += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        for name in ("placeholder", "title", "aria-label", "alt"):
            if a.get(name):
                self.parts.append(a[name])
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.parts.append(a["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "pre", "svg") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_words(text: str, names: set[str]) -> set[str]:
    return {w for w in WORD.findall(text) if w not in ALLOWED and w not in names}


def crawl(client, start: str = "/") -> dict[str, set[str]]:
    names = set()  # people's names and usernames in Latin letters are not English words
    for u in User.objects.values_list("username", "first_name", "last_name"):
        names.update(p for p in u if p)
    seen, queue, found = set(), [start], {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
        assert response.status_code < 500, url
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Text()
        parser.feed(response.content.decode())
        words = english_words(" ".join(parser.parts), names)
        if words:
            found[url] = words
        for href in parser.links:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIP.search(parts.path):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query and "page=" not in parts.query else "")
            # one page of each kind of detail: /x/12/ and /x/13/ are the same template
            kind = re.sub(r"\d+", "N", target)
            if kind in {re.sub(r"\d+", "N", s) for s in seen} or target in queue:
                continue
            queue.append(target)
    return found


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def test_every_page_each_persona_reaches_reads_in_chinese(client, demo):
    """One demo county for all of them (building it is the slow part): the anonymous visitor first, then
    each persona from the home page."""
    found = {f"anonymous {url}": words for url, words in crawl(client).items()}
    for username in PERSONAS:
        client.force_login(User.objects.get(username=username))
        found.update({f"{username} {url}": words for url, words in crawl(client).items()})
        client.logout()
    assert found == {}, "English on the pages in zh-hans:\n" + "\n".join(
        f"{url}: {sorted(words)}" for url, words in sorted(found.items())
    )
