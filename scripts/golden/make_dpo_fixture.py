"""Golden fixture for the DPO objective, computed independently in float64 PyTorch (no trl package).

Takes the tiny GPT-2 and LoRA adapter of src/engine/models/fixtures/gpt2.json, and for three preference pairs writes:
the policy's (adapter on) and the reference's (adapter off) summed completion log-probs, TRL's sigmoid DPO loss with
cDPO label smoothing, its gradient w.r.t. the policy log-probs and w.r.t. every LoRA A/B, TRL's reward metrics, and
the losses and metrics of 3 AdamW steps (same schedule and clipping as the engine).

Run: /usr/bin/python3 scripts/golden/make_dpo_fixture.py  (writes src/engine/train/fixtures/dpo-gpt2.json)
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from make_fixtures import Weights, dump64, gpt2_forward, hf_lr_lambda  # noqa: E402

torch.set_default_dtype(torch.float64)
ROOT = os.path.join(os.path.dirname(__file__), '..', '..')
SOURCE = os.path.join(ROOT, 'src', 'engine', 'models', 'fixtures', 'gpt2.json')
OUT = os.path.join(ROOT, 'src', 'engine', 'train', 'fixtures', 'dpo-gpt2.json')

# prompt, chosen, rejected token ids (vocabulary 13); the answers differ in length on purpose.
PAIRS = [
    ([1, 5, 9], [2, 7, 3], [11, 4]),
    ([2, 8], [6, 3, 10], [6, 12, 1, 9]),
    ([4, 4, 12], [1], [9, 6]),
]
BETA = 0.5
SMOOTHING = 0.1


def example(prompt, answer):
    return {'ids': prompt + answer, 'weights': [0] * len(prompt) + [1] * len(answer)}


def batch(seqs):
    T = max(len(s['ids']) for s in seqs) - 1
    inputs = torch.zeros(len(seqs), T, dtype=torch.long)
    targets = torch.zeros(len(seqs), T, dtype=torch.long)
    weights = torch.zeros(len(seqs), T)
    for b, s in enumerate(seqs):
        n = len(s['ids'])
        inputs[b, : n - 1] = torch.tensor(s['ids'][:-1])
        targets[b, : n - 1] = torch.tensor(s['ids'][1:])
        weights[b, : n - 1] = torch.tensor(s['weights'][1:], dtype=torch.float64)
    return inputs, targets, weights


def seq_logps(cfg, W, lora, inputs, targets, weights):
    logp = F.log_softmax(gpt2_forward(cfg, W, inputs, lora), dim=-1)  # [rows, T, V]
    picked = logp.gather(-1, targets.unsqueeze(-1)).squeeze(-1)  # [rows, T]
    return (picked * weights).sum(-1)  # [rows]


def dpo(policy, reference, P):
    """TRL's sigmoid loss (loss_type='sigmoid') with label smoothing, and its logged reward metrics."""
    pc, pr = policy[:P], policy[P:]
    rc, rr = reference[:P], reference[P:]
    z = BETA * ((pc - pr) - (rc - rr))
    losses = -F.logsigmoid(z) * (1 - SMOOTHING) - F.logsigmoid(-z) * SMOOTHING
    chosen = BETA * (pc - rc).detach()
    rejected = BETA * (pr - rr).detach()
    metrics = {
        'rewardChosen': float(chosen.mean()),
        'rewardRejected': float(rejected.mean()),
        'rewardAccuracy': float((chosen > rejected).double().mean()),
        'rewardMargin': float((chosen - rejected).mean()),
    }
    return losses.mean(), metrics


def main():
    src = json.load(open(SOURCE))
    cfg = src['config']
    W = Weights(0)
    W.tensors = {k: torch.tensor(v['data']).reshape(v['shape']) for k, v in src['weights'].items()}
    lora_cfg = src['lora']
    scale = lora_cfg['lora_alpha'] / lora_cfg['r']
    adapter = {k: torch.tensor(v['data']).reshape(v['shape']) for k, v in src['adapter'].items()}
    examples = [{'id': f'pair{i}', **example(p, c), 'rejected': example(p, r)} for i, (p, c, r) in enumerate(PAIRS)]
    P = len(examples)
    seqs = [{'ids': e['ids'], 'weights': e['weights']} for e in examples] + [e['rejected'] for e in examples]
    inputs, targets, weights = batch(seqs)

    no_lora = {'params': {}, 'scale': 0.0}
    reference = seq_logps(cfg, W, no_lora, inputs, targets, weights).detach()
    params = {k: v.clone().requires_grad_(True) for k, v in adapter.items()}
    policy = seq_logps(cfg, W, {'params': params, 'scale': scale}, inputs, targets, weights)
    policy_leaf = policy.detach().clone().requires_grad_(True)
    loss_on_logps, _ = dpo(policy_leaf, reference, P)
    loss_on_logps.backward()
    loss, metrics = dpo(policy, reference, P)
    loss.backward()
    grads = {k: dump64(v.grad) for k, v in params.items()}

    # Central finite differences of the float64 loss along one random direction in LoRA space: checks autograd here.
    g = torch.Generator().manual_seed(7)
    direction = {k: torch.randn(v.shape, generator=g) for k, v in adapter.items()}
    h = 1e-6

    def loss_at(t):
        p = {k: adapter[k] + t * direction[k] for k in adapter}
        return float(dpo(seq_logps(cfg, W, {'params': p, 'scale': scale}, inputs, targets, weights), reference, P)[0])

    fd = (loss_at(h) - loss_at(-h)) / (2 * h)
    analytic = sum(float((params[k].grad * direction[k]).sum()) for k in adapter)
    assert abs(fd - analytic) <= 1e-7 * max(1.0, abs(analytic)), (fd, analytic)

    train = {'method': 'lora', 'lr': 0.05, 'weightDecay': 0.0, 'betas': [0.9, 0.999], 'eps': 1e-8, 'warmupSteps': 1,
             'schedule': 'linear', 'maxSteps': 3, 'batchSize': P, 'gradAccumSteps': 1, 'maxGradNorm': 1.0, 'seed': 0,
             'maxSeqLen': 16, 'objective': 'dpo', 'dpoBeta': BETA, 'dpoLabelSmoothing': SMOOTHING}
    trained = {k: v.clone().requires_grad_(True) for k, v in adapter.items()}
    opt = torch.optim.AdamW(list(trained.values()), lr=train['lr'], betas=tuple(train['betas']), eps=train['eps'], weight_decay=train['weightDecay'])
    scheduler = torch.optim.lr_scheduler.LambdaLR(opt, hf_lr_lambda(train))
    steps = []
    for step in range(train['maxSteps']):
        opt.zero_grad()
        step_loss, step_metrics = dpo(seq_logps(cfg, W, {'params': trained, 'scale': scale}, inputs, targets, weights), reference, P)
        step_loss.backward()
        norm = float(torch.nn.utils.clip_grad_norm_(list(trained.values()), train['maxGradNorm']))
        steps.append({'loss': float(step_loss), 'gradNorm': norm, **step_metrics})
        opt.step()
        scheduler.step()

    fixture = {
        'name': 'dpo-gpt2',
        'generatedBy': 'scripts/golden/make_dpo_fixture.py (float64 PyTorch %s), weights and adapter of models/fixtures/gpt2.json' % torch.__version__,
        'beta': BETA,
        'labelSmoothing': SMOOTHING,
        'examples': examples,
        'train': train,
        'expected': {
            'policyLogps': [float(v) for v in policy.detach()],
            'referenceLogps': [float(v) for v in reference],
            'loss': float(loss),
            'lossGradWrtPolicyLogps': [float(v) for v in policy_leaf.grad],
            'grads': grads,
            'metrics': metrics,
            'steps': steps,
        },
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(fixture, f, separators=(',', ':'))
    print(f'{OUT}: {os.path.getsize(OUT)} bytes, loss {float(loss):.6f}, fd {fd:.9f} vs autograd {analytic:.9f}, steps {steps}')


if __name__ == '__main__':
    main()
