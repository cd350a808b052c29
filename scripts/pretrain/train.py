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
from score import evaluate, model_card, sample_predictions, SAMPLE_PER_SKILL

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
    p.add_argument("--schedule", choices=["cosine", "linear"], default="cosine", help="decay after warmup")
    p.add_argument("--stop-at", type=int, default=0, help="stage 1 of a two-stage recipe: stop after this step index, keep the schedule of --steps, save weights to --save-to")
    p.add_argument("--save-to", default="", help="weights file written at --stop-at, or at the end of the stage")
    p.add_argument("--init-from", default="", help="stage 2: start from these weights (fresh optimizer)")
    p.add_argument("--bucket", action="store_true", help="group lines of similar length into batches (less padding)")
    p.add_argument("--stage-note", default="", help="recipe text recorded in the model card for a multi-stage run")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--eval-every", type=int, default=500)
    p.add_argument("--quick-eval", type=int, default=40, help="items per skill in periodic evals")
    p.add_argument("--data", default=os.path.join(HERE, "out"))
    p.add_argument("--bench", type=int, default=0, help="only time this many steps and exit")
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
    lines = [codec.encode(l + "\n") for l in open(os.path.join(args.data, "corpus.txt")).read().split("\n") if l]
    assert max(len(l) for l in lines) <= args.ctx, "a corpus line is longer than the context"
    eval_items = [json.loads(l) for l in open(os.path.join(args.data, "eval.jsonl"))]
    cfg = gpt2_config(len(codec.tokens), args.layers, args.embd, args.heads, args.ctx)
    model = GPT2LMHeadModel(cfg)
    if args.init_from:
        model.load_state_dict(torch.load(args.init_from))
    n_params = sum(p.numel() for p in model.parameters())
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=args.lr, betas=(0.9, 0.95),
    )
    print(f"tiny-world-{args.name}: {n_params} parameters, {len(lines)} lines, {args.steps} steps", flush=True)
    stream = batches(lines, args.batch, args.seed, args.bucket)
    start = time.time()
    tokens_seen, curve = 0, []
    for step in range(args.steps if not args.bench else args.bench):
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
        if args.eval_every and step > 0 and step % args.eval_every == 0 and not args.bench:
            scores = evaluate(model, codec, eval_items, args.quick_eval)
            print("eval", step, json.dumps({k: round(v["exact_match"], 3) for k, v in scores.items()}), flush=True)
            torch.save(model.state_dict(), os.path.join(args.data, f"tiny-world-{args.name}.ckpt.pt"))
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
        # A middle stage of a multi-stage recipe that ran to its end: the next stage starts from these weights.
        torch.save(model.state_dict(), args.save_to)
    scores = evaluate(model, codec, eval_items)
    sample_scores = evaluate(model, codec, eval_items, SAMPLE_PER_SKILL)
    print("final", json.dumps(scores), flush=True)
    write_model_folder(args, cfg, codec, model, n_params, scores, sample_scores, train_seconds, tokens_seen, curve, data_manifest)


def write_model_folder(args, cfg, codec, model, n_params, scores, sample_scores, train_seconds, tokens_seen, curve, data_manifest):
    folder = os.path.join(ROOT, "public", "models", f"tiny-world-{args.name}")
    os.makedirs(folder, exist_ok=True)
    tensors = {n: p.detach().numpy().astype(np.float32) for n, p in model.state_dict().items()}
    save_safetensors(os.path.join(folder, "model.safetensors"), tensors, {"format": "pt"})
    json.dump(cfg, open(os.path.join(folder, "config.json"), "w"), indent=2)
    json.dump(tokenizer_json(codec), open(os.path.join(folder, "tokenizer.json"), "w"), ensure_ascii=False, indent=1)
    recipe = {k: v for k, v in vars(args).items() if k not in ("data", "bench")}
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
        "loss_curve": curve,
    }
    json.dump(result, open(os.path.join(folder, "training.json"), "w"), indent=1)
    with open(os.path.join(folder, "model_card.md"), "w") as f:
        f.write(model_card(result))
    print(f"wrote {folder}", flush=True)


if __name__ == "__main__":
    main()
