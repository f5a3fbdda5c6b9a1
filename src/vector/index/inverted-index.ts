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
 * Query: the query's tokens are taken rarest first. Each new candidate met in a posting
 * list is scored exactly at once (its sorted token ids against the query's), so the K-th
 * best exact score τ is always known. After i of the m query tokens, a document not yet
 * met shares at most m − i tokens with the query, so its Jaccard is at most (m − i) / m;
 * once τ exceeds that bound no unseen document can enter the top K and the scan stops.
 * Common tokens (`const`, `return`) have the longest posting lists and come last, so
 * they are only read when the rarer tokens could not fill the top K with better scores.
 * No query scores or sorts the whole corpus.
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
    // Tokens the index has never seen match nothing but still count in |Q|: they are "processed" first.
    const absent = m - queryIds.length;
    const df = (tokenId: number) => this.postings[tokenId].length - this.postingStart[tokenId];
    queryIds.sort((a, b) => df(a) - df(b));
    const querySorted = Int32Array.from(queryIds).sort();

    const top = new TopK(k);
    const seen = new Set<number>();
    for (let i = 0; i < queryIds.length; i += 1) {
      const remaining = m - absent - i;
      const worst = top.worst;
      if (top.full && worst && worst.score > remaining / m) break;
      const tokenId = queryIds[i];
      const list = this.postings[tokenId];
      for (let p = this.postingStart[tokenId]; p < list.length; p += 1) {
        const slotIndex = list[p];
        if (seen.has(slotIndex)) continue;
        seen.add(slotIndex);
        const slot = this.slots[slotIndex]!;
        const score = jaccard(overlap(slot.tokens, querySorted), slot.tokens.length, m);
        if (score > 0) top.offer({ id: slot.id, createdAt: slot.createdAt, score });
      }
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
