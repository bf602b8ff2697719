"""Cue words of the stance decision: negation, denial and refutation, attribution and hedging, confirmation.

GENERAL LISTS, meant for the shared lexicon (``storyweave.analysis.lexicon``): they are plain English, not
fitted to any data set, and other analyses (quotes, facts, contradictions) need the same words. They are
surface forms (every inflection listed), because the stance decision reads raw sentences without a parse.
The stance model's weights were fitted with exactly these lists (``python bench/stance.py --fit``): a change
here means refitting.
"""

from __future__ import annotations

from storyweave.analysis.lexicon import NEGATION_WORDS


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ------------------------------------------------------------------------------------------- general

#: Words that negate the clause they stand in: the lexicon's, and "cannot", which the stance decision's
#: own word splitter keeps whole (spaCy, which the other analyses read, splits it into "can not").
NEGATION_CUES = NEGATION_WORDS | {"cannot"}

#: Denial, refutation and debunking: the writer or a source says a claim is untrue.
REFUTATION = _words(
    """
    deny denies denied denying denial denials
    refute refutes refuted refuting refutation
    debunk debunks debunked debunking
    dismiss dismisses dismissed dismissing
    reject rejects rejected rejecting
    dispute disputes disputed disputing
    contradict contradicts contradicted
    false falsely untrue fake fabricated fabrication bogus baseless unfounded groundless
    hoax hoaxes prank satire satirical spoof
    myth myths
    lie lies lied lying misleading
    wrong incorrect inaccurate erroneous
    retract retracts retracted retraction
    debunkers snopes
    """
)

#: Phrases of denial or refutation (matched on the lowercased sentence).
REFUTATION_PHRASES = (
    "not true",
    "no truth",
    "no evidence",
    "no proof",
    "no basis",
    "not real",
    "is fake",
    "turned out to be",
    "there is no",
    "has not been",
    "have not been",
    "never happened",
    "did not happen",
    "didn't happen",
    "made up",
    "set the record straight",
    "no such",
)

#: Attribution: speech and report verbs and nouns, and phrases that hand a claim to a source. ("state" and
#: "states" are left out: "the United States", "the state of Texas".)
ATTRIBUTION = _words(
    """
    say says said saying
    claim claims claimed claiming
    allege alleges alleged allegedly allegation allegations
    report reports reported reportedly reporting
    tell tells told
    stated
    according
    suggest suggests suggested suggesting
    purport purports purported purportedly
    insist insists insisted
    assert asserts asserted
    cite cites cited citing
    source sources
    rumored rumoured
    """
)

#: Phrases of attribution (matched on the lowercased sentence).
ATTRIBUTION_PHRASES = (
    "according to",
    "sources say",
    "sources said",
    "is said to",
    "are said to",
    "was said to",
    "were said to",
    "is believed to",
    "are believed to",
    "is thought to",
    "is reported to",
    "are reported to",
    "was reported to",
    "it is claimed",
    "it was claimed",
    "it has been reported",
    "claimed to",
    "told reporters",
)

#: Hedges: modal verbs and adverbs of uncertainty, and words of unconfirmed news.
HEDGES = _words(
    """
    may might could would should
    possibly perhaps maybe probably likely unlikely apparently seemingly supposedly
    appear appears appeared seem seems seemed
    unconfirmed unverified uncertain unclear unknown
    speculation speculate speculated speculating
    if whether
    rumor rumour rumored rumoured
    potential potentially
    """
)

#: Confirmation: the writer or a source asserts the claim as established.
CONFIRMATION = _words(
    """
    confirm confirms confirmed confirming confirmation
    announce announces announced announcing
    reveal reveals revealed
    prove proves proved proven
    verify verifies verified
    official officially
    indeed actually
    acknowledge acknowledges acknowledged
    admit admits admitted
    """
)
