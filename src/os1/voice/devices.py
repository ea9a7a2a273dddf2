"""Where sound comes from and goes: files (paced like a microphone), or a real sound card.

Both run in 16 ms blocks and hand the session each block of microphone audio together
with what the speaker played meanwhile (the echo canceller's reference).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from os1.errors import ConfigError, InputError
from os1.voice.audio import SPEECH_RATE, Resampler, Samples, WavWriter, blocks, open_wav

if TYPE_CHECKING:
    from os1.voice.session import VoiceSession

BLOCK_SECONDS = 0.016
MAX_FILE_SECONDS = 300.0
_DRAIN_LIMIT = 300.0  # seconds after a file ends that OS1 may still take to answer
_NO_DEVICE = "Use files instead: os1 talk --in question.wav --out reply.wav"


@dataclass(frozen=True)
class Room:
    """A simulated room for tests and benchmarks: the speaker's sound comes back into the
    microphone through `echo` (an impulse response at 16 kHz), plus a little noise."""

    echo: Samples
    noise: float = 0.0005


class FileDevice:
    """Reads the user's side from a WAV file at the pace of a real microphone, then
    silence until OS1 has answered; writes what OS1 said to `out` (if given). Once the
    file has ended the reply plays as fast as it comes, unless `fast_reply` is False
    (a listener's pace, as benchmarks of a whole conversation need)."""

    def __init__(
        self,
        source: Path,
        out: Path | None = None,
        rate: int = 22_050,
        room: Room | None = None,
        max_seconds: float = MAX_FILE_SECONDS,
        fast_reply: bool = True,
    ) -> None:
        self.rate = rate
        self.fast_reply = fast_reply  # False: play the reply at speaking pace to the end
        self._source, self._out, self._room = source, out, room
        self._fh, self.info = open_wav(source)
        if self.info.seconds > max_seconds:
            self._fh.close()
            raise InputError(
                f"{source} is {self.info.seconds / 60:.0f} minutes long; os1 talk listens to "
                f"at most {max_seconds / 60:.0f} minutes from a file.",
                f"Cut out the question first (for example: sox {source} short.wav trim 0 60).",
            )
        self.started = 0.0  # wall clock time of the file's first sample
        self._played16 = np.zeros(0, np.float32)
        self._rng = np.random.default_rng(7)

    def _user_blocks(self) -> Iterator[Samples]:
        step = int(SPEECH_RATE * BLOCK_SECONDS)
        resampler = Resampler(self.info.rate, SPEECH_RATE)
        pending = np.zeros(0, np.float32)
        for raw in blocks(self._fh, self.info, max(1, int(self.info.rate * 0.25))):
            pending = np.concatenate([pending, resampler.feed(raw)])
            while len(pending) >= step:
                yield pending[:step]
                pending = pending[step:]
        tail = np.concatenate([pending, resampler.feed(np.zeros(0, np.float32), final=True)])
        if len(tail):
            yield np.pad(tail, (0, max(0, step - len(tail))))[:step]

    async def run(self, session: VoiceSession) -> None:
        writer = WavWriter(self._out, self.rate) if self._out else None
        try:
            await self._loop(session, writer)
        finally:
            self._fh.close()
            if writer is not None:
                writer.close()

    async def _loop(self, session: VoiceSession, writer: WavWriter | None) -> None:
        step = int(SPEECH_RATE * BLOCK_SECONDS)
        out_step = self.rate * BLOCK_SECONDS
        to16 = Resampler(self.rate, SPEECH_RATE)
        silence = np.zeros(step, np.float32)
        user = self._user_blocks()
        self.started = time.perf_counter()
        at, ended_at = self.started, None
        quiet, owed = 0, 0.0
        while True:
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            session.check()
            mic = next(user, None)
            if mic is None:
                mic = silence
                ended_at = ended_at or at
            owed += out_step
            played, real = session.player.pull(int(owed))
            owed -= len(played)
            if writer is not None and real:
                writer.write(played[:real])
            played16 = _fit(to16.feed(played), step)
            session.capture(self._with_echo(mic, played16), played16, at)
            quiet = quiet + 1 if ended_at and session.idle() else 0
            if quiet * BLOCK_SECONDS >= 0.5 or (ended_at and at - ended_at > _DRAIN_LIMIT):
                return
            # Once the file has ended and the user's last turn is over, nobody can speak
            # over OS1 any more: play the rest of its reply as fast as it comes.
            fast = ended_at and not session.listener.in_turn and session.player.playing
            fast = fast and self.fast_reply
            at = time.perf_counter() if fast else at + BLOCK_SECONDS

    def _with_echo(self, mic: Samples, played: Samples) -> Samples:
        if self._room is None:
            return mic
        taps = len(self._room.echo)
        self._played16 = np.concatenate([self._played16, played])[-(taps + len(played)) :]
        echo = np.convolve(self._played16, self._room.echo)[len(self._played16) - len(played) :]
        noise = self._rng.standard_normal(len(mic)).astype(np.float32) * self._room.noise
        return (mic + echo[: len(mic)] + noise).astype(np.float32)


def _fit(samples: Samples, count: int) -> Samples:
    if len(samples) >= count:
        return samples[:count]
    return np.pad(samples, (0, count - len(samples)))


class SoundDevice:
    """The default microphone and speaker through PortAudio (sounddevice), full duplex."""

    def __init__(self, rate: int = 48_000) -> None:
        self.rate = rate
        self._sd = _sounddevice()

    async def run(self, session: VoiceSession) -> None:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[Samples, Samples, float]] = asyncio.Queue()
        frames = int(self.rate * BLOCK_SECONDS)

        def callback(indata: Any, outdata: Any, count: int, _time: Any, _status: Any) -> None:
            played, _ = session.player.pull(count)
            outdata[:, 0] = played
            item = (indata[:, 0].astype(np.float32), played, time.perf_counter())
            loop.call_soon_threadsafe(queue.put_nowait, item)

        try:
            stream = self._sd.Stream(
                samplerate=self.rate,
                blocksize=frames,
                channels=1,
                dtype="float32",
                latency="low",
                callback=callback,
            )
        except Exception as exc:
            raise ConfigError(f"The sound card refused to open ({exc}).", _NO_DEVICE) from exc
        mic16, ref16 = Resampler(self.rate, SPEECH_RATE), Resampler(self.rate, SPEECH_RATE)
        with stream:
            while True:
                mic, played, at = await queue.get()
                session.check()
                session.capture(mic16.feed(mic), ref16.feed(played), at)


def _sounddevice() -> Any:
    try:
        import sounddevice
    except ImportError as exc:
        raise ConfigError(
            "Talking out loud needs sounddevice.", "Run: .venv/bin/pip install sounddevice==0.5.6"
        ) from exc
    except OSError as exc:  # the PortAudio library itself is missing
        raise ConfigError(
            "No sound system found (the PortAudio library is missing).",
            f"Install it with: sudo apt-get install libportaudio2. Or: {_NO_DEVICE}",
        ) from exc
    try:
        sounddevice.query_devices(kind="input")
        sounddevice.query_devices(kind="output")
    except Exception as exc:
        raise ConfigError("No microphone or speaker found.", _NO_DEVICE) from exc
    return sounddevice
