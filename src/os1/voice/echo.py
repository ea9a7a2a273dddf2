"""Keeping OS1's own voice from interrupting OS1: an acoustic echo canceller.

The microphone hears the speaker. OS1 knows exactly what it played (the reference), so
it learns the path from speaker to microphone with a partitioned-block frequency-domain
NLMS filter (the classic MDF structure: 16 ms blocks, a 192 ms echo tail) and subtracts
its estimate. It also tracks how much echo is left after cancelling (`leak`, learned
only while OS1 talks and the residual is not the user), so the listener can ask whether
what remains is louder than OS1's own voice could be.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from os1.voice.audio import Samples

BLOCK = 256  # samples at 16 kHz: 16 ms
_PARTITIONS = 12  # 12 x 16 ms = a 192 ms echo tail
_STEP = 1.0
_QUIET = 1e-7  # mean square below which the reference counts as silent (-70 dBFS)

Spectrum = npt.NDArray[np.complex64]


class EchoCanceller:
    """Feed it microphone and reference blocks of BLOCK samples; get the mic minus echo."""

    def __init__(self) -> None:
        bins = BLOCK + 1
        self._weights = np.zeros((_PARTITIONS, bins), np.complex64)
        self._history = np.zeros((_PARTITIONS, bins), np.complex64)  # reference spectra
        self._previous = np.zeros(BLOCK, np.float32)  # last reference block
        self._power = np.full(bins, 1e-6, np.float32)
        self.leak = 1.0  # residual power / reference power while only OS1 speaks
        self.louder = True  # the latest block held more than OS1's echo
        self._recent = np.zeros(_PARTITIONS, np.float32)  # reference power per block
        self.reference_power = 0.0  # loudest reference block within the echo tail

    def process(self, mic: Samples, reference: Samples, user_may_speak: bool = False) -> Samples:
        """One block: the mic signal with the estimated echo removed.

        `user_may_speak` freezes learning, and so does a block louder than OS1's echo
        could be (double talk: adapting to the user's voice would teach the filter to
        cancel the user, and the leak to ignore them)."""
        frame = np.concatenate([self._previous, reference]).astype(np.float32)
        self._previous = reference.astype(np.float32, copy=True)
        spectrum = np.fft.rfft(frame).astype(np.complex64)
        self._history = np.roll(self._history, 1, axis=0)
        self._history[0] = spectrum
        estimate = np.fft.irfft((self._weights * self._history).sum(axis=0))[BLOCK:]
        residual = (mic - estimate).astype(np.float32)
        now = float(np.mean(reference**2))
        self._recent = np.roll(self._recent, 1)
        self._recent[0] = now
        self.reference_power = float(self._recent.max())
        self.louder = self.louder_than_echo(residual)
        if now > _QUIET and not user_may_speak:
            ratio = min(float(np.mean(residual**2)) / self.reference_power, 4.0)
            if self.louder:  # double talk, probably: learn nothing from it, or very slowly
                self.leak = 0.998 * self.leak + 0.002 * ratio
            else:
                self._adapt(residual, spectrum)
                self.leak = 0.9 * self.leak + 0.1 * ratio
        return residual

    def _adapt(self, residual: Samples, spectrum: Spectrum) -> None:
        error = np.fft.rfft(np.concatenate([np.zeros(BLOCK, np.float32), residual]))
        self._power = 0.9 * self._power + 0.1 * (np.abs(spectrum) ** 2).astype(np.float32)
        gain = _STEP * error / (_PARTITIONS * self._power + 1e-6)
        update = np.conj(self._history) * gain[None, :]
        # Constrain each partition to BLOCK taps (a linear, not circular, convolution).
        taps = np.fft.irfft(self._weights + update, axis=1)
        taps[:, BLOCK:] = 0.0
        self._weights = np.fft.rfft(taps, axis=1).astype(np.complex64)

    def louder_than_echo(self, residual: Samples, margin: float = 4.0) -> bool:
        """Whether `residual` is more than OS1's leftover echo could be (by `margin` in
        power): the user, not OS1, is making that sound."""
        if self.reference_power <= _QUIET:
            return True
        return float(np.mean(residual**2)) > margin * self.leak * self.reference_power
