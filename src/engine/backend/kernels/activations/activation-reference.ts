// Plain float64 GELU (tanh approximation) and SwiGLU, forward and backward, for the kernel checks.

const K0 = Math.sqrt(2 / Math.PI);
const K1 = 0.044715;

export function geluRef(x: ArrayLike<number>, dy: ArrayLike<number>): { y: Float64Array; dx: Float64Array } {
  const y = new Float64Array(x.length);
  const dx = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    const t = Math.tanh(K0 * (v + K1 * v ** 3));
    y[i] = 0.5 * v * (1 + t);
    dx[i] = dy[i] * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * K0 * (1 + 3 * K1 * v * v));
  }
  return { y, dx };
}

export function swigluRef(gate: ArrayLike<number>, up: ArrayLike<number>, dy: ArrayLike<number>): { y: Float64Array; dgate: Float64Array; dup: Float64Array } {
  const y = new Float64Array(gate.length);
  const dgate = new Float64Array(gate.length);
  const dup = new Float64Array(gate.length);
  for (let i = 0; i < gate.length; i++) {
    const g = gate[i];
    const s = 1 / (1 + Math.exp(-g));
    y[i] = g * s * up[i];
    dgate[i] = dy[i] * up[i] * s * (1 + g * (1 - s));
    dup[i] = dy[i] * g * s;
  }
  return { y, dgate, dup };
}
