// Context novelty: how unexpected the current value is given the few values before it, in a discrete model of the
// series' shape. Values are quantised into `levels` bins over the range seen so far; for each order k = 1..maxOrder
// the detector counts how often the last k symbols (a context) followed the k-1 before them, and the surprise is
// 1 - P(current symbol | previous k-1 symbols), averaged over the orders. Periodic shapes (a daily load curve, a
// nightly batch) become familiar contexts after a period or two without assuming a period; a flattened day, a jump or
// an unusual rhythm produces contexts never seen. This is the idea behind NAB's contextOSE and HTM sequence memory,
// reduced to counting.
//
// Memory is bounded: at most `maxContexts` counters; when the table is full every count is halved and zeros are
// dropped, so old habits fade and the table never grows.

export interface ContextOptions {
  levels: number;
  maxOrder: number;
  maxContexts: number;
}

export const DEFAULT_CONTEXT_OPTIONS: ContextOptions = { levels: 12, maxOrder: 4, maxContexts: 20000 };

export interface ContextState {
  min: number;
  max: number;
  history: number[];
  counts: Array<[number, number]>;
}

/** Open-addressing table of non-negative integer keys (counters), in typed arrays: no per-point allocation. */
class CountTable {
  keys: Int32Array;
  values: Uint32Array;
  size = 0;
  private mask: number;

  constructor(maxEntries: number) {
    // Load factor ≤ 0.5 at the cap; one halving pass keeps it there.
    let cap = 1024;
    while (cap < maxEntries * 2 + 2) cap <<= 1;
    this.keys = new Int32Array(cap).fill(-1);
    this.values = new Uint32Array(cap);
    this.mask = cap - 1;
  }

  private slot(key: number): number {
    let i = Math.imul(key, 0x9e3779b1) >>> 0;
    i &= this.mask;
    const keys = this.keys;
    while (keys[i] !== -1 && keys[i] !== key) i = (i + 1) & this.mask;
    return i;
  }

  get(key: number): number {
    const i = this.slot(key);
    return this.keys[i] === key ? this.values[i]! : 0;
  }

  /** Adds one to `key`'s counter; returns the count before. */
  increment(key: number): number {
    const i = this.slot(key);
    if (this.keys[i] === key) return this.values[i]!++;
    this.keys[i] = key;
    this.values[i] = 1;
    this.size++;
    return 0;
  }

  set(key: number, value: number): void {
    const i = this.slot(key);
    if (this.keys[i] !== key) {
      this.keys[i] = key;
      this.size++;
    }
    this.values[i] = value;
  }

  entries(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i]! >= 0) out.push([this.keys[i]!, this.values[i]!]);
    return out;
  }

  /** Halves every counter and drops the zeros (rebuilds the table: open addressing cannot simply delete). */
  halve(): void {
    const old = this.entries();
    this.keys.fill(-1);
    this.values.fill(0);
    this.size = 0;
    for (const [k, c] of old) if (c >> 1 > 0) this.set(k, c >> 1);
  }
}

export class ContextNovelty {
  private readonly o: ContextOptions;
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;
  /** Last maxOrder - 1 symbols, oldest first. */
  private history: number[] = [];
  private readonly counts: CountTable;

  constructor(options: Partial<ContextOptions> = {}, state?: ContextState) {
    this.o = { ...DEFAULT_CONTEXT_OPTIONS, ...options };
    // Keys are 31-bit integers: (levels + 1)^maxOrder contexts, × 16 orders, × 2 (context or prefix).
    if (Math.pow(this.o.levels + 1, this.o.maxOrder) * 32 >= 2 ** 31)
      throw new RangeError('context novelty: levels and maxOrder too large for 31-bit context keys');
    this.counts = new CountTable(this.o.maxContexts);
    if (state) {
      this.lo = state.min;
      this.hi = state.max;
      this.history = [...state.history];
      for (const [k, c] of state.counts) this.counts.set(encodeKey(k), c);
    }
  }

  get state(): ContextState {
    return {
      min: this.lo,
      max: this.hi,
      history: [...this.history],
      counts: this.counts.entries().map(([k, c]) => [decodeKey(k), c]),
    };
  }

  /** Range of the values seen before the current one (for the "new extreme" check). */
  get range(): { min: number; max: number } {
    return { min: this.lo, max: this.hi };
  }

  get min(): number {
    return this.lo;
  }

  get max(): number {
    return this.hi;
  }

  private symbol(value: number): number {
    const span = this.hi - this.lo;
    if (!(span > 0)) return 0;
    const q = Math.floor(((value - this.lo) / span) * this.o.levels);
    return q < 0 ? 0 : q >= this.o.levels ? this.o.levels - 1 : q;
  }

  /** Surprise in [0,1] of `value` after the recent context, then learns it. */
  update(value: number): number {
    if (value < this.lo) this.lo = value;
    if (value > this.hi) this.hi = value;
    const s = this.symbol(value);
    const base = this.o.levels + 1;
    let surprise = 0;
    let orders = 0;
    // Key of a context: its symbols (+1, so 0 never appears) in base `levels + 1`, tagged with its order. Prefix
    // counters (how often each context of order k-1 was continued) have the same key space, shifted by one bit.
    let prefixKey = 0;
    let weight = 1;
    const h = this.history;
    const counts = this.counts;
    for (let k = 1; k <= this.o.maxOrder; k++) {
      if (k > 1) {
        const prev = h[h.length - (k - 1)];
        if (prev === undefined) break;
        prefixKey += (prev + 1) * weight;
        weight *= base;
      }
      const prefixCount = counts.increment(((prefixKey * 16 + k) << 1) | 1);
      const c = counts.increment((((prefixKey * base + (s + 1)) * 16 + k) << 1) >>> 0);
      surprise += 1 - (c + 0.5) / (prefixCount + 1);
      orders++;
    }
    h.push(s);
    if (h.length > this.o.maxOrder - 1) h.shift();
    if (counts.size > this.o.maxContexts) counts.halve();
    return orders ? surprise / orders : 0;
  }
}

// The serialised state keeps the original key format (context keys positive, prefix keys negative, order 1's
// prefix -1), so states written before the typed table still resume.
function encodeKey(k: number): number {
  return k < 0 ? (-k << 1) | 1 : k << 1;
}

function decodeKey(k: number): number {
  return k & 1 ? -(k >>> 1) : k >>> 1;
}
