import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { chartSvg } from "./chart-svg";
import type { LineError } from "./eval-data";
import type { EvalSummary, RequestRecord } from "./metrics";
import { markdownReport } from "./report-markdown";

/** One evaluation run: which model on which data, and its figures. */
export interface EvalRun {
  /** The model as the table and the chart name it. */
  model: string;
  planner: "local" | "server";
  /** How tools were offered: the classifier's selection, or all 16. */
  tools: "tool-rag" | "all-tools";
  /** File name of the data set. */
  data: string;
  /** When the run ended (ISO 8601). */
  date: string;
  /** Where it ran: CPU, cores, system, Node version. */
  machine: string;
  /** Size of the model file, when local. */
  modelBytes: number | null;
  summary: EvalSummary;
  /** Lines of the data file that could not be evaluated. */
  malformed: LineError[];
  /** The file beside report.json with one line per request. */
  requestsFile: string;
}

export interface EvalReportFile {
  format: 1;
  runs: EvalRun[];
}

/** Runs compare only on the same data with the same tool offer; one model there has one (the latest) run. */
export function runKey(run: Pick<EvalRun, "model" | "data" | "tools">): string {
  return `${run.model}\u0000${run.data}\u0000${run.tools}`;
}

/** The previous runs with this one added, replacing an earlier run of the same model, data and tool offer. */
export function mergeRuns(previous: readonly EvalRun[], run: EvalRun): EvalRun[] {
  return [...previous.filter((other) => runKey(other) !== runKey(run)), run];
}

/** A file name for a run's request lines: readable, and distinct for distinct runs. */
export function requestsFileName(run: Pick<EvalRun, "model" | "data" | "tools">): string {
  const slug = `${run.model}-${run.data.replace(/\.jsonl$/, "")}-${run.tools}`
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `requests-${slug}.jsonl`;
}

/**
 * Writes report.json, report.md, chart.svg and the run's request lines into `dir`, merged with the runs
 * already recorded there, so several models end up in one table and one chart. Returns every run.
 */
export async function writeEvalReport(
  dir: string,
  run: Omit<EvalRun, "requestsFile">,
  records: readonly RequestRecord[],
): Promise<EvalRun[]> {
  await mkdir(dir, { recursive: true });
  const full: EvalRun = { ...run, requestsFile: requestsFileName(run) };
  const runs = mergeRuns(await readRuns(join(dir, "report.json")), full);
  const file: EvalReportFile = { format: 1, runs };
  await writeWhole(join(dir, full.requestsFile), records.map((r) => JSON.stringify(r)).join("\n") + "\n");
  await writeWhole(join(dir, "report.json"), `${JSON.stringify(file, null, 2)}\n`);
  await writeWhole(join(dir, "report.md"), markdownReport(runs));
  await writeWhole(join(dir, "chart.svg"), chartSvg(runs));
  return runs;
}

/** The runs of an earlier report; none when there is no report yet. A damaged report is an error. */
export async function readRuns(path: string): Promise<EvalRun[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<EvalReportFile>;
  if (parsed.format !== 1 || !Array.isArray(parsed.runs))
    throw new Error(`${path} is not a TinyAgent evaluation report; choose another --out folder`);
  return parsed.runs;
}

/** Written beside, then renamed: a report is never half-written. */
async function writeWhole(path: string, text: string): Promise<void> {
  const partial = `${path}.partial`;
  await writeFile(partial, text);
  await rename(partial, path);
}
