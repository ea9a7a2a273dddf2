"""Reading audio in every shape a user may hand OS1, and clear words for what it can't read."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import numpy as np
import pytest

from os1.errors import InputError
from os1.voice.audio import (
    Resampler,
    blocks,
    open_wav,
    read_wav_bytes,
    resample,
    speech_from_wav_bytes,
    wav_bytes,
)
from os1.voice.devices import FileDevice

TONE = (0.5 * np.sin(np.arange(8000) * 2 * np.pi * 440 / 16000)).astype(np.float32)


def riff(fmt: bytes, data: bytes, declared: int | None = None) -> bytes:
    size = len(data) if declared is None else declared
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"LIST" + struct.pack("<I", 4) + b"INFO"  # a chunk readers must skip
    body += b"data" + struct.pack("<I", size) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def fmt(tag: int, channels: int, rate: int, bits: int) -> bytes:
    align = channels * bits // 8
    return struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits)


@pytest.mark.parametrize("bits", [8, 16, 24, 32])
def test_pcm_of_every_width_reads_the_same(bits: int) -> None:
    ints = np.round(TONE * (2 ** (bits - 1) - 1)).astype(np.int64)
    if bits == 8:
        data = (ints + 128).astype(np.uint8).tobytes()
    elif bits == 24:
        data = b"".join(int(v).to_bytes(3, "little", signed=True) for v in ints)
    else:
        data = ints.astype(f"<i{bits // 8}").tobytes()
    samples, rate = read_wav_bytes(riff(fmt(1, 1, 16000, bits), data))
    assert rate == 16000
    assert np.max(np.abs(samples - TONE)) < 0.01


def test_float_stereo_and_extensible_files() -> None:
    stereo = np.stack([TONE, TONE], axis=1).astype("<f4").tobytes()
    samples, _ = read_wav_bytes(riff(fmt(3, 2, 16000, 32), stereo))
    assert np.max(np.abs(samples - TONE)) < 1e-6
    extensible = fmt(0xFFFE, 1, 16000, 16) + struct.pack("<HHIH", 22, 16, 4, 1) + b"\0" * 14
    data = np.round(TONE * 32767).astype("<i2").tobytes()
    samples, _ = read_wav_bytes(riff(extensible, data))
    assert np.max(np.abs(samples - TONE)) < 1e-3


def test_other_rates_become_16_khz_speech() -> None:
    tone44 = (0.5 * np.sin(np.arange(44100) * 2 * np.pi * 440 / 44100)).astype(np.float32)
    speech = speech_from_wav_bytes(wav_bytes(tone44, 44100))
    assert abs(len(speech) - 16000) <= 1
    spectrum = np.abs(np.fft.rfft(speech))
    assert abs(int(np.argmax(spectrum)) - 440) <= 2  # 1 Hz bins over one second


def test_streamed_resampling_equals_whole() -> None:
    signal = np.random.default_rng(1).standard_normal(22050).astype(np.float32)
    whole = resample(signal, 22050, 16000)
    stream = Resampler(22050, 16000)
    parts = [stream.feed(signal[i : i + 777]) for i in range(0, len(signal), 777)]
    parts.append(stream.feed(np.zeros(0, np.float32), final=True))
    streamed = np.concatenate(parts)
    assert len(streamed) == len(whole)
    assert np.max(np.abs(streamed - whole)) < 1e-5


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"ID3\x03\x00 an mp3 file" * 10, "is not a WAV file"),
        (b"", "is not a WAV file"),
        (riff(fmt(1, 1, 16000, 16), b"")[:30], "damaged WAV header"),
        (riff(fmt(1, 1, 16000, 16), b""), "holds no audio"),
        (riff(fmt(2, 1, 16000, 4), b"\0" * 100), "encoding OS1 cannot read"),
        (riff(fmt(1, 0, 16000, 16), b"\0" * 100), "impossible WAV header"),
        (riff(fmt(1, 1, 16000, 12), b"\0" * 100), "12-bit samples"),
    ],
)
def test_bad_files_get_one_clear_line(data: bytes, says: str) -> None:
    with pytest.raises(InputError, match=says) as caught:
        read_wav_bytes(data, "q.wav")
    assert "\n" not in str(caught.value) and caught.value.hint


def test_a_cut_off_file_gives_what_it_holds() -> None:
    data = np.round(TONE * 32767).astype("<i2").tobytes()
    promised = riff(fmt(1, 1, 16000, 16), data, declared=len(data) * 10)
    samples, _ = read_wav_bytes(promised[: len(promised) - 1001])  # an odd byte cut too
    assert 7000 < len(samples) < 8000


def test_a_one_hour_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "hour.wav"
    frames = 16000 * 3600
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"")
    header = bytearray(path.read_bytes())
    header[40:44] = struct.pack("<I", frames * 2)
    with path.open("wb") as fh:  # a sparse file: an hour of silence, costing no disk
        fh.write(bytes(header))
        fh.truncate(len(header) + frames * 2)
    with pytest.raises(InputError, match="60 minutes long") as caught:
        FileDevice(path)
    assert "sox" in str(caught.value)
    # Reading it anyway goes block by block: memory stays one block.
    fh, info = open_wav(path)
    with fh:
        first = next(blocks(fh, info, 4000))
    assert info.seconds == 3600 and len(first) == 4000


def test_missing_and_unreadable_paths(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="There is no file"):
        open_wav(tmp_path / "nope.wav")
    with pytest.raises(InputError, match="Cannot read"):
        open_wav(tmp_path)
