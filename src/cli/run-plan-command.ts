import type { RunResult, StepOutcome } from "../agent/executor/events";
import type { ExecuteOptions } from "../agent/executor/executor";
import { runPlanText } from "../agent/run-plan";
import type { ToolBackend } from "../tools/backend";
import { RecordingBackend } from "../tools/recording/recording-backend";
import { formatOutcome, formatProblem } from "./format";
import { readInput } from "./read-input";
import { TerminalPrompts } from "./terminal-prompts";
import { UsageError } from "./usage-error";

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
  const backend = chooseBackend(options.dryRun);
  const { text, fromStdin } = await readInput(source);
  const controller = new AbortController();
  const onInterrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write("\nCancelling: nothing new will start. Press Ctrl-C again to quit at once.\n");
    controller.abort();
  };
  process.on("SIGINT", onInterrupt);
  const prompts = TerminalPrompts.open(fromStdin, onInterrupt);
  try {
    const execute: ExecuteOptions = {
      backend,
      signal: controller.signal,
      confirm: async (request) => {
        if (options.yes) return { decision: "approve" };
        if (!prompts)
          return { decision: "decline", reason: "no terminal to ask for approval; pass --yes to approve" };
        return prompts.confirm(request);
      },
      choose: async (choice, step) => prompts?.choose(choice, step, controller.signal),
      onEvent: (event) => {
        if (options.json) return;
        if (event.type === "done" || event.type === "failed" || event.type === "skipped") {
          process.stderr.write(`${formatOutcome({ ...event, status: event.type } as StepOutcome)}\n`);
        }
      },
    };
    const run = await runPlanText(text, execute);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(jsonReport(backend, run.checked, run.result), null, 2)}\n`);
    } else {
      for (const problem of run.checked.problems) process.stderr.write(`${formatProblem(problem)}\n`);
      if (run.result) process.stderr.write(`${summaryLine(run.result, backend)}\n`);
      else process.stderr.write("The plan is invalid, so nothing ran.\n");
    }
    return exitCode(run.result);
  } finally {
    process.off("SIGINT", onInterrupt);
    prompts?.close();
  }
}

function chooseBackend(dryRun: boolean): ToolBackend {
  if (dryRun || process.platform !== "darwin") return new RecordingBackend();
  throw new UsageError(
    "this build cannot run actions on macOS yet; pass --dry-run to see what each step would run",
  );
}

function exitCode(result: RunResult | undefined): number {
  if (!result) return 1;
  if (result.cancelled) return 130;
  return result.outcomes.some((outcome) => outcome.status === "failed") ? 1 : 0;
}

function summaryLine(result: RunResult, backend: ToolBackend): string {
  const count = (status: StepOutcome["status"]) => result.outcomes.filter((o) => o.status === status).length;
  const where = backend.name === "recording" ? " (dry run: recorded, nothing ran on this Mac)" : "";
  const cancelled = result.cancelled ? "cancelled; " : "";
  return `${cancelled}${count("done")} done, ${count("failed")} failed, ${count("skipped")} skipped${where}`;
}

function jsonReport(
  backend: ToolBackend,
  checked: Awaited<ReturnType<typeof runPlanText>>["checked"],
  result?: RunResult,
) {
  return {
    valid: checked.valid,
    problems: checked.problems,
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
    })),
  };
}
