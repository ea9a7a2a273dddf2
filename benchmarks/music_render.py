"""How fast OS1 composes a piece and renders it to audio (issue 9).

    .venv/bin/python benchmarks/music_render.py [--runs 5] [--seed 7]

The piece is the Done-when one ("the beach, Sunday afternoon, a little sad and happy").
Composing is the music alone (mood, choices, harmony, melody, voice leading, MIDI).
Rendering is OS1's in-process FluidSynth (pyfluidsynth, its player and file renderer)
against the peer, the `fluidsynth` command line rendering the same MIDI file with the
same soundfont, run alternately in the same loop. Figures are medians.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from os1.music.compose import compose
from os1.music.midi import to_midi
from os1.music.mood import read_words
from os1.music.plan import choose
from os1.music.render import DEFAULT_SOUNDFONT, _render_one, wav_seconds

BEACH = "the beach, Sunday afternoon, a little sad and happy"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    composing, midi_bytes = [], b""
    for _ in range(args.runs * 4):
        started = time.perf_counter()
        mood = read_words(BEACH)
        plan = choose(mood, args.seed)
        piece = compose(plan, mood.arousal, "The beach")
        midi_bytes = to_midi(piece, plan.key)
        composing.append(time.perf_counter() - started)
    folder = Path(tempfile.mkdtemp(prefix="os1-bench-"))
    midi = folder / "beach.mid"
    midi.write_bytes(midi_bytes)
    ours, peer, ogg = [], [], []
    command = shutil.which("fluidsynth")
    for _ in range(args.runs):
        ours.append(_timed(lambda: _render_one(midi, folder / "os1.wav", DEFAULT_SOUNDFONT, "wav")))
        if command:
            peer.append(_timed(lambda: _cli(command, midi, folder / "cli.wav")))
        ogg.append(_timed(lambda: _render_one(midi, folder / "os1.ogg", DEFAULT_SOUNDFONT, "oga")))
    audio = wav_seconds(folder / "os1.wav")
    print(f"piece: {piece.seconds:.1f} s of music, {len(piece.notes)} notes; audio {audio:.1f} s")
    print(f"compose (to MIDI bytes): median {statistics.median(composing) * 1000:.0f} ms")
    _line("render WAV, OS1 in-process", ours, audio)
    if peer:
        _line("render WAV, fluidsynth CLI (peer)", peer, audio)
        print(f"OS1 / peer: {statistics.median(ours) / statistics.median(peer):.2f}")
    _line("render OGG, OS1 in-process", ogg, audio)
    shutil.rmtree(folder)
    return 0


def _timed(work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - started


def _cli(command: str, midi: Path, out: Path) -> None:
    subprocess.run(
        [command, "-ni", "-q", "-F", str(out), "-r", "44100", str(DEFAULT_SOUNDFONT), str(midi)],
        check=True,
        capture_output=True,
    )


def _line(name: str, seconds: list[float], audio: float) -> None:
    median = statistics.median(seconds)
    print(
        f"{name}: median {median:.2f} s (min {min(seconds):.2f}, max {max(seconds):.2f}),"
        f" {audio / median:.0f}x real time"
    )


if __name__ == "__main__":
    sys.exit(main())
