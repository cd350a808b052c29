// The bench's baseline: a GPT-2 LoRA train step and a KV-cache-free greedy decode written plainly with stock tfjs ops.
// Deliberately straightforward (no fused kernels, no cache): it is what the engine's speed is compared against.
import { tf, type Tensor, type Variable } from '../../engine/backend/tf';
import type { BenchShape } from './shapes';

type Tensor2D = tf.Tensor2D;

export interface BaselineLora {
  r: number;
  lora_alpha: number;
  target_modules: readonly string[];
}

interface Linear {
  name: string;
  w: Tensor2D; // [in, out], frozen
  b: Tensor; // [out], frozen
  loraA?: Variable; // [in, r]
  loraB?: Variable; // [r, out]
}

interface Block {
  ln1: { g: Tensor; b: Tensor };
  attn: Linear; // c_attn [C, 3C]
  proj: Linear; // attn.c_proj [C, C]
  ln2: { g: Tensor; b: Tensor };
  fc: Linear; // mlp.c_fc [C, 4C]
  mlpProj: Linear; // mlp.c_proj [4C, C]
}

export class BaselineGpt {
  readonly wte: Tensor2D; // [V, C]
  readonly wpe: Tensor2D; // [T, C]
  readonly blocks: Block[] = [];
  readonly lnF: { g: Tensor; b: Tensor };
  readonly trainable: Variable[] = [];
  private readonly scale: number;
  private readonly masks = new Map<number, Tensor>();

  constructor(
    readonly shape: BenchShape,
    lora: BaselineLora,
    seed = 1,
  ) {
    const { vocab, d, layers, seq } = shape;
    let s = seed;
    const normal = (dims: number[], std = 0.02) => tf.randomNormal(dims, 0, std, 'float32', s++);
    const ln = () => ({ g: tf.ones([d]), b: tf.zeros([d]) });
    const targets = new Set(lora.target_modules);
    this.scale = lora.lora_alpha / lora.r;
    const linear = (name: string, inDim: number, outDim: number): Linear => {
      const lin: Linear = { name, w: normal([inDim, outDim]) as Tensor2D, b: tf.zeros([outDim]) };
      if (targets.has(name)) {
        // PEFT init: A Kaiming-uniform (bound 1/sqrt(in)), B zero.
        const bound = 1 / Math.sqrt(inDim);
        lin.loraA = tf.tidy(() => tf.variable(tf.randomUniform([inDim, lora.r], -bound, bound, 'float32', s++)));
        lin.loraB = tf.tidy(() => tf.variable(tf.zeros([lora.r, outDim])));
        this.trainable.push(lin.loraA, lin.loraB);
      }
      return lin;
    };
    this.wte = normal([vocab, d]) as Tensor2D;
    this.wpe = normal([seq, d], 0.01) as Tensor2D;
    for (let l = 0; l < layers; l++) {
      this.blocks.push({
        ln1: ln(),
        attn: linear('c_attn', d, 3 * d),
        proj: linear('c_proj', d, d),
        ln2: ln(),
        fc: linear('c_fc', d, 4 * d),
        mlpProj: linear('c_proj', 4 * d, d),
      });
    }
    this.lnF = ln();
  }

  /** x·W + b + s·(x·A)·B, never materialising W + A·B. x: [N, in] → [N, out]. */
  private linear(x: Tensor2D, lin: Linear): Tensor2D {
    let y = tf.add(tf.matMul(x, lin.w), lin.b) as Tensor2D;
    if (lin.loraA && lin.loraB) y = tf.add(y, tf.mul(tf.matMul(tf.matMul(x, lin.loraA as Tensor2D), lin.loraB as Tensor2D), this.scale));
    return y;
  }

  private layerNorm(x: Tensor2D, p: { g: Tensor; b: Tensor }): Tensor2D {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), p.g), p.b) as Tensor2D;
  }

  /** GPT-2's tanh GELU. */
  private gelu(x: Tensor): Tensor {
    const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
  }

  /** Additive causal mask [T, T]: 0 on and below the diagonal, -1e9 above. Kept for the model's lifetime. */
  private causalMask(t: number): Tensor {
    let m = this.masks.get(t);
    if (!m) {
      m = tf.keep(tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([t, t]), -1, 0)), -1e9));
      this.masks.set(t, m);
    }
    return m;
  }

  private attention(x: Tensor2D, block: Block, batch: number, t: number): Tensor2D {
    const { d, heads } = this.shape;
    const hd = d / heads;
    const qkv = this.linear(x, block.attn); // [B*T, 3C]
    const [q, k, v] = tf.split(qkv, 3, 1).map(
      (z) => tf.transpose(tf.reshape(z, [batch, t, heads, hd]), [0, 2, 1, 3]), // [B, H, T, hd]
    );
    const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(hd)), this.causalMask(t)); // [B, H, T, T]
    const y = tf.matMul(tf.softmax(scores, -1), v); // [B, H, T, hd]
    const merged = tf.reshape(tf.transpose(y, [0, 2, 1, 3]), [batch * t, d]) as Tensor2D; // [B*T, C]
    return this.linear(merged, block.proj);
  }

  /** ids [B, T] int32 → logits [B*T, V]. */
  logits(ids: Tensor): Tensor2D {
    const [batch, t] = ids.shape as [number, number];
    const { d } = this.shape;
    const tok = tf.gather(this.wte, tf.reshape(ids, [-1])); // [B*T, C]
    const pos = tf.tile(tf.slice(this.wpe, [0, 0], [t, d]), [batch, 1]); // [B*T, C]
    let x = tf.add(tok, pos) as Tensor2D;
    for (const block of this.blocks) {
      x = tf.add(x, this.attention(this.layerNorm(x, block.ln1), block, batch, t)) as Tensor2D;
      const h = this.gelu(this.linear(this.layerNorm(x, block.ln2), block.fc)) as Tensor2D;
      x = tf.add(x, this.linear(h, block.mlpProj)) as Tensor2D;
    }
    return tf.matMul(this.layerNorm(x, this.lnF), this.wte, false, true); // tied lm_head: [B*T, V]
  }

  /** Mean next-token cross-entropy. batch [B, T+1] int32: inputs are [:, :T], targets [:, 1:]. */
  loss(batchIds: Tensor): tf.Scalar {
    const [b, t1] = batchIds.shape as [number, number];
    const inputs = tf.slice(batchIds, [0, 0], [b, t1 - 1]);
    const targets = tf.reshape(tf.slice(batchIds, [0, 1], [b, t1 - 1]), [-1]);
    const logits = this.logits(inputs);
    return tf.losses.softmaxCrossEntropy(tf.oneHot(targets, this.shape.vocab), logits) as tf.Scalar;
  }

  /** Greedy decoding that recomputes the whole sequence for every new token (no KV cache). */
  async greedyDecode(prompt: number[], newTokens: number): Promise<number[]> {
    const ids = [...prompt];
    for (let i = 0; i < newTokens; i++) {
      const next = tf.tidy(() => {
        const logits = this.logits(tf.tensor2d([ids], [1, ids.length], 'int32')); // [T, V]
        return tf.argMax(tf.slice(logits, [ids.length - 1, 0], [1, this.shape.vocab]), -1);
      });
      const [token] = await next.data();
      next.dispose();
      ids.push(token);
    }
    return ids.slice(prompt.length);
  }

  dispose(): void {
    const all: Tensor[] = [this.wte, this.wpe, this.lnF.g, this.lnF.b, ...this.masks.values()];
    for (const b of this.blocks) {
      all.push(b.ln1.g, b.ln1.b, b.ln2.g, b.ln2.b);
      for (const lin of [b.attn, b.proj, b.fc, b.mlpProj]) all.push(lin.w, lin.b, ...(lin.loraA && lin.loraB ? [lin.loraA, lin.loraB] : []));
    }
    tf.dispose(all);
  }
}

/** One plain training step: tf.variableGrads over the LoRA weights, then stock Adam. Returns the loss, read back. */
export async function baselineTrainStep(model: BaselineGpt, optimizer: tf.Optimizer, batchIds: Tensor): Promise<number> {
  const { value, grads } = tf.variableGrads(() => model.loss(batchIds), model.trainable);
  optimizer.applyGradients(grads);
  const [loss] = await value.data();
  tf.dispose([value, ...Object.values(grads)]);
  return loss;
}
