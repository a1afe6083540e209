/**
 * Several context sequences of one llama.cpp context, each keeping the KV cache of the last prompt it
 * evaluated. The TinyAgent prompt opens with the number and list of the selected tools (the layout the
 * models were trained on), so a request that selects other tools shares only the first line with the one
 * before it; keeping a few earlier prompts warm lets a request that selects tools seen recently reuse
 * one of them. Reuse is exact: a sequence keeps only the prefix a new prompt shares with it, so the model
 * computes the same logits, and writes the same plan, whichever sequence it runs on.
 */
export interface WarmSequence<T> {
  /** The tokens whose KV state the sequence holds, in order. */
  readonly contextTokens: readonly T[];
}

/**
 * A match shorter than this share of the new prompt counts as none: the prompt goes to the sequence used
 * least recently, so the warm state of another tool selection is not overwritten for a line or two.
 */
const WEAK_MATCH = 0.25;

export class WarmSequences<S extends WarmSequence<T>, T = unknown> {
  /** When each sequence was last handed out; larger is more recent. */
  private readonly lastUsed: number[];
  private clock = 0;

  constructor(private readonly sequences: readonly S[]) {
    if (sequences.length === 0) throw new Error("WarmSequences needs at least one sequence");
    this.lastUsed = sequences.map(() => 0);
  }

  all(): readonly S[] {
    return this.sequences;
  }

  /**
   * The sequence to evaluate `tokens` on: the one sharing the longest prefix with them (the most recently
   * used among equals), unless that prefix is a weak match; then the least recently used one.
   */
  pick(tokens: readonly T[]): S {
    let best = 0;
    let bestShared = -1;
    this.sequences.forEach((sequence, i) => {
      const shared = sharedPrefixLength(sequence.contextTokens, tokens);
      if (shared > bestShared || (shared === bestShared && this.lastUsed[i]! > this.lastUsed[best]!)) {
        best = i;
        bestShared = shared;
      }
    });
    const chosen = bestShared < WEAK_MATCH * tokens.length ? this.leastRecentlyUsed() : best;
    this.lastUsed[chosen] = ++this.clock;
    return this.sequences[chosen]!;
  }

  private leastRecentlyUsed(): number {
    let oldest = 0;
    this.lastUsed.forEach((used, i) => {
      if (used < this.lastUsed[oldest]!) oldest = i;
    });
    return oldest;
  }
}

export function sharedPrefixLength(a: readonly unknown[], b: readonly unknown[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
