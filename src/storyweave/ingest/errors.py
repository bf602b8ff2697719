"""The one error the ingest readers raise.

Readers raise :class:`InputError` for input they cannot read; :func:`storyweave.ingest.read_inputs`
turns it into a :class:`~storyweave.model.Skipped` so the batch goes on and no traceback reaches a user.
"""

from __future__ import annotations


class InputError(Exception):
    """An input that cannot be read, with a short one-line reason a user understands."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
