/**
 * node-llama-cpp 3.21.1 (pinned) loses one failure: when its sampler cannot accept the token it picked (the
 * NaN logits of damaged weights pick a token the grammar forbids), the error rejects a promise inside the
 * context's batch dispatcher that nobody awaits. The process gets an unhandled rejection, which ends a Node
 * process by default, and the generation that asked for the token waits forever.
 *
 * The guard wraps the context's native `sampleToken` (an internal of that version): a failure is handed
 * to `onFailure` and answered with "no token" (-1), which node-llama-cpp's own generation loop turns into
 * an error ("Failed to sample next token") that its caller awaits and catches. Without the internal (a
 * different version), nothing is wrapped; test/planner/bad-model-files.test.ts would then fail.
 */

type SampleToken = (...args: unknown[]) => Promise<unknown>;

export function guardSampler(context: object, onFailure: (error: unknown) => void): boolean {
  const native = (context as { _ctx?: { sampleToken?: unknown } })._ctx;
  const sampleToken = native?.sampleToken;
  if (!native || typeof sampleToken !== "function") return false;
  const guarded: SampleToken = (...args) =>
    (sampleToken as SampleToken).apply(native, args).catch((error: unknown) => {
      onFailure(error);
      return -1;
    });
  // The native method is read-only on the prototype; an own property on this context shadows it.
  Object.defineProperty(native, "sampleToken", { value: guarded, configurable: true, writable: true });
  return true;
}

/** The first line of an error's message (native errors may carry more). */
export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
}
