const SEPARATORS = /[^\p{L}\p{N}_]+/u;

/**
 * The token set of a text: its first `maxChars` characters, lower-cased, split on
 * anything that is not a Unicode letter, digit or underscore (so Arabic and other scripts
 * tokenise too), empty parts dropped.
 */
export function tokenSet(text: string, maxChars: number): Set<string> {
  const tokens = new Set<string>();
  for (const part of text.slice(0, maxChars).toLowerCase().split(SEPARATORS)) {
    if (part.length > 0) tokens.add(part);
  }
  return tokens;
}

/** |A ∩ B| / |A ∪ B| from the overlap and the two set sizes. */
export function jaccard(overlap: number, sizeA: number, sizeB: number): number {
  const union = sizeA + sizeB - overlap;
  return union === 0 ? 0 : overlap / union;
}
