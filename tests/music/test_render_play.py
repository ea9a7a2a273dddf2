"""Real rendering with FluidSynth and the General MIDI soundfont, and real playback."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from os1.errors import ConfigError
from os1.music.midi import read_notes, to_midi
from os1.music.play import find_player, has_sound_card
from os1.music.render import RenderError, peak_level, render, soundfont

from .conftest import BEACH, piece_for


@pytest.fixture(scope="module")
def short_piece(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    plan, piece = piece_for(BEACH, 3, seconds=25)
    folder = tmp_path_factory.mktemp("render")
    midi = folder / "piece.mid"
    midi.write_bytes(to_midi(piece, plan.key))
    return midi, piece.seconds


def test_midi_holds_the_piece(short_piece: tuple[Path, float]) -> None:
    midi, seconds = short_piece
    notes = read_notes(midi.read_bytes())
    assert len(notes) > 40
    assert {channel for _, channel, _, _ in notes} == {0, 1}  # melody and accompaniment
    assert notes[-1][0] == pytest.approx(seconds - 2.5 - 2.2, abs=2.5)  # the last chord


def test_rendering_makes_a_wav_and_an_ogg_that_are_music(short_piece: tuple[Path, float]) -> None:
    midi, seconds = short_piece
    done = render(midi, midi.with_suffix(".wav"), soundfont(None), midi.with_suffix(".ogg"))
    with wave.open(str(done.wav)) as audio:
        assert (audio.getframerate(), audio.getnchannels(), audio.getsampwidth()) == (44100, 2, 2)
    assert seconds <= done.seconds <= seconds + 3  # the whole piece, and the piano ringing out
    assert peak_level(done.wav) > 0.05
    assert done.ogg is not None and done.ogg.read_bytes()[:4] == b"OggS"
    assert not list(midi.parent.glob(".*partial"))  # no half-written files left


def test_a_missing_soundfont_gets_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        soundfont(tmp_path / "gone.sf2")
    assert "apt-get install fluid-soundfont-gm" in str(caught.value)
    assert "OS1_SOUNDFONT" in str(caught.value)


def test_a_broken_soundfont_gets_a_clear_message(
    short_piece: tuple[Path, float], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.sf2"
    broken.write_bytes(b"not a soundfont at all")
    with pytest.raises(RenderError, match="could not load the soundfont"):
        render(short_piece[0], tmp_path / "x.wav", broken)
    assert not (tmp_path / "x.wav").exists()


def test_playing_through_alsa(short_piece: tuple[Path, float]) -> None:
    midi, _ = short_piece
    wav = midi.with_suffix(".wav")
    if not wav.exists():
        render(midi, wav, soundfont(None))
    player = find_player("null")  # ALSA's null device: real aplay, no speakers needed
    assert player is not None and player.description == "ALSA (aplay, device null)"
    player.play(wav)


def test_no_sound_device_means_no_player(tmp_path: Path) -> None:
    assert find_player("none") is None
    nothing = tmp_path / "cards"
    nothing.write_text("--- no soundcards ---\n")
    assert not has_sound_card(nothing)
    one = tmp_path / "cards2"
    one.write_text(" 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n")
    assert has_sound_card(one)
    assert not has_sound_card(tmp_path / "missing")
    env = {"XDG_RUNTIME_DIR": str(tmp_path)}
    if not has_sound_card():
        assert find_player("", env) is None


def test_music_settings(tmp_path: Path) -> None:
    from os1.settings import load_settings

    env = {"OS1_HOME": str(tmp_path), "OS1_SOUNDFONT": "~/piano.sf2", "OS1_SOUND_DEVICE": "hw:1"}
    settings = load_settings(env)
    assert settings.soundfont == Path("~/piano.sf2").expanduser()
    assert settings.sound_device == "hw:1"
    assert settings.music_dir == tmp_path / "music"
    assert load_settings({"OS1_HOME": str(tmp_path)}).soundfont is None
