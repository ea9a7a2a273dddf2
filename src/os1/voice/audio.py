"""Audio in and out as plain arrays: reading any PCM or float WAV, resampling, writing.

Everything inside voice works on mono float32 arrays in [-1, 1]. Speech-to-text and voice
activity detection hear 16 kHz; text-to-speech speaks at its own rate; a device runs at
its own. WAV files are parsed here (not with `wave`) so that 24-bit, float and
WAVE_FORMAT_EXTENSIBLE files work, a file that ends early still gives what it holds,
and a long file is read block by block in bounded memory.
"""

from __future__ import annotations

import io
import struct
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from os1.errors import InputError

Samples = npt.NDArray[np.float32]
SPEECH_RATE = 16_000  # what voice activity detection and speech-to-text hear
_PCM, _FLOAT, _EXTENSIBLE = 1, 3, 0xFFFE
_MAX_HEADER_CHUNKS = 64
_SAVE_AS = "Save it as a PCM WAV file (for example: sox input.mp3 -b 16 output.wav)."


@dataclass(frozen=True)
class WavInfo:
    """What a WAV header says, and where its samples start."""

    rate: int
    channels: int
    width: int  # bytes per sample
    floating: bool
    data_offset: int
    frames: int  # sample frames actually present (a header may promise more)

    @property
    def seconds(self) -> float:
        return self.frames / self.rate


def _bad(name: str, what: str, hint: str = _SAVE_AS) -> InputError:
    return InputError(f"{name} {what}.", hint)


def _read_fmt(body: bytes, name: str) -> tuple[int, int, int, bool]:
    if len(body) < 16:
        raise _bad(name, "has a damaged WAV header")
    tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", body[:16])
    if tag == _EXTENSIBLE and len(body) >= 26:
        tag = struct.unpack("<H", body[24:26])[0]
    if tag not in (_PCM, _FLOAT):
        raise _bad(name, f"uses an audio encoding OS1 cannot read (format {tag:#06x})")
    width = bits // 8
    floating = tag == _FLOAT
    if bits % 8:
        raise _bad(name, f"uses {bits}-bit samples, which OS1 cannot read")
    if channels < 1 or not 1000 <= rate <= 384_000:
        raise _bad(name, f"has an impossible WAV header ({channels} channels at {rate} Hz)")
    if (floating and width not in (4, 8)) or (not floating and width not in (1, 2, 3, 4)):
        raise _bad(name, f"uses {bits}-bit samples, which OS1 cannot read")
    return rate, channels, width, floating


def wav_info(fh: BinaryIO, size: int, name: str = "The audio") -> WavInfo:
    """Parse a RIFF/WAVE header from `fh` (positioned at 0) of `size` bytes."""
    head = fh.read(12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise _bad(name, "is not a WAV file")
    fmt: tuple[int, int, int, bool] | None = None
    for _ in range(_MAX_HEADER_CHUNKS):
        chunk = fh.read(8)
        if len(chunk) < 8:
            break
        kind, length = chunk[:4], struct.unpack("<I", chunk[4:])[0]
        if kind == b"fmt ":
            fmt = _read_fmt(fh.read(length), name)
            fh.seek(length % 2, io.SEEK_CUR)
        elif kind == b"data":
            if fmt is None:
                raise _bad(name, "has its audio before its format (a damaged WAV file)")
            rate, channels, width, floating = fmt
            offset = fh.tell()
            present = min(length, max(0, size - offset))  # streamed headers over-promise
            frames = present // (channels * width)
            if frames == 0:
                raise _bad(name, "holds no audio (it is empty or cut off)", "Record it again.")
            return WavInfo(rate, channels, width, floating, offset, frames)
        else:
            fh.seek(length + length % 2, io.SEEK_CUR)
    raise _bad(
        name, "is cut off before its audio starts (a truncated WAV file)", "Record it again."
    )


def decode(raw: bytes, info: WavInfo) -> Samples:
    """Interleaved sample bytes to mono float32 in [-1, 1] (channels averaged)."""
    usable = len(raw) - len(raw) % (info.width * info.channels)
    raw = raw[:usable]
    if info.floating:
        data = np.frombuffer(raw, "<f4" if info.width == 4 else "<f8").astype(np.float32)
        data = np.nan_to_num(np.clip(data, -1.0, 1.0))
    elif info.width == 1:
        data = (np.frombuffer(raw, np.uint8).astype(np.float32) - 128.0) / 128.0
    elif info.width == 3:
        bytes3 = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int32)
        ints = bytes3[:, 0] | (bytes3[:, 1] << 8) | (bytes3[:, 2] << 16)
        ints = np.where(ints >= 1 << 23, ints - (1 << 24), ints)
        data = ints.astype(np.float32) / float(1 << 23)
    else:
        kind, scale = ("<i2", 32768.0) if info.width == 2 else ("<i4", 2147483648.0)
        data = np.frombuffer(raw, kind).astype(np.float32) / scale
    if info.channels > 1:
        data = data.reshape(-1, info.channels).mean(axis=1)
    return data.astype(np.float32, copy=False)


def open_wav(path: Path) -> tuple[BinaryIO, WavInfo]:
    """Open a WAV file for block reading; a clear InputError for anything else."""
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        raise InputError(f"There is no file {path}.", "Check the path.") from None
    except (IsADirectoryError, PermissionError, OSError) as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror}.", "Check the path.") from exc
    try:
        size = path.stat().st_size
        return fh, wav_info(fh, size, str(path))
    except BaseException:
        fh.close()
        raise


def blocks(fh: BinaryIO, info: WavInfo, frames_per_block: int) -> Iterator[Samples]:
    """The file's audio as mono float32 blocks at its own rate, in bounded memory."""
    fh.seek(info.data_offset)
    left = info.frames
    step = info.channels * info.width
    while left > 0:
        raw = fh.read(min(left, frames_per_block) * step)
        if not raw:
            return
        left -= len(raw) // step
        yield decode(raw, info)


def read_wav_bytes(data: bytes, name: str = "The audio") -> tuple[Samples, int]:
    """A whole WAV held in memory (an upload, a synthesizer's output): samples and rate."""
    info = wav_info(io.BytesIO(data), len(data), name)
    end = info.data_offset + info.frames * info.channels * info.width
    return decode(data[info.data_offset : end], info), info.rate


def speech_from_wav_bytes(data: bytes, name: str = "The audio") -> Samples:
    """WAV bytes as what speech-to-text hears: 16 kHz mono float32."""
    samples, rate = read_wav_bytes(data, name)
    return resample(samples, rate, SPEECH_RATE)


def resample(samples: Samples, source: int, target: int) -> Samples:
    """Resample a whole signal (see `Resampler` for streams)."""
    return Resampler(source, target).feed(samples, final=True)


class Resampler:
    """Streaming resampler: a windowed-sinc low-pass, then linear interpolation.

    Good enough for speech (the low-pass removes what would alias) and cheap; state is
    carried between blocks so a stream resamples the same as the whole signal would.
    """

    _TAPS = 31

    def __init__(self, source: int, target: int) -> None:
        self.source, self.target = source, target
        cutoff = min(source, target) / 2 * 0.9 / source  # cycles per input sample
        n = np.arange(self._TAPS) - (self._TAPS - 1) / 2
        taps = 2 * cutoff * np.sinc(2 * cutoff * n) * np.hamming(self._TAPS)
        self._taps = (taps / taps.sum()).astype(np.float32)
        self._history = np.zeros(self._TAPS - 1, np.float32)
        self._filtered = np.zeros(0, np.float32)  # filtered samples not yet used up
        self._dropped = 0  # filtered samples before the start of `_filtered`
        self._emitted = 0  # output samples given out so far

    def feed(self, block: Samples, final: bool = False) -> Samples:
        if self.source == self.target:
            return block.astype(np.float32, copy=False)
        padded = np.concatenate([self._history, block.astype(np.float32, copy=False)])
        filtered = np.zeros(0, np.float32)
        if len(padded) >= self._TAPS:  # (numpy would swap the arguments otherwise)
            filtered = np.convolve(padded, self._taps, mode="valid").astype(np.float32)
        self._history = padded[len(padded) - (self._TAPS - 1) :]
        buffer = np.concatenate([self._filtered, filtered])
        # Output k sits at input position k * source / target; computed exactly each time.
        last = self._dropped + len(buffer) - (1 if final else 2)
        end = max(self._emitted, last * self.target // self.source + 1) if last >= 0 else 0
        where = np.arange(self._emitted, end) * self.source / self.target - self._dropped
        out: Samples = np.interp(where, np.arange(len(buffer)), buffer).astype(np.float32)
        self._emitted = end
        used = max(0, min(len(buffer), int(end * self.source // self.target) - self._dropped))
        self._filtered = buffer[used:]
        self._dropped += used
        return out


def to_int16(samples: Samples) -> npt.NDArray[np.int16]:
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype(np.int16)


def wav_bytes(samples: Samples, rate: int) -> bytes:
    """Mono 16-bit PCM WAV bytes (what the web page plays, what `--out` writes)."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(to_int16(samples).tobytes())
    return out.getvalue()


class WavWriter:
    """Writes mono 16-bit PCM to a file as it comes (the header is fixed on close)."""

    def __init__(self, path: Path, rate: int) -> None:
        try:
            self._wave = wave.open(str(path), "wb")  # noqa: SIM115 - closed in close()
        except OSError as exc:
            raise InputError(f"Cannot write {path}: {exc.strerror}.", "Check the path.") from exc
        self._wave.setnchannels(1)
        self._wave.setsampwidth(2)
        self._wave.setframerate(rate)
        self.rate = rate
        self.frames = 0

    def write(self, samples: Samples) -> None:
        self._wave.writeframes(to_int16(samples).tobytes())
        self.frames += len(samples)

    def close(self) -> None:
        self._wave.close()
