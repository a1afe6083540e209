import { spread } from "../../src/agent/eval/percentile";
import { resolveModel } from "../../src/agent/model/model-store";
import { LlamaPlanner } from "../../src/agent/planner/llama-planner";
import type { ToolRag } from "../../src/agent/toolrag/tool-rag";
import { below, figure, type Figure } from "./figure";
import { naturalPlans } from "./requests";

/**
 * The bundled TinyAgent-micro planner over a stream of natural requests through the whole pipeline, as
 * the CLI and Raycast run it when no TinyAgent model is downloaded: planning time per plan (the issue's
 * budget: p50 under 100 ms), share of valid plans, and tokens evaluated per request. Its compact prompt
 * is what makes the DESIGN §8 prefix-reuse budget reachable with tool selection: the TinyAgent layout
 * opens with the selected tools' descriptions, so consecutive requests rarely share more than a line.
 */
export async function measureMicroPlanner(rag: ToolRag, count: number): Promise<Figure[]> {
  const planner = await LlamaPlanner.forModel(await resolveModel("micro"), { maxThreads: 1, gpu: false });
  const times: number[] = [];
  const evaluated: number[] = [];
  let valid = 0;
  try {
    for await (const { outcome, ms } of naturalPlans(planner, rag, count)) {
      times.push(ms);
      if (times.length > 1) evaluated.push(outcome.stats.evaluatedTokens);
      if (outcome.checked.problems.every((problem) => problem.severity !== "error")) valid++;
    }
  } finally {
    await planner.dispose();
  }
  const time = spread(times);
  const tokens = spread(evaluated);
  const note = `${times.length} natural requests with tools selected, models/tinyagent-micro.gguf`;
  return [
    figure("micro.plan.p50", "TinyAgent-micro: planning time per plan, p50", time.p50, "ms", {
      budget: below(time.p50, 100, "ms"),
      note,
    }),
    figure("micro.plan.p95", "TinyAgent-micro: planning time per plan, p95", time.p95, "ms"),
    figure(
      "micro.valid",
      "TinyAgent-micro: valid plans",
      times.length === 0 ? null : (100 * valid) / times.length,
      "%",
      { budget: { text: "100 %", pass: times.length > 0 && valid === times.length } },
    ),
    figure(
      "micro.prefix-reuse.evaluated.median",
      "TinyAgent-micro: tokens evaluated per request (prefix reuse), median",
      tokens.p50,
      "tokens",
      { budget: below(tokens.p50, 300, "tokens") },
    ),
  ];
}
