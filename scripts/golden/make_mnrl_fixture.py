"""Golden fixture for sentence-transformers' MultipleNegativesRankingLoss and its symmetric variant, float64 PyTorch.

Written from the sentence-transformers source (losses/MultipleNegativesRankingLoss.py and
MultipleNegativesSymmetricRankingLoss.py), without the package: scores = cos_sim(anchors, [positives; negatives]) * scale,
cross-entropy with labels arange(B); the symmetric loss averages it with cross-entropy over scores[:, :B].T (positive ->
anchor, in-batch anchors only). Writes the loss and its gradient w.r.t. every input for several cases.

Run: /usr/bin/python3 scripts/golden/make_mnrl_fixture.py  (writes src/engine/embed/fixtures/mnrl.json)
"""
import json
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
ROOT = os.path.join(os.path.dirname(__file__), '..', '..')
OUT = os.path.join(ROOT, 'src', 'engine', 'embed', 'fixtures', 'mnrl.json')


def cos_sim(a, b):
    return F.normalize(a, p=2, dim=1) @ F.normalize(b, p=2, dim=1).T


def mnrl(a, p, n, scale, symmetric, similarity):
    cand = p if n is None else torch.cat([p, n])
    sim = cos_sim if similarity == 'cosine' else (lambda x, y: x @ y.T)
    scores = sim(a, cand) * scale
    labels = torch.arange(a.shape[0])
    forward = F.cross_entropy(scores, labels)
    if not symmetric:
        return forward
    backward = F.cross_entropy(scores[:, : a.shape[0]].T, labels)
    return (forward + backward) / 2


def f32(t):
    return t.float().double()


torch.manual_seed(7)
B, H = 4, 6
cases = []
for name, scale, negatives, symmetric, similarity in [
    ('mnrl', 20.0, False, False, 'cosine'),
    ('mnrl-hard-negatives', 20.0, True, False, 'cosine'),
    ('symmetric', 20.0, False, True, 'cosine'),
    ('symmetric-hard-negatives', 20.0, True, True, 'cosine'),
    ('dot-scale-half', 0.5, True, False, 'dot'),
]:
    a = f32(torch.randn(B, H)).requires_grad_()
    p = f32(a.detach() * 0.3 + torch.randn(B, H)).requires_grad_()
    n = f32(torch.randn(B, H)).requires_grad_() if negatives else None
    loss = mnrl(a, p, n, scale, symmetric, similarity)
    inputs = [a, p] + ([n] if n is not None else [])
    grads = torch.autograd.grad(loss, inputs)
    case = {
        'name': name, 'scale': scale, 'symmetric': symmetric, 'similarity': similarity,
        'anchors': a.detach().tolist(), 'positives': p.detach().tolist(),
        'loss': loss.item(), 'gradAnchors': grads[0].tolist(), 'gradPositives': grads[1].tolist(),
    }
    if n is not None:
        case['negatives'] = n.detach().tolist()
        case['gradNegatives'] = grads[2].tolist()
    cases.append(case)

with open(OUT, 'w') as f:
    json.dump({'source': 'scripts/golden/make_mnrl_fixture.py (float64 PyTorch)', 'cases': cases}, f)
print('wrote', OUT)
