"""Music in conversation: compose for the moment, play it again, lyrics for the user's song;
each piece remembered as a memory of its moment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from os1.app import App
from os1.events import ConfirmationNeeded, ToolCall
from os1.mind.base import Message
from os1.music.library import Pieces
from os1.music.studio import Studio
from os1.skills.base import Risk
from os1.testing import ScriptedMind

from ..conftest import collect, run


def route_to(choice: dict[str, Any], song_lines: list[str] | None = None) -> Any:
    def answer(messages: list[Message], schema: dict[str, Any]) -> Any:
        if "anyOf" in schema:
            return choice
        if "lines" in schema.get("properties", {}):
            return {"lines": song_lines or []}
        if "valence" in schema.get("properties", {}):
            return {"valence": 0.2, "arousal": -0.3, "feelings": ["fond"]}
        return {"facts": []}

    return answer


@pytest.fixture
def null_speakers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OS1_SOUND_DEVICE", "null")  # real aplay into ALSA's null device


def test_the_music_skills_change_only_os1s_own_data(ready_app: App) -> None:
    risks = {s.name: s.risk for s in ready_app.skills}
    assert risks["compose_music"] is Risk.WRITE
    assert risks["play_music"] is Risk.READ
    assert risks["song_lyrics"] is Risk.WRITE
    matching = {s.name for s in ready_app.skills.matching("play me something about this moment")}
    assert "compose_music" in matching
    assert "play_music" in {s.name for s in ready_app.skills.matching("play the beach song")}


def test_compose_for_the_moment_in_conversation(
    null_speakers: None, ready_app: App, mind: ScriptedMind
) -> None:
    app = ready_app
    assert app.settings.sound_device == "null"
    companion = app.companion()
    run(collect(companion.reply("We spent the whole Sunday afternoon at the beach. I'm happy.")))
    mind.structured = route_to(
        {"skill": "compose_music", "arguments": {"about": "this moment, the beach"}}
    )
    events = run(collect(companion.reply("Play me something about this moment?")))
    assert ToolCall("compose_music", {"about": "this moment, the beach"}) in events
    assert not any(isinstance(e, ConfirmationNeeded) for e in events)
    note = mind.chats[-1].messages[-1].content
    assert "You composed a piano piece" in note
    assert "It is playing now, through ALSA (aplay, device null)" in note
    piece = Pieces(app.store, app.memory().user_id).recent(1)[0]
    assert piece.about == "this moment, the beach" and piece.kind == "piano"
    assert "Sunday afternoon at the beach" in piece.context  # the moment's conversation
    assert piece.mood["conversation_turns"] == 1 and piece.mood["valence"] > 0
    assert Path(piece.audio_path).is_file()


def test_play_the_beach_song_again(ready_app: App, mind: ScriptedMind) -> None:
    studio = Studio(ready_app.settings, ready_app.memory())
    beach = run(studio.compose("the beach, Sunday afternoon", seed=3, seconds=25, ogg=False))
    run(studio.compose("rain at night, missing her", seed=4, seconds=25, ogg=False))
    assert beach.rendered is not None
    beach.rendered.wav.unlink()  # the audio is gone; the MIDI in memory is enough
    mind.structured = route_to({"skill": "play_music", "arguments": {"which": "the beach song"}})
    events = run(collect(ready_app.companion().reply("Play the beach song again")))
    assert ToolCall("play_music", {"which": "the beach song"}) in events
    note = mind.chats[-1].messages[-1].content
    assert "\u201cThe beach, Sunday afternoon\u201d" in note
    assert "no speakers on this machine" in note or "playing now" in note
    again = studio.pieces.get(beach.id)
    assert again is not None and again.played_at is not None
    assert Path(again.audio_path).is_file()  # rendered again from the stored MIDI


def test_finding_pieces_by_words(ready_app: App) -> None:
    pieces = Pieces(ready_app.store, ready_app.memory().user_id)
    beach = pieces.add(kind="piano", title="The beach", about="the beach, Sunday", seed=1, midi=b"")
    rain = pieces.add(kind="piano", title="Rain", about="rain at night", seed=2, midi=b"")
    found = pieces.find("play the beach song")
    assert found is not None and found.id == beach
    newest = pieces.find("play that again")
    assert newest is not None and newest.id == rain
    by_number = pieces.find("#1")
    assert by_number is not None and by_number.id == beach
    assert pieces.find("the mountains") is None
    ours = pieces.add(
        kind="piano", title="Something for us", about="something for us", seed=3, midi=b"",
        context="We walked in the mountains all day.",
    )  # fmt: skip
    found = pieces.find("the mountain song")  # found by the conversation around it
    assert found is not None and found.id == ours
    assert (pieces.find("rain") or found).id == rain  # its own words rank first


def test_this_moment_is_named_by_the_conversation_around_it(
    null_speakers: None, ready_app: App, mind: ScriptedMind
) -> None:
    companion = ready_app.companion()
    run(collect(companion.reply("We spent the whole Sunday afternoon at the beach. I'm happy.")))
    mind.structured = route_to({"skill": "compose_music", "arguments": {"about": "this moment"}})
    run(collect(companion.reply("Play me something about this moment.")))
    piece = Pieces(ready_app.store, ready_app.memory().user_id).recent(1)[0]
    assert piece.title.startswith("This moment: ") and "beach" in piece.title
    mind.structured = route_to({"skill": "play_music", "arguments": {"which": "the beach song"}})
    run(collect(companion.reply("Play the beach song again")))
    assert "\u201c" + piece.title + "\u201d" in mind.chats[-1].messages[-1].content


def test_lyrics_for_the_users_song_in_conversation(ready_app: App, mind: ScriptedMind) -> None:
    mind.structured = route_to(
        {
            "skill": "song_lyrics",
            "arguments": {"chords": "C G Am F", "theme": "a day at the beach with her"},
        },
        song_lines=["Sunday light is on the water"],
    )
    events = run(collect(ready_app.companion().reply("Can you write lyrics for my ukulele song?")))
    assert any(isinstance(e, ToolCall) and e.name == "song_lyrics" for e in events)
    note = mind.chats[-1].messages[-1].content
    assert "Sunday light is on the water" in note
    song = Pieces(ready_app.store, ready_app.memory().user_id).recent(1)[0]
    assert song.kind == "song" and song.lyrics == "Sunday light is on the water"


def test_a_failure_is_told_not_thrown(ready_app: App, mind: ScriptedMind) -> None:
    mind.structured = route_to({"skill": "compose_music", "arguments": {"about": "xkcdqz wrtpl"}})
    events = run(collect(ready_app.companion().reply("compose something about xkcdqz wrtpl")))
    note = mind.chats[-1].messages[-1].content
    assert "it failed: I can't find a moment" in note
    assert events[-1].__class__.__name__ == "Done"
