"""Urgent news said aloud in an open voice session (the mail issue's proactive notes)."""

from __future__ import annotations

import asyncio

from os1.app import App
from os1.testing import FakeSynthesizer, FakeTranscriber
from os1.voice.session import VoiceParts, VoiceSession

NOTE = "Theo, an email from your attorney just came in; it needs your signature by Friday."


def test_a_due_note_is_spoken_once_and_kept_in_the_conversation(ready_app: App) -> None:
    notes, episodes = ready_app.mail().notes, ready_app.memory().episodes
    notes.add("mail:urgent:1", NOTE)
    said: list[tuple[str, str]] = []
    synthesizer = FakeSynthesizer(0.001)

    async def go() -> tuple[int, int]:
        session = VoiceSession(
            ready_app.companion(),
            VoiceParts(FakeTranscriber(), synthesizer),
            synthesizer.rate,
            say=lambda kind, text: said.append((kind, text)),
        )
        session.pipeline.start()
        try:
            first = session.say_due(notes, episodes)
            for _ in range(200):  # until the note has been turned into sound
                if session.player.playing:
                    break
                await asyncio.sleep(0.01)
            again = session.say_due(notes, episodes)
        finally:
            await session.stop()
        return first, again

    first, again = asyncio.run(go())
    assert (first, again) == (1, 0)
    assert ("note", NOTE) in said
    assert "".join(synthesizer.spoken).replace(" ", "") == NOTE.replace(" ", "")
    assert notes.pending() == []
    stored = [e for e in episodes.listing() if e.role == "assistant"]
    assert stored and stored[-1].content == NOTE


def test_nothing_is_said_while_someone_is_talking(ready_app: App) -> None:
    notes, episodes = ready_app.mail().notes, ready_app.memory().episodes
    notes.add("mail:urgent:2", NOTE)
    synthesizer = FakeSynthesizer(0.001)

    async def go() -> int:
        session = VoiceSession(
            ready_app.companion(), VoiceParts(FakeTranscriber(), synthesizer), synthesizer.rate
        )
        session.responder.busy = True  # OS1 is in the middle of a reply
        return session.say_due(notes, episodes)

    assert asyncio.run(go()) == 0
    assert [n.text for n in notes.pending()] == [NOTE]
