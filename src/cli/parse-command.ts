import { checkPlanNow } from "../agent/run-plan";
import { formatNormalization, formatPlan, formatProblems } from "./format";
import { readInput } from "./read-input";
import { stderr, stdout } from "./terminal-output";

/**
 * `tinyagent parse [FILE|-] [--json]`: prints the plan and its problems; exit 1 when it is invalid. Dates in
 * words are resolved as `run-plan` resolves them (checkPlanNow), and each one is shown.
 */
export async function parseCommand(source: string | undefined, options: { json: boolean }): Promise<number> {
  const { text } = await readInput(source);
  const checked = checkPlanNow(text);
  if (options.json) {
    stdout.json(
      { valid: checked.valid, plan: checked.plan, problems: checked.problems, normalized: checked.changes },
      2,
    );
    return checked.valid ? 0 : 1;
  }
  const listing = formatPlan(checked.plan);
  if (listing) stdout.write(`${listing}\n`);
  for (const change of checked.changes) stderr.write(`${formatNormalization(change)}\n`);
  for (const line of formatProblems(checked.problems)) stderr.write(`${line}\n`);
  const errors = checked.problems.filter((p) => p.severity === "error").length;
  stderr.write(
    checked.valid
      ? `valid plan: ${checked.plan.steps.length} step${checked.plan.steps.length === 1 ? "" : "s"}\n`
      : `invalid plan: ${errors} problem${errors === 1 ? "" : "s"}\n`,
  );
  return checked.valid ? 0 : 1;
}
