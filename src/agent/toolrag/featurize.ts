/**
 * Turns a request into hashed features for the tool classifier: word unigrams and bigrams for meaning,
 * character n-grams inside words for typos and word forms ("emial" still shares "mai", "ail"). Hashing
 * keeps the model a fixed size whatever words people use. Shared by training and inference, so both
 * see exactly the same features.
 */

export interface FeaturizerSettings {
  /** Number of hash buckets (a power of two); bucket 0 is reserved for padding. */
  buckets: number;
  /** Character n-gram lengths, e.g. [3, 4, 5]. */
  charNgrams: number[];
  /** Whether to add word bigrams. */
  wordBigrams: boolean;
}

export const DEFAULT_FEATURIZER: FeaturizerSettings = {
  buckets: 1 << 16,
  charNgrams: [3, 4, 5],
  wordBigrams: true,
};

/** Lowercase, accents removed, everything but letters, digits, "@", "$" and "." as spaces. */
export function normalizeRequest(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}@$.]+/gu, " ")
    .replace(/\.(?=\s|$)/g, " ")
    .trim();
}

/** The request's words, as the featurizer sees them. */
export function requestWords(text: string): string[] {
  const normalized = normalizeRequest(text);
  return normalized === "" ? [] : normalized.split(/\s+/);
}

/** Distinct feature ids (1..buckets-1), in first-seen order. */
export function featurize(text: string, settings: FeaturizerSettings = DEFAULT_FEATURIZER): number[] {
  const words = requestWords(text);
  const ids = new Set<number>();
  const add = (feature: string) => ids.add(bucketOf(feature, settings.buckets));
  for (const word of words) {
    add(`w:${word}`);
    const marked = `<${word}>`;
    for (const n of settings.charNgrams) {
      for (let i = 0; i + n <= marked.length; i++) add(`c:${marked.slice(i, i + n)}`);
    }
  }
  if (settings.wordBigrams) {
    for (let i = 0; i + 1 < words.length; i++) add(`b:${words[i]} ${words[i + 1]}`);
  }
  return [...ids];
}

/** FNV-1a over UTF-16 code units, into 1..buckets-1 (0 is padding). */
function bucketOf(feature: string, buckets: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < feature.length; i++) {
    hash ^= feature.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return 1 + (hash % (buckets - 1));
}
