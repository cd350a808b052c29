"""Writes a small safetensors golden file with F32, F16 and BF16 tensors, independently of our TypeScript reader.

The format is written by hand (8-byte little-endian header length, JSON header, raw data) because the
`safetensors` Python package is not installed here; tensors and their float32 values come from torch.
Run: /usr/bin/python3 scripts/safetensors_fixture.py  (writes src/engine/io/fixtures/mixed.*)
"""
import json
import struct
from pathlib import Path

import torch

torch.manual_seed(0)
special = torch.tensor([0.0, -0.0, 1.0, -2.5, 65504.0, 6e-8, 1e-5, float("inf"), float("-inf"), float("nan"), 3.14159, -1e30])

tensors = {
    "model.embed.weight": torch.randn(4, 3, dtype=torch.float32),
    "layers.0.half": torch.randn(2, 5).to(torch.float16),
    "layers.0.special_half": special.to(torch.float16),
    "layers.1.bf16": (torch.randn(3, 2, 2) * 100).to(torch.bfloat16),
    "layers.1.special_bf16": special.to(torch.bfloat16),
    "scalar": torch.tensor(7.25, dtype=torch.float32),
    "empty": torch.zeros(0, 3, dtype=torch.float32),
}
dtype_names = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16"}


def raw_bytes(t: torch.Tensor) -> bytes:
    """Little-endian bytes of a contiguous tensor (bf16 via its int16 bit pattern)."""
    t = t.contiguous()
    if t.dtype in (torch.float16, torch.bfloat16):
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    return t.numpy().astype("<f4").tobytes()


header = {"__metadata__": {"format": "pt", "source": "scripts/safetensors_fixture.py"}}
data = b""
# Deliberately not alphabetical, to check the reader sorts by offset rather than by name.
for name in ["layers.1.bf16", "model.embed.weight", "layers.0.half", "scalar", "layers.0.special_half", "empty", "layers.1.special_bf16"]:
    t = tensors[name]
    b = raw_bytes(t)
    header[name] = {"dtype": dtype_names[t.dtype], "shape": list(t.shape), "data_offsets": [len(data), len(data) + len(b)]}
    data += b
header_bytes = json.dumps(header).encode("utf-8")
header_bytes += b" " * (-len(header_bytes) % 8)
out = Path(__file__).resolve().parent.parent / "src/engine/io/fixtures"
(out / "mixed.safetensors").write_bytes(struct.pack("<Q", len(header_bytes)) + header_bytes + data)

# Expected float32 values as uint32 bit patterns (exact, NaN- and -0-safe).
expected = {
    name: {"shape": list(t.shape), "dtype": dtype_names[t.dtype], "float32_bits": [int(x) & 0xFFFFFFFF for x in t.float().contiguous().view(torch.int32).flatten().tolist()]}
    for name, t in tensors.items()
}
(out / "mixed.expected.json").write_text(json.dumps({"metadata": header["__metadata__"], "tensors": expected}, indent=1) + "\n")
print("wrote", out / "mixed.safetensors")
