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

export const DEFAULT_CONTEXT_OPTIONS: ContextOptions = { levels: 12, maxOrder: 5, maxContexts: 20000 };

export interface ContextState {
  min: number;
  max: number;
  history: number[];
  counts: Array<[number, number]>;
}

export class ContextNovelty {
  private readonly o: ContextOptions;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  /** Last maxOrder - 1 symbols, oldest first. */
  private history: number[] = [];
  private counts = new Map<number, number>();

  constructor(options: Partial<ContextOptions> = {}, state?: ContextState) {
    this.o = { ...DEFAULT_CONTEXT_OPTIONS, ...options };
    if (state) {
      this.min = state.min;
      this.max = state.max;
      this.history = [...state.history];
      this.counts = new Map(state.counts);
    }
  }

  get state(): ContextState {
    return { min: this.min, max: this.max, history: [...this.history], counts: [...this.counts] };
  }

  /** Range of the values seen before the current one (for the "new extreme" check). */
  get range(): { min: number; max: number } {
    return { min: this.min, max: this.max };
  }

  private symbol(value: number): number {
    const span = this.max - this.min;
    if (!(span > 0)) return 0;
    const q = Math.floor(((value - this.min) / span) * this.o.levels);
    return q < 0 ? 0 : q >= this.o.levels ? this.o.levels - 1 : q;
  }

  /** Surprise in [0,1] of `value` after the recent context, then learns it. */
  update(value: number): number {
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    const s = this.symbol(value);
    const base = this.o.levels + 1;
    let surprise = 0;
    let orders = 0;
    // Key of a context: its symbols (+1, so 0 never appears) in base `levels + 1`, tagged with its order.
    let prefixKey = 0;
    const h = this.history;
    for (let k = 1; k <= this.o.maxOrder; k++) {
      if (k > 1) {
        const prev = h[h.length - (k - 1)];
        if (prev === undefined) break;
        prefixKey = prefixKey + (prev + 1) * Math.pow(base, k - 2);
      }
      const prefixCount = k === 1 ? (this.counts.get(-1) ?? 0) : (this.counts.get(-(prefixKey * 16 + k)) ?? 0);
      const key = (prefixKey * base + (s + 1)) * 16 + k;
      const c = this.counts.get(key) ?? 0;
      surprise += 1 - (c + 0.5) / (prefixCount + 1);
      orders++;
      this.counts.set(key, c + 1);
      // Prefix counters (negative keys) count how often each context of order k-1 was continued.
      const pk = k === 1 ? -1 : -(prefixKey * 16 + k);
      this.counts.set(pk, prefixCount + 1);
    }
    h.push(s);
    if (h.length > this.o.maxOrder - 1) h.shift();
    if (this.counts.size > this.o.maxContexts) {
      for (const [k, c] of this.counts) {
        const half = c >> 1;
        if (half === 0) this.counts.delete(k);
        else this.counts.set(k, half);
      }
    }
    return orders ? surprise / orders : 0;
  }
}
