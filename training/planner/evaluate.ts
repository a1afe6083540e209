/**
 * Step 6 of `npm run train:planner`: does the quantized model plan like the float one?
 *
 *   npx tsx training/planner/evaluate.ts --model FILE --reference OUT [--count 40]   the float model's plans
 *   npx tsx training/planner/evaluate.ts --compare FILE [--model models/tinyagent-micro.gguf]
 *
 * `--reference` writes the plans a model writes for the first synthetic test requests (request, tools,
 * prompt, plan), for the committed quantized-vs-float test; `--compare` decodes those prompts again with
 * another model file and reports how many plans are identical and how many have the same DAG and tools.
 * Decoding is as at run time: greedy, one thread, the plan grammar copying from the request (spans,
 * people, dates), tools from the shipped classifier at the micro profile's floor, "now" the generator's
 * Monday 2024-06-03 09:00 UTC. Accuracy is `tinyagent eval`'s job (the pipeline runs it next).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadLlama } from "../../src/agent/engines/node-llama-cpp";
import { MICRO_MODEL } from "../../src/agent/model/catalog";
import { checkPlan } from "../../src/agent/plan/check";
import { sameDag } from "../../src/agent/plan/dag";
import { planGrammar, type GrammarOptions } from "../../src/agent/plan/grammar";
import type { NormalizeContext } from "../../src/agent/plan/normalize";
import { copiedFrom } from "../../src/agent/request/allowed";
import { buildMicroPrompt } from "../../src/agent/prompt/micro-prompt";
import { ToolClassifier } from "../../src/agent/toolrag/classifier";
import { ToolRag } from "../../src/agent/toolrag/tool-rag";
import { defaultRegistry } from "../../src/tools/registry";
import type { AnyTool } from "../../src/tools/tool";
import { GENERATOR_NOW, TIME_ZONE } from "./data";

export interface ReferencePlan {
  query: string;
  tools: string[];
  prompt: string;
  plan: string;
}

type Planner = (prompt: string, tools: readonly AnyTool[], request: string) => Promise<string>;

/** Greedy plans from a GGUF file with node-llama-cpp on one thread, under the run-time plan grammar. */
export async function openPlanner(
  modelPath: string,
): Promise<{ plan: Planner; dispose: () => Promise<void> }> {
  const { module, llama } = await loadLlama({ maxThreads: 1, gpu: false });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: MICRO_MODEL.contextSize, threads: 1 });
  const sequence = context.getSequence();
  const completion = new module.LlamaCompletion({ contextSequence: sequence });
  const requestTime = { now: GENERATOR_NOW, timeZone: TIME_ZONE };
  const plan: Planner = async (prompt, tools, request) => {
    const grammar = await llama.createGrammar({
      grammar: planGrammar(tools, referenceGrammar(request, requestTime)),
    });
    return completion.generateCompletion(prompt, { grammar, temperature: 0, maxTokens: 400 });
  };
  return {
    plan,
    dispose: async () => {
      completion.dispose();
      await context.dispose();
      await model.dispose();
    },
  };
}

/**
 * The grammar the reference plans were written under: the request's spans, people and dates line, as
 * at training time. The quantized-vs-float check is about the weights, so it keeps that grammar; the
 * run-time grammar has since also held free text to the request's words, dates to their roles and
 * look-ups to the contact details the request needs (issue 14), which the float model was never decoded
 * with.
 */
function referenceGrammar(request: string, requestTime: NormalizeContext): GrammarOptions {
  const options = copiedFrom(request, requestTime);
  delete options.wording;
  delete options.dateArguments;
  delete options.contactDetails;
  return options;
}

/** Same DAG with the same tool per step (the paper's success criterion between two plans). */
export function samePlanShape(a: string, b: string): boolean {
  return sameDag(checkPlan(a, defaultRegistry).plan, checkPlan(b, defaultRegistry).plan);
}

const readJsonl = <T>(path: string): T[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);

async function writeReference(planner: Planner, out: string, count: number): Promise<void> {
  const classifier = await ToolClassifier.load();
  const rag = new ToolRag({ classifier, registry: defaultRegistry });
  const lines: ReferencePlan[] = [];
  for (const line of readJsonl<{ query: string; plan: string }>("data/toolrag/test.jsonl")) {
    if (lines.length >= count) break;
    if (line.plan === "") continue;
    const tools = [...(await rag.select(line.query, { minProbability: MICRO_MODEL.toolFloor! }))];
    if (tools.length === 0) continue;
    const prompt = buildMicroPrompt({ tools, request: line.query, now: GENERATOR_NOW, timeZone: TIME_ZONE });
    const plan = await planner(prompt, tools, line.query);
    lines.push({ query: line.query, tools: tools.map((tool) => tool.name), prompt, plan });
  }
  await classifier.dispose();
  writeFileSync(out, lines.map((line) => JSON.stringify(line)).join("\n") + "\n");
  console.log(`${lines.length} reference plans written to ${out}`);
}

async function compare(planner: Planner, file: string): Promise<void> {
  const references = readJsonl<ReferencePlan>(file);
  let same = 0;
  let dag = 0;
  for (const reference of references) {
    const tools = reference.tools.map((name) => defaultRegistry.get(name)!);
    const plan = await planner(reference.prompt, tools, reference.query);
    if (plan === reference.plan) same++;
    else console.log(`differs: ${reference.query}\n  reference: ${reference.plan}\n  this model: ${plan}`);
    if (samePlanShape(plan, reference.plan)) dag++;
  }
  console.log(
    `identical plans: ${same}/${references.length}; same DAG and tools: ${dag}/${references.length}`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: "string", default: "models/tinyagent-micro.gguf" },
      reference: { type: "string" },
      compare: { type: "string" },
      count: { type: "string", default: "40" },
    },
  });
  if (!values.reference && !values.compare) throw new Error("give --reference OUT or --compare FILE");
  const planner = await openPlanner(resolve(values.model!));
  try {
    if (values.reference) await writeReference(planner.plan, values.reference, Number(values.count));
    if (values.compare) await compare(planner.plan, values.compare);
  } finally {
    await planner.dispose();
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]).endsWith("evaluate.ts"))
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
