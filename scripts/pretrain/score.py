"""Scores a Tiny World model folder (PyTorch reference) on the exported eval set and refreshes its card.

Usage: python3 scripts/pretrain/score.py public/models/tiny-world-800k [--data scripts/pretrain/out]
Writes `scores` (all eval items per skill) and `sample_scores` (the first SAMPLE_PER_SKILL items per skill, the
sample the Vitest reproduction test evaluates with our engine) into training.json, and rewrites model_card.md.
"""
import argparse
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from gpt2_model import GPT2LMHeadModel  # noqa: E402
from safetensors_writer import load_safetensors  # noqa: E402

SAMPLE_PER_SKILL = 25


@torch.no_grad()
def greedy_answers(model, codec, prompts, max_new=12):
    """Greedy decode until "\\n"; returns the text before the newline (or all max_new chars if none came)."""
    model.eval()
    out = {}
    by_len = {}
    for p in prompts:
        by_len.setdefault(len(p), []).append(p)
    for plen, group in by_len.items():
        ids = torch.tensor([codec.encode(p) for p in group])  # [B, T]
        done = [None] * len(group)
        gen = [[] for _ in group]
        for _ in range(max_new):
            nxt = model(ids)[:, -1].argmax(-1)  # [B]
            ids = torch.cat([ids, nxt[:, None]], dim=1)
            for i, t in enumerate(nxt.tolist()):
                if done[i] is None:
                    if t == codec.newline:
                        done[i] = codec.decode(gen[i])
                    else:
                        gen[i].append(t)
            if all(d is not None for d in done):
                break
        for p, d, g in zip(group, done, gen):
            out[p] = d if d is not None else codec.decode(g) + "…"
    model.train()
    return out


def evaluate(model, codec, items, per_skill=None):
    by_skill = {}
    for it in items:
        by_skill.setdefault(it["skill"], []).append(it)
    scores = {}
    for skill, rows in by_skill.items():
        rows = rows[:per_skill] if per_skill else rows
        answers = greedy_answers(model, codec, [r["prompt"] for r in rows])
        scores[skill] = {"exact_match": sum(answers[r["prompt"]] == r["answer"] for r in rows) / len(rows), "n": len(rows)}
    return scores



def few_shot_prompt(prompt, shots, ctx, max_new=12):
    """The few-shot prompt exactly as the engine builds it: the solved shot lines, then the prompt, cut from the
    left to leave room for max_new answer characters in the context (src/engine/eval/eval-model.ts)."""
    text = "".join(shots) + prompt
    room = max(1, ctx - max_new)
    return text[-room:]


def evaluate_few_shot(model, codec, items, shots, ctx, per_skill=None):
    """Exact match of the base prompted with each skill's solved shot lines (shots.json from export-corpus.mjs)."""
    few = [dict(it, prompt=few_shot_prompt(it["prompt"], shots[it["skill"]], ctx)) for it in items]
    return evaluate(model, codec, few, per_skill)


def few_shot_record(model, codec, items, shots, ctx):
    """The few-shot fields of training.json: all items, the engine test's sample, and PyTorch's sample answers."""
    few = [dict(it, prompt=few_shot_prompt(it["prompt"], shots["shots"][it["skill"]], ctx)) for it in items]
    return {
        "few_shot": {"k": shots["k"], "seed": shots["seed"]},
        "few_shot_scores": evaluate(model, codec, few),
        "few_shot_sample_scores": evaluate(model, codec, few, SAMPLE_PER_SKILL),
        "few_shot_sample_predictions": sample_predictions(model, codec, few, SAMPLE_PER_SKILL),
    }


def sample_predictions(model, codec, items, per_skill):
    """Greedy answers (text before the newline, at most 12 characters) of the first per_skill items of each skill."""
    out = {}
    for it in items:
        rows = out.setdefault(it["skill"], [])
        if len(rows) < per_skill:
            rows.append(it["prompt"])
    return {skill: [a.rstrip("…") for a in map(greedy_answers(model, codec, prompts).get, prompts)] for skill, prompts in out.items()}


def load_model(folder):
    cfg = json.load(open(os.path.join(folder, "config.json")))
    model = GPT2LMHeadModel(cfg)
    tensors = load_safetensors(os.path.join(folder, "model.safetensors"))
    model.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()}, strict=True)
    return model


def main():
    from train import CharCodec  # noqa: E402

    p = argparse.ArgumentParser()
    p.add_argument("folder")
    p.add_argument("--data", default=os.path.join(HERE, "out"))
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    codec = CharCodec(json.load(open(os.path.join(a.data, "vocab.json"))))
    items = [json.loads(l) for l in open(os.path.join(a.data, "eval.jsonl"))]
    model = load_model(a.folder)
    record_path = os.path.join(a.folder, "training.json")
    record = json.load(open(record_path))
    record["scores"] = evaluate(model, codec, items)
    record["sample_scores"] = evaluate(model, codec, items, SAMPLE_PER_SKILL)
    record["sample_predictions"] = sample_predictions(model, codec, items, SAMPLE_PER_SKILL)
    record.update(few_shot_record(model, codec, items, json.load(open(os.path.join(a.data, "shots.json"))), model.cfg["n_positions"]))
    json.dump(record, open(record_path, "w"), indent=1)
    with open(os.path.join(a.folder, "model_card.md"), "w") as f:
        f.write(model_card(record))
    print(json.dumps({"scores": record["scores"], "sample_scores": record["sample_scores"]}))


def model_card(r):
    rec = r["recipe"]
    spec = r["data"]["corpus"]["spec"]
    sample = r.get("sample_scores", {})
    few = r.get("few_shot_scores", {})
    pct = lambda table, s, digits: f"{table[s]['exact_match'] * 100:.{digits}f}%" if s in table else ""  # noqa: E731
    rows = "\n".join(f"| {s} | {pct(r['scores'], s, 1)} | {v['n']} | {pct(sample, s, 0)} | {pct(few, s, 1)} |" for s, v in r["scores"].items())
    k = r.get("few_shot", {}).get("k", "k")
    stages = f"- Stages: {rec['stage_note']}\n" if rec.get("stage_note") else ""
    batch_unit = f"packed sequences of {rec['ctx'] + 1} characters (several lines each)" if rec.get("pack") else "lines"
    total = r.get("all_stages_seconds")
    total_time = f" All stages listed above: about {total / 60:.0f} minutes of the same machine." if total else ""
    return f"""# {r['model']}

A character-level GPT-2 pretrained by TuneLab on the Tiny World corpus (`src/engine/world/`). It ships with the
app so demos and tests work offline. **ROUTE is deliberately absent from pretraining** (the fine-tuning target),
so its score is expected to be near 0.

- Architecture: GPT-2 (pre-LayerNorm, learned positions, gelu_new, tied embeddings), {rec['layers']} layers,
  d_model {rec['embd']}, {rec['heads']} heads, context {rec['ctx']}; {r['parameters']:,} parameters in total.
- Tokenizer: one token per character (`tokenizer.json`: BPE with single-character vocabulary, no merges,
  specials `<pad>`=0, `<eos>`=1, `<unk>`=2). Lines are fed from position 0 with no BOS token; an answer ends with `\\n`.
- Data: `generateWorldDataset({{ mix: PRETRAIN_MIX, size: {spec['size']}, split: 'train', seed: {spec['seed']} }})`
  (generator `{r['data']['corpus']['generator']}`), mixture {json.dumps(spec['mix'])}; {r['data']['characters']} characters.
  Eval items come from the disjoint eval half of each skill's item space (seed {r['data']['evalSeed']}).
{stages}- Recipe{' (final stage)' if rec.get('stage_note') else ''}: AdamW (betas 0.9/0.95, weight decay {rec['weight_decay']} on matrices), lr {rec['lr']} with {rec['warmup']} warmup
  steps and {rec.get('schedule', 'cosine')} decay to {rec['min_lr_ratio']}×, batch {rec['batch']} {batch_unit}, {rec['steps']} steps, gradient clip 1.0,
  loss on every character, torch seed {rec['seed']}.
- Tokens trained{' (final stage)' if rec.get('stage_note') else ''}: {r['tokens_trained']} ({r['tokens_trained'] / max(1, r['data']['characters']):.2f} epochs of the corpus).
- Training time{' (final stage)' if rec.get('stage_note') else ''}: {r['train_seconds'] / 60:.1f} minutes on {r['hardware']}.{total_time}
- Re-create: `npm run pretrain -- {rec['name']}` (exports the corpus with `scripts/pretrain/export-corpus.mjs`, then runs
  `scripts/pretrain/train.py`; see `docs/tiny-world.md`).

## Per-skill exact match (greedy decoding, PyTorch float32)

| skill | exact match | items | first 25 items (the engine test's sample) | few-shot ({k} solved lines first) |
|---|---|---|---|---|
{rows}

Few-shot: the same items, each prompt preceded by {k} solved lines of its skill from the train half
(`tinyWorldShots` in `src/engine/eval/few-shot.ts`, seed {r.get('few_shot', {}).get('seed', '?')}) and cut from the left to leave 12
characters of answer room in the 64-character context, exactly as the Evaluate page's "few-shot base".

Single-step skills: ADD, REV, SORT, UP, FACT, TICK. Compositions: REVUP, FACTADD. `training.json` holds the
full record (recipe, data manifest, loss curve).
"""



if __name__ == "__main__":
    main()
