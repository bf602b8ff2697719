"""The write token: read once at start-up, from a file or the environment (kept apart from the app so the
command can refuse a bad token file before it loads the web stack)."""

from __future__ import annotations

import os
from pathlib import Path


def load_token(token_file: str | Path | None) -> str | None:
    """The write token: from ``token_file`` when given, else STORYWEAVE_TOKEN; None turns writes off."""
    if token_file is not None:
        try:
            token = Path(token_file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(f"cannot read token file {token_file}: {error}") from None
        if not token:
            raise ValueError(f"token file {token_file} is empty")
        return token
    return os.environ.get("STORYWEAVE_TOKEN", "").strip() or None
