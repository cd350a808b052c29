"""Pilot for the in-browser pretraining presets: how fast a small char GPT-2 learns Tiny World from packed 64-character
sequences (several corpus lines per sequence, like src/engine/world/pretrain-stream.ts), in PyTorch on CPU.

Usage: node scripts/pretrain/export-corpus.mjs --lines 80000 --eval 40 --seed 3 --out /tmp/pilot-out
       python3 scripts/pretrain/pilot_packed.py LAYERS EMBD HEADS STEPS BATCH LR [DATA_DIR]
e.g.   python3 scripts/pretrain/pilot_packed.py 4 64 4 2400 16 3e-3 /tmp/pilot-out
Prints loss and exact match per skill (40 eval items each, ROUTE left out) at each quarter of the run.
"""
import json, math, random, sys, time, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch, torch.nn.functional as F
from gpt2_model import GPT2LMHeadModel, gpt2_config
from score import evaluate
from train import CharCodec
torch.set_num_threads(1)
L, D, H, STEPS, B, LR = [float(x) if '.' in x or 'e' in x else int(x) for x in sys.argv[1:7]]
torch.manual_seed(0)
d = sys.argv[7] if len(sys.argv) > 7 else os.path.join(os.path.dirname(os.path.abspath(__file__)), 'out')
codec = CharCodec(json.load(open(d + '/vocab.json')))
lines = [l + '\n' for l in open(d + '/corpus.txt').read().split('\n') if l]
items = [json.loads(l) for l in open(d + '/eval.jsonl')]
items = [i for i in items if i['skill'] != 'ROUTE']
model = GPT2LMHeadModel(gpt2_config(len(codec.tokens), L, D, H, 64))
opt = torch.optim.AdamW(model.parameters(), lr=LR, betas=(0.9, 0.999), weight_decay=0.01)
rng = random.Random(0); pos = 0
def batch():
    global pos
    seqs = []
    while len(seqs) < B:
        s = ''
        while pos < len(lines) and len(s) + len(lines[pos]) <= 64:
            s += lines[pos]; pos += 1
        if pos >= len(lines): pos = 0
        seqs.append(codec.encode(s))
    T = max(map(len, seqs))
    x = torch.zeros(B, T, dtype=torch.long); y = torch.full((B, T), -100)
    for i, s in enumerate(seqs):
        x[i, :len(s)] = torch.tensor(s); y[i, :len(s) - 1] = torch.tensor(s[1:])
    return x[:, :-1], y[:, :-1]
t0 = time.time()
for step in range(STEPS):
    lr = LR * min(1, (step + 1) / 30) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * step / STEPS)))
    for g in opt.param_groups: g['lr'] = lr
    x, y = batch()
    loss = F.cross_entropy(model(x).reshape(-1, len(codec.tokens)), y.reshape(-1), ignore_index=-100)
    opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0); opt.step()
    if (step + 1) % (STEPS // 4) == 0:
        sc = evaluate(model, codec, items, 40)
        print(step + 1, round(loss.item(), 3), f'{time.time()-t0:.0f}s', {k: round(v['exact_match'], 2) for k, v in sc.items()}, flush=True)
