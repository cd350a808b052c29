"""Golden fixtures for the engine, computed independently in float64 PyTorch (no transformers package).

Implements tiny GPT-2, Llama, Qwen2 (GQA + q/k/v bias), Qwen3 (per-head q/k RMSNorm before rotary, head_dim
from the config) and Gemma 3 text with PEFT-style LoRA from scratch, and writes for
fixed weights and inputs: logits, the weighted next-token loss, the gradient of every LoRA A and B, and the
losses of the first 5 AdamW steps (torch.optim.AdamW, Hugging Face's warmup + cosine schedule, global-norm clipping).

Run: /usr/bin/python3 scripts/golden/make_fixtures.py  (writes src/engine/models/fixtures/*.json)
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'src', 'engine', 'models', 'fixtures')


def f32(t):
    """Round to float32 and back, so the engine (float32) starts from exactly the same numbers."""
    return t.float().double()


class Weights:
    def __init__(self, seed):
        self.g = torch.Generator().manual_seed(seed)
        self.tensors = {}

    def normal(self, name, shape, std, mean=0.0):
        self.tensors[name] = f32(mean + std * torch.randn(*shape, generator=self.g))

    def __getitem__(self, name):
        return self.tensors[name]


# ---------------------------------------------------------------- LoRA (PEFT: y = base(x) + B(A(x)) * scale)

def lora_delta(x, lora, module):
    a = lora['params'].get(f'base_model.model.{module}.lora_A.weight')
    if a is None:
        return 0.0
    b = lora['params'][f'base_model.model.{module}.lora_B.weight']
    return (x @ a.t()) @ b.t() * lora['scale']


def conv1d(W, x, module, lora):  # HF Conv1D: weight [in, out]
    return x @ W[f'{module}.weight'] + W[f'{module}.bias'] + lora_delta(x, lora, module)


def linear(W, x, module, lora):  # nn.Linear: weight [out, in]
    y = x @ W[f'{module}.weight'].t()
    if f'{module}.bias' in W.tensors:
        y = y + W[f'{module}.bias']
    return y + lora_delta(x, lora, module)


def attention(q, k, v):  # q [B, H, T, D], k/v [B, H, T, D]
    T = q.shape[2]
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    scores = scores.masked_fill(~causal, float('-inf'))
    return F.softmax(scores, dim=-1) @ v


# ---------------------------------------------------------------- GPT-2

def gpt2_weights(cfg, seed):
    C, V, P, L = cfg['n_embd'], cfg['vocab_size'], cfg['n_positions'], cfg['n_layer']
    w = Weights(seed)
    w.normal('transformer.wte.weight', (V, C), 0.3)
    w.normal('transformer.wpe.weight', (P, C), 0.1)
    for i in range(L):
        p = f'transformer.h.{i}'
        for ln in ('ln_1', 'ln_2'):
            w.normal(f'{p}.{ln}.weight', (C,), 0.1, 1.0)
            w.normal(f'{p}.{ln}.bias', (C,), 0.1)
        w.normal(f'{p}.attn.c_attn.weight', (C, 3 * C), 0.25)
        w.normal(f'{p}.attn.c_attn.bias', (3 * C,), 0.1)
        w.normal(f'{p}.attn.c_proj.weight', (C, C), 0.25)
        w.normal(f'{p}.attn.c_proj.bias', (C,), 0.1)
        w.normal(f'{p}.mlp.c_fc.weight', (C, 4 * C), 0.25)
        w.normal(f'{p}.mlp.c_fc.bias', (4 * C,), 0.1)
        w.normal(f'{p}.mlp.c_proj.weight', (4 * C, C), 0.15)
        w.normal(f'{p}.mlp.c_proj.bias', (C,), 0.1)
    w.normal('transformer.ln_f.weight', (C,), 0.1, 1.0)
    w.normal('transformer.ln_f.bias', (C,), 0.1)
    return w


def gpt2_linear_modules(cfg):
    C, L = cfg['n_embd'], cfg['n_layer']
    out = []
    for i in range(L):
        p = f'transformer.h.{i}'
        out += [(f'{p}.attn.c_attn', C, 3 * C), (f'{p}.attn.c_proj', C, C), (f'{p}.mlp.c_fc', C, 4 * C), (f'{p}.mlp.c_proj', 4 * C, C)]
    return out


def gpt2_forward(cfg, W, ids, lora):
    B, T = ids.shape
    C, H = cfg['n_embd'], cfg['n_head']
    D = C // H
    eps = cfg['layer_norm_epsilon']
    x = W['transformer.wte.weight'][ids] + W['transformer.wpe.weight'][torch.arange(T)]
    for i in range(cfg['n_layer']):
        p = f'transformer.h.{i}'
        h = F.layer_norm(x, (C,), W[f'{p}.ln_1.weight'], W[f'{p}.ln_1.bias'], eps)
        q, k, v = conv1d(W, h, f'{p}.attn.c_attn', lora).split(C, dim=-1)
        q, k, v = (t.view(B, T, H, D).transpose(1, 2) for t in (q, k, v))
        y = attention(q, k, v).transpose(1, 2).reshape(B, T, C)
        x = x + conv1d(W, y, f'{p}.attn.c_proj', lora)
        h = F.layer_norm(x, (C,), W[f'{p}.ln_2.weight'], W[f'{p}.ln_2.bias'], eps)
        x = x + conv1d(W, F.gelu(conv1d(W, h, f'{p}.mlp.c_fc', lora), approximate='tanh'), f'{p}.mlp.c_proj', lora)
    x = F.layer_norm(x, (C,), W['transformer.ln_f.weight'], W['transformer.ln_f.bias'], eps)
    return x @ W['transformer.wte.weight'].t()


# ---------------------------------------------------------------- Llama / Qwen2

def llama_shapes(cfg):
    C, H = cfg['hidden_size'], cfg['num_attention_heads']
    Hkv = cfg.get('num_key_value_heads', H)
    D = cfg.get('head_dim') or C // H
    return C, H, Hkv, D


def llama_qkv_bias(cfg):
    return cfg['model_type'] == 'qwen2' or cfg.get('attention_bias', False)


def llama_weights(cfg, seed):
    C, H, Hkv, D = llama_shapes(cfg)
    I, V = cfg['intermediate_size'], cfg['vocab_size']
    w = Weights(seed)
    w.normal('model.embed_tokens.weight', (V, C), 0.3)
    for i in range(cfg['num_hidden_layers']):
        p = f'model.layers.{i}'
        w.normal(f'{p}.input_layernorm.weight', (C,), 0.1, 1.0)
        w.normal(f'{p}.self_attn.q_proj.weight', (H * D, C), 0.25)
        w.normal(f'{p}.self_attn.k_proj.weight', (Hkv * D, C), 0.25)
        w.normal(f'{p}.self_attn.v_proj.weight', (Hkv * D, C), 0.25)
        if llama_qkv_bias(cfg):
            w.normal(f'{p}.self_attn.q_proj.bias', (H * D,), 0.1)
            w.normal(f'{p}.self_attn.k_proj.bias', (Hkv * D,), 0.1)
            w.normal(f'{p}.self_attn.v_proj.bias', (Hkv * D,), 0.1)
        w.normal(f'{p}.self_attn.o_proj.weight', (C, H * D), 0.25)
        if cfg['model_type'] == 'qwen3':  # Qwen3Attention: q_norm/k_norm [head_dim]; attention_bias covers o_proj too
            w.normal(f'{p}.self_attn.q_norm.weight', (D,), 0.3, 1.0)
            w.normal(f'{p}.self_attn.k_norm.weight', (D,), 0.3, 1.0)
            if cfg.get('attention_bias', False):
                w.normal(f'{p}.self_attn.o_proj.bias', (C,), 0.1)
        w.normal(f'{p}.post_attention_layernorm.weight', (C,), 0.1, 1.0)
        w.normal(f'{p}.mlp.gate_proj.weight', (I, C), 0.25)
        w.normal(f'{p}.mlp.up_proj.weight', (I, C), 0.25)
        w.normal(f'{p}.mlp.down_proj.weight', (C, I), 0.2)
    w.normal('model.norm.weight', (C,), 0.1, 1.0)
    if not cfg.get('tie_word_embeddings', False):
        w.normal('lm_head.weight', (V, C), 0.3)
    return w


def llama_linear_modules(cfg):
    C, H, Hkv, D = llama_shapes(cfg)
    I = cfg['intermediate_size']
    out = []
    for i in range(cfg['num_hidden_layers']):
        a, m = f'model.layers.{i}.self_attn', f'model.layers.{i}.mlp'
        out += [(f'{a}.q_proj', C, H * D), (f'{a}.k_proj', C, Hkv * D), (f'{a}.v_proj', C, Hkv * D), (f'{a}.o_proj', H * D, C),
                (f'{m}.gate_proj', C, I), (f'{m}.up_proj', C, I), (f'{m}.down_proj', I, C)]
    return out


def rms_norm(x, weight, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def llama_forward(cfg, W, ids, lora):
    B, T = ids.shape
    C, H, Hkv, D = llama_shapes(cfg)
    eps = cfg['rms_norm_eps']
    inv_freq = 1.0 / (cfg.get('rope_theta', 10000.0) ** (torch.arange(0, D, 2) / D))
    freqs = torch.outer(torch.arange(T, dtype=torch.float64), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos(), emb.sin()
    x = W['model.embed_tokens.weight'][ids]
    for i in range(cfg['num_hidden_layers']):
        p = f'model.layers.{i}'
        h = rms_norm(x, W[f'{p}.input_layernorm.weight'], eps)
        q = linear(W, h, f'{p}.self_attn.q_proj', lora).view(B, T, H, D).transpose(1, 2)
        k = linear(W, h, f'{p}.self_attn.k_proj', lora).view(B, T, Hkv, D).transpose(1, 2)
        v = linear(W, h, f'{p}.self_attn.v_proj', lora).view(B, T, Hkv, D).transpose(1, 2)
        if cfg['model_type'] == 'qwen3':  # RMSNorm of each head's vector, before rotary
            q = rms_norm(q, W[f'{p}.self_attn.q_norm.weight'], eps)
            k = rms_norm(k, W[f'{p}.self_attn.k_norm.weight'], eps)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(H // Hkv, dim=1)  # HF repeat_kv
        v = v.repeat_interleave(H // Hkv, dim=1)
        y = attention(q, k, v).transpose(1, 2).reshape(B, T, H * D)
        x = x + linear(W, y, f'{p}.self_attn.o_proj', lora)
        h = rms_norm(x, W[f'{p}.post_attention_layernorm.weight'], eps)
        gated = F.silu(linear(W, h, f'{p}.mlp.gate_proj', lora)) * linear(W, h, f'{p}.mlp.up_proj', lora)
        x = x + linear(W, gated, f'{p}.mlp.down_proj', lora)
    x = rms_norm(x, W['model.norm.weight'], eps)
    head = W['model.embed_tokens.weight'] if cfg.get('tie_word_embeddings', False) else W['lm_head.weight']
    return x @ head.t()


# ---------------------------------------------------------------- Gemma 3 text (HF modeling_gemma3.py, Gemma3ForCausalLM)

def gemma3_weights(cfg, seed):
    C, H, Hkv, D = llama_shapes(cfg)
    I, V = cfg['intermediate_size'], cfg['vocab_size']
    w = Weights(seed)
    w.normal('model.embed_tokens.weight', (V, C), 0.3)
    for i in range(cfg['num_hidden_layers']):
        p = f'model.layers.{i}'
        w.normal(f'{p}.input_layernorm.weight', (C,), 0.1)  # Gemma3RMSNorm scales by (1 + weight): weights sit near 0
        w.normal(f'{p}.self_attn.q_proj.weight', (H * D, C), 0.25)
        w.normal(f'{p}.self_attn.k_proj.weight', (Hkv * D, C), 0.25)
        w.normal(f'{p}.self_attn.v_proj.weight', (Hkv * D, C), 0.25)
        w.normal(f'{p}.self_attn.o_proj.weight', (C, H * D), 0.25)
        w.normal(f'{p}.self_attn.q_norm.weight', (D,), 0.1)
        w.normal(f'{p}.self_attn.k_norm.weight', (D,), 0.1)
        w.normal(f'{p}.post_attention_layernorm.weight', (C,), 0.1)
        w.normal(f'{p}.pre_feedforward_layernorm.weight', (C,), 0.1)
        w.normal(f'{p}.mlp.gate_proj.weight', (I, C), 0.25)
        w.normal(f'{p}.mlp.up_proj.weight', (I, C), 0.25)
        w.normal(f'{p}.mlp.down_proj.weight', (C, I), 0.2)
        w.normal(f'{p}.post_feedforward_layernorm.weight', (C,), 0.1)
    w.normal('model.norm.weight', (C,), 0.1)
    if not cfg.get('tie_word_embeddings', True):
        w.normal('lm_head.weight', (V, C), 0.3)
    return w


def gemma3_norm(x, weight, eps):
    """Gemma3RMSNorm: x * rsqrt(mean(x^2) + eps) * (1 + weight)."""
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * (1.0 + weight)


def gemma3_layer_types(cfg):
    """config.layer_types, else HF's rule for older configs: layer i is global when (i + 1) % sliding_window_pattern == 0."""
    if cfg.get('layer_types'):
        return cfg['layer_types']
    pattern = cfg.get('sliding_window_pattern', 6)
    return ['sliding_attention' if (i + 1) % pattern else 'full_attention' for i in range(cfg['num_hidden_layers'])]


def gemma3_forward(cfg, W, ids, lora):
    B, T = ids.shape
    C, H, Hkv, D = llama_shapes(cfg)
    eps = cfg['rms_norm_eps']

    def rope(theta):
        inv_freq = 1.0 / (theta ** (torch.arange(0, D, 2) / D))
        emb = torch.cat((torch.outer(torch.arange(T, dtype=torch.float64), inv_freq),) * 2, dim=-1)
        return emb.cos(), emb.sin()

    ropes = {'full_attention': rope(cfg['rope_theta']), 'sliding_attention': rope(cfg['rope_local_base_freq'])}
    q_idx, kv_idx = torch.arange(T)[:, None], torch.arange(T)[None, :]
    causal = kv_idx <= q_idx  # masking_utils.causal_mask_function
    masks = {'full_attention': causal, 'sliding_attention': causal & (kv_idx > q_idx - cfg['sliding_window'])}  # sliding_window_overlay
    scaling = cfg['query_pre_attn_scalar'] ** -0.5
    # Gemma3TextScaledWordEmbedding: embed_scale = torch.tensor(hidden_size ** 0.5) (a float32 buffer) cast to the weights' dtype.
    embed_scale = torch.tensor(C ** 0.5, dtype=torch.float32).double()
    x = W['model.embed_tokens.weight'][ids] * embed_scale
    for i, layer_type in enumerate(gemma3_layer_types(cfg)):
        p = f'model.layers.{i}'
        residual = x
        h = gemma3_norm(x, W[f'{p}.input_layernorm.weight'], eps)
        q = linear(W, h, f'{p}.self_attn.q_proj', lora).view(B, T, H, D).transpose(1, 2)
        k = linear(W, h, f'{p}.self_attn.k_proj', lora).view(B, T, Hkv, D).transpose(1, 2)
        v = linear(W, h, f'{p}.self_attn.v_proj', lora).view(B, T, Hkv, D).transpose(1, 2)
        q = gemma3_norm(q, W[f'{p}.self_attn.q_norm.weight'], eps)  # per head, over head_dim, before rotary
        k = gemma3_norm(k, W[f'{p}.self_attn.k_norm.weight'], eps)
        cos, sin = ropes[layer_type]
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(H // Hkv, dim=1)  # HF repeat_kv
        v = v.repeat_interleave(H // Hkv, dim=1)
        scores = (q @ k.transpose(-2, -1)) * scaling
        scores = scores.masked_fill(~masks[layer_type], float('-inf'))
        y = (F.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(B, T, H * D)
        x = residual + gemma3_norm(linear(W, y, f'{p}.self_attn.o_proj', lora), W[f'{p}.post_attention_layernorm.weight'], eps)
        residual = x
        h = gemma3_norm(x, W[f'{p}.pre_feedforward_layernorm.weight'], eps)
        gated = F.gelu(linear(W, h, f'{p}.mlp.gate_proj', lora), approximate='tanh') * linear(W, h, f'{p}.mlp.up_proj', lora)
        x = residual + gemma3_norm(linear(W, gated, f'{p}.mlp.down_proj', lora), W[f'{p}.post_feedforward_layernorm.weight'], eps)
    x = gemma3_norm(x, W['model.norm.weight'], eps)
    head = W['model.embed_tokens.weight'] if cfg.get('tie_word_embeddings', True) else W['lm_head.weight']
    return x @ head.t()


# ---------------------------------------------------------------- batches, loss, AdamW

EXAMPLES = [
    # weights[t] weighs predicting ids[t]; prompt tokens 0, completion 1, one per-message weight of 0.5 and 2.
    {'id': 'a', 'ids': [1, 5, 9, 2, 7, 3, 11, 4], 'weights': [0, 0, 0, 1, 1, 1, 1, 1]},
    {'id': 'b', 'ids': [2, 8, 6, 3, 10], 'weights': [0, 0, 1, 0.5, 2]},
    {'id': 'c', 'ids': [4, 4, 12, 1, 9, 6], 'weights': [0, 1, 1, 1, 0, 1]},
]


def batch(examples):
    T = max(len(e['ids']) for e in examples) - 1
    inputs = torch.zeros(len(examples), T, dtype=torch.long)
    targets = torch.zeros(len(examples), T, dtype=torch.long)
    weights = torch.zeros(len(examples), T)
    for b, e in enumerate(examples):
        n = len(e['ids'])
        inputs[b, : n - 1] = torch.tensor(e['ids'][:-1])
        targets[b, : n - 1] = torch.tensor(e['ids'][1:])
        weights[b, : n - 1] = torch.tensor(e['weights'][1:], dtype=torch.float64)
    return inputs, targets, weights


def weighted_loss(logits, targets, weights):
    nll = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction='none')
    return (nll * weights.reshape(-1)).sum() / weights.sum()


def hf_lr_lambda(o):
    """Hugging Face's schedulers (transformers.optimization: get_{constant,linear,cosine}_schedule_with_warmup) written out,
    stepped as its Trainer steps them: the multiplier of optimizer step c is lambda(c), so a warmup's first step has lr 0."""
    w, total = o['warmupSteps'], o['maxSteps']

    def multiplier(c):
        if c < w:
            return c / max(1, w)
        if o['schedule'] == 'constant':
            return 1.0
        if o['schedule'] == 'linear':
            return max(0.0, (total - c) / max(1, total - w))
        progress = (c - w) / max(1, total - w)
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * 0.5 * 2.0 * progress)))
    return multiplier


def dump(t):
    return {'shape': list(t.shape), 'data': [float('%.9g' % v) for v in t.detach().reshape(-1).tolist()]}


def dump64(t):
    return {'shape': list(t.shape), 'data': [float('%.12g' % v) for v in t.detach().reshape(-1).tolist()]}


def full_grads(cfg, weights, forward, inputs, targets, wts):
    """Full fine-tuning: the gradient of every base weight (no adapter), incl. the tied embedding's two uses."""
    leaves = {k: v.detach().clone().requires_grad_(True) for k, v in weights.tensors.items()}
    w = Weights(0)
    w.tensors = leaves
    weighted_loss(forward(cfg, w, inputs, {'params': {}, 'scale': 0.0}), targets, wts).backward()
    return {k: {'shape': list(v.shape), 'data': [float('%.8g' % x) for x in v.grad.reshape(-1).tolist()]} for k, v in leaves.items()}


def make(name, cfg, lora_cfg, weights, modules, forward, seed, with_full_grads=False):
    g = torch.Generator().manual_seed(seed + 1000)
    scale = lora_cfg['lora_alpha'] / (math.sqrt(lora_cfg['r']) if lora_cfg.get('use_rslora') else lora_cfg['r'])
    targets_cfg = lora_cfg['target_modules']
    params = {}
    for module, fin, fout in modules:
        if any(module == t or module.endswith('.' + t) for t in targets_cfg):
            # B is non-zero (unlike PEFT's fresh init) so that every gradient is informative.
            params[f'base_model.model.{module}.lora_A.weight'] = f32(0.3 * torch.randn(lora_cfg['r'], fin, generator=g))
            params[f'base_model.model.{module}.lora_B.weight'] = f32(0.3 * torch.randn(fout, lora_cfg['r'], generator=g))
    adapter = {k: v.clone() for k, v in params.items()}
    for v in params.values():
        v.requires_grad_(True)
    lora = {'params': params, 'scale': scale}
    inputs, targets, wts = batch(EXAMPLES)

    logits = forward(cfg, weights, inputs, lora)
    loss = weighted_loss(logits, targets, wts)
    loss.backward()
    grads = {k: dump64(v.grad) for k, v in params.items()}

    train = {'method': 'lora', 'lr': 0.02, 'weightDecay': 0.1, 'betas': [0.9, 0.99], 'eps': 1e-8, 'warmupSteps': 2,
             'schedule': 'cosine', 'maxSteps': 5, 'batchSize': len(EXAMPLES), 'gradAccumSteps': 1, 'maxGradNorm': 1.0,
             'seed': 0, 'maxSeqLen': 64}
    trained = {k: v.detach().clone().requires_grad_(True) for k, v in adapter.items()}
    opt = torch.optim.AdamW(list(trained.values()), lr=train['lr'], betas=tuple(train['betas']), eps=train['eps'], weight_decay=train['weightDecay'])
    scheduler = torch.optim.lr_scheduler.LambdaLR(opt, hf_lr_lambda(train))
    losses, grad_norms = [], []
    for step in range(train['maxSteps']):
        opt.zero_grad()
        step_loss = weighted_loss(forward(cfg, weights, inputs, {'params': trained, 'scale': scale}), targets, wts)
        step_loss.backward()
        grad_norms.append(float(torch.nn.utils.clip_grad_norm_(list(trained.values()), train['maxGradNorm'])))
        losses.append(float(step_loss))
        opt.step()
        scheduler.step()

    fixture = {
        'name': name,
        'generatedBy': 'scripts/golden/make_fixtures.py (float64 PyTorch %s)' % torch.__version__,
        'config': cfg,
        'lora': lora_cfg,
        'weights': {k: dump(v) for k, v in weights.tensors.items()},
        'adapter': {k: dump(v) for k, v in adapter.items()},
        'examples': EXAMPLES,
        'train': train,
        'expected': {
            'logits': dump64(logits),
            'loss': float(loss),
            'grads': grads,
            'adamLosses': losses,
            'adamGradNorms': grad_norms,
            **({'fullGrads': full_grads(cfg, weights, forward, inputs, targets, wts)} if with_full_grads else {}),
        },
    }
    path = os.path.join(OUT, f'{name}.json')
    with open(path, 'w') as f:
        json.dump(fixture, f, separators=(',', ':'))
    print(f'{path}: {os.path.getsize(path)} bytes, loss {float(loss):.6f}, adam losses {[round(l, 5) for l in losses]}')


def main():
    os.makedirs(OUT, exist_ok=True)
    gpt2 = {'model_type': 'gpt2', 'vocab_size': 13, 'n_positions': 16, 'n_embd': 16, 'n_layer': 2, 'n_head': 2, 'layer_norm_epsilon': 1e-5}
    make('gpt2', gpt2, {'r': 2, 'lora_alpha': 4, 'lora_dropout': 0, 'target_modules': ['c_attn', 'c_proj']},
         gpt2_weights(gpt2, 1), gpt2_linear_modules(gpt2), gpt2_forward, 1, with_full_grads=True)
    llama = {'model_type': 'llama', 'vocab_size': 13, 'hidden_size': 16, 'intermediate_size': 24, 'num_hidden_layers': 2,
             'num_attention_heads': 4, 'num_key_value_heads': 2, 'rms_norm_eps': 1e-6, 'rope_theta': 10000.0,
             'max_position_embeddings': 16, 'tie_word_embeddings': False}
    make('llama', llama, {'r': 2, 'lora_alpha': 4, 'lora_dropout': 0,
                          'target_modules': ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']},
         llama_weights(llama, 2), llama_linear_modules(llama), llama_forward, 2)
    qwen2 = dict(llama, model_type='qwen2', tie_word_embeddings=True, rope_theta=1000000.0, num_key_value_heads=1, head_dim=8)
    make('qwen2', qwen2, {'r': 4, 'lora_alpha': 8, 'lora_dropout': 0, 'use_rslora': True, 'target_modules': ['q_proj', 'v_proj', 'down_proj']},
         llama_weights(qwen2, 3), llama_linear_modules(qwen2), llama_forward, 3)
    # Qwen3: head_dim 8 ≠ hidden/heads 4, GQA, tied head, no bias; the second one untied with attention_bias (q/k/v/o).
    qwen3 = dict(llama, model_type='qwen3', tie_word_embeddings=True, rope_theta=1000000.0, head_dim=8, attention_bias=False,
                 use_sliding_window=False, sliding_window=None, max_window_layers=2)
    make('qwen3', qwen3, {'r': 2, 'lora_alpha': 4, 'lora_dropout': 0,
                          'target_modules': ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']},
         llama_weights(qwen3, 4), llama_linear_modules(qwen3), llama_forward, 4, with_full_grads=True)
    qwen3_bias = dict(qwen3, tie_word_embeddings=False, attention_bias=True, num_key_value_heads=1, head_dim=12)
    make('qwen3-bias', qwen3_bias, {'r': 4, 'lora_alpha': 8, 'lora_dropout': 0, 'target_modules': ['q_proj', 'k_proj', 'o_proj', 'up_proj']},
         llama_weights(qwen3_bias, 5), llama_linear_modules(qwen3_bias), llama_forward, 5)

    # Gemma 3: sliding (window 3 < the 7-token batch) and global layers, head_dim 8 != hidden/heads, query_pre_attn_scalar 12
    # != head_dim, two rotary bases, tied head.
    gemma3 = {'model_type': 'gemma3_text', 'vocab_size': 13, 'hidden_size': 16, 'intermediate_size': 24, 'num_hidden_layers': 3,
              'num_attention_heads': 4, 'num_key_value_heads': 2, 'head_dim': 8, 'rms_norm_eps': 1e-6, 'rope_theta': 1000000.0,
              'rope_local_base_freq': 10000.0, 'query_pre_attn_scalar': 12, 'sliding_window': 3,
              'layer_types': ['sliding_attention', 'full_attention', 'sliding_attention'], 'max_position_embeddings': 16,
              'hidden_activation': 'gelu_pytorch_tanh', 'tie_word_embeddings': True, 'final_logit_softcapping': None,
              'attn_logit_softcapping': None, 'rope_scaling': None}
    make('gemma3', gemma3, {'r': 2, 'lora_alpha': 4, 'lora_dropout': 0,
                            'target_modules': ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']},
         gemma3_weights(gemma3, 4), llama_linear_modules(gemma3), gemma3_forward, 4, with_full_grads=True)


if __name__ == '__main__':
    main()
