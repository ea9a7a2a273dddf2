"""Music in conversation: compose a piece for this moment, play one again, write lyrics
for the user's own song. All of it changes only OS1's own data (and plays sound)."""

from __future__ import annotations

from pathlib import Path

from os1.events import PieceReady
from os1.music.song import write_song
from os1.music.studio import Studio, explain
from os1.skills.base import Risk, SkillContext, SkillResult, skill


def _studio(context: SkillContext) -> Studio:
    return Studio(context.settings, context.memory, context.mind)


def _start_playing(context: SkillContext, studio: Studio, audio: Path) -> str:
    """Start the speakers going and let the conversation carry on; what to tell the user.
    Where the user is elsewhere (the web page), it plays there, not on this machine."""
    if not context.extras.get("speakers", True):
        return "It is ready to play where they are talking with you."
    player = studio.player()
    if player is None:
        return f"There are no speakers on this machine, so it is saved at {audio} to play."
    player.start(audio)
    return f"It is playing now, through {player.description}."


@skill(
    "compose_music",
    Risk.WRITE,
    triggers=(
        r"\b(compose|write|make|play)\b.{0,40}\b(music|song|piece|tune|melody|something)\b",
        r"\bplay me\b",
    ),
)
async def compose_music(
    context: SkillContext, *, about: str, with_lyrics: bool = False
) -> SkillResult:
    """Compose a new piano piece that captures a moment, and play it (lyrics if asked)."""
    studio = _studio(context)
    made = await studio.compose(
        about, lyrics=with_lyrics, conversation=studio.recent_conversation(), ogg=False
    )
    plan = made.plan
    minutes, seconds = divmod(round(made.seconds), 60)
    text = (
        f"You composed a piano piece for this moment, called"
        f" \u201c{made.title}\u201d: {plan.key.name}, {plan.meter}/4, {plan.tempo} beats a"
        f" minute, {minutes}:{seconds:02d}. Why: {explain(made)[1]}"
    )
    if made.lyrics:
        text += " The words you wrote for it: " + " / ".join(line.text for line in made.lyrics)
    if made.rendered is None:
        return SkillResult(f"{text} It could not be played: {made.problem}", data=made)
    played = _start_playing(context, studio, made.rendered.wav)
    return SkillResult(f"{text} {played}", data=made, event=PieceReady(made.id, made.title))


@skill(
    "play_music",
    Risk.READ,
    triggers=(r"\bplay\b.{0,40}\b(song|piece|music|tune|again)\b", r"\bplay (it|that)\b"),
)
async def play_music(context: SkillContext, *, which: str = "") -> SkillResult:
    """Play again a piece you composed before, found by what it was about ("the beach song")."""
    studio = _studio(context)
    piece = studio.find(which)
    audio = await studio.audio_of(piece)
    studio.pieces.played(piece.id)
    when = piece.created_at[:10]
    return SkillResult(
        f"You found \u201c{piece.title}\u201d, the piece you wrote on {when} about"
        f" \u201c{piece.about}\u201d. {_start_playing(context, studio, audio)}",
        data=piece,
        event=PieceReady(piece.id, piece.title),
    )


@skill("song_lyrics", Risk.WRITE, triggers=(r"\blyrics\b", r"\bwords\b.{0,30}\bsong\b"))
async def song_lyrics(context: SkillContext, *, chords: str, theme: str) -> SkillResult:
    """Write lyrics for the user's own song, fitted to its chords, about the theme they give."""
    song = await write_song(context.mind, chords, theme)
    studio = _studio(context)
    lines = [item.line.text for item in song]
    studio.pieces.add(
        kind="song", title=theme[:60], about=theme, seed=0, midi=None,
        lyrics="\n".join(lines), context=chords,
    )  # fmt: skip
    return SkillResult(
        "You wrote these lines for their song, a line for each row of chords: " + " / ".join(lines),
        data=song,
    )
