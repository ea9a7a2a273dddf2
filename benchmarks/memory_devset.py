"""Build OS1's own recall development set: long multi-session conversations with questions.

    .venv/bin/python benchmarks/memory_devset.py [--out benchmarks/data/dev.json]

Written for OS1 (no public benchmark conversation is used), in the common long-conversation
layout `os1 memory ingest --format sessions` reads, plus a `qa` list per sample:
{"question", "answer", "evidence": [dia_id, ...], "category"}. Categories: single-hop
(asked in other words than were said), multi-hop (two turns needed), temporal (when, or
what happened in a named month), changed (a later turn corrects an earlier one: only the
later one is evidence). Distractor turns share the questions' words on purpose.
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import datetime, timedelta
from pathlib import Path

FILLER = [
    "Morning! Slept terribly, the neighbours had a party until three.",
    "Ugh, Mondays. How was your weekend?",
    "Pretty quiet, mostly laundry and a long walk by the river.",
    "Did you watch the new episode last night? That ending!",
    "Not yet, no spoilers please.",
    "Work is chaos this week, two deadlines on the same day.",
    "I had the best sandwich at lunch, roasted peppers and feta.",
    "It's pouring here, I got soaked on the way home.",
    "My mum called, she wants everyone over for Sunday lunch.",
    "I should really start going to bed earlier.",
    "Haha, same. I keep saying that and then it's 1am.",
    "Thinking of repainting the living room, maybe a soft green.",
    "Green sounds lovely, very calming.",
    "The bus was twenty minutes late again today.",
    "I'm so tired I could sleep on the keyboard.",
    "We should plan something fun for next month.",
    "Totally, let's look at dates this week.",
    "I tried a new recipe, it was a disaster, the rice burned.",
    "Oh no, what were you making?",
    "Just a simple stir fry, but I got distracted by a phone call.",
    "My phone screen cracked, I dropped it on the stairs.",
    "That's the worst. Is it still usable?",
    "Barely, but I'll live with it until payday.",
    "I found an old photo album at my parents' place.",
    "Those are the best, so many bad haircuts.",
    "The heating broke again, the landlord says next week.",
    "Wrap up warm, seriously.",
    "I've been listening to a great podcast about history.",
    "Send me the name, I need something for my commute.",
    "My back hurts from sitting all day.",
    "You need a better chair, honestly.",
    "Did you see the sunset yesterday? Unreal colours.",
    "I missed it, I was stuck in a meeting.",
    "I'm trying to drink more water, it's harder than it sounds.",
    "Set reminders on your phone, it works for me.",
    "What are you up to tonight?",
    "Nothing much, pizza and an early night.",
    "The supermarket was out of everything today.",
    "I'm so ready for the holidays.",
    "Me too, I need a proper break.",
    "I started journaling again, just a few lines a day.",
    "That's a nice habit. Does it help?",
    "It does, it clears my head before bed.",
    "My plants are dying, I think I overwater them.",
    "Classic. Let the soil dry out between waterings.",
    "I can't believe it's already the end of the month.",
    "Time flies, it's scary.",
    "I cleaned out my wardrobe and found three identical jumpers.",
    "Haha, you definitely have a type.",
    "Anyway, I'd better get back to it. Talk later!",
    "Sure, talk soon!",
    "How's your family doing?",
    "Everyone's fine, my dad finally retired.",
    "Congrats to him! What's he going to do with all that time?",
    "Gardening, apparently, he bought a shed full of tools.",
]

PEOPLE = [
    dict(
        a="Maya",
        b="Jonas",
        breed="beagle",
        pet="Biscuit",
        school="Westfield Secondary",
        new_job="paramedic",
        city1="Leeds",
        city2="Bristol",
        dish1="a mushroom risotto",
        dish2="lamb tagine",
        month1=3,
        month2=6,
        sis="Clara",
        instrument="cello",
        partner="Sam",
        gift="a vintage film camera",
        car="a green Fiat Panda",
        allergen="peanuts",
        lang1="Italian",
        lang2="Japanese",
        sport="five-a-side football",
        book="Middlemarch",
        race="half marathon",
        other_breed="noisy terrier",
    ),
    dict(
        a="Priya",
        b="Tom",
        breed="ginger tabby kitten",
        pet="Mango",
        school="St Anne's Primary",
        new_job="carpenter",
        city1="Manchester",
        city2="Edinburgh",
        dish1="a spicy dal",
        dish2="a seafood paella",
        month1=4,
        month2=9,
        sis="Anjali",
        instrument="violin",
        partner="Ellie",
        gift="a hand-knitted scarf",
        car="a second-hand Volvo estate",
        allergen="shellfish",
        lang1="Spanish",
        lang2="Korean",
        sport="squash",
        book="The Remains of the Day",
        race="10k charity run",
        other_breed="grumpy old cat",
    ),
    dict(
        a="Lucas",
        b="Ines",
        breed="border collie",
        pet="Pepper",
        school="Riverside Academy",
        new_job="pastry chef",
        city1="Porto",
        city2="Lisbon",
        dish1="bacalhau with chickpeas",
        dish2="a pumpkin soup",
        month1=2,
        month2=10,
        sis="Marta",
        instrument="trumpet",
        partner="Rui",
        gift="a pair of hiking boots",
        car="an electric Renault Zoe",
        allergen="penicillin",
        lang1="German",
        lang2="Mandarin",
        sport="padel",
        book="Blindness by Saramago",
        race="marathon",
        other_breed="tiny chihuahua",
    ),
    dict(
        a="Hannah",
        b="Omar",
        breed="rescue greyhound",
        pet="Noodle",
        school="Oakwood High",
        new_job="software tester",
        city1="Cardiff",
        city2="Glasgow",
        dish1="a vegetable lasagne",
        dish2="chicken biryani",
        month1=5,
        month2=11,
        sis="Rosa",
        instrument="harp",
        partner="Leila",
        gift="a set of watercolour paints",
        car="a red Mini Cooper",
        allergen="cats",
        lang1="French",
        lang2="Arabic",
        sport="rock climbing",
        book="Pachinko",
        race="triathlon",
        other_breed="fluffy samoyed",
    ),
]


def _plan(p: dict[str, str]) -> list[tuple[int, str, str, str]]:
    """(session, speaker, key, text): the turns questions are about, and distractors."""
    a, b = p["a"], p["b"]
    return [
        (
            1,
            a,
            "city1",
            f"I still can't get used to my tiny flat in {p['city1']}, the walls are so thin.",
        ),
        (1, b, "school", f"I've been teaching chemistry at {p['school']} for six years now."),
        (
            2,
            a,
            "pet",
            f"We finally brought home a {p['breed']} from the shelter! We named her {p['pet']}.",
        ),
        (2, b, "distract_pet", f"My cousin has a {p['other_breed']}, it barks at everything."),
        (
            2,
            a,
            "allergy",
            f"Turns out I'm allergic to {p['allergen']}, the doctor confirmed it this week.",
        ),
        (3, b, "lang1", f"I signed up for {p['lang1']} lessons, twice a week after work."),
        (3, a, "coffee1", "I can't stand coffee, honestly, tea all the way for me."),
        (3, a, "sis1", f"My sister {p['sis']} is coming to stay with me next weekend."),
        (4, a, "race", f"I finished my first {p['race']} this morning! My legs are jelly."),
        (4, b, "gift", f"Thank you so much for {p['gift']}, best birthday present ever."),
        (
            4,
            b,
            "dish1",
            f"I made {p['dish1']} for the dinner party, everyone went back for seconds.",
        ),
        (
            5,
            b,
            "sport",
            f"I sprained my ankle playing {p['sport']}, so I'm on the sofa for a while.",
        ),
        (5, a, "distract_race", "My brother keeps asking me to run with him, but I said not yet."),
        (6, a, "sis2", f"{p['sis']} played the {p['instrument']} at her recital, I cried a bit."),
        (6, b, "book", f"Our book club picked {p['book']}, I'm about halfway through."),
        (6, b, "car", f"I finally traded in my old banger for {p['car']}."),
        (7, b, "new_job", f"Big news: I quit teaching! I'm retraining as a {p['new_job']}."),
        (
            7,
            b,
            "partner1",
            f"My partner {p['partner']} and I have been together three years today.",
        ),
        (8, a, "city2", f"The movers came on Tuesday, I officially live in {p['city2']} now."),
        (
            8,
            b,
            "lang2",
            f"I gave up on {p['lang1']}, too many verb tables, I'm learning {p['lang2']} instead.",
        ),
        (8, b, "dish2", f"I cooked {p['dish2']} for the dinner party this time, it was a hit."),
        (9, a, "coffee2", "Confession: I'm a coffee person now, two espressos every morning."),
        (9, b, "partner2", f"{p['partner']} proposed last night!! We're engaged!"),
        (10, a, "distract_city", f"I miss the cafes back in {p['city1']} sometimes."),
        # Near misses: the same topics, said by the other person or not answering.
        (1, a, "d_shelter", "We went to the animal shelter just to look, we didn't adopt anyone."),
        (3, b, "d_dog", "My neighbour's dog got out again and dug up all the roses."),
        (2, b, "d_pollen", "The pollen is awful this week, my eyes won't stop itching."),
        (5, a, "d_knee", "I bruised my knee on the coffee table, so clumsy."),
        (4, a, "d_reading", "I'm reading a thriller on the train, I can't put it down."),
        (7, a, "d_car", "My dad wants to sell his old car, do you know anyone?"),
        (3, a, "d_present", "I still need to buy a present for my mum's birthday."),
        (2, a, "d_school", "My nephew just started at a new school, he loves science."),
        (5, b, "d_piano", "I used to play the piano as a kid, I quit when I was twelve."),
        (6, a, "d_wedding", "My cousin got married last summer, it was a huge wedding."),
        (4, a, "d_languages", "My flatmate speaks four languages, it's so unfair."),
        (6, a, "d_bike", "I'm thinking of signing up for a charity bike ride."),
        (6, b, "d_party", "We're hosting another dinner party soon, any recipe ideas?"),
        (5, b, "d_work", "My manager keeps piling projects on me at work."),
        (9, b, "d_job", "I might ask for a raise at work next month."),
        (9, a, "d_rent", "Rent prices in the city centre are insane."),
        (10, b, "d_tea", "The new tea shop downtown does a great chai."),
        (8, a, "d_study", "I'm studying for a first aid certificate at the moment."),
    ]


def _qa(p: dict[str, str], ids: dict[str, str], dates: list[datetime]) -> list[dict[str, object]]:
    a, b = p["a"], p["b"]

    def day(session: int, back: int = 0) -> str:
        return (dates[session - 1] - timedelta(days=back)).strftime("%d %B %Y").lstrip("0")

    month1 = dates[3].strftime("%B %Y")
    month2 = dates[7].strftime("%B %Y")
    q = [
        ("single-hop", f"What is the name of {a}'s dog or pet?", p["pet"], ["pet"]),
        ("single-hop", f"What is {a} allergic to?", p["allergen"], ["allergy"]),
        ("single-hop", f"How did {b} get injured?", p["sport"], ["sport"]),
        ("single-hop", f"Which novel is {b}'s reading group going through?", p["book"], ["book"]),
        ("single-hop", f"What vehicle did {b} buy?", p["car"], ["car"]),
        ("single-hop", f"What did {a} give {b} for their birthday?", p["gift"], ["gift"]),
        ("single-hop", f"What subject did {b} teach, and where?", p["school"], ["school"]),
        (
            "multi-hop",
            f"What instrument does {a}'s sister play?",
            p["instrument"],
            ["sis1", "sis2"],
        ),
        (
            "multi-hop",
            f"Who did {b} get engaged to, and how long had they been together?",
            p["partner"],
            ["partner1", "partner2"],
        ),
        ("multi-hop", f"Which languages has {b} tried to learn?", p["lang2"], ["lang1", "lang2"]),
        ("temporal", f"When did {a} finish the {p['race']}?", day(4), ["race"]),
        ("temporal", f"When did {b} get engaged?", day(9, 1), ["partner2"]),
        ("temporal", f"What did {b} cook for the dinner party in {month1}?", p["dish1"], ["dish1"]),
        ("temporal", f"What did {b} cook for the dinner party in {month2}?", p["dish2"], ["dish2"]),
        ("changed", f"What is {b}'s job now?", p["new_job"], ["new_job"]),
        ("changed", f"Which city does {a} live in now?", p["city2"], ["city2"]),
        ("changed", f"Does {a} drink coffee these days?", "yes|espresso", ["coffee2"]),
        ("changed", f"Which language is {b} studying at the moment?", p["lang2"], ["lang2"]),
    ]
    return [
        {
            "question": question,
            "answer": answer,
            "evidence": [ids[k] for k in keys],
            "category": category,
        }
        for category, question, answer, keys in q
    ]


def conversation(index: int, p: dict[str, str], rng: random.Random) -> dict[str, object]:
    start = datetime(2023, 1 + index, 3, 10, 0)
    dates = [
        start + timedelta(days=22 * s + rng.randint(0, 5), hours=rng.randint(0, 9))
        for s in range(10)
    ]
    plan = _plan(p)
    talk: dict[str, object] = {"speaker_a": p["a"], "speaker_b": p["b"]}
    ids: dict[str, str] = {}
    for session in range(1, 11):
        planted = [t for t in plan if t[0] == session]
        turns: list[tuple[str, str, str]] = []
        count = rng.randint(18, 26)
        for n in range(count):
            speaker = p["a"] if n % 2 == 0 else p["b"]
            turns.append((speaker, "", rng.choice(FILLER)))
        for _, speaker, key, text in planted:
            slot = rng.randrange(1, len(turns))
            turns.insert(slot, (speaker, key, text))
        rows = []
        for n, (speaker, key, text) in enumerate(turns, 1):
            dia = f"D{session}:{n}"
            if key:
                ids[key] = dia
            rows.append({"speaker": speaker, "dia_id": dia, "text": text})
        when = dates[session - 1]
        talk[f"session_{session}_date_time"] = (
            f"{when.strftime('%-I:%M')} {when.strftime('%p').lower()} on "
            f"{when.day} {when.strftime('%B')}, {when.year}"
        )
        talk[f"session_{session}"] = rows
    return {"sample_id": f"os1-dev-{index + 1}", "conversation": talk, "qa": _qa(p, ids, dates)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="benchmarks/data/dev.json")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    samples = [conversation(i, p, rng) for i, p in enumerate(PEOPLE)]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(samples, indent=1, ensure_ascii=False) + "\n")
    turns = sum(len(v) for s in samples for k, v in s["conversation"].items() if k[-1].isdigit())  # type: ignore[union-attr]
    questions = sum(len(s["qa"]) for s in samples)  # type: ignore[arg-type]
    print(f"{out}: {len(samples)} conversations, {turns} turns, {questions} questions")


if __name__ == "__main__":
    main()
