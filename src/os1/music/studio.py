"""OS1's music, end to end: read the moment, choose, compose, write lyrics, write MIDI,
render, remember, play. The CLI and the skills both call this; neither holds logic."""

from __future__ import annotations

import asyncio
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from os1.errors import ConfigError, InputError, OS1Error
from os1.memory import Memory
from os1.mind.base import Mind
from os1.music.compose import compose
from os1.music.library import Pieces, StoredPiece
from os1.music.lyrics import Line, lyrics_for
from os1.music.midi import to_midi
from os1.music.mood import Mood, check_description, read_mood, read_words
from os1.music.plan import Plan, check_length, choose
from os1.music.play import Player, find_player
from os1.music.render import Rendered, RenderError, render, soundfont
from os1.settings import Settings

_RECENT = timedelta(hours=1)


@dataclass
class Made:
    """A piece just composed, and what became of it."""

    id: int
    title: str
    mood: Mood
    plan: Plan
    midi: Path
    seconds: float  # the music's length
    rendered: Rendered | None = None
    problem: str = ""  # why there is no audio (the MIDI is kept either way)
    lyrics: list[Line] = field(default_factory=list)
    lyrics_path: Path | None = None


def title_of(about: str) -> str:
    """'the beach, Sunday afternoon, a little sad' -> 'The beach, Sunday afternoon'."""
    parts = [p.strip() for p in re.split(r"[,.;:!?\u2014]| - ", about) if p.strip()]
    title = parts[0] if parts else about
    if len(title.split()) < 3 and len(parts) > 1:
        title = f"{title}, {parts[1]}"
    words = title.split()
    title = " ".join(words[:7]) + ("\u2026" if len(words) > 7 else "")
    return title[:1].upper() + title[1:]


def _titled(about: str, mood: Mood) -> str:
    """The title; "this moment" is named by what the conversation around it was about."""
    title = title_of(about)
    if mood.conversation_turns and read_words(about).source == "neutral" and mood.words:
        title += f": {', '.join(mood.words[:3])}"
    return title


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "piece"


class Studio:
    def __init__(self, settings: Settings, memory: Memory, mind: Mind | None = None) -> None:
        self.settings = settings
        self.memory = memory
        self.mind = mind
        self.pieces = Pieces(memory.store, memory.user_id)

    def recent_conversation(self) -> list[str]:
        """What the user said in the last hour, oldest first: part of the moment."""
        since = datetime.now(UTC) - _RECENT
        turns = [
            e.content
            for e in self.memory.episodes.listing(12)
            if e.role == "user" and datetime.fromisoformat(e.created_at) >= since
        ]
        return list(reversed(turns))[-6:]

    async def compose(
        self,
        about: str,
        *,
        seed: int | None = None,
        seconds: float | None = None,
        out: Path | None = None,
        lyrics: bool = False,
        conversation: list[str] | None = None,
        ogg: bool = True,
    ) -> Made:
        """Compose a piece about a moment, keep it, and render it to audio."""
        about = check_description(about)
        check_length(seconds)
        target = _targets(out)
        conversation = conversation or []
        mood = await read_mood(about, conversation, self.mind)
        seed = secrets.randbelow(1_000_000) if seed is None else seed
        plan = choose(mood, seed, seconds)
        title = _titled(about, mood)
        piece = compose(plan, mood.arousal, title)
        lines: list[Line] = []
        if lyrics:
            if self.mind is None:
                raise ConfigError("Lyrics need the language model.", "Run without --lyrics.")
            feeling = ", ".join(mood.words[:4] or mood.feelings) or "tender"
            piece, lines = await lyrics_for(self.mind, piece, about, feeling)
        data = to_midi(piece, plan.key)
        piece_id = self.pieces.add(
            kind="piano", title=title, about=about, seed=seed, midi=data,
            context="\n".join(conversation), mood=mood.as_dict(), plan=plan.as_dict(),
            lyrics="\n".join(line.text for line in lines), seconds=piece.seconds,
        )  # fmt: skip
        stem = target or self.settings.music_dir / f"{piece_id}-{_slug(title)}"
        made = Made(piece_id, title, mood, plan, stem.with_suffix(".mid"), piece.seconds)
        _write(made.midi, data)
        if lines:
            made.lyrics, made.lyrics_path = lines, stem.with_suffix(".lyrics.txt")
            _write(made.lyrics_path, ("\n".join(line.text for line in lines) + "\n").encode())
        await self._render(made, stem, ogg)
        return made

    async def _render(self, made: Made, stem: Path, ogg: bool) -> None:
        try:
            font = soundfont(self.settings.soundfont)
            made.rendered = await asyncio.to_thread(
                render, made.midi, stem.with_suffix(".wav"), font,
                stem.with_suffix(".ogg") if ogg else None,
            )  # fmt: skip
        except (ConfigError, RenderError) as exc:
            made.problem = str(exc)
            return
        self.pieces.set_audio(made.id, str(made.rendered.wav.resolve()), made.rendered.seconds)

    async def audio_of(self, stored: StoredPiece) -> Path:
        """The piece's audio file: where it was written, or rendered again from its MIDI."""
        if stored.audio_path and Path(stored.audio_path).is_file():
            return Path(stored.audio_path)
        data = self.pieces.midi(stored.id)
        if data is None:
            raise InputError(f"{stored.title!r} has no music to play (it is lyrics only).")
        stem = self.settings.music_dir / f"{stored.id}-{_slug(stored.title)}"
        _write(stem.with_suffix(".mid"), data)
        font = soundfont(self.settings.soundfont)
        done = await asyncio.to_thread(
            render, stem.with_suffix(".mid"), stem.with_suffix(".wav"), font
        )
        self.pieces.set_audio(stored.id, str(done.wav), done.seconds)
        return done.wav

    def find(self, words: str) -> StoredPiece:
        found = self.pieces.find(words)
        if found is None:
            raise InputError(
                f"I haven't written a piece that matches {words!r}.",
                "See `os1 music list`, or ask me to compose one.",
            )
        return found

    def player(self) -> Player | None:
        return find_player(self.settings.sound_device)


def _targets(out: Path | None) -> Path | None:
    """The stem for files the user asked for (beach.wav -> beach), checked before composing."""
    if out is None:
        return None
    if out.suffix.lower() not in ("", ".wav", ".ogg", ".mid"):
        raise InputError(f"{out.name} is not a name I can write audio to.", "End it in .wav.")
    folder = out.parent if str(out.parent) else Path()
    if not folder.is_dir():
        raise InputError(f"The folder {folder} does not exist.", "Create it, or choose another.")
    return out.with_suffix("") if out.suffix else out


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise OS1Error(f"Could not write {path}: {exc.strerror}.", "Choose another place.") from exc


def explain(made: Made) -> list[str]:
    """Why the piece sounds as it does, line by line, in OS1's words."""
    mood, plan = made.mood, made.plan
    if mood.source == "words":
        read = f"I read the moment in the words: {', '.join(mood.words)}"
    elif mood.source == "model":
        read = f"No word named a feeling, so I listened for one: {', '.join(mood.feelings)}"
    else:
        read = "I found no feeling in the words, so I kept it open and calm"
    if mood.conversation_turns:
        read += f" (and in the last {mood.conversation_turns} things you said)"
    lines = [f"{read}: valence {mood.valence:+.2f}, arousal {mood.arousal:+.2f}."]
    order = ("mode", "key", "tempo", "meter", "harmonic rhythm", "register", "dynamics")
    lines += [
        f"{name.capitalize()}: {plan.reasons[name]}." for name in order if name in plan.reasons
    ]
    lines += [f"Texture: {plan.reasons['texture']}.", f"Form: {plan.reasons['form']}."]
    return lines
