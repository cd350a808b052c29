// The train step's summary [loss, ‖g‖², correct] from the flat gradient in one dispatch (one workgroup), instead of
// square + sum + stack; AdamW's clipping and non-finite guard read it on the GPU, the trainer reads it back.
import { tf, type Tensor } from '../../tf';
import { registerWebGPUKernel, runKernel, runProgram } from '../program';

const SUMMARY = 'TuneLabStepSummary';
const REDUCE = 256;
/** Above this many parameters one workgroup is too slow on a real GPU; the stock ops (3 dispatches) take over. */
export const STEP_SUMMARY_MAX_PARAMS = 1 << 22;

const code = /* wgsl */ `
var<workgroup> partial: array<f32, ${REDUCE}>;
fn main(index: i32) {
  let lane = i32(localIndex);
  var acc = 0.0;
  for (var i = lane; i < uniforms.count; i += ${REDUCE}) {
    let x = g[i];
    acc += x * x;
  }
  partial[lane] = acc;
  workgroupBarrier();
  for (var stride = ${REDUCE / 2}; stride > 0; stride = stride / 2) {
    if (lane < stride) { partial[lane] += partial[lane + stride]; }
    workgroupBarrier();
  }
  if (lane == 0) {
    result[0] = loss[0];
    result[1] = partial[0];
    result[2] = correct[0];
  }
}`;

registerWebGPUKernel(SUMMARY, (inputs, _attrs, backend) => {
  const { g, loss, correct } = inputs;
  const count = g.shape.reduce((a, b) => a * b, 1);
  return runProgram(
    backend,
    { name: 'step_summary', key: '', outputShape: [3], inputs: ['g', 'loss', 'correct'], uniforms: [{ name: 'count', type: 'i32', value: count }], threads: REDUCE, workgroupSize: REDUCE, code },
    [g, loss, correct],
  );
});

/** [loss, Σ g², correct] (float32 [3]) for scalars loss and correct and the flat gradient g [P]; not differentiable. */
export function stepSummary(g: Tensor, loss: Tensor, correct: Tensor, fused: boolean): Tensor {
  if (fused && g.size <= STEP_SUMMARY_MAX_PARAMS && [g, loss, correct].every((t) => t.dtype === 'float32')) return runKernel(SUMMARY, { g, loss, correct });
  return tf.tidy(() => tf.stack([loss, tf.sum(tf.square(g)), correct]));
}
