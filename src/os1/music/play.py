"""Playing a rendered piece through the speakers, with whatever this machine has.

PipeWire (`pw-play`) or PulseAudio (`paplay`) when their server is running, else ALSA's
`aplay` when there is a sound card. With none of them OS1 says where the file is.
`OS1_SOUND_DEVICE` picks an ALSA device by name (`default`, `hw:0`, `null`), or `none`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from os1.errors import OS1Error


@dataclass(frozen=True)
class Player:
    description: str  # said to the user: what plays it, and where
    command: tuple[str, ...]

    def start(self, audio: Path) -> subprocess.Popen[bytes]:
        """Start playing; the caller waits for it, or lets it play on."""
        try:
            return subprocess.Popen(
                [*self.command, str(audio)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        except OSError as exc:
            raise OS1Error(f"Could not start {self.command[0]}: {exc.strerror}.") from exc

    def play(self, audio: Path) -> None:
        """Play to the end (Ctrl-C stops it)."""
        process = self.start(audio)
        try:
            _, error = process.communicate()
        except BaseException:
            process.terminate()
            process.wait(timeout=5)
            raise
        if process.returncode != 0:
            detail = error.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no reason"]
            raise OS1Error(
                f"{self.command[0]} could not play {audio.name} ({detail[0]}).",
                f"The file is at {audio}.",
            )


def find_player(device: str = "", env: dict[str, str] | None = None) -> Player | None:
    """The way to reach the speakers here, or None when this machine has no sound device."""
    env = dict(os.environ) if env is None else env
    if device == "none":
        return None
    if device:
        return _aplay(device)
    runtime = Path(env.get("XDG_RUNTIME_DIR", f"/run/user/{os.getuid()}"))
    if shutil.which("pw-play") and (runtime / "pipewire-0").exists():
        return Player("PipeWire (pw-play)", ("pw-play",))
    pulse = env.get("PULSE_SERVER") or (runtime / "pulse" / "native").exists()
    if shutil.which("paplay") and pulse:
        return Player("PulseAudio (paplay)", ("paplay",))
    if shutil.which("aplay") and has_sound_card():
        return _aplay("default")
    return None


def _aplay(device: str) -> Player | None:
    if not shutil.which("aplay"):
        return None
    return Player(f"ALSA (aplay, device {device})", ("aplay", "-q", "-D", device))


def has_sound_card(cards: Path = Path("/proc/asound/cards")) -> bool:
    try:
        listing = cards.read_text(errors="replace")
    except OSError:
        return False
    return bool(listing.strip()) and "no soundcards" not in listing
