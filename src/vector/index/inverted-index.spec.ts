import { InvertedIndex, type ScoredDoc } from './inverted-index';
import { jaccard, tokenSet } from './tokenize';

/** Deterministic PRNG so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ARABIC = ['دالة', 'متغير', 'خطأ', 'مراجعة', 'أمان', 'اختبار', 'ملف', 'قيمة'];

function makeVocabulary(size: number, random: () => number): string[] {
  const words = ['const', 'return', 'if', 'function', 'await', 'let', 'user_id', 'x', 'Δelta', ...ARABIC];
  while (words.length < size) words.push(`w${Math.floor(random() * 1e9).toString(36)}`);
  return words.slice(0, size);
}

/** Zipf-like: word i is drawn with weight 1 / (i + 1). */
function zipfText(vocabulary: string[], length: number, random: () => number): string {
  const weights = vocabulary.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const words: string[] = [];
  for (let n = 0; n < length; n += 1) {
    let r = random() * total;
    let i = 0;
    while (r > weights[i] && i < weights.length - 1) r -= weights[i++];
    words.push(random() < 0.1 ? vocabulary[i].toUpperCase() : vocabulary[i]);
  }
  return words.join(random() < 0.5 ? ' ' : '(); ');
}

interface Doc {
  id: string;
  createdAt: number;
  tokens: Set<string>;
}

function bruteForce(docs: Doc[], query: Set<string>, k: number): ScoredDoc[] {
  return docs
    .map((doc) => {
      let overlap = 0;
      for (const token of query) if (doc.tokens.has(token)) overlap += 1;
      return { id: doc.id, createdAt: doc.createdAt, score: jaccard(overlap, doc.tokens.size, query.size) };
    })
    .filter((d) => d.score > 0)
    .sort((a, b) => b.score - a.score || b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))
    .slice(0, k);
}

describe('InvertedIndex', () => {
  it('tokenises any script, lower-cased, on non-word characters, cut to maxChars', () => {
    expect([...tokenSet('const userId = fetchUser(ID); // مراجعة الكود', 1000)]).toEqual([
      'const', 'userid', 'fetchuser', 'id', 'مراجعة', 'الكود',
    ]);
    expect([...tokenSet('abc def ghi', 6)]).toEqual(['abc', 'de']);
    expect(tokenSet('  ;;; ', 100).size).toBe(0);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])('matches brute-force Jaccard top-K on random corpus #%i', (seed) => {
    const random = rng(seed * 7919);
    const vocabulary = makeVocabulary(20 + Math.floor(random() * 400), random);
    const docs: Doc[] = [];
    const capacity = seed % 3 === 0 ? 150 : 10_000;
    // Even seeds let common tokens turn hot early, so the bit-counted path is exercised too.
    const index = new InvertedIndex(capacity, seed % 2 === 0 ? 8 : 1024);
    const count = 100 + Math.floor(random() * 400);
    for (let i = 0; i < count; i += 1) {
      const text =
        random() < 0.1 && docs.length > 0
          ? [...docs[Math.floor(random() * docs.length)].tokens].join(' ') // duplicates
          : zipfText(vocabulary, 1 + Math.floor(random() * 60), random);
      // Few distinct timestamps, so score ties fall through to the id.
      const doc = { id: `r${String(i).padStart(4, '0')}`, createdAt: 1_000 + Math.floor(i / 7), tokens: tokenSet(text, 1000) };
      docs.push(doc);
      index.add(doc, doc.tokens);
    }
    const live = docs.slice(Math.max(0, docs.length - capacity));
    expect(index.size).toBe(live.length);
    for (let q = 0; q < 60; q += 1) {
      const query = tokenSet(zipfText(vocabulary, 1 + Math.floor(random() * 25), random) + (q % 5 === 0 ? ' neverseen' : ''), 1000);
      const k = 1 + Math.floor(random() * 12);
      expect(index.search(query, k)).toEqual(bruteForce(live, query, k));
      // A near-copy of a live document: the case where the rare tokens settle the answer early.
      const base = [...live[Math.floor(random() * live.length)].tokens];
      const nearCopy = new Set(base.filter(() => random() > 0.2));
      expect(index.search(nearCopy, k)).toEqual(bruteForce(live, nearCopy, k));
    }
  });

  it('ignores a duplicate id and reports what capacity evicts, oldest first', () => {
    const index = new InvertedIndex(2);
    expect(index.add({ id: 'a', createdAt: 1 }, new Set(['x']))).toEqual([]);
    expect(index.add({ id: 'a', createdAt: 1 }, new Set(['y']))).toEqual([]);
    index.add({ id: 'b', createdAt: 2 }, new Set(['x']));
    expect(index.add({ id: 'c', createdAt: 3 }, new Set(['x']))).toEqual(['a']);
    expect(index.search(new Set(['x']), 5).map((d) => d.id)).toEqual(['c', 'b']);
  });
});
