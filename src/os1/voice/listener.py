"""The listening stages: taking OS1's echo out, then finding the user's turns in the rest.

`EchoStage` turns device blocks into echo-free audio. `Listener` runs voice activity
detection window by window, transcribes at the first pause (turns.py), ends turns, and
notices the user speaking over OS1: then it calls `on_barge_in` at once, which silences
OS1 through `Pipeline.interrupt`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Awaitable, Callable

import numpy as np

from os1.voice.audio import SPEECH_RATE, Samples
from os1.voice.echo import BLOCK, EchoCanceller
from os1.voice.frames import Captured, Heard, UserTurn
from os1.voice.processors import Processor
from os1.voice.stt import Transcriber
from os1.voice.turns import TurnPolicy, turn_is_over
from os1.voice.vad import WINDOW, WINDOW_SECONDS, SileroVAD

_START = 3  # windows of speech (96 ms) that start a turn, or interrupt OS1
_THRESHOLD = 0.5
_RELEASE = 0.35  # below this a window is silence again (hysteresis)
_PRE_ROLL = 10  # windows (320 ms) kept from before the voice started
_TAIL = 6  # windows of silence (192 ms) kept after it stopped
# After a turn ends, its transcript reaches the companion, which then holds the engine
# itself; until then (the pause's transcript is usually ready) the listener holds it.
_HANDOVER = 1.0


class EchoStage(Processor):
    """Removes what the speaker played from what the microphone heard."""

    name = "echo"

    def __init__(self, user_speaking: Callable[[], bool]) -> None:
        super().__init__()
        self.canceller = EchoCanceller()
        self._user_speaking = user_speaking
        self._mic = np.zeros(0, np.float32)
        self._ref = np.zeros(0, np.float32)

    async def handle(self, frame: object) -> None:
        assert isinstance(frame, Captured)
        at = frame.at - len(self._mic) / SPEECH_RATE
        self._mic = np.concatenate([self._mic, frame.mic])
        self._ref = np.concatenate([self._ref, frame.played])
        while len(self._mic) >= BLOCK and len(self._ref) >= BLOCK:
            mic, self._mic = self._mic[:BLOCK], self._mic[BLOCK:]
            ref, self._ref = self._ref[:BLOCK], self._ref[BLOCK:]
            residual = self.canceller.process(mic, ref, self._user_speaking())
            await self.push(Heard(residual, at, self.canceller.louder))
            at += BLOCK / SPEECH_RATE


class Listener(Processor):
    """Voice activity -> turns; speech over OS1's voice -> an interruption."""

    name = "listener"

    def __init__(
        self,
        transcriber: Transcriber,
        policy: TurnPolicy,
        os1_talking: Callable[[], bool],
        on_barge_in: Callable[[float], Awaitable[None]],
        vad: SileroVAD | None = None,
    ) -> None:
        super().__init__()
        self.vad = vad or SileroVAD()
        self.policy = policy
        self._transcriber = transcriber
        self._os1_talking = os1_talking
        self._on_barge_in = on_barge_in
        self._pending = np.zeros(0, np.float32)
        self._pre: deque[Samples] = deque(maxlen=_PRE_ROLL)
        self._speech: list[Samples] = []
        self._streak = 0  # consecutive speech windows
        self._silent = 0  # consecutive silent windows since the voice stopped
        self._voiced = 0  # speech windows in this turn
        self.in_turn = False
        self._last_voice = 0.0
        self._guess: asyncio.Task[str] | None = None
        self._guess_len = 0
        self._ended = -_HANDOVER

    @property
    def user_speaking(self) -> bool:
        return self.in_turn and self._silent == 0

    def wants_engine(self) -> bool:
        """The user is speaking a turn, or it is on its way to the companion: the
        companion's background work gives way from the first words."""
        return self.in_turn or time.perf_counter() - self._ended < _HANDOVER

    async def handle(self, frame: object) -> None:
        assert isinstance(frame, Heard)
        self._pending = np.concatenate([self._pending, frame.audio])
        offset = 0
        while len(self._pending) - offset >= WINDOW:
            window = self._pending[offset : offset + WINDOW]
            at = frame.at + (offset - (len(self._pending) - len(frame.audio))) / SPEECH_RATE
            await self._window(window, at + WINDOW_SECONDS, frame.echo_free)
            offset += WINDOW
        self._pending = self._pending[offset:]

    async def _window(self, window: Samples, end: float, echo_free: bool) -> None:
        probability = self.vad.probability(window)
        voiced = probability >= (_RELEASE if self.in_turn and self._silent == 0 else _THRESHOLD)
        voiced = voiced and echo_free  # OS1's own voice is not the user's
        self._streak = self._streak + 1 if voiced else 0
        if not self.in_turn:
            self._pre.append(window)
            if self._streak >= _START:
                await self._begin(end)
            return
        self._speech.append(window)
        if voiced:
            self._voiced += 1
            self._silent = 0
            self._last_voice = end
            self._drop_guess()
            return
        self._silent += 1
        await self._maybe_end()

    async def _begin(self, end: float) -> None:
        if self._os1_talking():
            await self._on_barge_in(time.perf_counter())
        self.in_turn = True
        self._speech = list(self._pre)
        self._pre.clear()
        self._voiced = self._streak
        self._silent = 0
        self._last_voice = end

    async def _maybe_end(self) -> None:
        silence = self._silent * WINDOW_SECONDS
        if self._guess is None and silence >= self.policy.pause and self.policy.fixed is None:
            self._guess_len = len(self._speech)
            audio = np.concatenate(self._speech)
            self._guess = asyncio.get_running_loop().create_task(
                self._transcriber.transcribe(audio)
            )
        guess = self._guess_text()
        too_long = len(self._speech) * WINDOW_SECONDS >= self.policy.max_turn
        if turn_is_over(self.policy, silence, guess) or too_long:
            await self._end()

    def _guess_text(self) -> str | None:
        if self._guess is None or not self._guess.done():
            return None
        if self._guess.cancelled() or self._guess.exception() is not None:
            return None
        return self._guess.result()

    async def _end(self) -> None:
        speech = self._speech[: len(self._speech) - max(0, self._silent - _TAIL)]
        self.in_turn = False
        self._ended = time.perf_counter()
        self._pre.clear()
        self._speech = []
        long_enough = self._voiced * WINDOW_SECONDS >= self.policy.min_speech
        # The pause's transcription heard this same audio (no voice since): hand it on,
        # finished or not, rather than transcribing again.
        early, self._guess = self._guess, None
        if long_enough:
            turn = UserTurn(np.concatenate(speech), self._last_voice, time.perf_counter(), early)
            await self.push(turn)
        elif early is not None:
            early.add_done_callback(_quietly)

    def _drop_guess(self) -> None:
        guess, self._guess = self._guess, None
        if guess is not None:
            guess.add_done_callback(_quietly)

    async def reset(self) -> None:
        if self._guess is not None:
            self._guess.cancel()
            with contextlib.suppress(BaseException):
                await self._guess
            self._guess = None


def _quietly(task: asyncio.Task[str]) -> None:
    """A guess nobody waits for any more: its result or error is dropped on purpose."""
    if not task.cancelled():
        task.exception()
