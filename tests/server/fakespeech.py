"""A fake behind OS1's own `Speech` seam (os1.server.speech): it reads the clip it is sent
as a real WAV file, and answers with what the test says was said; it speaks a tone."""

from __future__ import annotations

import array
import io
import math
import wave
from dataclasses import dataclass, field

from os1.errors import InputError

RATE = 16_000


@dataclass
class Clip:
    rate: int
    channels: int
    seconds: float
    rms: float  # 0..1 of full scale


@dataclass
class FakeSpeech:
    said: list[str] = field(default_factory=list)  # what each clip "says", in turn
    clips: list[Clip] = field(default_factory=list)
    spoken: list[tuple[str, str]] = field(default_factory=list)  # (text, voice)
    started: int = 0
    quiet: float = 0.005  # below this RMS a clip is silence, and says nothing

    async def start(self) -> None:
        self.started += 1

    async def transcribe(self, wav: bytes) -> str:
        clip = read_clip(wav)
        self.clips.append(clip)
        if clip.rms < self.quiet or not self.said:
            return ""
        return self.said.pop(0)

    async def speak(self, text: str, voice: str) -> bytes:
        self.spoken.append((text, voice))
        return tone(0.02 * len(text))


def read_clip(data: bytes) -> Clip:
    try:
        with wave.open(io.BytesIO(data)) as wav:
            rate, channels, width = wav.getframerate(), wav.getnchannels(), wav.getsampwidth()
            frames = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError) as exc:
        raise InputError("That recording is not a WAV file I can read.", "Record again.") from exc
    if width != 2:
        raise InputError("The recording must be 16-bit.", "Record again.")
    samples = array.array("h", frames)
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768 if samples else 0.0
    return Clip(rate, channels, len(samples) / channels / rate, rms)


def tone(seconds: float, rate: int = RATE, volume: float = 0.3) -> bytes:
    """A 440 Hz tone as a WAV file (or silence, with volume 0)."""
    count = int(seconds * rate)
    samples = array.array(
        "h", (int(volume * 32767 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(count))
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(samples.tobytes())
    return out.getvalue()
