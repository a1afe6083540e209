/**
 * The benchmark: measures the DESIGN §8 budgets and the paper's figures on this machine with tiny
 * random-weight models built here (no downloads), one CPU thread, and prints each figure with PASS or
 * FAIL where a budget exists.
 *
 *   npm run bench                 a table
 *   npm run bench -- --json       the figures as JSON
 *   npm run bench -- --readme     also rewrite the results block of docs/results.md
 *   npm run bench -- --skip-1b    leave out the TinyLlama-1.1B-shape section (a 1.2 GB model, minutes)
 *   npm run bench -- --only cold-start   only the cold-start section (seconds, not minutes: for work on
 *                                 start-up time); not with --readme, whose block holds every figure
 *
 * Exits non-zero only when a measurement crashes; a budget that fails is reported, not an error.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { LlamaPlanner } from "../src/agent/planner/llama-planner";
import { loadRetrievalExamples, ToolClassifier } from "../src/agent/toolrag/classifier";
import { ToolRag } from "../src/agent/toolrag/tool-rag";
import { findCatalogModel } from "../src/agent/model/catalog";
import { writeTinyModel } from "../src/agent/model/tiny-model";
import { machineDescription } from "../src/cli/eval-command";
import { defaultRegistry } from "../src/tools/registry";
import { measureColdStart } from "./bench/cold-start";
import { measureDecoding } from "./bench/decoding";
import { measureExecutor } from "./bench/executor-timing";
import { measureMicroPlanner } from "./bench/micro-planner";
import { measureModelProbe } from "./bench/model-probe";
import { measureTranscription } from "./bench/transcription";
import { formatValue, verdict, type Figure } from "./bench/figure";
import { measureOverhead } from "./bench/overhead";
import { measurePrefixReuse } from "./bench/prefix-reuse";
import { measurePromptTokens } from "./bench/prompt-tokens";
import { resultsBlock, writeReadmeResults } from "./bench/readme-results";
import { measureTinyLlamaShape } from "./bench/tinyllama-shape";

const ROOT = join(import.meta.dirname, "..");
const TINYAGENT_1_1B = findCatalogModel("tinyagent-1.1b")!;
/** The same bounds as the planner tests: a random-weight model only finishes a plan inside bounds. */
const BOUNDS = { maxSteps: 3, maxTextLength: 8, maxListItems: 2 };
const MODELS =
  "a tiny random-weight llama model built at bench time (2 layers, width 64, Q8_0) with the TinyLlama 32,000-piece vocabulary (prefix reuse, decoding); the shipped TinyAgent-micro (micro planner, probe, cold start); unless --skip-1b, a random-weight model of TinyLlama-1.1B's exact shape (22 layers, width 2048, Q8_0, 1.2 GB; the 1.1B figures)";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: "boolean", default: false },
      readme: { type: "boolean", default: false },
      "skip-1b": { type: "boolean", default: false },
      only: { type: "string" },
    },
  });
  if (values.only !== undefined && values.only !== "cold-start")
    throw new Error(`--only takes "cold-start" (the one section that runs alone), got "${values.only}"`);
  if (values.only !== undefined && values.readme)
    throw new Error("--only measures one section; --readme rewrites the block of all of them");
  process.env.TINYAGENT_THREADS ??= "1";
  // Timings on a machine others are using mean little: the load at the start goes with the results.
  const load = loadavg()[0]!;
  const log = (text: string) => process.stderr.write(`${text}\n`);
  const folder = await mkdtemp(join(tmpdir(), "tinyagent-bench-"));
  const figures: Figure[] = [];
  try {
    if (values.only === "cold-start") {
      log("cold start and peak memory (spawning the CLI)…");
      figures.push(...(await measureColdStart(3)));
    } else await allSections(folder, figures, values["skip-1b"], log);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }

  const machine = `${machineDescription()}, load average ${load.toFixed(1)} at the start`;
  const about = { machine, models: MODELS, date: new Date().toISOString() };
  if (values.json) process.stdout.write(`${JSON.stringify({ ...about, figures }, null, 2)}\n`);
  else process.stdout.write(table(figures, about.machine));
  if (values.readme) {
    await writeReadmeResults(join(ROOT, "docs", "results.md"), resultsBlock(figures, about));
    log("docs/results.md: results block rewritten");
  }
}

/** Every section, in order; `figures` gains each section's figures as it ends. */
async function allSections(
  folder: string,
  figures: Figure[],
  skip1b: boolean,
  log: (text: string) => void,
): Promise<void> {
  const tinyllama = join(folder, "tiny-tinyllama.gguf");
  log("building the tiny model…");
  await writeTinyModel(tinyllama, { vocab: "tinyllama", seed: 7 });

  const classifier = await ToolClassifier.load();
  const rag = new ToolRag({
    classifier,
    registry: defaultRegistry,
    examples: await loadRetrievalExamples(),
  });
  log("agent overhead by stage…");
  figures.push(...(await measureOverhead(rag, 300)));
  log("prompt tokens (TinyLlama vocabulary)…");
  figures.push(...(await measurePromptTokens(rag)));
  log("executor against the critical path…");
  figures.push(...(await measureExecutor(40)));

  log("tokens evaluated per request with prefix reuse…");
  const planner = await LlamaPlanner.load({
    modelPath: tinyllama,
    template: "raw",
    contextSize: 4096,
    // As many as the TinyAgent-1.1B profile keeps.
    ...(TINYAGENT_1_1B.warmSequences !== undefined ? { warmSequences: TINYAGENT_1_1B.warmSequences } : {}),
    maxThreads: 1,
    gpu: false,
    grammar: BOUNDS,
  });
  try {
    figures.push(...(await measurePrefixReuse(planner, rag, 16)));
  } finally {
    await planner.dispose();
  }
  log("the bundled TinyAgent-micro planner…");
  figures.push(...(await measureMicroPlanner(rag, 40)));
  log("the model probe, on a first and a second open…");
  figures.push(...(await measureModelProbe()));
  await classifier.dispose();
  log("decoding speed with and without the grammar…");
  figures.push(...(await measureDecoding(tinyllama, 128)));
  log("cold start and peak memory (spawning the CLI)…");
  figures.push(...(await measureColdStart(3)));
  log("transcription real-time factor (tiny whisper model)…");
  figures.push(...(await measureTranscription(folder)));
  if (!skip1b) {
    log("the real model class: a random-weight model of TinyLlama-1.1B's shape (minutes)…");
    const ours = figures.find((f) => f.key === "prompt.ours.median")?.value ?? null;
    figures.push(...(await measureTinyLlamaShape(folder, ours)));
  }
}

function table(figures: readonly Figure[], machine: string): string {
  const width = Math.max(...figures.map((f) => f.label.length));
  const lines = figures.map((f) => {
    const budget = f.budget ? `  ${verdict(f).padEnd(4)} (budget ${f.budget.text})` : "";
    const paper = f.paper ? `  paper: ${f.paper}` : "";
    const note = f.note ? `  [${f.note}]` : "";
    return `${f.label.padEnd(width)}  ${formatValue(f).padStart(16)}${budget}${paper}${note}`;
  });
  const failed = figures.filter((f) => f.budget && !f.budget.pass);
  const budgets = figures.filter((f) => f.budget).length;
  return [
    `TinyAgent benchmark on ${machine}`,
    "",
    ...lines,
    "",
    failed.length === 0
      ? `All ${budgets} budgets PASS.`
      : `${failed.length} of ${budgets} budgets FAIL: ${failed.map((f) => `${f.label} = ${formatValue(f)} (budget ${f.budget!.text})`).join("; ")}`,
    "",
  ].join("\n");
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
