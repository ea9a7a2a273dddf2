"""A piece OS1 composes in conversation plays in a real browser (Debian's Chromium): the
page fetches the user's own audio and plays it, with controls; the server stays silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from os1.app import App
from os1.music.studio import Studio
from os1.persona.setup import set_up
from os1.server.accounts import Accounts
from os1.settings import Settings
from os1.testing import ScriptedMind

from ..conftest import ANSWERS
from ..music.test_conversation import route_to
from .conftest import start_server
from .test_browser import chromium_page, shot

REPLY = "I wrote something about the beach for you. Listen."


def test_a_piece_plays_in_a_real_browser(
    settings: Settings, mind: ScriptedMind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import Page, expect

    monkeypatch.setattr(Studio, "player", lambda studio: pytest.fail("played on the server"))
    mind.structured = route_to(
        {"skill": "compose_music", "arguments": {"about": "the beach, Sunday, a little sad"}}
    )
    mind.replies = [REPLY]
    app = App(settings, mind=mind)
    token = Accounts(app.store).add("theo")
    set_up(dict(ANSWERS), app.memory("theo"), app.personas("theo"))
    server, thread, url = start_server(app)
    try:
        with chromium_page(tmp_path / "chromium-profile") as page:
            assert isinstance(page, Page)
            page.goto(url + "/")
            page.fill("#token", token)
            page.click("#signin-form button")
            expect(page.locator("#send")).to_be_enabled()
            page.fill("#message", "Play me something about this moment?")
            page.press("#message", "Enter")
            piece = page.locator(".turn.piece")
            expect(piece).to_contain_text("\u266a")
            page.wait_for_function(  # the page fetches the audio, or says why it could not
                "() => { const t = document.querySelector('.turn.piece');"
                " return t.querySelector('audio') || t.textContent.includes('could not'); }",
                timeout=120_000,
            )
            audio = piece.locator("audio")
            assert audio.count() == 1, piece.text_content()
            page.wait_for_function(
                "() => { const a = document.querySelector('.turn.piece audio');"
                " return a && a.currentTime > 0.5; }",
                timeout=30_000,
            )  # it is playing
            seconds = audio.evaluate("a => a.duration")
            assert 30 <= seconds <= 200
            expect(page.locator(".turn.os1").last).to_have_text(REPLY)
            shot(page, "8-music")
    finally:
        server.should_exit = True
        thread.join(timeout=20)
