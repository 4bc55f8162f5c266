/** A generator's whole state: sfc32's four words and the spare normal value (see Rng.state). */
export interface RngState {
  /** The four 32-bit words, unsigned. */
  words: [number, number, number, number];
  /** The second value of the last Box–Muller pair, not handed out yet. */
  spare: number | null;
}

/**
 * A small seeded random number generator (sfc32 seeded through splitmix32).
 * Same seed, same sequence, on every platform: training runs are reproducible bit for bit.
 *
 * @example const rng = new Rng(42); rng.uniform(); // in [0, 1)
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** An independent generator that continues from exactly this state. */
  clone(): Rng {
    const r = Object.create(Rng.prototype) as Rng;
    r.a = this.a;
    r.b = this.b;
    r.c = this.c;
    r.d = this.d;
    r.spare = this.spare;
    return r;
  }

  /** Make this generator continue from exactly `other`'s state (no allocation). */
  copyFrom(other: Rng): void {
    this.a = other.a;
    this.b = other.b;
    this.c = other.c;
    this.d = other.d;
    this.spare = other.spare;
  }

  /** The state, to save and continue from later with setState (a training run's resume). */
  state(): RngState {
    // Every step is arithmetic mod 2³², so a word read as unsigned continues the same sequence.
    const u = (w: number) => w >>> 0;
    return { words: [u(this.a), u(this.b), u(this.c), u(this.d)], spare: this.spare };
  }

  /** Continue from a saved state: the next draws are the ones the saved generator would have made. */
  setState(s: RngState): void {
    [this.a, this.b, this.c, this.d] = s.words.map((w) => w >>> 0);
    this.spare = s.spare;
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Standard normal (Box–Muller, the spare value is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[] | Int32Array | Uint32Array): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
  }
}
