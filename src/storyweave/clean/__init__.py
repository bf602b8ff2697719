"""The clean stage: page furniture out, text repaired, headings and cut-off paragraphs marked.

Entry points: :func:`clean_text` returns a :class:`CleanResult`; :func:`clean_article` applies it (and the
dateline) to an ingested article, as the pipeline and analysis/texts.py do. Removal reasons are listed in
:data:`REASONS` (furniture) and :data:`REPAIRS` (text repairs); article flags in :data:`FLAGS`.
"""

from storyweave.clean.article import clean_article
from storyweave.clean.core import FLAGS, CleanResult, clean_text
from storyweave.clean.furniture import REASONS

REPAIRS: dict[str, str] = {
    "mojibake": "text decoded with the wrong codec, fixed by ftfy (the broken form is listed)",
    "html_entity": "an HTML entity left in plain text (&amp;, &#8217;), unescaped",
    "control_chars": "control characters or terminal escapes removed",
    "doubled_word": 'a word written twice in a row ("He He"), collapsed to one',
}

__all__ = ["FLAGS", "REASONS", "REPAIRS", "CleanResult", "clean_article", "clean_text"]
