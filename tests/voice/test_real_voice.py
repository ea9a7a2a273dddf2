"""The real thing: espeak-ng speaks, OS1 hears it with Whisper, answers with the packaged
model, speaks with Piper, and its spoken answer transcribes back to what it wrote."""

from __future__ import annotations

import asyncio
import importlib.util
import re
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from os1.app import App
from os1.testing import FakeSynthesizer
from os1.voice.audio import SPEECH_RATE
from os1.voice.devices import FileDevice
from os1.voice.models import whisper_dir
from os1.voice.session import VoiceParts, VoiceSession
from os1.voice.stt import WhisperTranscriber, transcribe_wav
from os1.voice.words import word_error_rate

from ..cli.conftest import Run, no_traceback
from .conftest import espeak, needs_espeak, silence, write

pytestmark = [needs_espeak, pytest.mark.voice, pytest.mark.real_model]

BECKETT = "Ever tried. Ever failed. No matter. Try again. Fail again. Fail better."


@pytest.fixture(scope="module")
def whisper(shared_models: Path) -> WhisperTranscriber:
    return WhisperTranscriber(whisper_dir("base", shared_models))


# Whisper, Piper, Silero and the embedding model load in parallel threads, as a voice
# session loads them, in a fresh interpreter; each heavy package is imported under
# `os1.imports.IMPORTING`, since two threads importing faster_whisper at once deadlocked.
PARALLEL_LOADS = """
import asyncio, sys
HEAVY = {"faster_whisper", "onnxruntime", "piper", "tokenizers", "tqdm"}
seen = []
class Watch:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HEAVY:
            from os1.imports import IMPORTING
            seen.append((name, IMPORTING._is_owned()))
        return None
sys.meta_path.insert(0, Watch())
from os1.app import build_voice
from os1.memory.embedding import MiniLM
from os1.settings import load_settings
from os1.voice.vad import SileroVAD
parts = build_voice(load_settings(), "male")
async def load():
    await asyncio.gather(parts.transcriber.start(), parts.synthesizer.start(),
                         asyncio.to_thread(SileroVAD().load), asyncio.to_thread(MiniLM))
asyncio.run(load())
print(len(seen), sorted({name for name, held in seen if not held}))
"""


def test_models_load_in_parallel_importing_one_at_a_time(cli_env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PARALLEL_LOADS], capture_output=True, text=True,
        env=cli_env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    imported, outside = done.stdout.split(" ", 1)
    assert int(imported) > 20  # the packages were imported here, not before
    assert outside.strip() == "[]", outside


def test_a_spoken_round_trip(set_up_os1: Run, tmp_path: Path, whisper: WhisperTranscriber) -> None:
    question, answer = tmp_path / "q.wav", tmp_path / "a.wav"
    subprocess.run(["espeak-ng", "-w", str(question), "Hi, I had a long day at work."], check=True)
    done = set_up_os1("talk", "--in", str(question), "--out", str(answer))
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    assert re.search(r"you \u203a .*long day", done.stdout, re.IGNORECASE)
    assert "(timings: turn over" in done.stderr and "first sound" in done.stderr
    written = done.stdout.split("\u203a ", 2)[-1].strip()
    assert written
    spoken = asyncio.run(transcribe_wav(whisper, answer.read_bytes()))
    assert word_error_rate(written, spoken) <= 0.35, (written, spoken)


def test_real_read_human_speech(whisper: WhisperTranscriber) -> None:
    spec = importlib.util.find_spec("moonshine_voice")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("moonshine-voice (the source of real read speech) is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "assets" / "beckett.wav"
    heard = asyncio.run(transcribe_wav(whisper, path.read_bytes()))
    assert word_error_rate(BECKETT, heard) <= 0.2, heard


def test_a_short_turn_is_heard_in_a_short_window(
    whisper: WhisperTranscriber, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = "My sister lives in Porto and I miss her."
    clip = espeak(said)
    whole = asyncio.run(whisper.transcribe(clip))
    # The short window must decide on its own: the 30 s way is not taken.
    monkeypatch.setattr(WhisperTranscriber, "_whole", lambda _self, _audio: "(the 30 s window)")
    short = asyncio.run(whisper.transcribe(clip))
    assert short != "(the 30 s window)"
    assert word_error_rate(said, short) <= 0.25, short
    assert word_error_rate(whole, short) <= 0.2, (whole, short)


def test_a_silent_file_gets_a_clear_line(set_up_os1: Run, tmp_path: Path) -> None:
    source = write(tmp_path / "q.wav", silence(3.0))
    done = set_up_os1("talk", "--in", str(source), "--out", str(tmp_path / "a.wav"))
    no_traceback(done)
    assert done.returncode == 2 and "I heard no speech" in done.stderr, done.stderr


async def _listen(app: App, parts: VoiceParts, source: Path) -> list[str]:
    heard: list[str] = []
    session = VoiceSession(
        app.companion(), parts, 16_000, say=lambda k, t: heard.append(t) if k == "user" else None
    )
    await session.start()
    try:
        await FileDevice(source, rate=16_000).run(session)
    finally:
        await session.stop()
    return heard


def test_noise_is_not_a_turn(ready_app: App, tmp_path: Path, whisper: WhisperTranscriber) -> None:
    noise = np.random.default_rng(5).uniform(-0.3, 0.3, 3 * SPEECH_RATE).astype(np.float32)
    hum = 0.3 * np.sin(np.arange(3 * SPEECH_RATE) * 2 * np.pi * 50 / SPEECH_RATE)
    source = write(tmp_path / "q.wav", np.concatenate([noise, hum.astype(np.float32)]))
    parts = VoiceParts(whisper, FakeSynthesizer(0.01))
    assert asyncio.run(_listen(ready_app, parts, source)) == []
    assert ready_app.memory().episodes.count() == 0


def test_clipped_loud_speech_at_44_khz_in_stereo_is_understood(
    ready_app: App, tmp_path: Path, whisper: WhisperTranscriber
) -> None:
    speech = np.clip(espeak("Hi, I had a long day at work.") * 8, -1, 1)
    up = np.interp(np.arange(0, len(speech), 16000 / 44100), np.arange(len(speech)), speech)
    up = np.concatenate([up, np.zeros(22050)])
    stereo = (np.stack([up, up], axis=1) * 32767).astype("<i2")
    source = tmp_path / "q.wav"
    with wave.open(str(source), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(44100)
        w.writeframes(stereo.tobytes())
    heard = asyncio.run(_listen(ready_app, VoiceParts(whisper, FakeSynthesizer(0.01)), source))
    assert len(heard) == 1 and re.search(r"long day", heard[0], re.IGNORECASE), heard


def test_bad_files_and_flags_fail_fast_with_one_line(set_up_os1: Run, tmp_path: Path) -> None:
    mp3 = tmp_path / "q.mp3"
    mp3.write_bytes(b"ID3\x04\x00\x00" + b"\x00" * 500)
    for args, says in [
        (("--in", str(mp3), "--out", str(tmp_path / "a.wav")), "is not a WAV file"),
        (("--in", str(tmp_path / "none.wav"), "--out", str(tmp_path / "a.wav")), "no file"),
        (("--out", str(tmp_path / "a.wav")), "--out needs --in"),
    ]:
        done = set_up_os1("talk", *args)
        no_traceback(done)
        assert done.returncode == 2 and says in done.stderr, done.stderr


def test_no_sound_card_says_to_use_files(set_up_os1: Run) -> None:
    done = set_up_os1("talk")
    no_traceback(done)
    if done.returncode == 0:
        pytest.skip("this machine has a sound card")
    assert done.returncode == 1
    assert "--in question.wav --out reply.wav" in done.stderr, done.stderr
