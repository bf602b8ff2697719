"""spaCy's English stop words, without importing spaCy.

Grouping weighs words by TF-IDF over content words (group/terms.py); it used spaCy's list, and importing
``spacy.lang.en.stop_words`` imports all of spaCy (and thinc, and torch where installed): 1-3 s on every
command that opens the store, ``storyweave stories`` included. The list is one self-contained file in the
installed spaCy (no imports of its own), so it is loaded here from that file alone: the same words as the
parser's, no copy kept in this repository, and no grouping result changes.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

_RELATIVE = Path("lang", "en", "stop_words.py")


@functools.cache
def english_stop_words() -> frozenset[str]:
    """spaCy's ``STOP_WORDS`` for English (lower case, with ’ and ‘ forms of contractions)."""
    spec = importlib.util.find_spec("spacy")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        path = Path(folder) / _RELATIVE
        if not path.is_file():
            continue
        file_spec = importlib.util.spec_from_file_location("_storyweave_spacy_en_stop_words", path)
        if file_spec is None or file_spec.loader is None:
            continue
        module = importlib.util.module_from_spec(file_spec)
        file_spec.loader.exec_module(module)
        return frozenset(module.STOP_WORDS)
    raise RuntimeError("spaCy's English stop words are missing: install spacy==3.8.18 (storyweave needs it)")


STOP_WORDS = english_stop_words()
