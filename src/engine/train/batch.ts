// Turns tokenized examples into right-padded next-token batches, and walks the data in a seeded, resumable order.
import type { TokenizedExample } from '../data/example';
import { Rng, type RngState } from '../rng';

export interface TokenBatch {
  batch: number;
  /** Positions per row: the longest example minus one (inputs predict the next token). */
  seq: number;
  /** [batch, seq] ids[0..n−2] of each example, right-padded with 0. */
  inputs: Int32Array;
  /** [batch, seq] ids[1..n−1]. */
  targets: Int32Array;
  /** [batch, seq] weights[1..n−1]; 0 on padding. */
  weights: Float32Array;
  /** Σ weights. */
  weightSum: number;
  /** Real (non-padding) input tokens. */
  tokens: number;
}

/**
 * Right padding needs no attention mask: with a causal mask a real token never sees a later padding token,
 * and padding positions carry weight 0.
 */
export function makeBatch(examples: TokenizedExample[], maxSeqLen: number): TokenBatch {
  const lengths = examples.map((e) => Math.min(e.ids.length, maxSeqLen));
  const seq = Math.max(1, Math.max(...lengths) - 1);
  const batch = examples.length;
  const inputs = new Int32Array(batch * seq);
  const targets = new Int32Array(batch * seq);
  const weights = new Float32Array(batch * seq);
  let weightSum = 0;
  let tokens = 0;
  examples.forEach((e, b) => {
    const n = lengths[b];
    for (let t = 0; t + 1 < n; t++) {
      inputs[b * seq + t] = e.ids[t];
      targets[b * seq + t] = e.ids[t + 1];
      const w = e.weights[t + 1] ?? 0;
      weights[b * seq + t] = w;
      weightSum += w;
    }
    tokens += Math.max(0, n - 1);
  });
  return { batch, seq, inputs, targets, weights, weightSum, tokens };
}

export interface DataOrderState {
  /** The current epoch's permutation of example indices. */
  permutation: number[];
  position: number;
  epoch: number;
  rng: RngState;
}

/** Epochs of seeded shuffles: same seed → same example order; its state restores mid-epoch. */
export class DataOrder {
  private rng: Rng;
  private state: Omit<DataOrderState, 'rng'>;

  constructor(
    private readonly count: number,
    seedOrState: number | DataOrderState,
  ) {
    if (typeof seedOrState === 'number') {
      this.rng = new Rng(seedOrState);
      this.state = { permutation: this.shuffled(), position: 0, epoch: 0 };
    } else {
      this.rng = new Rng(seedOrState.rng);
      this.state = { permutation: [...seedOrState.permutation], position: seedOrState.position, epoch: seedOrState.epoch };
    }
  }

  private shuffled(): number[] {
    return this.rng.shuffle(Array.from({ length: this.count }, (_, i) => i));
  }

  /** The next n example indices, continuing into a fresh shuffle at the end of an epoch. */
  take(n: number): number[] {
    const out: number[] = [];
    while (out.length < n) {
      if (this.state.position >= this.count) {
        this.state = { permutation: this.shuffled(), position: 0, epoch: this.state.epoch + 1 };
      }
      out.push(this.state.permutation[this.state.position++]);
    }
    return out;
  }

  get epoch(): number {
    return this.state.epoch;
  }

  snapshot(): DataOrderState {
    return { ...this.state, permutation: [...this.state.permutation], rng: this.rng.state() };
  }
}
