"""The voice pipeline end to end, with real voice activity detection and echo, over files
paced like a microphone; speech-to-text is a fake behind OS1's own seam."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import numpy as np
import pytest

from os1.app import App
from os1.companion import Companion
from os1.memory.remembering import giving_way
from os1.testing import FakeSynthesizer, FakeTranscriber, ScriptedMind
from os1.voice.audio import SPEECH_RATE, read_wav_bytes
from os1.voice.devices import FileDevice, Room
from os1.voice.session import VoiceParts, VoiceSession
from os1.voice.tts import EspeakSynthesizer
from os1.voice.turns import TurnPolicy

from .conftest import espeak, needs_espeak, silence, write

pytestmark = needs_espeak

SAID = "I had a long day at work."
LONG_REPLY = (
    "That sounds like a lot. I remember days like that, they just go on and on. "
    "Tell me what happened first, and then what happened after that, slowly. "
    "I'm right here, and I have all evening to listen to you."
)
SPOKEN = "Oh. " + LONG_REPLY  # a spoken reply opens with "Oh." at once (acknowledgement.py)


def script(mind: ScriptedMind, *replies: str) -> None:
    """Replies in order (reads ahead into the cache get none of them)."""
    queue = list(replies)
    mind.responder = lambda _m, _options: queue.pop(0)


def room() -> Room:
    """Speaker to microphone: 30 ms away, at half loudness, with a short reverberant tail."""
    rng = np.random.default_rng(3)
    response = np.zeros(2400, np.float32)
    response[480] = 0.5
    response[500:] += (
        rng.standard_normal(1900).astype(np.float32) * np.exp(-np.arange(1900) / 300) * 0.03
    )
    return Room(response)


async def converse(
    companion: Companion, parts: VoiceParts, source: Path, out: Path | None, echo: Room | None
) -> tuple[VoiceSession, FileDevice, list[tuple[str, str, float]]]:
    said: list[tuple[str, str, float]] = []
    device = FileDevice(source, out, rate=parts.synthesizer.rate, room=echo)
    session = VoiceSession(
        companion, parts, device.rate, say=lambda k, t: said.append((k, t, time.perf_counter()))
    )
    await session.start()
    try:
        await device.run(session)
    finally:
        await session.stop()
    session.finish_timings()
    return session, device, said


def test_a_spoken_turn_is_answered_aloud_while_the_model_still_writes(
    ready_app: App, mind: ScriptedMind, tmp_path: Path
) -> None:
    script(mind, LONG_REPLY)
    mind.delay = 0.06  # about 16 words a second, like the default model here
    question = write(
        tmp_path / "q.wav", np.concatenate([espeak("I had a long day at work."), silence(0.3)])
    )
    parts = VoiceParts(FakeTranscriber("I had a long day at work."), FakeSynthesizer(0.03))
    session, _, said = asyncio.run(
        converse(ready_app.companion(), parts, question, tmp_path / "a.wav", None)
    )
    turns = ready_app.memory().episodes.listing()
    assert [t.role for t in turns] == ["assistant", "user"]
    assert turns[1].content == "I had a long day at work."
    assert turns[0].content == SPOKEN and not turns[0].interrupted
    assert parts.synthesizer.spoken[0] == "Oh."  # type: ignore[attr-defined]
    done_at = next(at for kind, _, at in said if kind == "done")
    assert session.player.first_sound[1] < done_at - 1.0  # spoken long before the model ended
    audio, rate = read_wav_bytes((tmp_path / "a.wav").read_bytes())
    assert abs(len(audio) / rate - len("".join(parts.synthesizer.spoken)) * 0.03) < 0.1  # type: ignore[attr-defined]
    timing = session.turns[0]
    assert timing.speculative  # transcribed during the pause, not after it
    stages = timing.stages()
    assert 0.2 < stages["endpoint"] < 1.0 and stages["total"] > 0
    assert stages["model_words"] > stages["first_text"] + 0.05  # "Oh." went before the model


def _interrupting_input(tmp_path: Path, gap: float) -> tuple[Path, float]:
    question = np.concatenate([espeak("I had a long day at work."), silence(gap)])
    over = espeak("Wait, stop, I need to tell you something.", "en-us+m3")
    audio = np.concatenate([question, over, silence(0.5)])
    return write(tmp_path / "q.wav", audio), len(question) / SPEECH_RATE


@pytest.mark.parametrize("echo", [None, "room"])
def test_speaking_over_os1_silences_it_within_200_ms(
    ready_app: App, mind: ScriptedMind, tmp_path: Path, echo: str | None
) -> None:
    script(mind, LONG_REPLY, "Of course. I'm listening.")
    source, onset = _interrupting_input(tmp_path, gap=3.0)
    parts = VoiceParts(FakeTranscriber("I had a long day at work."), EspeakSynthesizer("female"))
    session, device, _ = asyncio.run(
        converse(ready_app.companion(), parts, source, None, room() if echo else None)
    )
    assert len(session.interruptions) == 1
    cut = session.interruptions[0]
    user_voice = device.started + onset + 0.05  # espeak starts speaking ~50 ms in
    assert 0 < cut.silenced - user_voice < 0.2
    replies = [t for t in ready_app.memory().episodes.listing() if t.role == "assistant"]
    stored = replies[-1]  # the oldest: the cut reply, before the answer to the new turn
    assert stored.interrupted
    assert stored.content == cut.heard and stored.content
    assert SPOKEN.startswith(stored.content) and len(stored.content) < len(SPOKEN) - 40
    assert stored.meta["written"] == SPOKEN


def test_its_own_voice_does_not_interrupt_it(
    ready_app: App, mind: ScriptedMind, tmp_path: Path
) -> None:
    script(mind, LONG_REPLY)
    question = write(
        tmp_path / "q.wav", np.concatenate([espeak("I had a long day at work."), silence(0.3)])
    )
    parts = VoiceParts(FakeTranscriber("I had a long day at work."), EspeakSynthesizer("female"))
    session, _, _ = asyncio.run(converse(ready_app.companion(), parts, question, None, room()))
    assert session.interruptions == []
    assert len(session.turns) == 1  # the echo never started a turn of its own
    reply = ready_app.memory().episodes.listing()[0]
    assert reply.content == SPOKEN and not reply.interrupted


class _Pauser(FakeTranscriber):
    """Hears the first half of the sentence until the audio holds the second half."""

    def __init__(self, split: int) -> None:
        super().__init__()
        self.split = split

    async def transcribe(self, audio: object) -> str:
        self.heard.append(len(audio))  # type: ignore[arg-type]
        whole = len(audio) > self.split  # type: ignore[arg-type]
        return "I went to the store and bought some apples." if whole else "I went to the store and"


@pytest.mark.parametrize(("policy", "turns"), [(TurnPolicy(), 1), (TurnPolicy(fixed=0.5), 2)])
def test_a_pause_mid_sentence_is_not_the_end_of_the_turn(
    ready_app: App, tmp_path: Path, policy: TurnPolicy, turns: int
) -> None:
    first, second = espeak("I went to the store and"), espeak("bought some apples.")
    audio = np.concatenate([first, silence(0.8), second, silence(0.3)])
    transcriber = _Pauser(len(first) + int(0.8 * SPEECH_RATE) + 4000)
    parts = VoiceParts(transcriber, FakeSynthesizer(0.01), policy)
    session, _, said = asyncio.run(
        converse(ready_app.companion(), parts, write(tmp_path / "q.wav", audio), None, None)
    )
    heard = [text for kind, text, _ in said if kind == "user"]
    assert len(session.turns) == turns
    if turns == 1:
        assert heard == ["I went to the store and bought some apples."]


def test_background_work_gives_way_from_the_users_first_words(
    ready_app: App, mind: ScriptedMind, tmp_path: Path
) -> None:
    script(mind, "Oh no. What happened?")
    lead = 1.0  # seconds of quiet before the user speaks
    audio = np.concatenate([silence(lead), espeak(SAID), silence(0.5)])
    question = write(tmp_path / "q.wav", audio)
    parts = VoiceParts(FakeTranscriber(SAID), FakeSynthesizer(0.01))
    companion = ready_app.companion()
    dropped: list[float] = []

    async def background_work() -> None:
        try:
            await asyncio.sleep(60)
        finally:
            dropped.append(time.perf_counter())

    async def talk() -> tuple[VoiceSession, FileDevice, list[tuple[str, str, float]]]:
        work = asyncio.ensure_future(giving_way(background_work, companion.busy))
        try:
            return await converse(companion, parts, question, None, None)
        finally:
            work.cancel()

    session, device, said = asyncio.run(talk())
    heard = next(at for kind, _, at in said if kind == "user")  # the turn reaches the companion
    first_words = device.started + lead
    assert dropped, "the work never gave way"
    assert first_words < dropped[0] < first_words + 0.5  # at the first words...
    assert dropped[0] < heard - 1.0  # ...long before the turn began
    assert not companion.busy.is_set()  # the session is over: its listener no longer counts
    session.listener.in_turn = True
    assert not companion.busy.is_set()


def test_a_session_can_leave_the_first_word_to_the_model(
    ready_app: App, mind: ScriptedMind, tmp_path: Path
) -> None:
    script(mind, LONG_REPLY)
    question = write(tmp_path / "q.wav", np.concatenate([espeak(SAID), silence(0.3)]))
    parts = VoiceParts(FakeTranscriber(SAID), FakeSynthesizer(0.01), acknowledge=False)
    session, _, _ = asyncio.run(converse(ready_app.companion(), parts, question, None, None))
    reply = ready_app.memory().episodes.listing()[0]
    assert reply.content == LONG_REPLY
    assert parts.synthesizer.spoken[0] == "That sounds like a lot."  # type: ignore[attr-defined]
    stages = session.turns[0].stages()
    assert stages["model_words"] == stages["first_text"]
