"""Music in the page: a piece composed in conversation plays where the user is, not on
the server's speakers, and only its own user can fetch it."""

from __future__ import annotations

import pytest

from os1.music.studio import Studio

from ..music.test_conversation import route_to
from .conftest import Running, Users
from .wsclient import Talk, said


def test_a_piece_composed_in_the_page_is_sent_to_the_page(
    running: Running, users: Users, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []
    monkeypatch.setattr(Studio, "player", lambda studio: started.append("speakers"))
    running.mind.structured = route_to(
        {"skill": "compose_music", "arguments": {"about": "the beach, Sunday, a little sad"}}
    )
    running.mind.replies = ["I wrote you something about the beach. Listen."]
    with Talk(running.ws_url, users.theo) as talk:
        frames = talk.say("Play me something about this moment?")
    pieces = [f for f in frames if f["type"] == "piece"]
    assert len(pieces) == 1 and started == []  # nothing played on the server's machine
    piece = pieces[0]
    assert piece["audio"] == f"/api/music/{piece['id']}/audio" and piece["title"]
    assert said(frames) == "I wrote you something about the beach. Listen."
    prompt = running.mind.chats[-1].messages[-1].content
    assert "ready to play where they are" in prompt  # OS1 is told where it plays

    with running.client(users.theo) as theo:
        audio = theo.get(piece["audio"])
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/wav"
    assert audio.content[:4] == b"RIFF" and audio.content[8:12] == b"WAVE"
    assert len(audio.content) > 44_100 * 2 * 2 * 30  # at least 30 s of 16-bit stereo
    assert int(audio.headers["content-length"]) == len(audio.content)
    assert audio.headers["x-content-type-options"] == "nosniff"
    with running.client(users.ana) as ana:
        assert ana.get(piece["audio"]).status_code == 404
        assert ana.get("/api/music/999999/audio").status_code == 404
