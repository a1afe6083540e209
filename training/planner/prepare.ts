/**
 * Steps 1-3 of `npm run train:planner`: planning data, the vocabulary, and the token ids training reads.
 *
 *   npx tsx training/planner/prepare.ts [--out training/planner/work] [--count 40000]
 *
 * Writes into the work folder (ignored by git):
 *   train.jsonl, eval.jsonl  (prompt, completion, ...) pairs; eval = in-domain lines of the synthetic test split
 *   vocab.gguf               the vocabulary in a weightless model file, which node-llama-cpp tokenizes with
 *   train.tokens, eval.tokens  little-endian uint16 token ids of BOS + prompt + completion, one after another
 *   train.index, eval.index    little-endian int32 (start, prompt length with BOS, total length) per example
 * The ids come from node-llama-cpp's own tokenizer, so training and inference can never tokenize apart.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadLlama } from "../../src/agent/engines/node-llama-cpp";
import { ToolClassifier } from "../../src/agent/toolrag/classifier";
import { ToolRag } from "../../src/agent/toolrag/tool-rag";
import { checkPlan } from "../../src/agent/plan/check";
import { defaultRegistry } from "../../src/tools/registry";
import type { Example } from "../toolrag/generate";
import { normalize, plannerExamples, renderExample, type DateStats, type PlannerExample } from "./data";
import { nameValues } from "./slots";
import { learnVocabulary } from "./tokenizer";
import { BOS_ID, buildVocabulary, modelFile, placeholderTensors, type Architecture } from "./vocabulary";

export const SETTINGS = {
  seed: 2,
  openVocabulary: 0.7,
  fixedNowShare: 0.3,
  extraToolShare: 0.35,
  merges: 1400,
  minCharCount: 20,
  tokenizerSample: 12_000,
};

const readJsonl = <T>(path: string): T[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: "string", default: "training/planner/work" },
      count: { type: "string", default: "80000" },
    },
  });
  const out = resolve(values.out!);
  mkdirSync(out, { recursive: true });
  const started = performance.now();
  const classifier = await ToolClassifier.load();

  // 1. Data. The synthetic validation and test requests are never trained on.
  const held = [
    ...readJsonl<Example>("data/toolrag/test.jsonl"),
    ...readJsonl<Example>("data/toolrag/validation.jsonl"),
  ];
  const exclude = new Set(held.map((example) => normalize(example.query)));
  const stats: DateStats = { total: 0, exact: 0 };
  const train = await plannerExamples({
    seed: SETTINGS.seed,
    count: Number(values.count),
    openVocabulary: SETTINGS.openVocabulary,
    fixedNowShare: SETTINGS.fixedNowShare,
    extraToolShare: SETTINGS.extraToolShare,
    exclude,
    classifier,
    stats,
  });
  const rag = new ToolRag({ classifier, registry: defaultRegistry });
  const testLines = readJsonl<Example>("data/toolrag/test.jsonl").filter((example) => example.plan !== "");
  const evalSet: PlannerExample[] = [];
  for (const example of testLines) evalSet.push(await renderExample(example, rag, 0));
  await classifier.dispose();
  writeFileSync(join(out, "train.jsonl"), train.map((e) => JSON.stringify(e)).join("\n") + "\n");
  writeFileSync(join(out, "eval.jsonl"), evalSet.map((e) => JSON.stringify(e)).join("\n") + "\n");
  report(train, stats);
  console.log(`data: ${train.length} train, ${evalSet.length} eval (${seconds(started)})`);

  // 2. Vocabulary.
  const sample = train.slice(0, SETTINGS.tokenizerSample).map((e) => e.prompt + e.completion);
  const learned = learnVocabulary(sample, {
    mergeCount: SETTINGS.merges,
    minCharCount: SETTINGS.minCharCount,
  });
  const vocabulary = buildVocabulary(learned);
  const architecture: Architecture = {
    embedding: 32,
    layers: 1,
    heads: 1,
    kvHeads: 1,
    feedForward: 32,
    contextLength: 512,
  };
  writeFileSync(
    join(out, "vocab.gguf"),
    modelFile({
      name: "tinyagent-micro-vocabulary",
      architecture,
      vocabulary,
      tensors: placeholderTensors(architecture, vocabulary.tokens.length),
      matrixType: "F32",
    }),
  );
  writeFileSync(join(out, "vocab.jsonl"), JSON.stringify(learned) + "\n");
  console.log(`vocabulary: ${vocabulary.tokens.length} pieces (${seconds(started)})`);

  // 3. Token ids, from node-llama-cpp itself.
  const { llama } = await loadLlama({ maxThreads: 1, gpu: false });
  const model = await llama.loadModel({ modelPath: join(out, "vocab.gguf") });
  for (const [name, examples] of [
    ["train", train],
    ["eval", evalSet],
  ] as const) {
    const ids: number[] = [];
    const index: number[] = [];
    let joinedSame = 0;
    let bytes = 0;
    for (const example of examples) {
      const prompt = model.tokenize(example.prompt);
      const completion = model.tokenize(example.completion);
      const whole = model.tokenize(example.prompt + example.completion);
      if (whole.length === prompt.length + completion.length) joinedSame++;
      index.push(ids.length, prompt.length + 1, prompt.length + completion.length + 1);
      ids.push(BOS_ID, ...prompt, ...completion);
      for (const id of [...prompt, ...completion]) if (id >= 3 && id < 259) bytes++;
    }
    writeFileSync(join(out, `${name}.tokens`), Buffer.from(Uint16Array.from(ids).buffer));
    writeFileSync(join(out, `${name}.index`), Buffer.from(Int32Array.from(index).buffer));
    const lengths = index.filter((_, i) => i % 3 === 2);
    console.log(
      `${name}: ${ids.length} tokens, mean ${(ids.length / examples.length).toFixed(1)} / max ${Math.max(...lengths)} per example, ` +
        `${((100 * bytes) / ids.length).toFixed(2)} % byte tokens, prompt+completion tokenized apart = together in ${((100 * joinedSame) / examples.length).toFixed(1)} %`,
    );
  }
  await model.dispose();
  console.log(`prepared in ${seconds(started)}`);
}

/** How often the values a plan must copy are spans of the request or dates-line values. */
function report(examples: readonly PlannerExample[], stats: DateStats): void {
  let names = 0;
  let verbatim = 0;
  let folded = 0;
  for (const example of examples) {
    const plan = checkPlan(example.completion, defaultRegistry).plan;
    for (const value of nameValues(plan)) {
      names++;
      if (example.query.includes(value)) verbatim++;
      else if (example.query.toLowerCase().includes(value.toLowerCase())) folded++;
    }
  }
  const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)} %`;
  console.log(
    `names/places/titles: ${names}, verbatim in the request ${pct(verbatim, names)}, up to case ${pct(verbatim + folded, names)}`,
  );
  console.log(`plan dates: ${stats.total}, a dates-line value ${pct(stats.exact, stats.total)}`);
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
