import { jaccard } from './tokenize';

export interface IndexedDoc {
  id: string;
  /** ms since epoch; newer wins ties. */
  createdAt: number;
}

export interface ScoredDoc extends IndexedDoc {
  score: number;
}

interface Slot extends IndexedDoc {
  /** Sorted token ids. */
  tokens: Int32Array;
}

/** Higher score first; ties: newer first, then id. */
function better(a: ScoredDoc, b: ScoredDoc): boolean {
  if (a.score !== b.score) return a.score > b.score;
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt;
  return a.id < b.id;
}

/** Bounded heap holding the best K so far; its root is the worst of them. */
class TopK {
  private readonly items: ScoredDoc[] = [];
  constructor(private readonly k: number) {}

  get full(): boolean {
    return this.items.length >= this.k;
  }

  get worst(): ScoredDoc | undefined {
    return this.items[0];
  }

  offer(doc: ScoredDoc): void {
    if (!this.full) {
      this.items.push(doc);
      this.up(this.items.length - 1);
    } else if (better(doc, this.items[0])) {
      this.items[0] = doc;
      this.down(0);
    }
  }

  sorted(): ScoredDoc[] {
    return [...this.items].sort((a, b) => (better(a, b) ? -1 : 1));
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!better(this.items[parent], this.items[i])) break;
      [this.items[parent], this.items[i]] = [this.items[i], this.items[parent]];
      i = parent;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < this.items.length && better(this.items[worst], this.items[l])) worst = l;
      if (r < this.items.length && better(this.items[worst], this.items[r])) worst = r;
      if (worst === i) return;
      [this.items[worst], this.items[i]] = [this.items[i], this.items[worst]];
      i = worst;
    }
  }
}

/** The most common tokens are tracked as per-document bits instead of being scanned: HOT_WORDS × 32 of them. */
const HOT_WORDS = 4;
const HOT_BITS = HOT_WORDS * 32;
/** A token turns hot once it is in at least this share of the documents (and hotMinDocs of them). */
const HOT_SHARE = 1 / 16;

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Token → posting list of document slots, for exact top-K Jaccard search.
 *
 * Query: the query's m tokens are taken rarest first, and each posting list adds one to
 * the overlap counter of every document in it. A document not met after the first i
 * tokens shares at most m − i tokens with the query, so its Jaccard is at most
 * (m − i) / m; a document met has a sure score (its count so far) and a best possible one
 * (every remaining token present). Before each long posting list the K-th best sure
 * score τ is taken: once τ exceeds the unseen bound, the scan stops, and only the met
 * documents whose best possible score reaches τ are scored exactly. The top K is kept in
 * a bounded heap: no query sorts the corpus, and none scores documents that share no
 * token with it unless common tokens decide the answer.
 *
 * Common tokens (`const`, `return`) would make every query a scan of the corpus through
 * their posting lists. The HOT_BITS most common ones are instead kept as one bit per
 * document: a query counts them with a popcount of the document's bits against its own,
 * and they come last, so they cost one pass over a typed array only when the rarer tokens
 * could not settle the top K.
 *
 * Slots are assigned in insertion order and evicted oldest first, so every posting list
 * is ascending and eviction only ever removes from its front (a start offset, compacted
 * now and then).
 */
export class InvertedIndex {
  private readonly dictionary = new Map<string, number>();
  private postings: number[][] = [];
  private postingStart: number[] = [];
  /** Bit of each hot token (-1: not hot). */
  private hotBit: number[] = [];
  private hotCount = 0;
  private readonly slots: Array<Slot | undefined> = [];
  private firstLive = 0;
  private readonly slotOf = new Map<string, number>();
  /** Per-query overlap counters by slot, reused across queries and zeroed after each. */
  private counts = new Uint16Array(0);
  private scores = new Float64Array(0);
  /** Token-set size and hot-token bits by slot, kept apart from the slot objects so scans stay in typed arrays. */
  private sizes = new Uint16Array(1024);
  private hotMasks = new Uint32Array(1024 * HOT_WORDS);

  /** `hotMinDocs`: the document frequency below which a token never turns hot (lowered by tests). */
  constructor(
    private readonly capacity: number,
    private readonly hotMinDocs = 1024,
  ) {}

  get size(): number {
    return this.slotOf.size;
  }

  /** Adds a document (ignored if present); evicts the oldest beyond capacity. Returns evicted ids. */
  add(doc: IndexedDoc, tokens: Set<string>): string[] {
    if (this.slotOf.has(doc.id)) return [];
    const ids = new Int32Array(tokens.size);
    let n = 0;
    for (const token of tokens) {
      let tokenId = this.dictionary.get(token);
      if (tokenId === undefined) {
        tokenId = this.postings.length;
        this.dictionary.set(token, tokenId);
        this.postings.push([]);
        this.postingStart.push(0);
        this.hotBit.push(-1);
      }
      ids[n++] = tokenId;
    }
    ids.sort();
    const slot = this.slots.length;
    this.slots.push({ ...doc, tokens: ids });
    if (slot >= this.sizes.length) {
      const sizes = new Uint16Array(this.sizes.length * 2);
      sizes.set(this.sizes);
      this.sizes = sizes;
      const masks = new Uint32Array(this.hotMasks.length * 2);
      masks.set(this.hotMasks);
      this.hotMasks = masks;
    }
    this.sizes[slot] = Math.min(ids.length, 65535);
    this.slotOf.set(doc.id, slot);
    for (const tokenId of ids) {
      this.postings[tokenId].push(slot);
      if (this.hotBit[tokenId] >= 0) this.setHotBit(slot, this.hotBit[tokenId]);
      else this.maybeMakeHot(tokenId);
    }
    const evicted: string[] = [];
    while (this.slotOf.size > this.capacity) evicted.push(this.evictOldest());
    return evicted;
  }

  private df(tokenId: number): number {
    return this.postings[tokenId].length - this.postingStart[tokenId];
  }

  /** Gives a token that has become common one of the free bits, and sets it on every document that has it. */
  private maybeMakeHot(tokenId: number): void {
    if (this.hotCount >= HOT_BITS) return;
    const df = this.df(tokenId);
    if (df < this.hotMinDocs || df < this.slotOf.size * HOT_SHARE) return;
    const bit = this.hotCount++;
    this.hotBit[tokenId] = bit;
    const list = this.postings[tokenId];
    for (let p = this.postingStart[tokenId]; p < list.length; p += 1) this.setHotBit(list[p], bit);
  }

  private setHotBit(slot: number, bit: number): void {
    this.hotMasks[slot * HOT_WORDS + (bit >>> 5)] |= 1 << (bit & 31);
  }

  /** How many of the query's hot tokens the document has. */
  private hotOverlap(slot: number, queryMask: Uint32Array): number {
    let count = 0;
    const base = slot * HOT_WORDS;
    for (let w = 0; w < HOT_WORDS; w += 1) count += popcount(this.hotMasks[base + w] & queryMask[w]);
    return count;
  }

  private evictOldest(): string {
    const slot = this.slots[this.firstLive]!;
    for (const tokenId of slot.tokens) {
      const list = this.postings[tokenId];
      this.postingStart[tokenId] += 1;
      const start = this.postingStart[tokenId];
      if (start > 64 && start * 2 > list.length) {
        this.postings[tokenId] = list.slice(start);
        this.postingStart[tokenId] = 0;
      }
    }
    this.slots[this.firstLive] = undefined;
    this.slotOf.delete(slot.id);
    this.firstLive += 1;
    return slot.id;
  }

  search(query: Set<string>, k: number): ScoredDoc[] {
    const m = query.size;
    if (m === 0 || k <= 0) return [];
    const cold: number[] = [];
    const queryMask = new Uint32Array(HOT_WORDS);
    let hot = 0;
    for (const token of query) {
      const tokenId = this.dictionary.get(token);
      if (tokenId === undefined) continue; // matches nothing, but still counts in |Q| (m)
      if (this.hotBit[tokenId] >= 0) {
        queryMask[this.hotBit[tokenId] >>> 5] |= 1 << (this.hotBit[tokenId] & 31);
        hot += 1;
      } else cold.push(tokenId);
    }
    cold.sort((a, b) => this.df(a) - this.df(b));
    const querySorted = Int32Array.from(cold).sort();
    if (this.counts.length < this.slots.length) this.counts = new Uint16Array(Math.max(1024, this.slots.length * 2));
    const counts = this.counts;
    const touched: number[] = [];
    let maxCount = 0;
    // Checks are rationed so that they never cost more than the posting reads they may save.
    let work = 0;
    let nextCheckAt = 0;
    try {
      for (let i = 0; i <= cold.length; i += 1) {
        const remaining = cold.length - i + hot;
        const next = i < cold.length ? this.df(cold[i]) : this.size;
        if (remaining > 0 && maxCount > remaining && touched.length >= k && next > 256 && work >= nextCheckAt) {
          const floor = this.kthLowerBound(touched, k, m);
          if (floor > remaining / m) return this.settle(touched, floor, cold.length - i, querySorted, queryMask, k, m);
          nextCheckAt = work + 4 * touched.length;
        }
        if (i === cold.length) break;
        work += next;
        const list = this.postings[cold[i]];
        for (let p = this.postingStart[cold[i]]; p < list.length; p += 1) {
          const slot = list[p];
          if (counts[slot] === 0) touched.push(slot);
          const count = (counts[slot] += 1);
          if (count > maxCount) maxCount = count;
        }
      }
      return hot === 0 ? this.rank(touched, k, m) : this.rankAll(k, m, queryMask);
    } finally {
      for (const slot of touched) counts[slot] = 0;
    }
  }

  /** Exact overlap of a met document once the cold scan stopped early: merge for cold tokens, bits for hot ones. */
  private exactOverlap(slotIndex: number, querySorted: Int32Array, queryMask: Uint32Array): number {
    return overlap(this.slots[slotIndex]!.tokens, querySorted) + this.hotOverlap(slotIndex, queryMask);
  }

  /** All cold tokens read, no hot ones in the query: the counts of the met documents are exact. */
  private rank(touched: number[], k: number, m: number): ScoredDoc[] {
    const floor = touched.length > k ? this.kthLowerBound(touched, k, m) : 0;
    const top = new TopK(k);
    for (const slotIndex of touched) {
      const score = jaccard(this.counts[slotIndex], this.sizes[slotIndex], m);
      if (score <= 0 || score < floor) continue;
      const slot = this.slots[slotIndex]!;
      top.offer({ id: slot.id, createdAt: slot.createdAt, score });
    }
    return top.sorted();
  }

  /** All cold tokens read and hot ones in the query: one pass over every live document's counter and bits. */
  private rankAll(k: number, m: number, queryMask: Uint32Array): ScoredDoc[] {
    const { counts, sizes, hotMasks } = this;
    if (this.scores.length < this.slots.length - this.firstLive) this.scores = new Float64Array(this.counts.length);
    const scores = this.scores;
    const heap = new ScoreHeap(k);
    // The hottest loop of a search: the HOT_WORDS (4) mask words are spelled out.
    const [q0, q1, q2, q3] = queryMask;
    for (let slot = this.firstLive; slot < this.slots.length; slot += 1) {
      const base = slot * HOT_WORDS;
      const shared =
        counts[slot] +
        popcount(hotMasks[base] & q0) +
        popcount(hotMasks[base + 1] & q1) +
        popcount(hotMasks[base + 2] & q2) +
        popcount(hotMasks[base + 3] & q3);
      const score = shared / (m + sizes[slot] - shared);
      scores[slot - this.firstLive] = score;
      if (!heap.full || score > heap.min) heap.push(score);
    }
    const floor = heap.full ? heap.min : 0;
    const top = new TopK(k);
    for (let slotIndex = this.firstLive; slotIndex < this.slots.length; slotIndex += 1) {
      const score = scores[slotIndex - this.firstLive];
      if (score <= 0 || score < floor) continue;
      const slot = this.slots[slotIndex]!;
      top.offer({ id: slot.id, createdAt: slot.createdAt, score });
    }
    return top.sorted();
  }

  /** The K-th best score the documents met so far are sure to reach (their overlap can only grow). */
  private kthLowerBound(touched: number[], k: number, m: number): number {
    const heap = new ScoreHeap(k);
    for (const slotIndex of touched) heap.push(jaccard(this.counts[slotIndex], this.sizes[slotIndex], m));
    return heap.full ? heap.min : 0;
  }

  /**
   * Early stop: no unseen document can reach `floor`. Among the documents met, only those
   * whose best possible score (every remaining token present) reaches `floor` can be in the
   * top K; those few are scored exactly.
   */
  private settle(
    touched: number[],
    floor: number,
    coldRemaining: number,
    querySorted: Int32Array,
    queryMask: Uint32Array,
    k: number,
    m: number,
  ): ScoredDoc[] {
    const top = new TopK(k);
    for (const slotIndex of touched) {
      const size = this.sizes[slotIndex];
      const seen = this.counts[slotIndex];
      const best = seen + Math.min(coldRemaining + this.hotOverlap(slotIndex, queryMask), size - seen);
      if (jaccard(best, size, m) < floor) continue;
      const slot = this.slots[slotIndex]!;
      top.offer({ id: slot.id, createdAt: slot.createdAt, score: jaccard(this.exactOverlap(slotIndex, querySorted, queryMask), size, m) });
    }
    return top.sorted();
  }
}

/** A min-heap of the k best scores, as plain numbers. */
class ScoreHeap {
  private readonly heap: Float64Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.heap = new Float64Array(k);
  }

  get full(): boolean {
    return this.size >= this.k;
  }

  get min(): number {
    return this.heap[0];
  }

  push(score: number): void {
    const heap = this.heap;
    if (this.size < this.k) {
      let i = this.size++;
      heap[i] = score;
      while (i > 0 && heap[(i - 1) >> 1] > heap[i]) {
        const parent = (i - 1) >> 1;
        [heap[parent], heap[i]] = [heap[i], heap[parent]];
        i = parent;
      }
      return;
    }
    if (score <= heap[0]) return;
    heap[0] = score;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < this.k && heap[l] < heap[least]) least = l;
      if (r < this.k && heap[r] < heap[least]) least = r;
      if (least === i) return;
      [heap[least], heap[i]] = [heap[i], heap[least]];
      i = least;
    }
  }
}

/** Size of the intersection of two ascending id arrays. */
function overlap(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let count = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      count += 1;
      i += 1;
      j += 1;
    } else if (a[i] < b[j]) i += 1;
    else j += 1;
  }
  return count;
}
