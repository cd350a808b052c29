// Checks the bench JSON: required keys, derived ratios, nulls for what was not measured, and the shape validator.
import { describe, expect, it } from 'vitest';
import { buildResult, isSoftwareAdapter, REQUIRED_RESULT_KEYS, reportProblems, round } from './report';
import { GPT2_SMALL, gpt2ParamCount, TINY_GPT } from './shapes';
import { gpt2TrainStepFlops } from './flops';

const engine = { msPerStep: 250, firstStepMs: 4000, dispatchesPerStep: 140, decodeTokensPerSec: 60 };
const baseline = { msPerStep: 1500, firstStepMs: 7000, dispatchesPerStep: 2150, decodeTokensPerSec: 12 };

describe('buildResult', () => {
  it('derives tokens/s, GFLOP/s and the ratios from the raw timings', () => {
    const r = buildResult({ shape: TINY_GPT, matmulPeakGflops: 10, engine, baseline, notes: [] });
    for (const k of REQUIRED_RESULT_KEYS) expect(r).toHaveProperty(k);
    expect(r.trainTokensPerSec).toBe(2048); // 8 × 64 tokens in 0.25 s
    const flops = gpt2TrainStepFlops({ d: 128, layers: 4, vocab: 512, seq: 64, tokens: 512, trainable: 'lora', loraRank: 8, loraTargets: ['c_attn', 'c_proj', 'c_fc'] }).total;
    expect(r.stepFlops).toBe(flops);
    expect(r.trainGflops).toBe(round(flops / 0.25 / 1e9));
    expect(r.peakRatio).toBe(round(flops / 0.25 / 1e9 / 10));
    expect(r.speedupVsBaseline).toBe(6);
    expect(r.decodeSpeedupVsBaseline).toBe(5);
    expect(r.baselineDispatchesPerStep).toBe(2150);
    expect(reportProblems({ adapter: { vendor: 'v', architecture: 'a', description: 'd', software: true }, results: [r] })).toEqual([]);
  });

  it('leaves engine figures null (and the report still valid) when the engine was not measured', () => {
    const r = buildResult({ shape: TINY_GPT, matmulPeakGflops: 8, engine: null, baseline, notes: ['engine not on main yet'] });
    expect(r.msPerStep).toBeNull();
    expect(r.peakRatio).toBeNull();
    expect(r.speedupVsBaseline).toBeNull();
    expect(r.baselineMsPerStep).toBe(1500);
    expect(r.baselinePeakRatio).not.toBeNull();
    expect(reportProblems({ adapter: { vendor: '', architecture: '', description: '' }, results: [r] })).toEqual([]);
  });

  it('counts GPT-2 small at 124M parameters', () => {
    expect(gpt2ParamCount({ ...GPT2_SMALL, seq: 1024 })).toBe(124_439_808);
    expect(buildResult({ shape: GPT2_SMALL, matmulPeakGflops: null, engine: null, baseline: null, notes: [] }).params).toBe(gpt2ParamCount(GPT2_SMALL));
  });
});

describe('reportProblems', () => {
  it('names missing and mistyped keys', () => {
    const r = buildResult({ shape: TINY_GPT, matmulPeakGflops: null, engine: null, baseline: null, notes: [] });
    const { msPerStep: _drop, ...missing } = r;
    expect(reportProblems({ adapter: { vendor: 'v', architecture: 'a' }, results: [{ ...missing, params: '1' }] })).toEqual([
      'adapter.description missing',
      'results[0].params has the wrong type',
      'results[0].msPerStep missing',
    ]);
    expect(reportProblems(null)).toEqual(['report is not an object']);
  });
});

describe('helpers', () => {
  it('rounds to four significant digits', () => {
    expect(round(1234.567)).toBe(1235);
    expect(round(0.0123456)).toBe(0.01235);
    expect(round(Number.NaN)).toBeNull();
  });
  it('recognises software adapters', () => {
    expect(isSoftwareAdapter({ vendor: 'google', architecture: 'swiftshader', description: '' }, false)).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }, false)).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100' }, false)).toBe(false);
  });
});
