import type { FailedOutcome, RunResult, StepOutcome } from "../executor/events";
import type { Problem, Step } from "../plan/plan";
import { serializeValue } from "../plan/serialize";
import type { PlannerPrompt } from "../prompt/build-prompt";
import { referenceLabels, summarizeStep } from "../session/step-summary";

/**
 * Failures a second plan can fix: the person or file was not found, several matched and nobody chose,
 * or a value of the wrong kind reached an action (a phone number as an email recipient). A refused
 * permission, a timeout or an app that is not there are not the plan's fault: planning again would only
 * fail again, so those end the run.
 */
const FIXABLE = new Set<FailedOutcome["error"]["code"]>([
  "not-found",
  "ambiguous",
  "wrong-kind",
  "invalid-arguments",
]);

/** The first failure of a finished round that a new plan may fix, or undefined (also when cancelled). */
export function fixableFailure(result: RunResult): FailedOutcome | undefined {
  if (result.cancelled) return undefined;
  return result.outcomes.find(
    (outcome): outcome is FailedOutcome => outcome.status === "failed" && FIXABLE.has(outcome.error.code),
  );
}

/** "Trying again: …" says this: which step failed and the tool's own words about why. */
export function retryReason(failure: FailedOutcome, steps: readonly Step[]): string {
  const summary = summarizeStep(failure.step, referenceLabels(new Map(steps.map((s) => [s.index, s]))));
  return `${summary} failed: ${failure.error.message}`;
}

/**
 * The rules added to a TinyAgent planner's system prompt for its second plan. They differ from
 * LLMCompiler's in one point: the new plan is numbered from 1 again and written whole (our plan language
 * has no way to continue numbering), and steps that already succeeded cost nothing, because the executor
 * reuses their results instead of running them again.
 */
const REPLAN_RULES = [
  "Replanning:",
  " - The question was already planned once. The Previous Plan below shows each step with its Observation: its result, or why it failed or did not run.",
  " - Write the Current Plan: the whole plan again, starting from 1, with what failed fixed (another name, the right look-up, a value of the right kind).",
  " - Keep every step that succeeded exactly as it was: it is not run again, its result is reused.",
  " - Use only the observations shown; never invent a value.",
].join("\n");

/**
 * The replanner's prompt in LLMCompiler's replan layout (DESIGN §5): the planner's own system prompt
 * with the tools selected for this request (the reference ignored the selection here) and the replan
 * rules, then the question, "Previous Plan:" with each step's call and observation (plan problems
 * included, which the reference never passed on), and "Current Plan:" for the model to continue.
 */
export function replanPrompt(
  base: PlannerPrompt,
  request: string,
  outcomes: readonly StepOutcome[],
  problems: readonly Problem[] = [],
): PlannerPrompt {
  const lines = outcomes.flatMap((outcome) => [
    ...(outcome.step.thought ? [`Thought: ${outcome.step.thought}`] : []),
    `${outcome.step.index}. ${outcome.step.tool}(${outcome.step.args.map(serializeValue).join(", ")})`,
    `Observation: ${observationOf(outcome)}`,
  ]);
  for (const problem of problems.filter((p) => p.severity === "error"))
    lines.push(`Observation: the plan had an error: ${problem.message}`);
  const user = [
    `Question: ${request.trim()}`,
    "",
    "Previous Plan:",
    "",
    ...lines,
    "",
    "Current Plan:",
    "",
  ].join("\n");
  return { system: `${base.system}\n\n${REPLAN_RULES}`, user };
}

function observationOf(outcome: StepOutcome): string {
  switch (outcome.status) {
    case "done":
      return oneLine(outcome.observation);
    case "failed":
      return `Error: ${oneLine(outcome.error.message)}`;
    case "skipped":
      return `Not run: ${oneLine(outcome.reason)}`;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/gu, " ").trim();
}
