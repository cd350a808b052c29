"""Pretrains a Tiny World GPT-2 on the exported corpus (CPU, one thread) and writes the HF-layout model folder.

Usage: python3 scripts/pretrain/train.py --name 800k --layers 4 --embd 128 --heads 4 --steps 3000
(run `node scripts/pretrain/export-corpus.mjs` first; `npm run pretrain` does both).
"""
import argparse
import json
import math
import os
import platform
import random
import time

import numpy as np
import torch
import torch.nn.functional as F

from gpt2_model import GPT2LMHeadModel, gpt2_config
from safetensors_writer import save_safetensors
from score import evaluate, evaluate_few_shot, few_shot_record, model_card, sample_predictions, SAMPLE_PER_SKILL
from safetensors_writer import load_safetensors

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--name", required=True, help="model folder suffix: public/models/tiny-world-<name>")
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--embd", type=int, default=128)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--ctx", type=int, default=64)
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--min-lr-ratio", type=float, default=0.05)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--schedule", choices=["cosine", "linear", "wsd"], default="cosine", help="decay after warmup; wsd: constant lr, then linear decay over the last --decay-steps (so --steps can be changed on --resume when the machine's speed is known)")
    p.add_argument("--decay-steps", type=int, default=500, help="with --schedule wsd: length of the final linear decay")
    p.add_argument("--ckpt-every", type=int, default=0, help="write the resumable checkpoint every this many steps (also at every eval)")
    p.add_argument("--stop-at", type=int, default=0, help="stage 1 of a two-stage recipe: stop after this step index, keep the schedule of --steps, save weights to --save-to")
    p.add_argument("--save-to", default="", help="weights file written at --stop-at, or at the end of the stage")
    p.add_argument("--init-from", default="", help="start from these weights (fresh optimizer): a .pt state dict or a model folder with model.safetensors")
    p.add_argument("--init-layers", default="", help="with --init-from a deeper model: its blocks to copy, in order, e.g. 0,3 (embeddings and final LayerNorm are copied too)")
    p.add_argument("--bucket", action="store_true", help="group lines of similar length into batches (less padding)")
    p.add_argument("--pack", action="store_true", help="train on packed sequences of ctx+1 characters (several lines each) instead of one line per sequence")
    p.add_argument("--same-skill", type=float, default=0.5, help="with --pack: share of sequences whose lines all come from one skill (like a few-shot prompt)")
    p.add_argument("--aligned", type=float, default=0.5, help="with --pack: share of sequences that start at a line start; the rest start inside their first line (like a prompt cut from the left)")
    p.add_argument("--any-cut", action="store_true", help="with --pack: let a sequence start at any character of its first line, even where the rest reads as another skill's line (a first stage used it; it taught UP the REVUP answers)")
    p.add_argument("--skill-weights", default="", help="with --pack: sampling weight multipliers per skill, e.g. TICK=2,ADD=1.5 (default 1 = the corpus mixture)")
    p.add_argument("--stage-note", default="", help="recipe text recorded in the model card for a multi-stage run")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run from its periodic checkpoint (weights, optimizer, step; the data stream is replayed)")
    p.add_argument("--ckpt", default="", help="resumable checkpoint file (default: <data>/tiny-world-<name>.ckpt.pt); give each stage of a preset its own")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--eval-every", type=int, default=500)
    p.add_argument("--quick-eval", type=int, default=40, help="items per skill in periodic evals")
    p.add_argument("--few-k", type=int, default=0, help="periodic few-shot evals put this many solved lines first (from shots<N>.json when it has them; default: shots.json's k)")
    p.add_argument("--data", default=os.path.join(HERE, "out"))
    p.add_argument("--pos-init", choices=["tile", "tail"], default="tile", help="with --init-from a shorter context: tile: new position p starts as p mod n; tail: as n/2 + (p - n/2) mod n/2 (copies of the second half only, whose positions packed training made generic; position 0, the start of every window, is not copied)")
    p.add_argument("--bench", type=int, default=0, help="only time this many steps and exit")
    p.add_argument("--dry-run", type=int, default=0, help="build no model: draw this many batches of the data stream, print what they hold (lines per window, windows shaped like a k-shot prompt, skill shares) and exit")
    return p.parse_args()


class CharCodec:
    def __init__(self, vocab):
        self.specials = vocab["specials"]
        self.tokens = list(self.specials) + list(vocab["chars"])
        self.ids = {t: i for i, t in enumerate(self.tokens)}
        self.newline = self.ids["\n"]

    def encode(self, text):
        return [self.ids[c] for c in text]

    def decode(self, ids):
        return "".join(self.tokens[i] for i in ids)


def tokenizer_json(codec):
    """The same tokenizer.json as src/engine/tokenizers buildCharTokenizerJson(WORLD_CHARS)."""
    vocab = {t: i for i, t in enumerate(codec.tokens)}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}
            for t in codec.specials
        ],
        "normalizer": None,
        "pre_tokenizer": None,
        "post_processor": None,
        "decoder": {"type": "Fuse"},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": "<unk>",
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": vocab,
            "merges": [],
        },
    }


def batches(lines, batch, seed, bucket=False):
    """Shuffled batches of lines, forever. With bucket, each run of 32 batches is regrouped by line length so that
    padding (and compute) drops about by half; batch order stays random."""
    rng = random.Random(seed)
    order = list(range(len(lines)))
    epoch = 0
    while True:
        rng.shuffle(order)
        chunk = batch * (32 if bucket else 1)
        for c in range(0, len(order) - chunk + 1, chunk):
            ids = order[c : c + chunk]
            if bucket:
                ids.sort(key=lambda j: len(lines[j]))
            groups = [ids[i : i + batch] for i in range(0, chunk, batch)]
            if bucket:
                rng.shuffle(groups)
            for g in groups:
                yield [lines[j] for j in g], epoch
        epoch += 1


def packed_batches(lines, tags, codec, batch, ctx, seed, same_skill, aligned, weights, total_chars, any_cut=False):
    """Batches of packed sequences of ctx+1 characters, forever. Each sequence concatenates random corpus lines;
    with probability same_skill all of them come from one skill (the shape of a few-shot prompt), and with
    probability 1 - aligned it starts at a random character inside its first line (the shape of a prompt that the
    engine cut from the left). Skills are drawn in proportion to their corpus share times weights[skill].
    Yields (sequences, epochs of characters drawn so far)."""
    rng = random.Random(seed)
    # A cut line must not look like another skill's line: REVUP's tail "UP abc=CBA" would teach UP a wrong answer.
    tag_ids = [tuple(codec.encode(t + " ")) for t in sorted(set(tags))]
    def starts_with_tag(ids):
        return any(tuple(ids[: len(t)]) == t for t in tag_ids)
    by_skill = {}
    for line, tag in zip(lines, tags):
        by_skill.setdefault(tag, []).append(line)
    names = sorted(by_skill)
    w = [len(by_skill[n]) * weights.get(n, 1.0) for n in names]
    drawn = 0
    while True:
        seqs = []
        for _ in range(batch):
            skill = rng.choices(names, w)[0] if rng.random() < same_skill else None
            def draw():
                pool = by_skill[skill or rng.choices(names, w)[0]]
                return pool[rng.randrange(len(pool))]
            first = draw()
            if rng.random() < aligned:
                s = list(first)
            elif any_cut:
                s = list(first[rng.randrange(len(first)) :])
            else:
                cuts = [c for c in range(1, len(first)) if not starts_with_tag(first[c:])]
                s = list(first[rng.choice(cuts) :])
            while len(s) < ctx + 1:
                s += draw()
            seqs.append(s[: ctx + 1])
            drawn += ctx + 1
        yield seqs, drawn / total_chars


def window_stats(codec, seqs, skills, k=8):
    """What packed windows hold: complete lines (a newline on both sides, or the window's start when it starts at a
    line start), windows whose complete lines are all one skill, and those with at least k + 1 of them (k solved
    lines, then a question answered after them: the shape of a k-shot prompt)."""
    complete, one_skill, k_shot, chars = [], 0, 0, {}
    for seq in seqs:
        text = codec.decode(seq)
        parts = text.split("\n")
        starts_aligned = any(text.startswith(t + " ") for t in skills)
        whole = ([parts[0]] if starts_aligned else []) + parts[1:-1]
        complete.append(len(whole))
        tags = [w.split(" ", 1)[0] for w in whole]
        if tags and len(set(tags)) == 1:
            one_skill += 1
            if len(whole) >= k + 1:
                k_shot += 1
        for w in whole:
            chars[w.split(" ", 1)[0]] = chars.get(w.split(" ", 1)[0], 0) + len(w) + 1
    total = sum(chars.values()) or 1
    return {
        "windows": len(seqs),
        "window_chars": sorted(set(len(s) for s in seqs)),
        "complete_lines_per_window": round(sum(complete) / len(seqs), 2),
        "one_skill_share": round(one_skill / len(seqs), 3),
        f"k{k}_shot_share": round(k_shot / len(seqs), 3),
        "skill_char_share": {t: round(c / total, 3) for t, c in sorted(chars.items())},
        "example": codec.decode(seqs[0]),
    }


def to_tensors(seqs):
    T = max(len(s) for s in seqs)
    x = torch.zeros(len(seqs), T, dtype=torch.long)  # pad id 0
    y = torch.full((len(seqs), T), -100, dtype=torch.long)
    for i, s in enumerate(seqs):
        x[i, : len(s)] = torch.tensor(s)
        y[i, : len(s) - 1] = torch.tensor(s[1:])  # predict ids[t+1]; pads are ignored
    return x[:, :-1], y[:, :-1]


def json_items(args):
    return [json.loads(l) for l in open(os.path.join(args.data, "eval.jsonl"))]


def lr_at(step, args):
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    if args.schedule == "wsd":
        into = step - (args.steps - args.decay_steps)
        return args.lr * (1 - (1 - args.min_lr_ratio) * max(0, into) / args.decay_steps)
    progress = (step - args.warmup) / max(1, args.steps - args.warmup)
    if args.schedule == "linear":
        return args.lr * (1 - (1 - args.min_lr_ratio) * progress)
    return args.lr * (args.min_lr_ratio + (1 - args.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    vocab = json.load(open(os.path.join(args.data, "vocab.json")))
    data_manifest = json.load(open(os.path.join(args.data, "manifest.json")))
    codec = CharCodec(vocab)
    texts = [l for l in open(os.path.join(args.data, "corpus.txt")).read().split("\n") if l]
    lines = [codec.encode(l + "\n") for l in texts]
    tags = [l.split(" ", 1)[0] for l in texts]  # the skill tag that starts every line
    shots = json.load(open(os.path.join(args.data, "shots.json")))
    assert max(len(l) for l in lines) <= args.ctx, "a corpus line is longer than the context"
    periodic_shots = shots["shots"]
    if args.few_k:
        many = [f for f in os.listdir(args.data) if f.startswith("shots") and f[5:-5].isdigit() and int(f[5:-5]) >= args.few_k]
        source = json.load(open(os.path.join(args.data, many[0])))["shots"] if many else shots["shots"]
        periodic_shots = {k: v[: args.few_k] for k, v in source.items()}
    eval_items = [json.loads(l) for l in open(os.path.join(args.data, "eval.jsonl"))]
    if args.dry_run:
        weights = {k: float(v) for k, v in (kv.split("=") for kv in args.skill_weights.split(",") if kv)}
        stream = packed_batches(lines, tags, codec, args.batch, args.ctx, args.seed, args.same_skill, args.aligned, weights, sum(map(len, lines)), args.any_cut)
        print(json.dumps(window_stats(codec, [s for _ in range(args.dry_run) for s in next(stream)[0]], sorted(set(tags))), indent=1))
        return
    cfg = gpt2_config(len(codec.tokens), args.layers, args.embd, args.heads, args.ctx)
    model = GPT2LMHeadModel(cfg)
    if args.init_from:
        if args.init_from.endswith(".pt"):
            source = torch.load(args.init_from)
        else:
            source = {k: torch.from_numpy(v) for k, v in load_safetensors(os.path.join(args.init_from, "model.safetensors")).items()}
        if args.init_layers:
            # A shallower model from a deeper one: block j takes source block keep[j]; everything else is shared.
            keep = [int(i) for i in args.init_layers.split(",")]
            assert len(keep) == args.layers, "--init-layers must name one source block per layer"
            picked = {k: v for k, v in source.items() if not k.startswith("transformer.h.")}
            for j, i in enumerate(keep):
                prefix = f"transformer.h.{i}."
                picked.update({f"transformer.h.{j}." + k[len(prefix):]: v for k, v in source.items() if k.startswith(prefix)})
            source = picked
        wpe = "transformer.wpe.weight"
        if source[wpe].shape[0] < cfg["n_positions"]:
            # A longer context than the source's: its learned positions are tiled (position p starts as p mod n), so
            # what the source learnt about nearby positions holds within each copy; training at the new length goes on from there.
            n = source[wpe].shape[0]
            if args.pos_init == "tail":
                h = n // 2
                index = torch.tensor([p if p < n else h + (p - h) % h for p in range(cfg["n_positions"])])
                source[wpe] = source[wpe][index].clone()
            else:
                source[wpe] = source[wpe].repeat((cfg["n_positions"] + n - 1) // n, 1)[: cfg["n_positions"]].clone()
            print(f"positions {n} -> {cfg['n_positions']}: {args.pos_init}", flush=True)
        model.load_state_dict(source, strict=True)
    n_params = sum(p.numel() for p in model.parameters())
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=args.lr, betas=(0.9, 0.95),
    )
    print(f"tiny-world-{args.name}: {n_params} parameters, {len(lines)} lines, {args.steps} steps", flush=True)
    if args.init_from:
        scores = evaluate(model, codec, eval_items, args.quick_eval)
        print("eval init", json.dumps({k: round(v["exact_match"], 3) for k, v in scores.items()}), flush=True)
    if args.pack:
        weights = {k: float(v) for k, v in (kv.split("=") for kv in args.skill_weights.split(",") if kv)}
        stream = packed_batches(lines, tags, codec, args.batch, args.ctx, args.seed, args.same_skill, args.aligned, weights, sum(map(len, lines)), args.any_cut)
    else:
        stream = batches(lines, args.batch, args.seed, args.bucket)
    ckpt_path = args.ckpt or os.path.join(args.data, f"tiny-world-{args.name}.ckpt.pt")
    first_step, tokens_seen, curve, prior_seconds = 0, 0, [], 0.0
    if args.resume and os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        first_step, tokens_seen, curve, prior_seconds = ck["step"] + 1, ck["tokens_seen"], ck["curve"], ck["seconds"]
        torch.set_rng_state(ck["torch_rng"])
        for _ in range(first_step):
            next(stream)  # the same batches as an uninterrupted run
        print(f"resumed after step {ck['step']}", flush=True)
    start = time.time() - prior_seconds
    for step in range(first_step, args.steps if not args.bench else args.bench):
        seqs, epoch = next(stream)
        x, y = to_tensors(seqs)
        tokens_seen += sum(len(s) for s in seqs)
        for g in opt.param_groups:
            g["lr"] = lr_at(step, args)
        logits = model(x)  # [B, T, V]
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=-100)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % 50 == 0:
            el = time.time() - start
            print(f"step {step} loss {loss.item():.4f} lr {lr_at(step, args):.2e} epoch {epoch} {el:.0f}s ({el / (step + 1):.3f}s/step)", flush=True)
            curve.append([step, round(loss.item(), 4)])
        if args.ckpt_every and step > 0 and step % args.ckpt_every == 0 and not args.bench:
            ck = {"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "tokens_seen": tokens_seen, "curve": curve, "seconds": time.time() - start, "torch_rng": torch.get_rng_state()}
            torch.save(ck, ckpt_path)
        if args.eval_every and step > 0 and step % args.eval_every == 0 and not args.bench:
            scores = evaluate(model, codec, eval_items, args.quick_eval)
            print("eval", step, json.dumps({k: round(v["exact_match"], 3) for k, v in scores.items()}), flush=True)
            few = evaluate_few_shot(model, codec, eval_items, periodic_shots, args.ctx, args.quick_eval)
            print(f"few-shot k={len(next(iter(periodic_shots.values())))}", step, json.dumps({k: round(v["exact_match"], 3) for k, v in few.items()}), flush=True)
            ck = {"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "tokens_seen": tokens_seen, "curve": curve, "seconds": time.time() - start, "torch_rng": torch.get_rng_state()}
            torch.save(ck, ckpt_path)
        if args.stop_at and step == args.stop_at:
            # Weights after the update of step index stop_at (the same as the periodic checkpoint at that step).
            torch.save(model.state_dict(), args.save_to)
            print(f"stopped after step {step}; weights in {args.save_to}", flush=True)
            return
    train_seconds = time.time() - start
    if args.bench:
        print(f"bench: {train_seconds / args.bench:.3f}s/step, {tokens_seen / train_seconds:.0f} tokens/s")
        return
    if args.save_to:
        # A middle stage of a multi-stage recipe that ran to its end: the next stage starts from these weights, and
        # the model folder is left alone (only the last stage writes it).
        torch.save(model.state_dict(), args.save_to)
        print(f"weights in {args.save_to}", flush=True)
        return
    scores = evaluate(model, codec, eval_items, teacher_forced=True)  # the greedy verdicts, from one pass per item (score.py)
    sample_scores = evaluate(model, codec, eval_items, SAMPLE_PER_SKILL)
    print("final", json.dumps(scores), flush=True)
    write_model_folder(args, cfg, codec, model, n_params, scores, sample_scores, train_seconds, tokens_seen, curve, data_manifest, shots)


def write_model_folder(args, cfg, codec, model, n_params, scores, sample_scores, train_seconds, tokens_seen, curve, data_manifest, shots):
    folder = os.path.join(ROOT, "public", "models", f"tiny-world-{args.name}")
    os.makedirs(folder, exist_ok=True)
    tensors = {n: p.detach().numpy().astype(np.float32) for n, p in model.state_dict().items()}
    save_safetensors(os.path.join(folder, "model.safetensors"), tensors, {"format": "pt"})
    json.dump(cfg, open(os.path.join(folder, "config.json"), "w"), indent=2)
    json.dump(tokenizer_json(codec), open(os.path.join(folder, "tokenizer.json"), "w"), ensure_ascii=False, indent=1)
    recipe = {k: v for k, v in vars(args).items() if k not in ("data", "bench", "ckpt")}
    result = {
        "model": f"tiny-world-{args.name}",
        "parameters": n_params,
        "recipe": recipe,
        "data": data_manifest,
        "tokens_trained": tokens_seen,
        "train_seconds": round(train_seconds),
        "hardware": f"{cpu_name()}, {args.threads} thread(s) of a shared machine, torch {torch.__version__}",
        "scores": scores,
        "sample_scores": sample_scores,
        "sample_predictions": sample_predictions(model, codec, json_items(args), SAMPLE_PER_SKILL),
        **few_shot_record(model, codec, json_items(args), shots, cfg["n_positions"]),
        "loss_curve": curve,
    }
    json.dump(result, open(os.path.join(folder, "training.json"), "w"), indent=1)
    with open(os.path.join(folder, "model_card.md"), "w") as f:
        f.write(model_card(result))
    print(f"wrote {folder}", flush=True)


if __name__ == "__main__":
    main()
