import { spread } from "../../src/agent/eval/percentile";
import { executePlan } from "../../src/agent/executor/executor";
import { checkPlan } from "../../src/agent/plan/check";
import { planGrammar } from "../../src/agent/plan/grammar";
import { buildPrompt } from "../../src/agent/prompt/build-prompt";
import type { ToolRag } from "../../src/agent/toolrag/tool-rag";
import { defaultRegistry } from "../../src/tools/registry";
import { below, figure, type Figure } from "./figure";
import { plannedRequests } from "./requests";
import { simulatedBackend } from "./simulated-backend";

const STAGES = [
  "select tools",
  "retrieve examples",
  "build prompt",
  "build grammar",
  "parse",
  "schedule",
] as const;
type Stage = (typeof STAGES)[number];

/**
 * Everything the agent does per request except model decoding, stage by stage, over synthetic requests
 * with ground-truth plans: the plan text stands in for the model's output, and "schedule" runs it through
 * the executor with actions that answer at once.
 */
export async function measureOverhead(rag: ToolRag, count: number): Promise<Figure[]> {
  const times = new Map<Stage, number[]>(STAGES.map((stage) => [stage, []]));
  const totals: number[] = [];
  const backend = simulatedBackend(() => 0);
  for (const request of plannedRequests(count)) {
    const took: Partial<Record<Stage, number>> = {};
    const timed = async <T>(stage: Stage, work: () => T | Promise<T>): Promise<T> => {
      const started = performance.now();
      const result = await work();
      took[stage] = performance.now() - started;
      return result;
    };
    const tools = await timed("select tools", () => rag.select(request.query));
    if (tools.length === 0) continue;
    const names = tools.map((tool) => tool.name);
    const examples = await timed("retrieve examples", () => rag.examplesFor(request.query, names));
    await timed("build prompt", () =>
      buildPrompt({ tools, request: request.query, examples, ...request.context }),
    );
    await timed("build grammar", () => planGrammar(tools));
    // Validated against all tools: a missed tool must not turn the plan away before it is scheduled.
    const checked = await timed("parse", () =>
      checkPlan(request.truthText, defaultRegistry, request.context),
    );
    await timed("schedule", () =>
      executePlan(checked.plan.steps, {
        backend,
        registry: defaultRegistry,
        confirm: async () => ({ decision: "approve" }),
      }),
    );
    for (const stage of STAGES) times.get(stage)!.push(took[stage]!);
    totals.push(STAGES.reduce((sum, stage) => sum + took[stage]!, 0));
  }
  const figures = STAGES.flatMap((stage) => {
    const { p50, p95 } = spread(times.get(stage)!);
    const key = stage.replace(/ /g, "-");
    return [
      figure(`overhead.${key}.p50`, `Overhead: ${stage}, p50`, p50, "ms"),
      figure(`overhead.${key}.p95`, `Overhead: ${stage}, p95`, p95, "ms"),
    ];
  });
  const total = spread(totals);
  return [
    ...figures,
    figure("overhead.total.p50", "Overhead per request (all stages), p50", total.p50, "ms", {
      budget: below(total.p50, 20, "ms"),
      note: `${totals.length} synthetic requests with ground-truth plans`,
    }),
    figure("overhead.total.p95", "Overhead per request (all stages), p95", total.p95, "ms"),
  ];
}
