"""What a person does in the browser, shared by the browser tests."""

from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
PASSWORD = "pass-word-123"


def log_in(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real form, as a person would, and wait to leave the login page."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/accounts/login/" not in page.url, "the login form refused the persona's credentials"


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
