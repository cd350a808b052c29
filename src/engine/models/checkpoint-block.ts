// Gradient checkpointing of one transformer block: its forward keeps only its input; the backward recomputes it under a nested tape.
import { tf, type Tensor } from '../backend/tf';
import type { ForwardContext } from './forward-context';

/** A block of the forward pass: (context, input [B·T, C], the constants it reads besides weights) → output [B·T, C]. */
export type BlockFn = (ctx: ForwardContext, x: Tensor, consts: Tensor[]) => Tensor;

/**
 * Runs `block` on x [B·T, C] so that the gradient tape keeps only x and the pass's constants (attention bias, key
 * mask, `consts` such as the rotary tables) instead of every tensor the block's kernels save: in the backward pass
 * the block is run again, with the same dropout seeds, under its own tape, and differentiated there with respect to
 * x and the trainable tensors it reads (`ctx.checkpoint`: its LoRA A/B, or its weights in full fine-tuning). Those
 * tensors are inputs of the recorded op, so their gradients reach the outer tape as from the plain block. `prefix`
 * names the block's weights and linear modules (e.g. "model.layers.3.").
 */
export function checkpointedBlock(ctx: ForwardContext, prefix: string, x: Tensor, consts: Tensor[], block: BlockFn): Tensor {
  const trainable = ctx.checkpoint;
  if (!trainable) return block(ctx, x, consts);
  const params: Tensor[] = [];
  for (const [name, p] of ctx.params) if (name.startsWith(prefix) && trainable.has(p)) params.push(p);
  for (const module of ctx.linears.keys()) {
    if (!module.startsWith(prefix)) continue;
    const branch = ctx.lora?.branch(module, null);
    if (branch) for (const t of [branch.A, branch.B]) if (trainable.has(t)) params.push(t);
  }
  const draw = ctx.dropoutSeed;
  const seeds: number[] = [];
  const shared = [ctx.attentionBias, ...(ctx.keyMask ? [ctx.keyMask] : []), ...consts];
  const op = tf.customGrad((...args) => {
    const save = args[args.length - 1] as (tensors: Tensor[]) => void;
    const input = args[0] as Tensor;
    const recording: ForwardContext = { ...ctx, checkpoint: null, dropoutSeed: draw ? () => (seeds.push(draw()), seeds[seeds.length - 1]) : null };
    const value = block(recording, input, consts);
    save([input, ...shared]); // kept (as clones) until the whole backward pass ends, as any saved tensor
    return {
      value,
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const [xSaved, bias, ...rest] = saved;
        const keyMask = ctx.keyMask ? rest.shift()! : null;
        let next = 0;
        const replay: ForwardContext = { ...ctx, checkpoint: null, attentionBias: bias, keyMask, dropoutSeed: draw ? () => seeds[next++] : null };
        const engine = tf.engine();
        // tfjs keeps one tape: a gradient computed inside the outer backward pass would replace (and then clear) the
        // outer one, whose saved tensors the outer pass disposes at its end. Hand the outer tape back afterwards.
        const outerTape = engine.state.activeTape;
        try {
          return tf.tidy(() => {
            const { value: again, grads } = engine.gradients(() => block(replay, xSaved, rest), [xSaved, ...params], dy as Tensor);
            again.dispose();
            return grads;
          });
        } finally {
          engine.state.activeTape = outerTape;
        }
      },
    };
  });
  return op(x, ...params);
}
