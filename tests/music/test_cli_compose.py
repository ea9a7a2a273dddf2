"""The real `os1 compose` and `os1 music` commands, in a subprocess, with real FluidSynth."""

from __future__ import annotations

import re
from pathlib import Path

import mido
import pytest

from os1.music.render import peak_level, wav_seconds

from ..cli.conftest import Run, no_traceback
from .conftest import BEACH

DONE_WHEN = ("compose", BEACH, "--out", "beach.wav", "--seed", "7")


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_done_when_compose_the_beach(os1: Run, in_tmp: Path) -> None:
    done = os1(*DONE_WHEN)
    assert done.returncode == 0, done.stderr
    no_traceback(done)
    wav, midi = in_tmp / "beach.wav", in_tmp / "beach.mid"
    assert midi.is_file() and wav.is_file()
    assert wav_seconds(wav) >= 30 and peak_level(wav) > 0.05
    assert (in_tmp / "beach.ogg").read_bytes()[:4] == b"OggS"
    assert mido.MidiFile(midi).length >= 30
    out = done.stdout
    key = re.search(
        r"\u201d: ([A-G][b#]? (major|minor|dorian)), ([34])/4, (\d+) beats a minute", out
    )
    assert key, out
    assert f"Mode: {key.group(2)}, because" in out
    assert f"Key: {key.group(1)}: " in out
    assert re.search(rf"Tempo: {key.group(4)} beats a minute, because", out)
    assert "a little sad" in out and "(seed 7)" in out
    first = midi.read_bytes()
    explained = os1(*DONE_WHEN, "--explain")
    assert explained.returncode == 0 and midi.read_bytes() == first  # same seed, same piece
    for part in ("Meter:", "Harmonic rhythm:", "Register:", "Dynamics:", "Texture:", "Form:"):
        assert part in explained.stdout
    listing = os1("music", "list")
    assert "The beach, Sunday afternoon" in listing.stdout


def test_play_it_again(os1: Run, in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = os1(
        "compose", "rain at night, missing her", "--length", "25", "--seed", "2",
        "--out", "rain.wav",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    monkeypatch.chdir(in_tmp.parent)  # played again from elsewhere: the same file, found
    elsewhere = os1("music", "play", "rain", OS1_SOUND_DEVICE="none")
    assert f"it is at {in_tmp / 'rain.wav'}." in elsewhere.stderr
    through_alsa = os1("music", "play", "the rain song", OS1_SOUND_DEVICE="null")
    assert through_alsa.returncode == 0, through_alsa.stderr
    assert "Playing \u201cRain at night\u201d through ALSA (aplay, device null)" in (
        through_alsa.stderr
    )
    nowhere = os1("music", "play", "rain", OS1_SOUND_DEVICE="none")
    assert "no sound device here" in nowhere.stderr and ".wav" in nowhere.stderr
    missing = os1("music", "play", "mountains")
    assert missing.returncode == 2 and "haven't written a piece" in missing.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("compose",), "Tell me what the piece is about"),
        (("compose", "   "), "Tell me what the piece is about"),
        (("compose", "xkcdqz wrtplm"), "I can't find a moment"),
        (("compose", "rain", "--length", "0"), "Ask for 20 seconds to 10 minutes"),
        (("compose", "rain", "--length", "9999"), "Ask for 20 seconds to 10 minutes"),
        (("compose", "rain", "--length", "forever"), "is not a length"),
        (("compose", "rain", "--out", "no/such/folder/x.wav"), "does not exist"),
        (("compose", "rain", "--out", "x.mp3"), "End it in .wav"),
        (("music", "lyrics", "--chords", "C H F", "--theme", "us"), "'H' is not a chord"),
        (("music", "forget", "99", "--yes"), "There is no piece 99"),
    ],
)
def test_bad_input_gets_one_clear_line(
    os1: Run, in_tmp: Path, args: tuple[str, ...], says: str
) -> None:
    done = os1(*args)
    no_traceback(done)
    assert done.returncode == 2, done.stderr
    assert says in done.stderr
    assert len(done.stderr.strip().splitlines()) <= 2  # the line (after "Composing…")


def test_a_missing_soundfont_keeps_the_midi(os1: Run, in_tmp: Path) -> None:
    done = os1(
        "compose", "rain at night", "--out", "rain.wav", "--length", "25",
        OS1_SOUNDFONT=str(in_tmp / "nowhere.sf2"),
    )  # fmt: skip
    no_traceback(done)
    assert done.returncode == 1
    assert "missing" in done.stderr and "apt-get install fluid-soundfont-gm" in done.stderr
    assert (in_tmp / "rain.mid").is_file() and not (in_tmp / "rain.wav").exists()


@pytest.mark.real_model
def test_lyrics_with_the_tiny_model_fit_the_tune(os1: Run, in_tmp: Path) -> None:
    done = os1(
        "compose", "the beach, Sunday afternoon, a little sad and happy", "--lyrics",
        "--length", "25", "--seed", "5", "--out", "song.wav",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = re.findall(r"\u266a (.*?)   \((\d+)/(\d+) syllables, (.*)\)", done.stdout)
    assert lines, done.stdout
    text = (in_tmp / "song.lyrics.txt").read_text().splitlines()
    assert [line[0] for line in lines] == text
    sung = [m for m in mido.MidiFile(in_tmp / "song.mid") if m.type == "lyrics"]
    from os1.music import syllables

    assert len(sung) == sum(len(syllables.syllables(line)) for line in text)
