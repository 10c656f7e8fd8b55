"""The public pages on a phone: no sideways scrolling, nothing loaded from elsewhere, a CSP header."""

from urllib.parse import urlsplit

import pytest

from .helpers import screenshot

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("path", "name"), [("/", "landing"), ("/accounts/login/", "login")])
def test_a_public_page_fits_a_phone_and_loads_only_from_its_own_origin(phone, live_server, path, name):
    origin = urlsplit(live_server.url)
    requested, console_errors = [], []
    phone.on("request", lambda request: requested.append(request.url))
    phone.on("console", lambda message: message.type == "error" and console_errors.append(message.text))

    response = phone.goto(path, wait_until="networkidle")

    assert response.status == 200
    assert "default-src 'self'" in response.headers.get("content-security-policy", "")
    assert requested, "the page loaded nothing at all"
    foreign = [
        url for url in requested if not url.startswith(("data:", "blob:")) and urlsplit(url)[:2] != origin[:2]
    ]
    assert any("/static/" in url for url in requested)
    assert foreign == []
    assert console_errors == []  # a CSP violation shows up here
    width = phone.viewport_size["width"]
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= width
    screenshot(phone, f"phone-{name}")
