"""Push-to-talk: a whole recorded turn in as WAV bytes, the reply out as events and WAV
pieces (what the web page uses); speech models are fakes behind OS1's own seams."""

from __future__ import annotations

import asyncio
import io
import time
import wave

import numpy as np

from os1.app import App
from os1.errors import InputError
from os1.events import Done, Failed, TextDelta
from os1.testing import FakeSynthesizer, FakeTranscriber, ScriptedMind
from os1.voice.audio import read_wav_bytes
from os1.voice.clips import MAX_CLIP_SECONDS
from os1.voice.pushtotalk import Heard, PushToTalk, Spoken, VoiceEvent
from os1.voice.session import VoiceParts

from ..conftest import run

REPLY = "Oh, that sounds like a lot. Tell me what happened first. I'm right here with you."
SAID = "I had a long day at work."


def recording(rate: int = 44_100, channels: int = 2, seconds: float = 1.0) -> bytes:
    """A tone as 16-bit PCM WAV bytes, in the shape given."""
    tone = 0.3 * np.sin(np.arange(int(rate * seconds)) * 2 * np.pi * 200 / rate)
    pcm = np.repeat((tone * 32767).astype("<i2"), channels)
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return out.getvalue()


def script(mind: ScriptedMind, reply: str) -> None:
    """One reply, to the turn (the warm-up before it gets none)."""
    queue = [reply]
    mind.responder = lambda _m, options: "" if options.max_tokens == 1 else queue.pop(0)
    mind.delay = 0.05


def talk(app: App, heard: str = SAID) -> PushToTalk:
    parts = VoiceParts(FakeTranscriber(heard), FakeSynthesizer(0.01))
    return PushToTalk(app.companion(), parts)


async def timed(talker: PushToTalk, wav: bytes) -> list[tuple[VoiceEvent, float]]:
    await talker.start()
    return [(event, time.perf_counter()) async for event in talker.turn(wav)]


def test_a_recorded_turn_is_heard_answered_and_spoken_piece_by_piece(
    ready_app: App, mind: ScriptedMind
) -> None:
    script(mind, REPLY)
    talker = talk(ready_app)
    events = run(timed(talker, recording()))
    assert events[0][0] == Heard(SAID)
    spoken = [e for e, _ in events if isinstance(e, Spoken)]
    assert "".join(p.text for p in spoken) == REPLY
    assert spoken[0].text == "Oh, that sounds like a lot. "
    assert [p.start for p in spoken[1:]] == [p.end for p in spoken[:-1]]
    audio, rate = read_wav_bytes(spoken[0].wav)
    assert rate == spoken[0].rate == 16_000 and abs(len(audio) / rate - 0.28) < 0.02
    first_sound = next(at for e, at in events if isinstance(e, Spoken))
    last_words = max(at for e, at in events if isinstance(e, TextDelta))
    assert first_sound < last_words - 0.2  # spoken while the model still wrote the rest
    done = next(e for e, _ in events if isinstance(e, Done))
    assert done.text == REPLY and not done.interrupted
    turns = ready_app.memory().episodes.listing()
    assert [(t.role, t.content) for t in turns] == [("assistant", REPLY), ("user", SAID)]
    assert talker.parts.transcriber.heard == [16_000]  # type: ignore[attr-defined]


def test_speaking_over_the_reply_keeps_what_was_heard(ready_app: App, mind: ScriptedMind) -> None:
    script(mind, REPLY)
    talker = talk(ready_app)

    async def cut() -> Spoken:
        await talker.start()
        stream = talker.turn(recording(16_000, 1))
        first = None
        async for event in stream:
            if isinstance(event, Spoken):
                first = event
                break
        await stream.aclose()  # the user pressed the button again
        assert first is not None
        return first

    first = asyncio.run(cut())
    talker.interrupted(first.heard_until(talker.reply_text, 0.5))
    reply = ready_app.memory().episodes.listing()[0]
    assert reply.role == "assistant" and reply.interrupted
    assert reply.content == "Oh, that"
    written = reply.meta["written"]
    assert REPLY.startswith(written) and len(written) >= len(first.text.strip())


def test_bad_recordings_end_with_one_clear_line(ready_app: App, mind: ScriptedMind) -> None:
    cases = {
        b"not a wav at all": "is not a WAV file",
        recording(8_000, 1, MAX_CLIP_SECONDS + 30): "seconds long",
        recording(16_000, 1)[:40]: "cut off",
    }
    for data, says in cases.items():
        events = run(timed(talk(ready_app), data))
        assert len(events) == 1 and isinstance(events[0][0], Failed)
        error = events[0][0].error
        assert isinstance(error, InputError) and says in str(error)
    events = run(timed(talk(ready_app, heard=""), recording()))
    assert len(events) == 1 and isinstance(events[0][0], Failed)
    assert "couldn't make out any words" in str(events[0][0].error)
    assert mind.chats == [] or all(r.options.max_tokens == 1 for r in mind.chats)
    assert ready_app.memory().episodes.listing() == []
