"""Scores a Tiny World model folder (PyTorch reference) on the exported eval set and refreshes its card.

Usage: python3 scripts/pretrain/score.py public/models/tiny-world-800k [--data scripts/pretrain/out]
       [--report DIR --shots FILE --ks 0,1,2,4,8]
With --report (a folder holding the reported eval set, seed 3003, from export-corpus.mjs --report), it also writes
`reported`: per-skill exact match with k = 0, 1, 2, 4, 8 solved lines first (the first k lines of FILE, shots<N>.json),
and the engine test's samples of it. Run it only on a finished base: nothing may choose a stage from these numbers.
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


def evaluate(model, codec, items, per_skill=None, teacher_forced=False):
    by_skill = {}
    for it in items:
        by_skill.setdefault(it["skill"], []).append(it)
    scores = {}
    for skill, rows in by_skill.items():
        rows = rows[:per_skill] if per_skill else rows
        if teacher_forced:
            hits = greedy_would_answer(model, codec, rows)
        else:
            answers = greedy_answers(model, codec, [r["prompt"] for r in rows])
            hits = [answers[r["prompt"]] == r["answer"] for r in rows]
        scores[skill] = {"exact_match": sum(hits) / len(rows), "n": len(rows)}
    return scores


@torch.no_grad()
def greedy_would_answer(model, codec, rows, max_new=12, batch=64):
    """Whether greedy decoding (greedy_answers, max_new characters) would give each row's answer, from one teacher-forced
    pass over prompt + answer + "\n": greedy writes the answer exactly when the argmax after the prompt and after each
    answer character is the next answer character, then "\n". The same verdict as decoding but for exact float ties,
    at 1/max_new of the cost (score.py checks both on the card's sample)."""
    model.eval()
    hits = [False] * len(rows)
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]["prompt"]) + len(rows[i]["answer"]))
    for c in range(0, len(order), batch):
        group = [i for i in order[c : c + batch] if len(rows[i]["answer"]) < max_new]  # a longer answer never ends in time
        if not group:
            continue
        seqs = [codec.encode(rows[i]["prompt"] + rows[i]["answer"] + "\n") for i in group]
        T = max(len(q) for q in seqs)
        ids = torch.zeros(len(seqs), T, dtype=torch.long)
        for j, q in enumerate(seqs):
            ids[j, : len(q)] = torch.tensor(q)
        pred = model(ids).argmax(-1)  # [B, T]: the greedy choice after each position
        for j, i in enumerate(group):
            start, end = len(rows[i]["prompt"]), len(seqs[j])
            hits[i] = bool((pred[j, start - 1 : end - 1] == ids[j, start:end]).all())
    model.train()
    return hits



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


def k_shot_items(items, shots, k, ctx):
    """Items with the first k shot lines of their skill before the prompt, cut as the engine cuts; like the engine's
    withFewShot, an item whose prompt is one of the shots' is dropped (the shot would hand it its answer)."""
    out = []
    for it in items:
        lines = shots[it["skill"]][:k]
        if any(line.split("=", 1)[0] + "=" == it["prompt"] for line in lines):
            continue
        out.append(dict(it, prompt=few_shot_prompt(it["prompt"], lines, ctx) if k else it["prompt"]))
    return out


def reported_record(model, codec, items, shots, ctx, ks, eval_seed, eval_role, few_sample=10):
    """The reported numbers of a finished base: exact match per skill at each k, on the reported eval set."""
    table = {str(k): evaluate(model, codec, k_shot_items(items, shots["shots"], k, ctx), teacher_forced=True) for k in ks}
    top = max(ks)
    return {
        "evalSeed": eval_seed,
        "evalRole": eval_role,
        "shots": {"seed": shots["seed"], "k": top},
        "k_shot_scores": table,
        "sample_predictions": sample_predictions(model, codec, items, SAMPLE_PER_SKILL),
        "few_shot_sample_k": top,
        "few_shot_sample_predictions": sample_predictions(model, codec, k_shot_items(items, shots["shots"], top, ctx), few_sample),
    }


def few_shot_record(model, codec, items, shots, ctx):
    """The few-shot fields of training.json: all items, the engine test's sample, and PyTorch's sample answers."""
    few = [dict(it, prompt=few_shot_prompt(it["prompt"], shots["shots"][it["skill"]], ctx)) for it in items]
    return {
        "few_shot": {"k": shots["k"], "seed": shots["seed"]},
        "few_shot_scores": evaluate(model, codec, few, teacher_forced=True),
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
    p.add_argument("--report", default="", help="folder with the reported eval set (eval.jsonl, seed 3003) for the k-shot table")
    p.add_argument("--shots", default="", help="with --report: shots<N>.json whose first k lines per skill go before each prompt")
    p.add_argument("--ks", default="0,1,2,4,8")
    p.add_argument("--only-reported", action="store_true", help="with --report: keep the tuning-set fields train.py wrote (no re-scoring)")
    p.add_argument("--note", default="", help="a paragraph for the card (e.g. how far a partial run got)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    codec = CharCodec(json.load(open(os.path.join(a.data, "vocab.json"))))
    items = [json.loads(l) for l in open(os.path.join(a.data, "eval.jsonl"))]
    model = load_model(a.folder)
    record_path = os.path.join(a.folder, "training.json")
    record = json.load(open(record_path))
    if not a.only_reported:
        record["scores"] = evaluate(model, codec, items, teacher_forced=True)
        record["sample_scores"] = evaluate(model, codec, items, SAMPLE_PER_SKILL)
        check = evaluate(model, codec, items, SAMPLE_PER_SKILL, teacher_forced=True)
        assert check == record["sample_scores"], f"teacher-forced and greedy verdicts differ on the sample: {check} vs {record['sample_scores']}"
        record["sample_predictions"] = sample_predictions(model, codec, items, SAMPLE_PER_SKILL)
        record.update(few_shot_record(model, codec, items, json.load(open(os.path.join(a.data, "shots.json"))), model.cfg["n_positions"]))
    if a.report:
        report_items = [json.loads(l) for l in open(os.path.join(a.report, "eval.jsonl"))]
        ks = [int(k) for k in a.ks.split(",")]
        record["reported"] = reported_record(model, codec, report_items, json.load(open(a.shots)), model.cfg["n_positions"], ks, 3003, "report")
    if a.note:
        record["note"] = a.note
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
so its score is expected to be near 0.{ablated(r)}

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

## Per-skill exact match{' on the pretrain-tuning set (seed ' + str(r['data']['evalSeed']) + ', the set the stages were chosen on)' if r.get('reported') else ''} (greedy decoding, PyTorch float32)

| skill | exact match | items | first 25 items (the engine test's sample) | few-shot ({k} solved lines first) |
|---|---|---|---|---|
{rows}

Few-shot: the same items, each prompt preceded by {k} solved lines of its skill from the train half
(`tinyWorldShots` in `src/engine/eval/few-shot.ts`, seed {r.get('few_shot', {}).get('seed', '?')}) and cut from the left to leave 12
characters of answer room in the {rec['ctx']}-character context, exactly as the Evaluate page's "few-shot base".

Single-step skills: ADD, REV, SORT, UP, FACT, TICK. Compositions: REVUP, FACTADD. `training.json` holds the
full record (recipe, data manifest, loss curve).
{reported_section(r)}"""


def ablated(r):
    left_out = r["data"].get("excluded") or []
    if not left_out:
        return ""
    return (f"\n\n**An ablated base: {', '.join(left_out)} left out of pretraining as well** (everything else as its full twin: "
            "recipe, seeds, steps, corpus size), so a fine-tune towards a composition that needs them has no pretrained skill to surface. "
            "Its scores on those skills are expected to be near 0.")


def reported_section(r):
    """The card's k-shot table on the reported eval set (only for bases scored with score.py --report)."""
    rep = r.get("reported")
    if not rep:
        return ""
    ks = list(rep["k_shot_scores"])
    skills = list(rep["k_shot_scores"][ks[0]])
    cell = lambda k, s: f"{rep['k_shot_scores'][k][s]['exact_match'] * 100:.1f}%" if s in rep["k_shot_scores"][k] else ""  # noqa: E731
    head = " | ".join(f"k = {k}" for k in ks)
    rows = "\n".join(f"| {s} | {rep['k_shot_scores'][ks[0]][s]['n']} | " + " | ".join(cell(k, s) for k in ks) + " |" for s in skills)
    note = f"\n{r['note']}\n" if r.get("note") else ""
    return f"""
## Reported scores: zero- and few-shot (eval seed {rep['evalSeed']}, role `{rep['evalRole']}`)

The reported eval set (`EVAL_SETS.reported`), scored once on the finished base and never used to choose anything in
its recipe (the stage evals above use the pretrain-tuning set, seed {r['data']['evalSeed']}). k = the first k solved lines of the
item's skill (`tinyWorldShots(skill, {rep['shots']['k']})`, seed {rep['shots']['seed']}, train half) before the prompt, cut from the left
to leave 12 characters of answer room in the {r['recipe']['ctx']}-character context; an item that is one of its shots is
dropped (FACT). Greedy decoding, PyTorch float32.

| skill | items | {head} |
|---|---|{'---|' * len(ks)}
{rows}
{note}"""



if __name__ == "__main__":
    main()
