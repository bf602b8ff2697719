"""storyweave: many news reports in, one cited account per story out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from storyweave.model import Report


def analyze(paths: list[str], **options: Any) -> Report:
    """Read, clean, annotate, group and analyse ``paths``; return the report (see pipeline.analyze)."""
    from storyweave.pipeline import analyze as _analyze

    return _analyze(paths, **options)
