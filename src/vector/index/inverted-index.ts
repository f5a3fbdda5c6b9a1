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

/**
 * Token → posting list of document slots, for exact top-K Jaccard search.
 *
 * Query: the query's m tokens are taken rarest first, and each posting list adds one to
 * the overlap counter of every document in it. A document not met after the first i
 * tokens shares at most m − i tokens with the query, so its Jaccard is at most
 * (m − i) / m; a document met has a sure score (its count so far) and a best possible one
 * (every remaining token present). Before each long posting list the K-th best sure
 * score τ is taken: once τ exceeds the unseen bound, the scan stops, and only the met
 * documents whose best possible score reaches τ are scored exactly. Common tokens
 * (`const`, `return`) have the longest posting lists and come last, so they are read
 * only when the rarer tokens could not settle the top K. The top K is kept in a bounded
 * heap: no query sorts the corpus, and none scores documents that share no token with it.
 *
 * Slots are assigned in insertion order and evicted oldest first, so every posting list
 * is ascending and eviction only ever removes from its front (a start offset, compacted
 * now and then).
 */
export class InvertedIndex {
  private readonly dictionary = new Map<string, number>();
  private postings: number[][] = [];
  private postingStart: number[] = [];
  private readonly slots: Array<Slot | undefined> = [];
  private firstLive = 0;
  private readonly slotOf = new Map<string, number>();
  /** Per-query overlap counters by slot, reused across queries and zeroed after each. */
  private counts = new Uint16Array(0);
  /** Token-set size by slot, kept apart from the slot objects so scans stay in one array. */
  private sizes = new Uint16Array(1024);

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
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
      }
      ids[n++] = tokenId;
    }
    ids.sort();
    const slot = this.slots.length;
    this.slots.push({ ...doc, tokens: ids });
    if (slot >= this.sizes.length) {
      const grown = new Uint16Array(this.sizes.length * 2);
      grown.set(this.sizes);
      this.sizes = grown;
    }
    this.sizes[slot] = Math.min(ids.length, 65535);
    this.slotOf.set(doc.id, slot);
    for (const tokenId of ids) this.postings[tokenId].push(slot);
    const evicted: string[] = [];
    while (this.slotOf.size > this.capacity) evicted.push(this.evictOldest());
    return evicted;
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
    const queryIds: number[] = [];
    for (const token of query) {
      const tokenId = this.dictionary.get(token);
      if (tokenId !== undefined) queryIds.push(tokenId);
    }
    const df = (tokenId: number) => this.postings[tokenId].length - this.postingStart[tokenId];
    queryIds.sort((a, b) => df(a) - df(b));
    const querySorted = Int32Array.from(queryIds).sort();
    if (this.counts.length < this.slots.length) this.counts = new Uint16Array(Math.max(1024, this.slots.length * 2));
    const counts = this.counts;
    const touched: number[] = [];
    let maxCount = 0;
    // Checks are rationed so that they never cost more than the posting reads they may save.
    let work = 0;
    let nextCheckAt = 0;
    try {
      // Tokens the index has never seen match nothing but still count in |Q| (m).
      for (let i = 0; i < queryIds.length; i += 1) {
        const tokenId = queryIds[i];
        const remaining = queryIds.length - i;
        // Before reading a long posting list, see whether the documents met so far already
        // settle the top K; the check costs one pass over them, about what the list would.
        // No sure score can beat the unseen bound while no document has more matches than remain.
        if (maxCount > remaining && touched.length >= k && df(tokenId) > 256 && work >= nextCheckAt) {
          const floor = this.kthLowerBound(touched, k, m);
          if (floor > remaining / m) return this.settle(touched, floor, remaining, querySorted, k, m);
          nextCheckAt = work + 4 * touched.length;
        }
        work += df(tokenId);
        const list = this.postings[tokenId];
        for (let p = this.postingStart[tokenId]; p < list.length; p += 1) {
          const slot = list[p];
          if (counts[slot] === 0) touched.push(slot);
          const count = (counts[slot] += 1);
          if (count > maxCount) maxCount = count;
        }
      }
      // Every query token read: the counts are the exact overlaps.
      const floor = touched.length > k ? this.kthLowerBound(touched, k, m) : 0;
      const top = new TopK(k);
      for (const slotIndex of touched) {
        const score = jaccard(counts[slotIndex], this.sizes[slotIndex], m);
        if (score < floor) continue;
        const slot = this.slots[slotIndex]!;
        top.offer({ id: slot.id, createdAt: slot.createdAt, score });
      }
      return top.sorted();
    } finally {
      for (const slot of touched) counts[slot] = 0;
    }
  }

  /** The K-th best score the documents met so far are sure to reach (their overlap can only grow). */
  private kthLowerBound(touched: number[], k: number, m: number): number {
    // A min-heap of the k best scores, as plain numbers.
    const heap = new Float64Array(k);
    let size = 0;
    for (const slotIndex of touched) {
      const score = jaccard(this.counts[slotIndex], this.sizes[slotIndex], m);
      if (size < k) {
        let i = size++;
        heap[i] = score;
        while (i > 0 && heap[(i - 1) >> 1] > heap[i]) {
          const parent = (i - 1) >> 1;
          [heap[parent], heap[i]] = [heap[i], heap[parent]];
          i = parent;
        }
      } else if (score > heap[0]) {
        heap[0] = score;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let least = i;
          if (l < k && heap[l] < heap[least]) least = l;
          if (r < k && heap[r] < heap[least]) least = r;
          if (least === i) break;
          [heap[least], heap[i]] = [heap[i], heap[least]];
          i = least;
        }
      }
    }
    return heap[0];
  }

  /**
   * Early stop: no unseen document can reach `floor`. Among the documents met, only those
   * whose best possible score (every remaining token present) reaches `floor` can be in the
   * top K; those few are scored exactly.
   */
  private settle(touched: number[], floor: number, remaining: number, querySorted: Int32Array, k: number, m: number): ScoredDoc[] {
    const top = new TopK(k);
    for (const slotIndex of touched) {
      const size = this.sizes[slotIndex];
      const seen = this.counts[slotIndex];
      if (jaccard(seen + Math.min(remaining, size - seen), size, m) < floor) continue;
      const slot = this.slots[slotIndex]!;
      top.offer({ id: slot.id, createdAt: slot.createdAt, score: jaccard(overlap(slot.tokens, querySorted), size, m) });
    }
    return top.sorted();
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
