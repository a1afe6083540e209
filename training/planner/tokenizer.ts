/**
 * TinyAgent-micro's SentencePiece-style vocabulary, learned from the training texts by byte-pair merges.
 *
 * Texts are first cut into chunks that never share a piece: a run of letters (with `_`, so tool names can
 * become one piece), a run of digits, a run of other symbols, and each space ("▁") or newline alone. A
 * space is never glued to the word after it, so a name tokenizes the same way after a space in the request
 * as after a quote in the plan: copying it is token-for-token.
 *
 * Pieces score by merge order (earlier merge, higher score): llama.cpp's SPM tokenizer repeatedly joins
 * the adjacent pair whose joined text is a piece with the highest score, which then replays these merges.
 * Single characters seen often enough are pieces too; anything else falls back to byte tokens.
 */
import { SPACE } from "./vocabulary";

export interface LearnedVocabulary {
  /** Characters and merged pieces, best (highest score) first among merges. */
  chars: string[];
  merges: string[];
}

const CHUNK = /[\p{L}\p{M}_]+|\p{N}+|\u2581|\n|[^\p{L}\p{M}_\p{N}\u2581\n]+/gu;

export function chunks(text: string): string[] {
  return text.replaceAll(" ", SPACE).match(CHUNK) ?? [];
}

/**
 * Learns `mergeCount` merges from `texts`. Characters occurring fewer than `minCharCount` times are left to
 * byte fallback.
 */
export function learnVocabulary(
  texts: Iterable<string>,
  options: { mergeCount: number; minCharCount: number; maxPieceLength?: number },
): LearnedVocabulary {
  const maxLength = options.maxPieceLength ?? 24;
  const wordCounts = new Map<string, number>();
  const charCounts = new Map<string, number>();
  for (const text of texts)
    for (const chunk of chunks(text)) {
      wordCounts.set(chunk, (wordCounts.get(chunk) ?? 0) + 1);
      for (const char of chunk) charCounts.set(char, (charCounts.get(char) ?? 0) + 1);
    }
  const chars = [...charCounts]
    .filter(([, count]) => count >= options.minCharCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([char]) => char);
  const known = new Set(chars);
  // Each distinct chunk as a list of symbols; unknown characters stay single symbols that never merge.
  const words = [...wordCounts].map(([word, count]) => ({ symbols: [...word], count }));
  const merges: string[] = [];
  const pieces = new Set(chars);
  while (merges.length < options.mergeCount) {
    const pairs = new Map<string, number>();
    for (const { symbols, count } of words) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const a = symbols[i]!;
        const b = symbols[i + 1]!;
        if (!known.has(a[0]!) || !known.has(b[0]!) || a.length + b.length > maxLength) continue;
        const key = `${a}\u0000${b}`;
        pairs.set(key, (pairs.get(key) ?? 0) + count);
      }
    }
    let best: string | undefined;
    let bestCount = 1;
    for (const [key, count] of pairs) {
      if (count > bestCount || (count === bestCount && best !== undefined && key < best)) {
        best = key;
        bestCount = count;
      }
    }
    if (best === undefined) break;
    const [a, b] = best.split("\u0000") as [string, string];
    const merged = a + b;
    for (const word of words) {
      const { symbols } = word;
      if (symbols.length < 2) continue;
      const next: string[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (i + 1 < symbols.length && symbols[i] === a && symbols[i + 1] === b) {
          next.push(merged);
          i++;
        } else next.push(symbols[i]!);
      }
      word.symbols = next;
    }
    if (!pieces.has(merged)) {
      pieces.add(merged);
      merges.push(merged);
    }
  }
  return { chars, merges };
}
