"""Browser tests: Debian's headless Chromium, driven by Playwright's sync API, on pytest-django's live server.

The fixtures here have their own names (`chromium_browser`, `new_page`, `desktop`, `phone`) so that
pytest-playwright's `browser` and `page` fixtures, which would download Playwright's own build, are never
used.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the main thread, so Django's async-unsafe check would refuse
# the database access of the test body (building data, reading results) while the browser is open.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Mobile Safari/537.36"
    ),
}


@pytest.fixture(scope="session")
def chromium_browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed (the Makefile installs it: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium_browser, live_server):
    """new_page(**context_options) → a page in a fresh context (its own cookies) on the live server."""
    contexts = []

    def make(**options):
        context = chromium_browser.new_context(
            base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def desktop(new_page):
    return new_page(**DESKTOP)


@pytest.fixture
def phone(new_page):
    return new_page(**PHONE)
