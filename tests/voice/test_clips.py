"""Clip speech, the seam the web page's push-to-talk uses: WAV clip in, text out; text in,
WAV out. Speech-to-text is a fake behind OS1's seam; espeak-ng speaks for real."""

from __future__ import annotations

from dataclasses import replace

import pytest

from os1.app import build_clip_speech
from os1.errors import InputError
from os1.settings import Settings
from os1.testing import FakeSynthesizer, FakeTranscriber
from os1.voice.audio import read_wav_bytes
from os1.voice.clips import MAX_CLIP_SECONDS, ClipSpeech
from os1.voice.tts import Synthesizer

from ..conftest import run
from .conftest import needs_espeak, recording


def test_a_clip_in_any_shape_is_heard_at_16_khz() -> None:
    transcriber = FakeTranscriber("I had a long day at work.")
    speech = ClipSpeech(lambda: transcriber, lambda _voice: FakeSynthesizer(0.01))
    assert run(speech.transcribe(recording(44_100, 2))) == "I had a long day at work."
    assert run(speech.transcribe(recording(8_000, 1, 0.5))) == "I had a long day at work."
    first, second = transcriber.heard
    assert abs(first - 16_000) <= 1 and abs(second - 8_000) <= 1


@pytest.mark.parametrize(
    ("clip", "says"),
    [
        (b"not a wav", "is not a WAV file"),
        (recording(16_000, 1)[:40], "cut off"),
        (recording(8_000, 1, MAX_CLIP_SECONDS + 30), "seconds long"),
    ],
)
def test_bad_clips_get_one_clear_line(clip: bytes, says: str) -> None:
    transcriber = FakeTranscriber()
    speech = ClipSpeech(lambda: transcriber, lambda _voice: FakeSynthesizer(0.01))
    with pytest.raises(InputError, match=says):
        run(speech.transcribe(clip))
    assert transcriber.heard == []


def test_each_voice_is_made_once_and_speaks_wav() -> None:
    made: list[str] = []

    def voice(name: str) -> Synthesizer:
        made.append(name)
        return FakeSynthesizer(0.01, rate=22_050)

    speech = ClipSpeech(FakeTranscriber, voice)
    for name in ("female", "female", "male"):
        audio, rate = read_wav_bytes(run(speech.speak("[Oh,] that's *good*.", name)))
        assert rate == 22_050 and len(audio) > 0
    assert made == ["female", "male"]
    assert speech.voice("female").spoken == ["Oh, that's good ."] * 2  # type: ignore[attr-defined]


@needs_espeak
def test_the_espeak_voice_speaks_in_each_register(settings: Settings) -> None:
    speech = build_clip_speech(replace(settings, tts="espeak"))
    clips = {v: run(speech.speak("Hello, Theo.", v)) for v in ("female", "male")}
    assert clips["female"] != clips["male"]
    audio, rate = read_wav_bytes(clips["female"])
    assert 0.5 < len(audio) / rate < 3.0
