"""`os1 compose DESCRIPTION`: a piano piece (and lyrics) that captures a moment."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from os1.app import App
from os1.cli.lines import say
from os1.errors import InputError
from os1.music.mood import read_words
from os1.music.plan import parse_length
from os1.music.studio import Made, Studio, explain
from os1.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    compose = sub.add_parser(
        "compose", help="compose a piano piece about a moment, write MIDI and audio"
    )
    compose.add_argument(
        "about", nargs="*", help='the moment, e.g. "the beach, Sunday, a little sad"'
    )
    compose.add_argument("--out", metavar="FILE.wav", help="write FILE.wav (and .mid, .ogg) here")
    compose.add_argument("--seed", type=int, help="the same seed gives the same piece")
    compose.add_argument("--length", metavar="TIME", help="90, 90s, 2m or 1:30 (20 s to 10 min)")
    compose.add_argument("--lyrics", action="store_true", help="also write lyrics to the tune")
    compose.add_argument("--explain", action="store_true", help="say why, choice by choice")
    compose.add_argument("--play", action="store_true", help="play it when it is written")
    compose.add_argument(
        "--from-conversation",
        action="store_true",
        help="let what you said in the last hour colour the mood",
    )
    compose.set_defaults(handler=run_compose)


def run_compose(args: argparse.Namespace, settings: Settings) -> int:
    about = " ".join(args.about)
    if not about.strip():
        raise InputError(
            "Tell me what the piece is about.",
            'e.g. os1 compose "the beach, Sunday afternoon, a little sad and happy"',
        )
    seconds = parse_length(args.length) if args.length else None
    return asyncio.run(_compose(App(settings), args, about, seconds))


async def _compose(app: App, args: argparse.Namespace, about: str, seconds: float | None) -> int:
    try:
        memory = app.memory()
        studio = Studio(app.settings, memory)
        conversation = studio.recent_conversation() if args.from_conversation else []
        if args.lyrics or read_words(about, conversation).source == "neutral":
            studio.mind = app.mind  # the model is loaded only when it has work to do
        out = Path(args.out).expanduser() if args.out else None
        say("Composing\u2026")
        made = await studio.compose(
            about,
            seed=args.seed,
            seconds=seconds,
            out=out,
            lyrics=args.lyrics,
            conversation=conversation,
        )
        _report(made, args.explain)
        if made.problem:
            say(f"os1: {made.problem}")
            return 1
        if args.play and made.rendered:
            _play(studio, made)
        return 0
    finally:
        await app.aclose()


def _report(made: Made, detailed: bool) -> None:
    plan = made.plan
    minutes, seconds = divmod(round(made.seconds), 60)
    print(
        f"\u201c{made.title}\u201d: {plan.key.name}, {plan.meter}/4, {plan.tempo} beats a minute,"
        f" {minutes}:{seconds:02d} (seed {plan.seed})"
    )
    reasons = explain(made)
    shown = (
        reasons
        if detailed
        else [r for r in reasons if r.startswith(("I ", "No ", "Mode", "Key", "Tempo"))]
    )
    for line in shown:
        print(f"  {line}")
    for sung in made.lyrics:
        print(f"  \u266a {sung.text}   ({sung.counted}/{sung.target} syllables, {sung.fit})")
    files = [str(made.midi)]
    if made.rendered:
        files.append(
            f"{made.rendered.wav} ({made.rendered.seconds:.0f} s of audio,"
            f" rendered in {made.rendered.render_seconds:.1f} s)"
        )
        if made.rendered.ogg:
            files.append(str(made.rendered.ogg))
    if made.lyrics_path:
        files.append(str(made.lyrics_path))
    print(f"Wrote {', '.join(files)}.")
    print(f"I'll remember it as piece {made.id}; `os1 music play {made.id}` plays it again.")


def _play(studio: Studio, made: Made) -> None:
    assert made.rendered is not None
    player = studio.player()
    if player is None:
        say(f"There is no sound device here to play it on; it is at {made.rendered.wav}.")
        return
    say(f"Playing through {player.description} (Ctrl-C stops)\u2026")
    player.play(made.rendered.wav)
    studio.pieces.played(made.id)
