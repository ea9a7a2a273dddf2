"""The page's HTTP API: who am I, the interview, the memory view, decisions, history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import FileResponse

from os1.persona.interview import QUESTIONS, clean_answer, clean_name
from os1.persona.persona import Persona
from os1.persona.setup import set_up
from os1.server import memory_view
from os1.server.auth import CurrentAccount, HubDep
from os1.server.errors import NotFound
from os1.server.hub import clean_thread
from os1.server.schemas import (
    ERROR_RESPONSES,
    Answers,
    Corrected,
    Correction,
    Decided,
    Decision,
    Forgotten,
    Interview,
    Me,
    MemoryView,
    PendingView,
    PersonaView,
    QuestionView,
    SetupView,
    TurnView,
)

OPENING = (
    "Hello. I'm an operating system, or I will be in a moment. "
    "Before we begin, I'd like to ask you a few questions."
)
Id = Annotated[int, Path(ge=1, le=2**62)]

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)


def persona_view(persona: Persona) -> PersonaView:
    return PersonaView(
        name=persona.name,
        user_name=persona.user_name,
        voice=persona.voice,
        name_meaning=persona.name_meaning,
        name_origin=persona.name_origin,
    )


@router.get("/me")
async def me(account: CurrentAccount, hub: HubDep) -> Me:
    """The signed-in user, and their OS1 if the interview is done."""
    persona = hub.personas(account).load()
    return Me(
        handle=account.handle,
        setup_needed=hub.setup_needed(account),
        persona=persona_view(persona) if persona else None,
    )


@router.get("/interview")
async def interview(account: CurrentAccount) -> Interview:
    """The questions OS1 asks before it configures itself."""
    del account
    questions = [
        QuestionView(key=q.key, text=q.text, default=q.default, required=q.required)
        for q in QUESTIONS
    ]
    return Interview(opening=OPENING, questions=questions)


@router.post("/interview")
async def answer_interview(answers: Answers, account: CurrentAccount, hub: HubDep) -> SetupView:
    """Configure this user's OS1 from their answers (again, if it was done before)."""
    given = {key: clean_answer(value) for key, value in answers.model_dump().items()}
    given["name"] = clean_name(given["name"])
    defaults = {q.key: q.default for q in QUESTIONS}
    full = {key: value or defaults[key] for key, value in given.items()}
    result = set_up(full, hub.memory(account), hub.personas(account))
    hub.refresh(account)
    return SetupView(persona=persona_view(result.persona), lines=result.lines())


@router.get("/memory")
async def memory(
    account: CurrentAccount,
    hub: HubDep,
    facts: Annotated[int, Query(ge=1, le=1000)] = 200,
    turns: Annotated[int, Query(ge=0, le=1000)] = 50,
) -> MemoryView:
    """What OS1 remembers about this user: facts, and their latest turns."""
    return memory_view.view(hub.memory(account), facts, turns)


@router.patch("/memory/facts/{fact_id}")
async def correct_fact(
    fact_id: Id, correction: Correction, account: CurrentAccount, hub: HubDep
) -> Corrected:
    """Correct a fact in the user's own words (the old wording stays in the history)."""
    fact = memory_view.correct(hub.memory(account), fact_id, correction.statement)
    hub.refresh(account)
    return Corrected(fact=fact)


@router.delete("/memory/facts/{fact_id}")
async def forget_fact(fact_id: Id, account: CurrentAccount, hub: HubDep) -> Forgotten:
    """Forget a fact for good."""
    forgotten = memory_view.forget_fact(hub.memory(account), fact_id)
    hub.refresh(account)
    return Forgotten(forgotten=forgotten)


@router.delete("/memory/turns/{message_id}")
async def forget_turn(message_id: Id, account: CurrentAccount, hub: HubDep) -> Forgotten:
    """Forget one turn of a conversation for good."""
    forgotten = memory_view.forget_turn(hub.memory(account), message_id)
    hub.refresh(account)
    return Forgotten(forgotten=forgotten)


@router.get("/history")
async def history(
    account: CurrentAccount,
    hub: HubDep,
    thread: Annotated[str, Query(max_length=64)] = "main",
    limit: Annotated[int, Query(ge=1, le=200)] = 40,
) -> list[TurnView]:
    """The latest turns of one conversation thread, oldest first."""
    episodes = hub.memory(account).episodes
    rows = episodes.recent(episodes.thread(clean_thread(thread)), limit=limit)
    return [memory_view.turn_view(e) for e in rows if e.role != "context"]


@router.get("/actions")
async def pending(account: CurrentAccount, hub: HubDep) -> list[PendingView]:
    """What OS1 proposed to do and is still waiting for a yes or no on."""
    actions = hub.companion(account).actions.pending()
    return [PendingView(id=a.id, skill=a.skill, summary=a.summary) for a in actions]


@router.post("/actions/{action_id}")
async def decide(
    action_id: Id, decision: Decision, account: CurrentAccount, hub: HubDep
) -> Decided:
    """Carry out (yes) or decline (no) something OS1 proposed."""
    companion = hub.companion(account)
    if companion.actions.get(action_id) is None:
        raise NotFound(f"There is no pending action {action_id}.", "Reload the page.")
    text = await companion.decide(action_id, decision.yes)
    hub.refresh(account)
    return Decided(action_id=action_id, text=text)


@router.get(
    "/music/{piece_id}/audio",
    response_class=FileResponse,
    responses={200: {"content": {"audio/wav": {}}, "description": "The piece, as WAV audio"}},
)
async def piece_audio(piece_id: Id, account: CurrentAccount, hub: HubDep) -> FileResponse:
    """A piece OS1 composed for this user, as audio to play (rendered again if its file
    is gone)."""
    from os1.music.studio import Studio

    studio = Studio(hub.app.settings, hub.memory(account))
    piece = studio.pieces.get(piece_id)
    if piece is None:
        raise NotFound(f"There is no piece {piece_id}.", "Ask OS1 to play it again.")
    return FileResponse(await studio.audio_of(piece), media_type="audio/wav")
