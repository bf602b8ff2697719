"""Which event words name the same kind of event: a small table of our own, plus derivation rules.

Why a table: news outlets name one event with a verb in one report and a noun in another ("spoke by phone"
/ "the call", "was arrested" / "the arrest", "revoked" / "the revocation"), or with a near synonym
("captured" / "seized"). Sentence vectors see the whole sentence, not the event word, so the event-coreference
model (``storyweave.analysis.event_coref``) asks this module whether two predicate lemmas are related. The
classes are general news vocabulary, written by hand, not read off any benchmark's sentences.
"""

from __future__ import annotations

from functools import lru_cache

# Each line is one class of lemmas that can name the same event. A lemma may sit in several classes.
_CLASSES: tuple[str, ...] = (
    "call phone telephone talk speak conversation chat conversation discuss discussion converse",
    "meet meeting summit talks visit encounter",
    "capture arrest seize detain apprehend nab detention custody catch apprehension seizure",
    "charge indict accuse indictment accusation allegation allege",
    "convict conviction sentence verdict find_guilty",
    "jail imprison imprisonment prison",
    "release free freed liberate",
    "kill slay murder homicide killing slaying assassinate assassination execute execution death die",
    "die death dead perish fatality pass_away pass",
    "shoot shooting gunfire fire shot gun_down open_fire",
    "attack assault strike raid hit ambush offensive",
    "bomb bombing explosion explode blast detonate detonation",
    "injure wound hurt injury",
    "quake earthquake tremor temblor shake aftershock",
    "storm hurricane cyclone typhoon",
    "flood flooding",
    "fire blaze burn inferno wildfire",
    "crash collide collision accident wreck",
    "rescue save evacuate evacuation",
    "announce announcement declare declaration unveil proclaim proclamation reveal",
    "launch release introduce unveil debut roll_out introduction",
    "say tell state statement report comment remark add note claim",
    "warn warning threaten threat caution",
    "deny denial reject rejection dismiss refute",
    "revoke revocation cancel cancellation withdraw withdrawal rescind annul",
    "sanction sanctions penalty penalize punish punishment",
    "impose imposition levy",
    "ban prohibit prohibition bar",
    "buy purchase acquire acquisition takeover take_over",
    "sell sale",
    "merge merger",
    "hire appoint appointment name nominate nomination pick choose select tap",
    "fire sack dismiss dismissal oust ouster layoff lay_off",
    "resign resignation quit step_down leave departure depart",
    "elect election win vote victory",
    "win victory triumph beat defeat",
    "lose loss defeat",
    "play game match",
    "score goal",
    "sign signing agreement agree deal accord contract",
    "negotiate negotiation",
    "protest demonstration demonstrate rally march",
    "invade invasion occupy occupation",
    "deploy deployment send dispatch",
    "enter check_into admit admission",
    "treat treatment rehab rehabilitation",
    "marry marriage wedding wed",
    "divorce split separation separate",
    "bear birth deliver",
    "award prize honour honor",
    "nominate nomination",
    "sue lawsuit suit litigation",
    "rule ruling decision decide judge judgment",
    "investigate investigation probe inquiry",
    "hijack hijacking",
    "kidnap kidnapping abduct abduction",
    "rob robbery steal theft heist",
    "escape flee",
    "crash collapse",
    "foil thwart prevent stop avert",
    "heist robbery raid theft burglary break_in",
    "steal snatch grab rob loot",
    "strike hit slam pound",
    "keep retain hold",
    "flee run escape bolt",
    "damage destroy wreck ruin",
    "crash ram smash plough plow slam",
    "see watch view witness",
    "end finish conclude stop halt",
    "survive escape",
    "host present emcee",
    "recall",
    "cut reduce reduction",
    "raise increase hike",
    "pay payment",
    "support back endorse endorsement",
    "oppose opposition",
    "invite invitation",
    "plan planning",
    "propose proposal",
    "approve approval pass",
    "veto",
    "close closure shut shutdown",
    "open opening",
    "leak disclose disclosure",
    "spill leak",
)

# Derivational endings: a noun (or adjective) made from a verb. Longest first.
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ication", "y"),
    ("ation", "e"),
    ("ation", ""),
    ("ition", "ish"),
    ("ction", "ct"),
    ("ption", "be"),
    ("sion", "de"),
    ("sion", "se"),
    ("ision", "ide"),
    ("ution", "ve"),
    ("ment", ""),
    ("ance", ""),
    ("ence", ""),
    ("ure", "e"),
    ("ure", ""),
    ("ing", "e"),
    ("ing", ""),
    ("ion", "e"),
    ("ion", ""),
    ("al", "e"),
    ("al", ""),
    ("age", ""),
    ("y", ""),
)


# Past participles and other forms spaCy's small model sometimes leaves as the lemma.
_IRREGULAR = {
    "stolen": "steal",
    "shot": "shoot",
    "struck": "strike",
    "fled": "flee",
    "caught": "catch",
    "taken": "take",
    "given": "give",
    "held": "hold",
    "left": "leave",
    "lost": "lose",
    "won": "win",
    "sold": "sell",
    "bought": "buy",
    "told": "tell",
    "said": "say",
    "hit": "hit",
    "slain": "slay",
    "fell": "fall",
    "fallen": "fall",
    "ran": "run",
    "spoke": "speak",
    "spoken": "speak",
    "met": "meet",
    "sent": "send",
    "begun": "begin",
    "began": "begin",
    "chose": "choose",
    "chosen": "choose",
    "dead": "die",
    "died": "die",
    "dying": "die",
    "dies": "die",
    "froze": "freeze",
    "frozen": "freeze",
}


def _inflections(lemma: str) -> set[str]:
    """Plain forms of an inflected word ("checks" -> "check", "escaped" -> "escape", "oscars" -> "oscar")."""
    forms = {lemma}
    if lemma in _IRREGULAR:
        forms.add(_IRREGULAR[lemma])
    if len(lemma) > 4 and lemma.endswith("ies"):
        forms.add(lemma[:-3] + "y")
    elif len(lemma) > 3 and lemma.endswith("es"):
        forms |= {lemma[:-1], lemma[:-2]}
    elif len(lemma) > 3 and lemma.endswith("s") and not lemma.endswith("ss"):
        forms.add(lemma[:-1])
    if len(lemma) > 4 and lemma.endswith("ed"):
        stem = lemma[:-2]
        forms |= {stem, lemma[:-1]}
        if stem[-1] == stem[-2]:
            forms.add(stem[:-1])
        if stem.endswith("i"):
            forms.add(stem[:-1] + "y")
    return forms


#: Verbs of saying: two of them name one event far less often than two mentions of one other verb do
#: (different remarks), so the coreference model weighs them apart.
REPORTING = frozenset(
    [
        "say",
        "tell",
        "report",
        "state",
        "add",
        "note",
        "claim",
        "comment",
        "confirm",
        "announce",
        "explain",
        "write",
        "quote",
        "describe",
        "insist",
    ]
)


@lru_cache(maxsize=1)
def _classes_of() -> dict[str, frozenset[int]]:
    found: dict[str, set[int]] = {}
    for i, line in enumerate(_CLASSES):
        for word in line.split():
            found.setdefault(word.replace("_", " "), set()).add(i)
    return {word: frozenset(ids) for word, ids in found.items()}


@lru_cache(maxsize=8192)
def base_forms(lemma: str) -> frozenset[str]:
    """The lemma and the verbs it may derive from ("revocation" -> "revoke", "arrest" -> itself)."""
    lemma = lemma.lower().strip()
    forms = set()
    for word in _inflections(lemma):
        forms.add(word)
        for ending, replacement in _SUFFIXES:
            if word.endswith(ending) and len(word) - len(ending) >= (5 if ending == "y" else 3):
                stem = word[: -len(ending)]
                forms.add(stem + replacement)
                if len(stem) > 3 and stem[-1] == stem[-2]:  # "shipping" -> "ship"
                    forms.add(stem[:-1] + replacement)
        if word.endswith("ocation"):  # revocation -> revoke, invocation -> invoke
            forms.add(word[: -len("ocation")] + "oke")
    return frozenset(forms)


def same_word(a: str, b: str) -> bool:
    """True when two lemmas are one word up to inflection ("checks"/"check", "escaped"/"escape")."""
    a, b = a.lower().strip(), b.lower().strip()
    return a == b or bool(_inflections(a) & _inflections(b))


@lru_cache(maxsize=65536)
def related(a: str, b: str) -> bool:
    """True when two predicate lemmas name the same kind of event: one derives from the other, or the table
    puts them (or their base verbs) in one class. Equal lemmas are related."""
    a, b = a.lower().strip(), b.lower().strip()
    if a == b:
        return True
    forms_a, forms_b = base_forms(a), base_forms(b)
    if forms_a & forms_b:
        return True
    classes = _classes_of()
    ids_a = set().union(*(classes.get(f, frozenset()) for f in forms_a))
    ids_b = set().union(*(classes.get(f, frozenset()) for f in forms_b))
    return bool(ids_a & ids_b)
