/** The one seeded random number generator: xoshiro128**, with a state that can be saved and restored for resume. */

import { InfomorphError } from "../errors.js";

/** Serialisable generator state: four 32-bit words, plus a cached normal deviate. */
export interface RngState {
  readonly words: readonly [number, number, number, number];
  readonly spareNormal: number | null;
}

/**
 * A deterministic generator (xoshiro128**, Blackman & Vigna 2018). Period 2^128 − 1.
 * The same seed gives the same stream on every platform: only 32-bit integer
 * arithmetic (`Math.imul`, shifts) is used.
 *
 * @example const rng = new Rng(1); rng.uniform(); // a float64 in [0, 1)
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  /** Seed with any integer in [0, 2^53): the words are filled by splitmix32 so nearby seeds differ. */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new InfomorphError({
        code: "rng/bad-seed",
        path: ["seed"],
        message: `seed must be a non-negative integer (got ${seed}). Try --seed 1.`,
      });
    }
    let x = (seed % 0x100000000) ^ Math.floor(seed / 0x100000000);
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Restore a generator from a saved state; throws "rng/bad-state" for one no generator has. */
  static fromState(state: RngState): Rng {
    const words = state?.words;
    const valid =
      Array.isArray(words) &&
      words.length === 4 &&
      // 32-bit words, signed or unsigned (state() gives them as the arithmetic left them)
      words.every((w) => Number.isInteger(w) && w >= -0x80000000 && w <= 0xffffffff) &&
      words.some((w) => w !== 0) &&
      (state.spareNormal === null || Number.isFinite(state.spareNormal));
    if (!valid) {
      throw new InfomorphError({
        code: "rng/bad-state",
        path: ["words"],
        message: `a generator state holds four 32-bit words, not all zero, and spareNormal null or a finite number (got ${JSON.stringify(state)}). Pass what state() returned.`,
      });
    }
    const rng = new Rng(0);
    [rng.s0, rng.s1, rng.s2, rng.s3] = state.words;
    rng.spare = state.spareNormal;
    return rng;
  }

  /** The current state; `Rng.fromState(rng.state())` continues the same stream. */
  state(): RngState {
    return { words: [this.s0, this.s1, this.s2, this.s3], spareNormal: this.spare };
  }

  /**
   * The four xoshiro128** state words, for a kernel that continues the stream outside
   * this object (see setWords()). The cached normal deviate is not part of them.
   */
  words(): [number, number, number, number] {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  /**
   * Replaces the four state words, e.g. with those a kernel advanced while drawing from
   * this stream; uint32() then continues where the kernel stopped. The cached normal
   * deviate is kept. Throws "rng/bad-state" for the all-zero state (xoshiro's one fixed point).
   */
  setWords(words: ArrayLike<number>): void {
    const [s0, s1, s2, s3] = [words[0] | 0, words[1] | 0, words[2] | 0, words[3] | 0];
    if (words.length !== 4 || (s0 | s1 | s2 | s3) === 0) {
      throw new InfomorphError({
        code: "rng/bad-state",
        path: ["words"],
        message: `setWords needs four 32-bit words, not all zero (got ${Array.from(words).join(", ")}). Pass what words() returned.`,
      });
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform float64 in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.uint32() >>> 5; // 27 bits
    const lo = this.uint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0x100000000) {
      throw new InfomorphError({
        code: "rng/bad-range",
        message: `int(n) needs an integer n in [1, 2^32] (got ${n}).`,
      });
    }
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const u = this.uint32();
      if (u < limit) return u % n;
    }
  }

  /** A standard normal deviate (Box–Muller; the second deviate is cached). */
  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Shuffle in place (Fisher–Yates). */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n−1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
