// Apart from plan-command.ts: asking runs the plan, and the executor, the macOS actions and the terminal
// prompts it needs are no part of `tinyagent plan`'s start.
import { ask, type EarlierRound } from "../agent/agent";
import { textWriterFor } from "../agent/text-writer";
import type { ToolBackend } from "../tools/backend";
import { defaultRegistry } from "../tools/registry";
import { formatProblems } from "./format";
import { selectorInParallel, withPlanner, type PlannerChoice } from "./plan-command";
import { requestClock } from "./request-clock";
import { exitCode, runAnswer, runReport, summaryLine } from "./run-plan-command";
import { TerminalSession } from "./terminal-session";
import { UsageError } from "./usage-error";
import { stderr, stdout } from "./terminal-output";

/**
 * `tinyagent ask "<request>" [--model ID|PATH] [--server URL] [--dry-run] [--yes] [--json]`: selects
 * tools, plans, asks before each step with a side effect, and executes as the plan streams in.
 */
export async function askCommand(
  request: string | undefined,
  options: PlannerChoice & { json: boolean; dryRun: boolean; yes: boolean },
): Promise<number> {
  if (request === undefined || request.trim() === "")
    throw new UsageError('give a request, e.g. tinyagent ask "text Sid I am late"');
  const clock = requestClock(options.now);
  const selecting = selectorInParallel(options);
  return withPlanner(options, async (planner) => {
    const writer = textWriterFor(planner);
    const session = new TerminalSession({ ...options, inputFromStdin: false, ...(writer ? { writer } : {}) });
    try {
      const outcome = await ask(request, {
        ...session.executeOptions(),
        planner,
        selector: await selecting,
        registry: defaultRegistry,
        ...clock,
        signal: session.signal,
        ...(options.maxTokens ? { maxTokens: options.maxTokens } : {}),
        onReplan: ({ reason }) => {
          if (!options.json) stderr.write(`Trying again: ${reason} (Ctrl-C stops it)\n`);
        },
      });
      if (outcome.kind === "no-tools") {
        if (options.json) stdout.json({ query: request, answer: outcome.message, message: outcome.message });
        else stdout.write(`${outcome.message}\n`);
        return 0;
      }
      if (options.json) {
        stdout.json(
          {
            query: request,
            ...runReport(session.backend, outcome.checked, outcome.result, outcome.earlier?.result),
            plan: outcome.text,
            ...(outcome.earlier
              ? {
                  retry: firstRound(session.backend, outcome.earlier),
                }
              : {}),
          },
          2,
        );
      } else {
        for (const line of formatProblems(outcome.checked.problems)) stderr.write(`${line}\n`);
        stderr.write(`${summaryLine(outcome.result, session)}\n`);
        stdout.write(`${runAnswer(outcome.result, outcome.earlier?.result)}\n`);
      }
      return exitCode(outcome.result);
    } finally {
      session.close();
    }
  });
}

/**
 * The first round of a request planned again, for --json: why, its plan and its steps. The answer is the
 * run's, at the top: one request, one answer.
 */
function firstRound(backend: ToolBackend, earlier: EarlierRound) {
  const { answer, ...report } = runReport(backend, earlier.checked, earlier.result);
  void answer;
  return { reason: earlier.reason, ...report, plan: earlier.text };
}
