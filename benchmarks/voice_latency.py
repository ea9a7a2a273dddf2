"""Voice: from the end of the user's speech to the first sound of the reply, by stage;
how often turn-taking cuts the user off; word error rate of speech-to-text.

    .venv/bin/python benchmarks/voice_latency.py [--utterances 20] [--model qwen-1.5b]
        [--stt base] [--peer-every 2] [--wer-only] [--latency-only]
        [--reply-pace speaking|fast]

Each utterance is a WAV (espeak-ng) played to OS1 at the pace of a microphone
(`FileDevice`); the end of speech is found in the file itself (Silero over the whole
recording), so the latency is what a listener would measure. The peer, in the same run
on the same models, is a plain chain: a fixed 0.7 s silence ends the turn and only then
is the audio transcribed, and its replies open with the model's words. OS1's may open
with a small word of its own ("Oh.", persona/acknowledgement.py): `first_text` and
`total` count it, `model_words` is when the model's own first words came. Prints
Markdown for BENCHMARKS.md and writes JSON beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from os1.app import App, build_mind, build_voice
from os1.mind.base import GenerationOptions, Message, Mind, ModelInfo
from os1.persona.setup import set_up
from os1.settings import load_settings
from os1.voice.audio import SPEECH_RATE, read_wav_bytes, resample, wav_bytes
from os1.voice.devices import FileDevice
from os1.voice.models import piper_voice_files, whisper_dir
from os1.voice.session import VoiceParts, VoiceSession
from os1.voice.stt import WhisperTranscriber, transcribe_wav
from os1.voice.tts import PiperSynthesizer
from os1.voice.turns import TurnPolicy
from os1.voice.vad import speech_spans
from os1.voice.words import word_error_rate

ANSWERS = {"name": "Theo", "social": "Anti-social, I guess.", "mother": "It's complicated."}
UTTERANCES = [
    "Hi, I had a long day at work.",
    "My boss moved the deadline again.",
    "I think I need a holiday.",
    "My sister Ines called me today.",
    "She lives in Porto now.",
    "Do you think I should visit her?",
    "I haven't seen her in two years.",
    "What should I bring her?",
    "She loves old books.",
    "Tell me something funny.",
    "I made pasta for dinner.",
    "It was a bit too salty.",
    "Do you ever get bored?",
    "I went for a walk by the river.",
    "The leaves are turning yellow.",
    "I miss the summer already.",
    "My friend Amy is getting married.",
    "I have to give a speech at the wedding.",
    "I am nervous about it.",
    "Okay, I should sleep soon.",
    "Good morning, I slept well.",
    "Let's talk about music.",
]
# Mid-sentence pauses: (first part, second part); a good endpointer waits for both.
PAUSED = [
    ("I went to the store and", "bought some apples."),
    ("My sister, um,", "she called me today."),
    ("I was thinking that maybe", "we could talk about my mother."),
    ("The thing is,", "I don't really like my job."),
    ("Tomorrow I have to", "see the dentist."),
    ("I wanted to tell you because", "it has been on my mind."),
]
HUMAN = {
    "beckett.wav": "Ever tried. Ever failed. No matter. Try again. Fail again. Fail better.",
    "two_cities.wav": (
        "It was the best of times, it was the worst of times, it was the age of wisdom, it was "
        "the age of foolishness, it was the epoch of belief, it was the epoch of incredulity, it "
        "was the season of Light, it was the season of Darkness, it was the spring of hope, it "
        "was the winter of despair, we had everything before us, we had nothing before us, we "
        "were all going direct to Heaven, we were all going direct the other way, in short, the "
        "period was so far like the present period, that some of its noisiest authorities "
        "insisted on its being received, for good or for evil, in the superlative degree of "
        "comparison only."
    ),
}


def espeak(text: str) -> np.ndarray:
    out = subprocess.run(["espeak-ng", "--stdout", text], capture_output=True, check=True).stdout
    samples, rate = read_wav_bytes(out)
    return resample(samples, rate, SPEECH_RATE)


class TimedMind:
    """Notes when the model's first token of each conversation reply arrives."""

    def __init__(self, mind: Mind) -> None:
        self.mind = mind
        self.first: list[float] = []
        self.memory_lines = 0  # in the last conversation reply's prompt

    @property
    def info(self) -> ModelInfo:
        return self.mind.info

    async def start(self) -> None:
        await self.mind.start()

    async def aclose(self) -> None:
        await self.mind.aclose()

    async def stream(
        self, messages: Sequence[Message], options: GenerationOptions
    ) -> AsyncIterator[str]:
        first = True
        if options.json_schema is None and options.max_tokens > 1:
            user = next(m.content for m in reversed(messages) if m.role == "user")
            self.memory_lines = user.count("[You remember")
        async for piece in self.mind.stream(messages, options):
            if first and options.json_schema is None and options.max_tokens > 1:
                self.first.append(time.perf_counter())
                first = False
            yield piece


async def one_turn(
    session: VoiceSession, mind: TimedMind, path: Path, end: float, pace: str
) -> dict:
    device = FileDevice(path, rate=session.player.rate, fast_reply=pace == "fast")
    before = len(session.turns)
    await device.run(session)
    session.finish_timings()
    if len(session.turns) <= before or not session.turns[-1].first_audio:
        return {}
    # The end of speech as found in the file, not as the listener noticed it.
    timing = replace(session.turns[-1], speech_end=device.started + end)
    token = next((t for t in reversed(mind.first) if t > timing.transcript), 0.0)
    return {
        "text": timing.text,
        **timing.stages(),
        "first_token": token - timing.transcript,
        "speculative": timing.speculative,
        "memory_lines": mind.memory_lines,
    }


STAGES = (
    "endpoint",
    "speech_to_text",
    "first_token",
    "first_text",
    "model_words",
    "first_audio",
    "total",
)


def summary(rows: list[dict], key: str) -> tuple[float, float]:
    values = sorted(r[key] for r in rows)
    return statistics.median(values), values[min(len(values) - 1, int(0.9 * len(values)))]


async def latency(args: argparse.Namespace, home: Path) -> dict:
    settings = load_settings(env={**os.environ, "OS1_HOME": str(home)})
    settings = replace(settings, model=args.model, stt_model=args.stt)
    mind = TimedMind(build_mind(settings))
    app = App(settings, mind)
    set_up(dict(ANSWERS), app.memory(), app.personas())
    parts = build_voice(settings, "male")
    peer_parts = VoiceParts(
        parts.transcriber, parts.synthesizer, TurnPolicy(fixed=0.7), acknowledge=False
    )
    await mind.start()
    # One user, one companion: its background work gives way to either session's turns.
    companion = app.companion()
    sessions = {
        "os1": VoiceSession(companion, parts, 22_050),
        "peer": VoiceSession(companion, peer_parts, 22_050),
    }
    for session in sessions.values():
        await session.start()
    rows: dict[str, list[dict]] = {"os1": [], "peer": []}
    workdir = home / "utterances"
    workdir.mkdir(parents=True)
    # The first utterance warms every part up (and its figures are reported apart).
    for index, text in enumerate(UTTERANCES[: args.utterances + 1]):
        audio = np.concatenate([np.zeros(4800, np.float32), espeak(text)])
        path = workdir / f"u{index}.wav"
        path.write_bytes(wav_bytes(audio, SPEECH_RATE))
        end = speech_spans(audio)[-1][1]
        kinds = ["os1", "peer"] if index % args.peer_every == 0 else ["os1"]
        kinds = kinds[::-1] if index % 2 else kinds  # neither always goes first
        for kind in kinds:
            row = await one_turn(sessions[kind], mind, path, end, args.reply_pace)
            if row:
                row["load"] = os.getloadavg()[0]
            if row and index == 0:
                rows.setdefault(f"{kind} first turn", []).append(row)
            elif row:
                rows[kind].append(row)
                print(kind, json.dumps(row), flush=True)
    for session in sessions.values():
        await session.stop()
    await companion.settle()  # its fact extraction ends before the engine does
    await app.aclose()
    return rows


async def cut_offs(transcriber: WhisperTranscriber, home: Path) -> dict:
    """Turns ended in the middle of a paused sentence, for OS1's policy and fixed ones."""
    from os1.testing import FakeSynthesizer, ScriptedMind

    result = {}
    workdir = home / "utterances"
    workdir.mkdir(parents=True)
    policies = {"os1": TurnPolicy(), "fixed 0.5 s": TurnPolicy(fixed=0.5)}
    policies["fixed 0.7 s"] = TurnPolicy(fixed=0.7)
    for name, policy in policies.items():
        app = App(load_settings(env={**os.environ, "OS1_HOME": str(home / name)}), ScriptedMind())
        set_up(dict(ANSWERS), app.memory(), app.personas())
        session = VoiceSession(
            app.companion(), VoiceParts(transcriber, FakeSynthesizer(0.01), policy), 16_000
        )
        await session.start()
        cut = 0
        for index, (first, second) in enumerate(PAUSED):
            gap = np.zeros(int(0.6 * SPEECH_RATE), np.float32)
            audio = np.concatenate([espeak(first), gap, espeak(second)])
            path = workdir / f"p{index}.wav"
            path.write_bytes(wav_bytes(audio, SPEECH_RATE))
            before = len(session.turns)
            await FileDevice(path, rate=16_000).run(session)
            cut += len(session.turns) - before > 1
        result[name] = {"cut_off": cut, "of": len(PAUSED)}
        await session.stop()
        await app.aclose()
    return result


async def wer(models: Path) -> dict:
    assets = importlib.util.find_spec("moonshine_voice")
    root = Path(next(iter(assets.submodule_search_locations))) / "assets" if assets else None
    result: dict[str, dict[str, float]] = {}
    piper = PiperSynthesizer(*piper_voice_files(models))  # a neural voice, nearer a person's
    voiced = [await piper.synthesize(text) for text in UTTERANCES]
    voiced = [resample(clip, piper.rate, SPEECH_RATE) for clip in voiced]
    # Whisper's own 30 s window beside OS1's short one, on the same clips.
    for label, choice, short in (
        ("base", "base", True),
        ("base, 30 s window", "base", False),
        ("tiny.en", "tiny.en", True),
    ):
        transcriber = WhisperTranscriber(whisper_dir(choice, models), short_window=short)
        scores = {}
        for name, clips in (("espeak", [espeak(t) for t in UTTERANCES]), ("piper", voiced)):
            errors = []
            for text, clip in zip(UTTERANCES, clips, strict=True):
                heard = await transcriber.transcribe(clip)
                errors.append(word_error_rate(text, heard))
            scores[f"{name} round trip"] = statistics.mean(errors)
        for name, reference in HUMAN.items():
            if root is not None and (root / name).exists():
                heard = await transcribe_wav(transcriber, (root / name).read_bytes())
                scores[name] = word_error_rate(reference, heard)
        result[label] = scores
    return result


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--utterances", type=int, default=20)
    parser.add_argument("--model", default="qwen-1.5b")
    parser.add_argument("--stt", default="base")
    parser.add_argument("--peer-every", type=int, default=2)
    parser.add_argument("--wer-only", action="store_true")
    parser.add_argument("--latency-only", action="store_true")
    # speaking: the user hears each reply to the end before the next turn, as in a real
    # conversation; fast: replies are played instantly, turns come back to back.
    parser.add_argument("--reply-pace", choices=("speaking", "fast"), default="speaking")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:  # a home with a model copy is 1.1 GB
        await measure(args, Path(scratch))


async def measure(args: argparse.Namespace, home: Path) -> None:
    shared = Path(os.environ.get("OS1_MODELS_DIR", home / "models"))
    os.environ["OS1_MODELS_DIR"] = str(shared)
    report: dict = {"args": vars(args), "load": os.getloadavg()}
    if not args.latency_only:
        report["wer"] = await wer(shared)
        print(json.dumps(report["wer"]), flush=True)
    if not args.wer_only and not args.latency_only:
        transcriber = WhisperTranscriber(whisper_dir(args.stt, shared))
        report["cut_offs"] = await cut_offs(transcriber, home / "cut")
        print(json.dumps(report["cut_offs"]), flush=True)
    if not args.wer_only:
        rows = await latency(args, home / "talk")
        report["rows"] = rows
        for kind, found in rows.items():
            for key in STAGES if found else ():
                median, p90 = summary(found, key)
                print(f"{kind}: {key} median {median:.2f} s, p90 {p90:.2f} s (n={len(found)})")
    report["load_after"] = os.getloadavg()
    suffix = f".latency-{args.stt}-{args.reply_pace}.json" if args.latency_only else ".json"
    out = Path(__file__).with_suffix(suffix)
    out.write_text(json.dumps(report, indent=1))
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(main())
