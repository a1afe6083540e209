import type { RunResult, StepOutcome } from "../agent/executor/events";
import type { CheckedPlan } from "../agent/plan/check";
import { answerFor, INVALID_PLAN_ANSWER } from "../agent/join/answer";
import { runPlanText } from "../agent/run-plan";
import type { ToolBackend } from "../tools/backend";
import { formatNormalization, formatProblems } from "./format";
import { readInput } from "./read-input";
import { TerminalSession } from "./terminal-session";
import { stderr, stdout } from "./terminal-output";

export interface RunPlanOptions {
  dryRun: boolean;
  yes: boolean;
  json: boolean;
}

/**
 * `tinyagent run-plan [FILE|-] [--dry-run] [--yes] [--json]`: validates and executes a plan, asking on the
 * terminal before each write step unless `--yes`.
 */
export async function runPlanCommand(source: string | undefined, options: RunPlanOptions): Promise<number> {
  const { text, fromStdin } = await readInput(source);
  const session = new TerminalSession({ ...options, inputFromStdin: fromStdin });
  try {
    const run = await runPlanText(text, session.executeOptions());
    if (options.json) {
      stdout.json(runReport(session.backend, run.checked, run.result), 2);
    } else {
      for (const change of run.checked.changes) stderr.write(`${formatNormalization(change)}\n`);
      for (const line of formatProblems(run.checked.problems)) stderr.write(`${line}\n`);
      if (run.result) stderr.write(`${summaryLine(run.result, session)}\n`);
      else stderr.write("The plan is invalid, so nothing ran.\n");
      if (run.result) stdout.write(`${runAnswer(run.result)}\n`);
    }
    return exitCode(run.result);
  } finally {
    session.close();
  }
}

export function exitCode(result: RunResult | undefined): number {
  if (!result) return 1;
  if (result.cancelled) return 130;
  return result.outcomes.some((outcome) => outcome.status === "failed") ? 1 : 0;
}

/** "3 done, 0 failed, 1 skipped", with why nothing ran when the actions were only recorded. */
export function summaryLine(result: RunResult, session: TerminalSession): string {
  const count = (status: StepOutcome["status"]) => result.outcomes.filter((o) => o.status === status).length;
  const where = session.recordedBecause === "" ? "" : ` (${session.recordedBecause})`;
  const cancelled = result.cancelled ? "cancelled; " : "";
  return `${cancelled}${count("done")} done, ${count("failed")} failed, ${count("skipped")} skipped${where}`;
}

/** The run's answer (join/answer.ts), or why there is none. */
export function runAnswer(result: RunResult | undefined, earlier?: RunResult): string {
  return result ? answerFor(result, earlier) : INVALID_PLAN_ANSWER;
}

/** The JSON report of a run; `earlier` is the first round of a request that was planned again. */
export function runReport(
  backend: ToolBackend,
  checked: CheckedPlan,
  result?: RunResult,
  earlier?: RunResult,
) {
  return {
    answer: runAnswer(result, earlier),
    valid: checked.valid,
    problems: checked.problems,
    normalized: checked.changes,
    backend: backend.name,
    dryRun: backend.name === "recording",
    cancelled: result?.cancelled ?? false,
    steps: (result?.outcomes ?? []).map((outcome) => ({
      index: outcome.step.index,
      tool: outcome.step.tool,
      status: outcome.status,
      args: outcome.args ?? null,
      observation: outcome.status === "done" ? outcome.observation : null,
      error: outcome.status === "failed" ? outcome.error : null,
      reason: outcome.status === "skipped" ? outcome.reason : null,
      invocations: outcome.status === "skipped" ? [] : outcome.invocations,
      durationMs: outcome.status === "skipped" ? 0 : Math.round(outcome.durationMs * 1000) / 1000,
      ...(outcome.status === "done" && outcome.reusedFrom !== undefined
        ? { reusedFrom: outcome.reusedFrom }
        : {}),
    })),
  };
}
