"""Voice: what fact extraction giving way to the user's next turn is worth, paired.

    OS1_MODELS_DIR=... .venv/bin/python benchmarks/voice_giving_way.py

One companion on one engine, two voice sessions with OS1's own turn-taking; every
utterance of `voice_latency.py` is said to both, in alternating order, at speaking
pace. In the "gives way" arm the extraction left running from an earlier reply is
dropped when the turn starts and made again after it (`remembering.giving_way`); in
the "shares" arm it keeps running beside the turn, as before. The arm is the turn's,
so each pair of turns meets the same kind of leftover work, and the machine's speed,
which moves between runs, moves both. Prints medians and the pairs' differences, and
writes JSON beside this file.

    OS1_MODELS_DIR=... .venv/bin/python benchmarks/voice_giving_way.py --from-first-words

compares, the same way, giving way from the user's first words (what a voice session
does: `Busy.also_while`) with giving way only once the turn starts.

    OS1_MODELS_DIR=... .venv/bin/python benchmarks/voice_giving_way.py --just-said

compares, the same way and with both arms giving way from the first words, a statement
without memory lines for the user's last turns (just above in the prompt) with one
that quotes them again.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import numpy as np
import voice_latency as bench

import os1.companion as companion_module
import os1.memory.remembering as remembering
from os1.app import App, build_mind, build_voice
from os1.memory.busy import Busy
from os1.memory.episodes import Episode
from os1.memory.recall import Recollection
from os1.persona.setup import set_up
from os1.settings import load_settings
from os1.voice.audio import SPEECH_RATE, wav_bytes
from os1.voice.session import VoiceSession
from os1.voice.vad import speech_spans

T = TypeVar("T")
FIRST_WORDS = "--from-first-words" in sys.argv
JUST_SAID = "--just-said" in sys.argv
if JUST_SAID:
    ARMS = ("no lines for just said", "lines for just said")
elif FIRST_WORDS:
    ARMS = ("from the first words", "from the turn")
else:
    ARMS = ("gives way", "shares")
arm = [ARMS[0]]  # the arm of the turn being taken
real_giving_way = remembering.giving_way
real_not_just_said = companion_module._not_just_said


class BusyInItsArm:
    """What `giving_way` reads as "the conversation wants the engine", in the arm of the
    turn being taken: the companion's whole `Busy`, the turn alone, or nothing."""

    def __init__(self, busy: Busy) -> None:
        self.busy = busy

    def is_set(self) -> bool:
        if FIRST_WORDS or JUST_SAID:
            return self.busy.is_set() if arm[0] == ARMS[0] else self.busy.turn.is_set()
        return self.busy.turn.is_set() and arm[0] == ARMS[0]


def not_just_said_in_its_arm(found: list[Recollection], history: list[Episode]) -> list:
    return found if arm[0] == ARMS[1] else real_not_just_said(found, history)


async def giving_way_in_its_arm(work: Callable[[], Awaitable[T]], busy: Busy) -> T:
    return await real_giving_way(work, BusyInItsArm(busy))


async def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:  # a home with a model copy is 1.1 GB
        await measure(Path(scratch))


async def measure(home: Path) -> None:
    os.environ.setdefault("OS1_MODELS_DIR", str(home / "models"))
    settings = load_settings(env={**os.environ, "OS1_HOME": str(home / "talk")})
    settings = replace(settings, model="qwen-1.5b", stt_model="base")
    remembering.giving_way = giving_way_in_its_arm
    companion_module._not_just_said = not_just_said_in_its_arm
    mind = bench.TimedMind(build_mind(settings))
    app = App(settings, mind)
    set_up(dict(bench.ANSWERS), app.memory(), app.personas())
    parts = build_voice(settings, "male")
    await mind.start()
    companion = app.companion()
    sessions = {name: VoiceSession(companion, parts, 22_050) for name in ARMS}
    for session in sessions.values():
        await session.start()
    rows: dict[str, list[dict]] = {name: [] for name in ARMS}
    workdir = home / "utterances"
    workdir.mkdir()
    for index, text in enumerate(bench.UTTERANCES):
        audio = np.concatenate([np.zeros(4800, np.float32), bench.espeak(text)])
        path = workdir / f"u{index}.wav"
        path.write_bytes(wav_bytes(audio, SPEECH_RATE))
        end = speech_spans(audio)[-1][1]
        for name in ARMS if index % 2 == 0 else ARMS[::-1]:
            arm[0] = name
            row = await bench.one_turn(sessions[name], mind, path, end, "speaking")
            if row and index > 0:  # the first utterance warms everything up
                rows[name].append(row)
                print(name, json.dumps(row), flush=True)
    for session in sessions.values():
        await session.stop()
    await companion.settle()
    await app.aclose()
    report(rows)


def report(rows: dict[str, list[dict]]) -> None:
    given, shared = rows[ARMS[0]], rows[ARMS[1]]
    pairs = [(a, b) for a, b in zip(given, shared, strict=False) if a["text"] and b["text"]]
    summary: dict = {"pairs": len(pairs)}
    for key in bench.STAGES:
        for name, found in rows.items():
            median, p90 = bench.summary(found, key)
            print(f"{name}: {key} median {median:.2f} s, p90 {p90:.2f} s (n={len(found)})")
            summary[f"{name} {key}"] = [median, p90]
        difference = statistics.median(a[key] - b[key] for a, b in pairs)
        print(f"{key}: median of the pairs' differences {difference:+.2f} s")
        summary[f"difference {key}"] = difference
    suffix = ".just-said.json" if JUST_SAID else ".first-words.json" if FIRST_WORDS else ".json"
    out = Path(__file__).with_suffix(suffix)
    out.write_text(json.dumps({"summary": summary, "rows": rows}, indent=1))
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(main())
