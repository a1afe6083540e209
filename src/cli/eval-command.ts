import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { arch, cpus, platform, release } from "node:os";
import { basename, resolve } from "node:path";
import { readEvalData, requestContext, type EvalRequest, type LineError } from "../agent/eval/eval-data";
import { runReplanScenario, summarizeReplan, type ReplanSummary } from "../agent/eval/replan-scenario";
import { writeEvalReport, type EvalRun } from "../agent/eval/eval-report";
import { milliseconds, percent } from "../agent/eval/figures";
import {
  LENGTH_BUCKETS,
  type EvalSummary,
  type LengthBucket,
  type RequestRecord,
} from "../agent/eval/metrics";
import { summarize } from "../agent/eval/metrics";
import { runEval } from "../agent/eval/run-eval";
import { textWriterFor } from "../agent/text-writer";
import { resolveModel } from "../agent/model/model-store";
import { defaultRegistry } from "../tools/registry";
import { modelToUse, selectorFor, withPlanner, type PlannerChoice } from "./plan-command";
import { UsageError } from "./usage-error";
import { stderr, stdout } from "./terminal-output";

export interface EvalChoice extends PlannerChoice {
  data: string | undefined;
  out: string;
  limit?: number;
  /** Request time for lines without their own "now". */
  now?: string;
  /** How the report names the model; by default its catalog name, file name or server model. */
  name?: string;
  /** Also have the planner's model write each draft's body, and measure what it writes. */
  writer?: boolean;
  /** Run the replan scenario instead (replan-scenario.ts): plans run end to end, planned again once. */
  replan?: boolean;
}

/**
 * `tinyagent eval --data FILE.jsonl [--model ID|PATH | --server URL] [--out DIR]`: runs every request of
 * a ground-truth file through tool selection and planning, and writes report.json, report.md and
 * chart.svg into the output folder, merged with the runs already there. Exit status 1 when some lines
 * could not be evaluated (the others still are).
 */
export async function evalCommand(given: EvalChoice): Promise<number> {
  if (given.data === undefined) throw new UsageError("give the ground-truth file: --data FILE.jsonl");
  if (given.now !== undefined) checkNow(given.now);
  // The default model is settled once, so the report and the planner name the same one.
  const choice = given.server === undefined ? { ...given, model: await modelToUse(given) } : given;
  const text = await readData(given.data);
  if (text === undefined) return 1;
  const { requests, errors } = readEvalData(text, {
    ...(choice.now !== undefined ? { now: choice.now } : {}),
    ...(choice.limit !== undefined ? { limit: choice.limit } : {}),
  });
  for (const error of errors) stderr.write(`${choice.data}:${error.line}: ${error.message}\n`);
  if (requests.length === 0) {
    stderr.write(`tinyagent: ${choice.data} has no request to evaluate.\n`);
    return 1;
  }
  const model = await describeModel(choice);
  if (choice.replan) return replanScenario(choice, model.name, requests);
  return withPlanner(choice, async (planner) => {
    const writer = choice.writer ? textWriterFor(planner) : undefined;
    if (choice.writer && !writer)
      stderr.write(
        `${model.name} does not write text (its profile says so): drafts hold the person's words, summaries are extractive; nothing to measure with --writer.\n`,
      );
    const records = await runEval(requests, {
      planner,
      selector: await selectorFor(choice),
      registry: defaultRegistry,
      ...(choice.maxTokens ? { maxTokens: choice.maxTokens } : {}),
      ...(writer ? { writer } : {}),
      onRecord: (record, done, total) => progress(record, done, total),
    });
    const run = evalRun(choice, model, summarize(records), errors);
    await writeEvalReport(choice.out, run, records);
    stdout.write(`${summaryText(run.summary, run.model)}\n`);
    stdout.write(`Report: ${resolve(choice.out, "report.md")} (chart.svg, report.json beside it)\n`);
    return errors.length === 0 ? 0 : 1;
  });
}

/**
 * `eval --replan`: every in-domain request planned and run against the recording backend, where look-ups
 * of what the request did not mean fail; writes replan.json into the output folder and prints how many
 * runs end with the request done, before and after planning again.
 */
async function replanScenario(choice: EvalChoice, model: string, requests: EvalRequest[]): Promise<number> {
  return withPlanner(choice, async (planner) => {
    const records = await runReplanScenario(requests, {
      planner,
      selector: await selectorFor(choice),
      registry: defaultRegistry,
      ...(choice.maxTokens ? { maxTokens: choice.maxTokens } : {}),
      onRecord: (record, done, total) => {
        if (done % 25 === 0 || done === total)
          stderr.write(`${done}/${total}${record.replanned ? " (replanned)" : ""}\n`);
      },
    });
    const summary = summarizeReplan(records);
    await mkdir(choice.out, { recursive: true });
    const file = resolve(choice.out, "replan.json");
    await writeFile(
      file,
      `${JSON.stringify({ model, data: basename(choice.data ?? ""), summary, records }, null, 2)}\n`,
    );
    stdout.write(`${replanSummaryText(summary, model)}\nReport: ${file}\n`);
    return 0;
  });
}

export function replanSummaryText(summary: ReplanSummary, model: string): string {
  const share = (n: number) => (summary.runs === 0 ? "0.0 %" : percent(n / summary.runs));
  return [
    `Replan scenario, ${model}: ${summary.runs} runs in the recording backend`,
    `  done with the first plan: ${summary.doneFirst} (${share(summary.doneFirst)})`,
    `  first plan failed in a fixable way: ${summary.fixable}; planned again: ${summary.replanned}; done after that: ${summary.fixed}`,
    `  request done in the end: ${summary.done} (${share(summary.done)})`,
  ].join("\n");
}

async function readData(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    stderr.write(`tinyagent: cannot read ${path} (${(error as Error).message}).\n`);
    return undefined;
  }
}

function checkNow(now: string): void {
  try {
    requestContext(now);
  } catch (error) {
    throw new UsageError(`--now: ${(error as Error).message}`);
  }
}

/** The model's name for the report and, when it is a local file, its size. */
async function describeModel(choice: EvalChoice): Promise<{ name: string; bytes: number | null }> {
  if (choice.server !== undefined) {
    const host = choice.server.replace(/^[a-z]+:\/\//i, "").replace(/\/.*$/, "");
    return { name: choice.name ?? `${choice.serverModel ?? "server"} @ ${host}`, bytes: null };
  }
  if (choice.model === undefined && choice.name !== undefined) return { name: choice.name, bytes: null };
  // A missing model is reported by the planner with the command to fix it; here it only has no size.
  const resolved = await resolveModel(choice.model).catch(() => undefined);
  if (!resolved) return { name: choice.name ?? choice.model ?? "model", bytes: null };
  const size = await stat(resolved.path).then(
    (info) => info.size,
    () => null,
  );
  return { name: choice.name ?? resolved.profile.displayName, bytes: size };
}

function evalRun(
  choice: EvalChoice,
  model: { name: string; bytes: number | null },
  summary: EvalSummary,
  malformed: LineError[],
): Omit<EvalRun, "requestsFile"> {
  return {
    model: model.name,
    planner: choice.server !== undefined ? "server" : "local",
    tools: choice.allTools ? "all-tools" : "tool-rag",
    data: basename(choice.data!),
    date: new Date().toISOString(),
    machine: machineDescription(),
    modelBytes: model.bytes,
    summary,
    malformed,
  };
}

/** CPU model, cores, system and Node: enough to tell two machines' runs apart. */
export function machineDescription(): string {
  const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
  return `${cpu}, ${cpus().length} cores, ${platform()} ${release()} ${arch()}, Node ${process.versions.node}`;
}

function progress(record: RequestRecord, done: number, total: number): void {
  const verdict =
    record.outcome === "error"
      ? `error: ${record.error}`
      : record.outOfDomain
        ? record.outcome === "no-tools"
          ? "turned down (out of domain)"
          : "planned (out of domain)"
        : record.score?.success
          ? "success"
          : record.valid === false
            ? "invalid plan"
            : record.outcome === "no-tools"
              ? "no tool selected"
              : "different plan";
  stderr.write(`[${done}/${total}] line ${record.line}: ${verdict} (${milliseconds(record.totalMs)})\n`);
}

function summaryText(s: EvalSummary, model: string): string {
  return [
    `${model}: ${s.inDomain} requests with a plan, ${s.outOfDomain} out of domain`,
    `  success ${percent(s.successRate)}, valid ${percent(s.validityRate)}, key arguments ${percent(s.keyArgumentAccuracy)}, exact ${percent(s.argumentsExactRate)}`,
    `  names exact ${percent(s.namesExactRate)} (requests with look-ups), dates exact ${percent(s.datesExactRate)} (requests with dates)`,
    `  free-text arguments outside the request's words: ${s.ungroundedArguments ?? "—"} of ${s.textArguments ?? "—"}`,
    ...(s.writing
      ? [
          `  email bodies written by the model: ${s.writing.texts}, of which read as plan text ${s.writing.planText}, failed ${s.writing.failed}`,
        ]
      : []),
    `  success by plan length (calls): ${LENGTH_BUCKETS.map((b) => `${b} ${lengthFigure(s, b)}`).join(", ")}`,
    `  tools offered: recall ${s.toolRecall?.toFixed(3) ?? "—"}, precision ${s.toolPrecision?.toFixed(3) ?? "—"}; plans calling exactly the right tools ${percent(s.toolSetMatchRate ?? null)}`,
    `  prompt ${s.promptTokens.p50 ?? "—"} tokens (median), first step ${milliseconds(s.firstStepMs.p50)} / ${milliseconds(s.firstStepMs.p95)}, total ${milliseconds(s.totalMs.p50)} / ${milliseconds(s.totalMs.p95)} (p50 / p95)`,
  ].join("\n");
}

function lengthFigure(s: EvalSummary, bucket: LengthBucket): string {
  const figures = s.byLength?.[bucket];
  if (!figures || figures.requests === 0) return "—";
  return `${percent(figures.successes / figures.requests)} of ${figures.requests}`;
}
