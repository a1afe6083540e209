import type { EvalRun } from "./eval-report";
import { bytes, count, milliseconds, percent } from "./figures";
import { PAPER_RESULTS } from "./paper";
import { LENGTH_BUCKETS, type EvalSummary, type LengthBucket } from "./metrics";

/**
 * The evaluation as Markdown: the paper's table (model, success rate, prompt size, latency, model size)
 * with our runs and the paper's own rows, then the remaining figures of each run.
 */
export function markdownReport(runs: readonly EvalRun[]): string {
  const lines = [
    "# TinyAgent evaluation",
    "",
    "Success: the plan is valid and its DAG is isomorphic to the ground truth's, with the same tool on",
    "matched steps (the paper's metric). Prompt: median prompt tokens. Latency: whole request (tool",
    "selection, prompt, planning, parsing), p50 / p95.",
    "",
    "| Model | Data | Tools | Requests | Success rate | Prompt tokens | Latency p50 / p95 | Model size |",
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ...runs.map(
      (run) =>
        `| ${cell(run.model)} | ${cell(run.data)} | ${run.tools} | ${run.summary.inDomain} | ${percent(run.summary.successRate)} | ${count(run.summary.promptTokens.p50)} | ${milliseconds(run.summary.totalMs.p50)} / ${milliseconds(run.summary.totalMs.p95)} | ${bytes(run.modelBytes)} |`,
    ),
    ...PAPER_RESULTS.map(
      (paper) =>
        `| ${paper.model} (paper) | paper's test set | tool-rag | — | ${percent(paper.successRate, 2)} | ${count(paper.promptTokens)} | ${milliseconds(paper.latencyMs)} | ${bytes(paper.modelBytes)} |`,
    ),
    "",
    "## Details",
    "",
    "Valid: plans that parse and validate against the selected tools, of plans written. Key arguments:",
    "contact names, dates and recipients equal to the ground truth's (see src/agent/eval/key-arguments.ts);",
    "exact: success with every key argument right. Names exact: requests whose contact look-ups all name",
    "the ground truth's person, of requests with look-ups; dates exact: likewise, of requests with dates.",
    "Tool recall and precision: the tools offered to the planner; tool set: plans calling exactly the",
    "ground truth's tools. Made-up text: free-text arguments (messages, subjects, titles, notes…) using",
    "a word the request does not contain, of all free-text arguments (see src/agent/eval/grounding.ts).",
    "",
    "| Model | Data | Tools | Valid | Tool recall | Tool precision | Tools / request | Tool set | Key args | Exact | Names exact | Dates exact | Made-up text | First step p50 / p95 | Out of domain rejected | Errors | Malformed lines |",
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...runs.map((run) => {
      const s = run.summary;
      const ood = s.outOfDomain === 0 ? "—" : `${s.outOfDomainRejected} / ${s.outOfDomain}`;
      return `| ${cell(run.model)} | ${cell(run.data)} | ${run.tools} | ${percent(s.validityRate)} | ${fixed(s.toolRecall)} | ${fixed(s.toolPrecision)} | ${fixed(s.toolsPerRequest, 2)} | ${percent(s.toolSetMatchRate ?? null)} | ${percent(s.keyArgumentAccuracy)} | ${percent(s.argumentsExactRate)} | ${percent(s.namesExactRate ?? null)} | ${percent(s.datesExactRate ?? null)} | ${madeUp(s)} | ${milliseconds(s.firstStepMs.p50)} / ${milliseconds(s.firstStepMs.p95)} | ${ood} | ${s.errors} | ${run.malformed.length} |`;
    }),
    "",
    "## Success by plan length",
    "",
    "Success rate by the number of calls in the ground truth's plan (the join not counted), with the",
    "requests in each bucket.",
    "",
    `| Model | Data | Tools | ${LENGTH_BUCKETS.map((b) => `${b} ${b === "1" ? "call" : "calls"}`).join(" | ")} |`,
    `| --- | --- | --- | ${LENGTH_BUCKETS.map(() => "---:").join(" | ")} |`,
    ...runs.map(
      (run) =>
        `| ${cell(run.model)} | ${cell(run.data)} | ${run.tools} | ${LENGTH_BUCKETS.map((b) => lengthCell(run.summary, b)).join(" | ")} |`,
    ),
    "",
    "## Runs",
    "",
    ...runs.map((run) => `- ${run.model} on ${run.data} (${run.tools}): ${run.date}, ${run.machine}`),
    "",
  ];
  return lines.join("\n");
}

function fixed(value: number | null, digits = 3): string {
  return value === null ? "—" : value.toFixed(digits);
}

/** Text safe inside a table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s+/g, " ");
}

function madeUp(s: EvalSummary): string {
  if (s.ungroundedArguments === undefined || s.textArguments === undefined) return "—";
  return `${s.ungroundedArguments} / ${s.textArguments}`;
}

function lengthCell(s: EvalSummary, bucket: LengthBucket): string {
  const figures = s.byLength?.[bucket];
  if (!figures || figures.requests === 0) return "—";
  return `${percent(figures.successes / figures.requests)} (${figures.requests})`;
}
