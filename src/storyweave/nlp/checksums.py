"""Checksums of model files: every file is checked against a known sha256 before it is used.

A verified hash is remembered by (path, size, mtime_ns) in ``$STORYWEAVE_CACHE`` (default
``~/.cache/storyweave``), so a later process skips hashing an unchanged file (hashing the 23 MB int8
model costs ~0.05 s of every cold start otherwise).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

ENV_CACHE = "STORYWEAVE_CACHE"
_HASH_CACHE_FILE = "verified-hashes.json"
_CHUNK = 1 << 20


class ModelIntegrityError(RuntimeError):
    """A model file lacks the checksum it must have: it is corrupt, truncated or not the expected file."""


def cache_dir() -> Path:
    """Where storyweave keeps derived files (verified hashes, exported models)."""
    env = os.environ.get(ENV_CACHE)
    return Path(env).expanduser() if env else Path.home() / ".cache" / "storyweave"


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _load_hash_cache(file: Path) -> dict[str, Any]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _store_hash_cache(file: Path, key: str, entry: dict[str, Any]) -> None:
    """Write atomically (temp file + rename) so concurrent processes never read half a file.

    Failures are harmless: the file is only a cache."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        data = _load_hash_cache(file)
        data[key] = entry
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".hashes-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=0, sort_keys=True)
        os.replace(tmp, file)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(tmp)


def verify_sha256(path: str | Path, expected: str) -> None:
    """Raise ModelIntegrityError unless ``path`` hashes to ``expected``.

    A success is remembered by (resolved path, size, mtime_ns): an unchanged file is hashed once per machine.
    """
    path = Path(path).resolve()
    try:
        stat = path.stat()
    except OSError as exc:
        raise ModelIntegrityError(f"model file {path} cannot be read: {exc}") from exc
    expected = expected.lower()
    cache_file = cache_dir() / _HASH_CACHE_FILE
    key = str(path)
    entry = _load_hash_cache(cache_file).get(key)
    if (
        isinstance(entry, dict)
        and entry.get("size") == stat.st_size
        and entry.get("mtime_ns") == stat.st_mtime_ns
        and entry.get("sha256") == expected
    ):
        return
    actual = _sha256_file(path)
    if actual != expected:
        raise ModelIntegrityError(
            f"model file {path} is corrupt or not the expected file: sha256 {actual}, expected {expected}; "
            "reinstall the package that provides it"
        )
    _store_hash_cache(cache_file, key, {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": actual})
