"""Sentence vectors: the public names of the encoder, its checksums and the float export in one place.

The work lives in three modules, one job each: :mod:`storyweave.nlp.encoder` (ONNX Runtime encoder, model
choice), :mod:`storyweave.nlp.checksums` (sha256 checks with their cache) and
:mod:`storyweave.nlp.onnx_export` (the one-off float32 export, torch extra). Code that imported these names
from here keeps working. ``python -m storyweave.nlp.vectors export`` runs the export.
"""

from __future__ import annotations

from storyweave.nlp.checksums import (
    ENV_CACHE,
    ModelIntegrityError,
    _sha256_file,
    cache_dir,
    verify_sha256,
)
from storyweave.nlp.encoder import (
    DEFAULT_DIMENSION,
    DEFAULT_MAX_SEQ_LENGTH,
    ENV_MODEL,
    MINILM_TOKENIZER_SHA256,
    THREADS_ENV,
    OnnxSentenceEncoder,
    SentenceEncoder,
    SentenceTransformersEncoder,
    VectorModelError,
    encoder_threads,
    get_encoder,
    load_encoder,
    minilm_tokenizer_path,
    vector_width,
)
from storyweave.nlp.onnx_export import (
    FLOAT_ONNX_NAME,
    MINILM_SAFETENSORS_SHA256,
    TorchExtraMissing,
    export_onnx,
    float_onnx_path,
)

#: The default model's width; kept for callers of the old name (new code asks the encoder: vector_width()).
DIMENSION = DEFAULT_DIMENSION

__all__ = [
    "THREADS_ENV",
    "encoder_threads",
    "DEFAULT_DIMENSION",
    "DEFAULT_MAX_SEQ_LENGTH",
    "DIMENSION",
    "ENV_CACHE",
    "ENV_MODEL",
    "FLOAT_ONNX_NAME",
    "MINILM_SAFETENSORS_SHA256",
    "MINILM_TOKENIZER_SHA256",
    "ModelIntegrityError",
    "OnnxSentenceEncoder",
    "SentenceEncoder",
    "SentenceTransformersEncoder",
    "TorchExtraMissing",
    "VectorModelError",
    "_sha256_file",
    "cache_dir",
    "export_onnx",
    "float_onnx_path",
    "get_encoder",
    "load_encoder",
    "minilm_tokenizer_path",
    "vector_width",
    "verify_sha256",
]


def main(argv: list[str] | None = None) -> int:
    """``python -m storyweave.nlp.vectors export``: the float export, or one line saying what is missing."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if args != ["export"]:
        print("usage: python -m storyweave.nlp.vectors export", file=sys.stderr)
        return 2
    try:
        print(export_onnx())
    except (TorchExtraMissing, ModelIntegrityError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover - one-off setup step
    raise SystemExit(main())
