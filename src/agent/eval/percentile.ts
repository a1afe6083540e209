/**
 * The p-th percentile (0..1) by the nearest-rank method: a value that occurred, never an interpolation.
 * Undefined for no values.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

/** p50 and p95 of a series, as an evaluation report states them. */
export function spread(values: readonly number[]): { p50: number | null; p95: number | null } {
  return { p50: percentile(values, 0.5) ?? null, p95: percentile(values, 0.95) ?? null };
}
