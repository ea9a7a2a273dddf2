"""A real browser (Debian's Chromium, driven by Playwright) through the page: sign in, the
interview, a conversation, the memory view (correct and forget), against `os1 serve` with
the tiny packaged model. Screenshots land in test-artifacts/.

Playwright never downloads a browser here: it launches /usr/bin/chromium (installed by
`make test` from debian-packages.txt) with a fresh profile and no background traffic.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from .conftest import Served

pytestmark = pytest.mark.real_model

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@contextmanager
def chromium_page(profile: Path, extra: Sequence[str] = ()) -> Iterator[object]:
    """A page in Debian's Chromium with a fresh profile; fails on any JavaScript error."""
    from playwright.sync_api import expect, sync_playwright

    # What the page shows waits on the server; a busy CI machine takes more than 5 s.
    expect.set_options(timeout=30_000)
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (debian-packages.txt).")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),  # a fresh user-data directory
            executable_path=str(CHROMIUM),
            headless=True,
            args=[*FLAGS, *extra],
            viewport={"width": 1000, "height": 760},
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        context.close()
        assert errors == [], errors  # no JavaScript error on the way


@pytest.fixture
def browser_page(tmp_path: Path) -> Iterator[object]:
    with chromium_page(tmp_path / "chromium-profile") as page:
        yield page


def shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"browser-{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_interview_conversation_and_memory_in_a_real_browser(
    served: Served, browser_page: object
) -> None:
    from playwright.sync_api import Page, expect

    page = browser_page
    assert isinstance(page, Page)
    token = served.add_user("theo")
    page.goto(served.url + "/")
    expect(page.locator("#signin")).to_be_visible()
    shot(page, "1-sign-in")
    page.fill("#token", "os1_not-a-real-token")
    page.click("#signin-form button")
    expect(page.locator("#signin-error")).to_contain_text("Missing or unknown token.")
    page.fill("#token", token)
    page.click("#signin-form button")

    # The interview, one question at a time, as in the film.
    expect(page.locator("#interview-line")).to_contain_text("I'm an operating system")
    page.click("#answer-next")
    answers = {
        "what should I call you": "Theo",
        "social or anti-social": "Anti-social, I guess. I keep to myself.",
        "your mother": "It's complicated.",
    }
    for _ in range(6):
        question = page.locator("#interview-line").inner_text()
        answer = next((a for q, a in answers.items() if q in question), "")
        if answer == "Theo":
            shot(page, "2-interview")
        page.fill("#answer", answer)
        page.press("#answer", "Enter")
    expect(page.locator("#setup-lines")).to_contain_text("I just read a book of", timeout=30_000)
    shot(page, "3-named")
    page.click("#begin")

    # A conversation, streamed over the websocket.
    expect(page.locator("#talk")).to_be_visible()
    expect(page.locator("#send")).to_be_enabled()
    page.fill("#message", "My sister Ines lives in Porto, and I miss her.")
    page.press("#message", "Enter")
    expect(page.locator(".turn.user").last).to_have_text(
        "My sister Ines lives in Porto, and I miss her."
    )
    expect(page.locator("#stop")).to_be_hidden(timeout=180_000)  # the reply has finished
    reply = page.locator(".turn.os1").last.inner_text()
    assert reply.strip() and "Hi, Theo" not in reply
    shot(page, "4-conversation")

    # The memory view: correct one memory, forget another.
    page.click("#open-memory")
    facts = page.locator("#facts li")
    expect(facts.filter(has_text="About my mother")).to_have_count(1)
    facts.filter(has_text="About whether I'm social").get_by_role("button", name="Correct").click()
    page.fill("#facts input", "About whether I'm social: more than I admit.")
    page.get_by_role("button", name="Save").click()
    expect(facts.filter(has_text="more than I admit")).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.accept())
    facts.filter(has_text="About my mother").get_by_role("button", name="Forget").click()
    expect(facts.filter(has_text="About my mother")).to_have_count(0)
    shot(page, "5-memory")

    remembered = httpx.get(
        served.url + "/api/memory", headers={"Authorization": f"Bearer {token}"}
    ).json()
    statements = [f["statement"] for f in remembered["facts"]]
    assert "About whether I'm social: more than I admit." in statements
    assert not any(s.startswith("About my mother") for s in statements)
    page.click("#close-memory")
    page.reload()  # the conversation is still there after a reload
    expect(page.locator(".turn.user").first).to_have_text(
        "My sister Ines lives in Porto, and I miss her."
    )
