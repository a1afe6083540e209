/**
 * Step 6 of `npm run train:planner`: how well TinyAgent-micro plans, greedy decoding under the plan grammar.
 *
 *   npx tsx training/planner/evaluate.ts [--model models/tinyagent-micro.gguf] [--test N] [--natural N]
 *                                        [--reference FILE] [--spans]
 *
 * The tools line is the shipped classifier's selection alone (as at run time); "now" is the generator's
 * Monday 2024-06-03 09:00 UTC. On the synthetic test split (plans known): validity, DAG success
 * (`sameDag`), names exact (the look-up values of the plan — names, places, note and file names — equal the
 * reference's, ignoring case, among requests with look-ups), dates exact (among requests with dates). On
 * the natural dev set (tools known, no plans): validity, tool-set match, names copied (every look-up value
 * is a span of the request, ignoring case). Milliseconds per plan, one thread.
 *
 * `--reference FILE` writes the plans of the first test requests (model, prompt, plan) for the committed
 * quantized-vs-float test; `--compare FILE` decodes those prompts again and reports agreement.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadLlama } from "../../src/agent/engines/node-llama-cpp";
import { MICRO_MODEL } from "../../src/agent/model/catalog";
import { percentile } from "../../src/agent/eval/percentile";
import { checkPlan } from "../../src/agent/plan/check";
import { sameDag } from "../../src/agent/plan/dag";
import { planGrammar } from "../../src/agent/plan/grammar";
import { personCandidates } from "../../src/agent/plan/request-people";
import { buildMicroPrompt } from "../../src/agent/prompt/micro-prompt";
import { ToolClassifier } from "../../src/agent/toolrag/classifier";
import { ToolRag } from "../../src/agent/toolrag/tool-rag";
import { defaultRegistry } from "../../src/tools/registry";
import type { AnyTool } from "../../src/tools/tool";
import { GENERATOR_NOW, TIME_ZONE } from "./data";
import { dateValues, nameValues, sameValues } from "./slots";

export interface ReferencePlan {
  query: string;
  tools: string[];
  prompt: string;
  plan: string;
}

type Planner = (prompt: string, tools: readonly AnyTool[], request: string) => Promise<string>;

/** Greedy, grammar-constrained plans from a GGUF file with node-llama-cpp on one thread. */
export async function openPlanner(
  modelPath: string,
  options: { spans?: boolean; people?: boolean } = {},
): Promise<{ plan: Planner; dispose: () => Promise<void> }> {
  const { module, llama } = await loadLlama({ maxThreads: 1, gpu: false });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: 1024, threads: 1 });
  const sequence = context.getSequence();
  const completion = new module.LlamaCompletion({ contextSequence: sequence });
  const plan: Planner = async (prompt, tools, request) => {
    const grammar = await llama.createGrammar({
      grammar: planGrammar(
        tools,
        options.spans ? { request, ...(options.people ? { people: personCandidates(request) } : {}) } : {},
      ),
    });
    const text = await completion.generateCompletion(prompt, { grammar, temperature: 0, maxTokens: 400 });
    return text;
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

/** Same DAG with the same tool per step (the paper's success criterion between two plans). */
export function samePlanShape(a: string, b: string): boolean {
  return sameDag(checkPlan(a, defaultRegistry).plan, checkPlan(b, defaultRegistry).plan);
}

interface Line {
  query: string;
  tools: string[];
  plan?: string;
}

const readJsonl = (path: string): Line[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Line);

const lower = (values: readonly string[]) => values.map((value) => value.toLowerCase());

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: "string", default: "models/tinyagent-micro.gguf" },
      test: { type: "string", default: "400" },
      natural: { type: "string", default: "1000" },
      reference: { type: "string" },
      compare: { type: "string" },
      count: { type: "string", default: "40" },
      spans: { type: "boolean", default: false },
      people: { type: "boolean", default: false },
    },
  });
  const planner = await openPlanner(resolve(values.model!), { spans: values.spans!, people: values.people! });
  const classifier = await ToolClassifier.load();
  const rag = new ToolRag({ classifier, registry: defaultRegistry });
  const render = async (query: string) => {
    const tools = [...(await rag.select(query, { minProbability: MICRO_MODEL.toolFloor! }))];
    return {
      tools,
      prompt: buildMicroPrompt({ tools, request: query, now: GENERATOR_NOW, timeZone: TIME_ZONE }),
    };
  };

  if (values.compare) {
    const references = readJsonl(values.compare) as unknown as ReferencePlan[];
    let same = 0;
    let dag = 0;
    for (const reference of references) {
      const tools = reference.tools.map((name) => defaultRegistry.get(name)!);
      const plan = await planner.plan(reference.prompt, tools, reference.query);
      if (plan === reference.plan) same++;
      else console.log(`differs: ${reference.query}\n  float:     ${reference.plan}\n  quantized: ${plan}`);
      if (samePlanShape(plan, reference.plan)) dag++;
    }
    console.log(
      `identical plans: ${same}/${references.length}; same DAG and tools: ${dag}/${references.length}`,
    );
  }

  const testLines = readJsonl("data/toolrag/test.jsonl").filter((line) => line.plan);
  if (values.reference) {
    const out: ReferencePlan[] = [];
    for (const line of testLines.slice(0, Number(values.count))) {
      const { tools, prompt } = await render(line.query);
      if (tools.length === 0) continue;
      out.push({
        query: line.query,
        tools: tools.map((t) => t.name),
        prompt,
        plan: await planner.plan(prompt, tools, line.query),
      });
    }
    writeFileSync(values.reference, out.map((line) => JSON.stringify(line)).join("\n") + "\n");
    console.log(`${out.length} reference plans written to ${values.reference}`);
  }

  const ms: number[] = [];
  const timed = async (prompt: string, tools: readonly AnyTool[], query: string) => {
    const started = performance.now();
    const plan = await planner.plan(prompt, tools, query);
    ms.push(performance.now() - started);
    return plan;
  };

  // Synthetic test split.
  const test = { n: 0, valid: 0, dag: 0, withNames: 0, names: 0, withDates: 0, dates: 0, noTools: 0 };
  const failures: string[] = [];
  for (const line of testLines.slice(0, Number(values.test))) {
    test.n++;
    const reference = checkPlan(line.plan!, defaultRegistry).plan;
    const { tools, prompt } = await render(line.query);
    if (tools.length === 0) {
      test.noTools++;
      continue;
    }
    const text = await timed(prompt, tools, line.query);
    const checked = checkPlan(text, defaultRegistry);
    if (checked.valid) test.valid++;
    const dag = sameDag(checked.plan, reference);
    if (dag) test.dag++;
    else if (failures.length < 12) failures.push(`${line.query}\n  want: ${line.plan}\n  got:  ${text}`);
    const wantNames = nameValues(reference);
    if (wantNames.length > 0) {
      test.withNames++;
      if (sameValues(lower(wantNames), lower(nameValues(checked.plan)))) test.names++;
    }
    const wantDates = dateValues(reference);
    if (wantDates.length > 0) {
      test.withDates++;
      if (sameValues(wantDates, dateValues(checked.plan))) test.dates++;
    }
  }
  const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)} % (${a}/${b})`;
  console.log(`synthetic test split, ${test.n} in-domain requests:`);
  console.log(`  valid ${pct(test.valid, test.n - test.noTools)}, DAG success ${pct(test.dag, test.n)}`);
  console.log(
    `  names exact ${pct(test.names, test.withNames)}, dates exact ${pct(test.dates, test.withDates)}`,
  );
  console.log(`  no tools selected: ${test.noTools}`);
  for (const failure of failures) console.log(`  ✗ ${failure}`);

  // Natural dev set.
  const nat = { n: 0, valid: 0, toolSet: 0, withNames: 0, copied: 0, noTools: 0 };
  for (const line of readJsonl("data/toolrag/natural-dev.jsonl")
    .filter((l) => l.tools.length > 0)
    .slice(0, Number(values.natural))) {
    nat.n++;
    const { tools, prompt } = await render(line.query);
    if (tools.length === 0) {
      nat.noTools++;
      continue;
    }
    const text = await timed(prompt, tools, line.query);
    const checked = checkPlan(text, defaultRegistry);
    if (checked.valid) nat.valid++;
    const called = new Set(checked.plan.steps.map((step) => step.tool));
    if (called.size === line.tools.length && line.tools.every((tool) => called.has(tool))) nat.toolSet++;
    const names = nameValues(checked.plan);
    if (names.length > 0) {
      nat.withNames++;
      const request = line.query.toLowerCase();
      if (names.every((name) => request.includes(name.toLowerCase()))) nat.copied++;
    }
  }
  console.log(`natural dev set, ${nat.n} in-domain requests:`);
  console.log(`  valid ${pct(nat.valid, nat.n - nat.noTools)}, tool-set match ${pct(nat.toolSet, nat.n)}`);
  console.log(
    `  look-ups copied from the request ${pct(nat.copied, nat.withNames)}; no tools selected: ${nat.noTools}`,
  );
  console.log(
    `ms per plan: p50 ${(percentile(ms, 0.5) ?? NaN).toFixed(0)}, p90 ${(percentile(ms, 0.9) ?? NaN).toFixed(0)} (${ms.length} plans, 1 thread)`,
  );
  await classifier.dispose();
  await planner.dispose();
}

if (process.argv[1] !== undefined && resolve(process.argv[1]).endsWith("evaluate.ts"))
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
