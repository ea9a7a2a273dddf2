"""`os1 music list|play|lyrics|forget`: the pieces OS1 wrote, played again; lyrics for
your own song."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from os1.app import App
from os1.cli.lines import say
from os1.errors import InputError
from os1.music.song import chord_sheet, write_song
from os1.music.studio import Studio
from os1.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    music = sub.add_parser("music", help="pieces OS1 wrote: list, play again, lyrics, forget")
    actions = music.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="the pieces, newest first")
    play = actions.add_parser("play", help='play a piece again: a number or words ("beach")')
    play.add_argument("which", nargs="*", help="piece number or what it was about (default: last)")
    lyrics = actions.add_parser("lyrics", help="lyrics for your own song, from chords and a theme")
    lyrics.add_argument("--chords", required=True, help='"C G Am F | C G F C": a line per row')
    lyrics.add_argument("--theme", required=True, help="what the song is about")
    lyrics.add_argument("--per-chord", type=int, default=2, help="syllables under each chord")
    lyrics.add_argument("--out", metavar="FILE", help="also write the chord sheet to FILE")
    forget = actions.add_parser("forget", help="forget a piece (its audio files stay)")
    forget.add_argument("id", type=int)
    forget.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    music.set_defaults(handler=run_music)


def run_music(args: argparse.Namespace, settings: Settings) -> int:
    app = App(settings)
    studio = Studio(settings, app.memory())
    if args.action == "list":
        for piece in studio.pieces.recent(100):
            key = piece.plan.get("key", "lyrics") if piece.kind == "piano" else "lyrics"
            print(f"{piece.id}\t{piece.created_at[:10]}\t{key}\t{piece.title}")
        if not studio.pieces.recent(1):
            say('No pieces yet. Try: os1 compose "the beach, Sunday afternoon"')
        return 0
    if args.action == "play":
        return asyncio.run(_play(studio, " ".join(args.which)))
    if args.action == "forget":
        return _forget(studio, args.id, args.yes)
    return asyncio.run(_lyrics(app, studio, args))


async def _play(studio: Studio, which: str) -> int:
    piece = studio.find(which)
    audio = await studio.audio_of(piece)
    player = studio.player()
    if player is None:
        say(
            f"\u201c{piece.title}\u201d: there is no sound device here to play it on;"
            f" it is at {audio}."
        )
        return 0
    say(f"Playing \u201c{piece.title}\u201d through {player.description} (Ctrl-C stops)\u2026")
    player.play(audio)
    studio.pieces.played(piece.id)
    return 0


def _forget(studio: Studio, piece_id: int, assume_yes: bool) -> int:
    piece = studio.pieces.get(piece_id)
    if piece is None:
        raise InputError(f"There is no piece {piece_id}.", "See `os1 music list`.")
    if not assume_yes:
        if not sys.stdin.isatty():
            raise InputError("Forgetting needs your explicit yes.", "Run it again with --yes.")
        if input(
            f"Forget piece {piece_id}, \u201c{piece.title}\u201d? [y/N] "
        ).strip().lower() not in ("y", "yes"):
            say("Kept it.")
            return 0
    studio.pieces.forget(piece_id)
    say(f"Forgotten: piece {piece_id}.")
    return 0


async def _lyrics(app: App, studio: Studio, args: argparse.Namespace) -> int:
    try:
        song = await write_song(app.mind, args.chords, args.theme, args.per_chord)
        sheet = chord_sheet(song)
        print(sheet, end="")
        for number, item in enumerate(song, start=1):
            say(
                f"line {number}: {item.line.counted}/{item.line.target} syllables ({item.line.fit})"
            )
        studio.pieces.add(
            kind="song", title=args.theme[:60], about=args.theme, seed=0, midi=None,
            lyrics=sheet, context=args.chords,
        )  # fmt: skip
        if args.out:
            try:
                Path(args.out).write_text(sheet, encoding="utf-8")
            except OSError as exc:
                raise InputError(f"Cannot write {args.out}: {exc.strerror}.") from exc
        return 0
    finally:
        await app.aclose()
