/**
 * Builds the tiny random-weight GGUF model that tests and CI use instead of a downloaded one.
 *
 *   npm run test-model -- OUT.gguf [--vocab small|tinyllama] [--seed N]
 */
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { readGgufHeader } from "../src/agent/model/gguf-header";
import { writeTinyModel, type TinyVocabName } from "../src/agent/model/tiny-model";

const USAGE = "usage: npm run test-model -- OUT.gguf [--vocab small|tinyllama] [--seed N]";

type Request = { out: string; vocab: TinyVocabName; seed: number };

function parseRequest(argv: readonly string[]): Request {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { vocab: { type: "string", default: "small" }, seed: { type: "string", default: "1" } },
  });
  const [out, ...extra] = positionals;
  if (out === undefined || extra.length > 0) throw new Error(USAGE);
  if (values.vocab !== "small" && values.vocab !== "tinyllama") {
    throw new Error(`--vocab must be small or tinyllama\n${USAGE}`);
  }
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`--seed must be a whole number\n${USAGE}`);
  return { out: resolve(out), vocab: values.vocab, seed };
}

async function main(): Promise<void> {
  const request = parseRequest(process.argv.slice(2));
  const started = performance.now();
  await mkdir(dirname(request.out), { recursive: true });
  const bytes = await writeTinyModel(request.out, { vocab: request.vocab, seed: request.seed });
  // Read it back with the same checks the planner applies before loading a model.
  const header = await readGgufHeader(request.out);
  const ms = Math.round(performance.now() - started);
  console.log(
    `${request.out}: ${(bytes / 1e6).toFixed(2)} MB, ${header.tensors.length} tensors, vocabulary ${header.vocabSize}, context ${header.contextLength} (${ms} ms)`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
