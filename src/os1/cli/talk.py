"""`os1 talk`: the conversation out loud, through the microphone and speaker, or files."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from os1.app import App, build_voice
from os1.cli.lines import CORAL, paint, say
from os1.errors import ConfigError, InputError, OS1Error
from os1.settings import STT_CHOICES, TTS_CHOICES, Settings
from os1.voice.frames import TurnTimings

if TYPE_CHECKING:
    from os1.voice.session import VoiceSession

log = logging.getLogger(__name__)


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    talk = sub.add_parser("talk", help="talk out loud (microphone and speaker, or WAV files)")
    talk.add_argument("--in", dest="source", type=Path, help="a WAV file to listen to")
    talk.add_argument("--out", type=Path, help="where to write OS1's spoken reply (WAV)")
    talk.add_argument("--stt", choices=STT_CHOICES, help="speech-to-text model (default base)")
    talk.add_argument("--tts", choices=TTS_CHOICES, help="voice: auto, piper or espeak")
    talk.set_defaults(handler=run_talk)


class _Printer:
    """Shows the spoken conversation as text while it happens."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._open = False

    def __call__(self, kind: str, text: str) -> None:
        out = sys.stdout
        if kind == "user":
            print(f"you \u203a {text}", flush=True)
        elif kind == "delta":
            if not self._open:
                out.write(paint(f"{self._name} \u203a ", CORAL, out))
                self._open = True
            out.write(text)
            out.flush()
        elif kind == "note":  # said unasked: urgent mail
            self._end()
            print(paint(f"{self._name} \u203a ", CORAL, sys.stdout) + text, flush=True)
        elif kind in ("done", "interrupted"):
            self._end()
            if kind == "interrupted":
                say(f"(you spoke over me; you heard: \u201c{text}\u201d)")
        else:
            self._end()
            say(text if kind == "notice" else f"os1: {text}")

    def _end(self) -> None:
        if self._open:
            print(flush=True)
            self._open = False


def timing_line(timing: TurnTimings) -> str:
    stages = timing.stages()
    stt = "during the pause" if timing.speculative else "after the turn"
    model = stages["model_words"]
    # A reply opened with OS1's own small word ("Oh."): when the model's words came too.
    own = f" (the model's {model:.2f} s)" if model > stages["first_text"] else ""
    return (
        f"(timings: turn over {stages['endpoint']:.2f} s \u00b7 speech-to-text "
        f"{stages['speech_to_text']:.2f} s ({stt}) \u00b7 first words {stages['first_text']:.2f} s"
        f"{own} \u00b7 first sound {stages['first_audio']:.2f} s \u00b7 total "
        f"{stages['total']:.2f} s from the end of your speech)"
    )


def _check(args: argparse.Namespace) -> None:
    if args.out is not None and args.source is None:
        raise InputError("--out needs --in.", "Use: os1 talk --in question.wav --out reply.wav")
    if args.source is not None and args.out is None:
        raise InputError("--in needs --out.", "Use: os1 talk --in question.wav --out reply.wav")


async def _talk(app: App, args: argparse.Namespace) -> int:
    from os1.voice.devices import FileDevice, SoundDevice
    from os1.voice.session import Device, VoiceSession

    persona = app.persona()
    if persona is None:
        raise ConfigError("OS1 has not been set up yet.", "Run `os1 setup` first.")
    device: Device = FileDevice(args.source, args.out) if args.source else SoundDevice()
    parts = await asyncio.to_thread(build_voice, app.settings, persona.voice)
    for notice in parts.notices:
        say(notice)
    # A file is one conversation that ends with it: no next turn to read ahead for.
    companion = app.companion(read_ahead=args.source is None)
    await app.mind.start()
    for notice in app.mind.info.notices:
        say(notice)
    session = VoiceSession(companion, parts, device.rate, say=_Printer(persona.name))
    speaking_up: asyncio.Task[None] | None = None
    try:
        await session.start()
        if args.source is None:
            say("(listening; Ctrl-C leaves)")
            speaking_up = asyncio.get_running_loop().create_task(_speak_up(app, session))
        await device.run(session)
        session.finish_timings()
        await companion.settle()
    finally:
        if speaking_up is not None:
            speaking_up.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await speaking_up
        await session.stop()
    return _report(session.turns, args.source)


async def _speak_up(app: App, session: VoiceSession) -> None:
    """While the microphone is open: sync mail now and then, and say urgent notes aloud
    when nobody is talking (quiet hours hold them, as in the typed conversation)."""
    mail, episodes = app.mail(), app.memory().episodes
    while True:
        try:
            await asyncio.to_thread(mail.sync_when_due)
            session.say_due(mail.notes, episodes)
        except OS1Error as exc:
            log.warning("background mail check skipped: %s", type(exc).__name__)
        await asyncio.sleep(2.0)


def _report(turns: list[TurnTimings], source: Path | None) -> int:
    answered = [t for t in turns if t.first_audio]
    for timing in answered:
        say(timing_line(timing))
    if source is not None and not turns:
        raise InputError(f"I heard no speech in {source}.", "Record the question again, louder.")
    if source is not None and not answered:
        raise InputError(f"I couldn't make out any words in {source}.", "Record it again.")
    return 0


async def _run(app: App, args: argparse.Namespace) -> int:
    try:
        return await _talk(app, args)
    finally:
        await app.aclose()


def run_talk(args: argparse.Namespace, settings: Settings) -> int:
    _check(args)
    settings = replace(
        settings, stt_model=args.stt or settings.stt_model, tts=args.tts or settings.tts
    )
    return asyncio.run(_run(App(settings), args))
