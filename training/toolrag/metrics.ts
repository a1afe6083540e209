export interface SelectionMetrics {
  requests: number;
  /** Needed tools that were selected, over all needed tools (micro average). */
  recall: number;
  /** Selected tools that were needed, over all selected tools. */
  precision: number;
  /** Requests whose needed tools were all selected. */
  fullRecall: number;
  exactSet: number;
  averageSelected: number;
  /** Out-of-domain requests (no tool needed) for which nothing was selected. */
  outOfDomainRejected: number;
  outOfDomainCount: number;
  misses: { query: string; missing: string[]; selected: string[] }[];
}

/** How well `select` (the tools offered for a request) matches the labelled tools of each example. */
export function measureSelection(
  examples: readonly { query: string; tools: readonly string[] }[],
  select: (query: string) => readonly string[],
): SelectionMetrics {
  let needed = 0;
  let hit = 0;
  let selectedTotal = 0;
  let full = 0;
  let exact = 0;
  let ood = 0;
  let oodRejected = 0;
  const misses: SelectionMetrics["misses"] = [];
  for (const example of examples) {
    const selected = select(example.query);
    const missing = example.tools.filter((tool) => !selected.includes(tool));
    needed += example.tools.length;
    hit += example.tools.length - missing.length;
    selectedTotal += selected.length;
    if (missing.length === 0) full++;
    else misses.push({ query: example.query, missing, selected: [...selected] });
    if (missing.length === 0 && selected.length === example.tools.length) exact++;
    if (example.tools.length === 0) {
      ood++;
      if (selected.length === 0) oodRejected++;
    }
  }
  const n = Math.max(1, examples.length);
  return {
    requests: examples.length,
    recall: needed === 0 ? 1 : hit / needed,
    precision: selectedTotal === 0 ? 1 : hit / selectedTotal,
    fullRecall: full / n,
    exactSet: exact / n,
    averageSelected: selectedTotal / n,
    outOfDomainRejected: ood === 0 ? 1 : oodRejected / ood,
    outOfDomainCount: ood,
    misses,
  };
}
