"""Checks the packed data stream of train.py on a toy corpus (no model): window length, k-shot-shaped windows, cuts that never start at another skill's tag, skill weights.

Run: /usr/bin/python3 -m unittest scripts/pretrain/test_packing.py   (CPU, a second; CI does not need Python, so it is not in npm test)
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train import CharCodec, packed_batches, window_stats  # noqa: E402

TEXTS = ["UP ab=AB", "UP xyz=XYZ", "REVUP ab=BA", "REVUP qrs=SRQ", "ADD 1+2=3", "ADD 40+5=45"] * 20
CODEC = CharCodec({"specials": ["<pad>"], "chars": sorted(set("".join(TEXTS) + "\n"))})
LINES = [CODEC.encode(t + "\n") for t in TEXTS]
TAGS = [t.split(" ", 1)[0] for t in TEXTS]
SKILLS = sorted(set(TAGS))


def draw(batches, **kw):
    opts = dict(batch=50, ctx=128, seed=3, same_skill=0.5, aligned=0.5, weights={}, total_chars=sum(map(len, LINES)))
    opts.update(kw)
    stream = packed_batches(LINES, TAGS, CODEC, opts["batch"], opts["ctx"], opts["seed"], opts["same_skill"], opts["aligned"], opts["weights"], opts["total_chars"])
    return [s for _ in range(batches) for s in next(stream)[0]]


class PackedStream(unittest.TestCase):
    def test_every_window_is_ctx_plus_one_characters(self):
        for ctx in (64, 256):
            self.assertEqual({len(s) for s in draw(4, ctx=ctx)}, {ctx + 1})

    def test_same_skill_windows_are_k_shot_prompts(self):
        # All windows one skill: every complete line shares its tag, and at ctx 256 the short toy lines give >= 8 solved lines and a question.
        stats = window_stats(CODEC, draw(4, ctx=256, same_skill=1.0), SKILLS)
        self.assertEqual(stats["one_skill_share"], 1.0)
        self.assertGreater(stats["k8_shot_share"], 0.95)
        mixed = window_stats(CODEC, draw(4, ctx=256, same_skill=0.0), SKILLS)
        self.assertLess(mixed["one_skill_share"], 0.05)

    def test_a_window_cut_inside_its_first_line_never_starts_at_a_skill_tag(self):
        # "REVUP ab=BA" cut after "REV" would read as an UP line: the stream must not cut there.
        for seq in draw(6, aligned=0.0):
            text = CODEC.decode(seq)
            self.assertFalse(any(text.startswith(t + " ") for t in SKILLS), text[:20])

    def test_skill_weights_shift_the_mixture(self):
        plain = window_stats(CODEC, draw(6, same_skill=0.0), SKILLS)["skill_char_share"]
        heavy = window_stats(CODEC, draw(6, same_skill=0.0, weights={"ADD": 4.0}), SKILLS)["skill_char_share"]
        self.assertGreater(heavy["ADD"], plain["ADD"] + 0.15)

    def test_an_ablated_corpus_yields_no_line_of_a_left_out_skill(self):
        keep = [i for i, t in enumerate(TAGS) if t not in ("UP", "REVUP")]
        lines, tags = [LINES[i] for i in keep], [TAGS[i] for i in keep]
        stream = packed_batches(lines, tags, CODEC, 50, 128, 3, 0.5, 0.5, {}, sum(map(len, lines)))
        text = "".join(CODEC.decode(s) for _ in range(4) for s in next(stream)[0])
        self.assertNotIn("UP ", text)
        self.assertEqual({c for c in text if c.isupper()}, {"A", "D"})  # the ADD tag's letters only: no uppercased answer


if __name__ == "__main__":
    unittest.main()
