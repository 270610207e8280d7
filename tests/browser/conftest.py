"""Browser tests: Playwright for Python driving Debian's Chromium (headless), against
pytest-django's live server, with axe-core injected to check accessibility."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("STAFFROOM_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-4.14.1.min.js"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: `make test` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    _serve_axe(page)
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        viewport={"width": 375, "height": 740},
        base_url=live_server.url,
        is_mobile=True,
        bypass_csp=True,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    _serve_axe(page)
    yield page
    context.close()


def _serve_axe(page) -> None:
    """Serve axe-core from the site's own origin, so the strict CSP stays on in tests."""
    page.route(
        "**/__test__/axe.js",
        lambda route: route.fulfill(path=str(AXE), content_type="application/javascript"),
    )


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page; return the serious and critical violations."""
    page.add_script_tag(url="/__test__/axe.js")
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:3],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]
