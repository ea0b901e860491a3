"""A sentence-transformers model exported once to ONNX (offline, cached), for onnxruntime to run.

The export needs torch and transformers, so it runs once per model and precision; every later process
loads the cached file with onnxruntime alone. The cache lives in ``$LATM_QA_CACHE`` (default
``~/.cache/latm-qa``), one folder per model, named by a digest of the model's files and this module's
``EXPORT_VERSION``, so a changed model or export gets a new file and an old one is never read by mistake.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import warnings
from pathlib import Path

from ..settings import cache_dir

EXPORT_VERSION = 1
OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
PRECISIONS = ("fp32", "int8")


def cache_root() -> Path:
    return cache_dir()


def unsupported(location: Path) -> str:
    """Why the model at ``location`` cannot run as an exported transformer + mean pooling ("" if it can)."""
    if not location.is_dir():
        return f"{location} is not a local folder"
    if not (location / "tokenizer.json").exists():
        return "it has no tokenizer.json"
    try:
        modules = json.loads((location / "modules.json").read_text(encoding="utf-8"))
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        pooling = json.loads((location / modules[1]["path"] / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return "it has no readable modules.json and pooling config"
    if kinds[:2] != ["Transformer", "Pooling"] or any(k != "Normalize" for k in kinds[2:]):
        return f"its modules are {kinds}, not a transformer, mean pooling and normalisation"
    modes = [key for key, value in pooling.items() if key.startswith("pooling_mode") and value]
    if modes != ["pooling_mode_mean_tokens"]:
        return f"it pools by {modes}, not the mean of its tokens"
    return ""


def model_digest(location: Path) -> str:
    """A digest of what decides the model's vectors: its configs and its weight files' names and sizes."""
    digest = hashlib.sha256(f"export {EXPORT_VERSION} opset {OPSET}".encode())
    for path in sorted(location.rglob("*")):
        if path.is_file() and path.suffix in (".json", ".txt", ".safetensors", ".bin"):
            digest.update(str(path.relative_to(location)).encode())
            if path.suffix in (".safetensors", ".bin"):
                digest.update(str(path.stat().st_size).encode())
            else:
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def exported(location: Path, precision: str = "fp32") -> Path:
    """The cached ONNX file of the model at ``location`` in ``precision``, exported first if missing."""
    folder = cache_root() / "onnx" / f"{location.name}-{model_digest(location)}"
    target = folder / f"model-{precision}.onnx"
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    if precision == "int8":
        _quantise(exported(location, "fp32"), target)
    else:
        _export(location, target)
    return target


def _export(location: Path, target: Path) -> None:
    import torch
    from transformers import AutoModel

    class Hidden(torch.nn.Module):  # keyword inputs: transformers' forward() takes them in its own order
        def __init__(self) -> None:
            super().__init__()
            self.inner = AutoModel.from_pretrained(str(location))

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    model = Hidden().eval()
    sample = {
        "input_ids": torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]], dtype=torch.long),
        "attention_mask": torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]], dtype=torch.long),
        "token_type_ids": torch.zeros((2, 4), dtype=torch.long),
    }
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS}
    with _temporary(target) as scratch, torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on operators it rewrites: nothing a user can act on
        torch.onnx.export(
            model, (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]), str(scratch),
            input_names=list(INPUTS), output_names=["last_hidden_state"],
            dynamic_axes={**axes, "last_hidden_state": {0: "batch", 1: "tokens"}},
            opset_version=OPSET, dynamo=False,
        )


def _quantise(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(max(logging.getLogger().level, logging.ERROR))  # its "pre-process first" hint
    with _temporary(target) as scratch:
        quantize_dynamic(str(source), str(scratch), weight_type=QuantType.QInt8, per_channel=True)


class _temporary:
    """A scratch path beside ``target``, renamed onto it when the block succeeds: readers never see half a file."""

    def __init__(self, target: Path) -> None:
        self.target = target
        handle, name = tempfile.mkstemp(prefix=".export-", suffix=".onnx", dir=target.parent)
        os.close(handle)
        self.scratch = Path(name)

    def __enter__(self) -> Path:
        return self.scratch

    def __exit__(self, kind, value, trace) -> None:
        if kind is None:
            os.chmod(self.scratch, 0o644)
            os.replace(self.scratch, self.target)
        else:
            self.scratch.unlink(missing_ok=True)
