"""Rendering MIDI to audio with FluidSynth (in-process, through pyfluidsynth) and the
General MIDI soundfont's grand piano: WAV always, OGG where libsndfile can write it.

FluidSynth's own MIDI player and file renderer do the work in C, faster than real time
by two orders of magnitude; nothing is played while rendering.
"""

from __future__ import annotations

import contextlib
import os
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from os1.errors import ConfigError, OS1Error

DEFAULT_SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
SAMPLE_RATE = 44100
_FLUID_OK, _PLAYING = 0, 1


class RenderError(OS1Error):
    """The piece was composed (its MIDI is kept) but could not be turned into sound."""


@dataclass(frozen=True)
class Rendered:
    wav: Path
    ogg: Path | None
    seconds: float  # length of the audio
    render_seconds: float  # how long rendering took


def soundfont(configured: Path | None) -> Path:
    """The soundfont to play with; a clear error when it is missing or unreadable."""
    path = configured or DEFAULT_SOUNDFONT
    if not path.is_file():
        where = "OS1_SOUNDFONT points at" if configured else "The piano soundfont"
        raise ConfigError(
            f"{where} {path}, which is missing.",
            "Install it with `apt-get install fluid-soundfont-gm`, or set OS1_SOUNDFONT to"
            " a .sf2 file.",
        )
    if not os.access(path, os.R_OK):
        raise ConfigError(f"The soundfont {path} cannot be read.", "Check its permissions.")
    return path


def _fluidsynth() -> Any:
    try:
        import fluidsynth  # type: ignore[import-untyped]
    except ImportError as exc:  # no pyfluidsynth, or no libfluidsynth under it
        raise RenderError(
            "Rendering music needs FluidSynth.",
            "Install it with `apt-get install fluidsynth` and reinstall OS1 (make install).",
        ) from exc
    return fluidsynth


def render(midi: Path, wav: Path, font: Path, ogg: Path | None = None) -> Rendered:
    """Render `midi` to `wav` (and `ogg` when asked and possible)."""
    started = time.perf_counter()
    _render_one(midi, wav, font, "wav")
    made_ogg = None
    if ogg is not None:
        with contextlib.suppress(RenderError):  # OGG is a bonus; the WAV is the piece
            _render_one(midi, ogg, font, "oga")
            made_ogg = ogg if ogg.is_file() and ogg.stat().st_size > 0 else None
    return Rendered(wav, made_ogg, wav_seconds(wav), time.perf_counter() - started)


def _render_one(midi: Path, out: Path, font: Path, file_type: str) -> None:
    fluidsynth = _fluidsynth()
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed, so an interrupted render leaves no half file.
    partial = str(out.parent / f".{out.name}.{os.getpid()}.partial")
    settings = {
        "audio.file.type": file_type,
        "player.timing-source": "sample",
        "synth.chorus.active": 0,  # a piano wants reverb, not chorus (and it costs time)
        "synth.cpu-cores": 1,
    }
    synth = fluidsynth.Synth(gain=0.6, samplerate=float(SAMPLE_RATE), **settings)
    try:
        if synth.sfload(str(font)) < 0:
            raise RenderError(f"FluidSynth could not load the soundfont {font}.", "Is it a .sf2?")
        synth.setting("audio.file.name", partial)
        _play_into_file(fluidsynth, synth, midi)
        if Path(partial).stat().st_size == 0:
            raise RenderError(f"FluidSynth wrote nothing for {out.name} ({file_type}).")
        Path(partial).replace(out)
    except OSError as exc:
        raise RenderError(f"Could not write {out}: {exc.strerror}.") from exc
    finally:
        synth.delete()
        with contextlib.suppress(OSError):
            Path(partial).unlink()


def _play_into_file(fluidsynth: Any, synth: Any, midi: Path) -> None:
    player = fluidsynth.new_fluid_player(synth.synth)
    renderer = None
    try:
        if fluidsynth.fluid_player_add(player, str(midi).encode()) != _FLUID_OK:
            raise RenderError(f"FluidSynth could not read {midi}.")
        fluidsynth.fluid_player_play(player)
        renderer = fluidsynth.new_fluid_file_renderer(synth.synth)
        if not renderer:
            raise RenderError("FluidSynth could not open its audio file writer.")
        while fluidsynth.fluid_player_get_status(player) == _PLAYING:
            if fluidsynth.fluid_file_renderer_process_block(renderer) != _FLUID_OK:
                break
    finally:
        if renderer:
            fluidsynth.delete_fluid_file_renderer(renderer)
        fluidsynth.delete_fluid_player(player)


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as audio:
        return audio.getnframes() / audio.getframerate()


def peak_level(path: Path) -> float:
    """The loudest sample, 0..1: a quick proof that a file is not silence."""
    import array

    with wave.open(str(path), "rb") as audio:
        frames = audio.readframes(audio.getnframes())
    samples = array.array("h", frames)[::5]  # every fifth sample is plenty to tell
    return max((abs(s) for s in samples), default=0) / 32768
