// Seeded, serialisable random numbers (sfc32): same seed → same stream; the state is four uint32s for checkpoints.

export type RngState = [number, number, number, number];

export class Rng {
  private s: Uint32Array;

  constructor(seedOrState: number | RngState) {
    if (typeof seedOrState === 'number') {
      // splitmix32 expands one seed into four well-mixed words.
      let x = seedOrState >>> 0;
      const next = () => {
        x = (x + 0x9e3779b9) >>> 0;
        let z = x;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
        return (z ^ (z >>> 16)) >>> 0;
      };
      this.s = new Uint32Array([next(), next(), next(), next()]);
      for (let i = 0; i < 12; i++) this.nextUint32();
    } else {
      this.s = new Uint32Array(seedOrState);
    }
  }

  /** A uniformly random uint32. */
  nextUint32(): number {
    const s = this.s;
    const t = (((s[0] + s[1]) >>> 0) + s[3]) >>> 0;
    s[3] = (s[3] + 1) >>> 0;
    s[0] = s[1] ^ (s[1] >>> 9);
    s[1] = (s[2] + (s[2] << 3)) >>> 0;
    s[2] = ((s[2] << 21) | (s[2] >>> 11)) >>> 0;
    s[2] = (s[2] + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /** A fresh 31-bit seed for a child stream (e.g. one per purpose: init, dropout, data order). */
  fork(): number {
    return this.nextUint32() >>> 1;
  }

  state(): RngState {
    return [this.s[0], this.s[1], this.s[2], this.s[3]];
  }
}
