import type { RunResult, StepOutcome } from "../executor/events";
import type { Step } from "../plan/plan";
import { referencesIn } from "../plan/references";
import { joinNames, referenceLabels, summarizeStep, type ReferenceLabel } from "../session/step-summary";

/**
 * The answer to a request, built by rules from what its steps returned and did: the joiner of LLMCompiler
 * without a model, so every planner (TinyAgent-micro included, which cannot write prose) ends with one.
 * Nothing in it is made up: values are observations as the tools returned them, people and titles are the
 * plan's own arguments, and what was not done says why in the executor's words.
 *
 * - A look-up whose result no other step uses is what the person asked for: "Lutfi’s email address is …".
 * - A step with an effect that ran is one clause of "Done: …"; one that did not is "Not done: … (why)".
 */
export function answerFor(result: Pick<RunResult, "outcomes" | "cancelled">, earlier?: RunResult): string {
  const last = answerParts(result.outcomes, result.outcomes);
  // After a replan, what the first round did still happened: its results that the second round did not
  // reuse are told too. Its failures are not: the second round is what became of them.
  const reused = new Set(
    result.outcomes.flatMap((outcome) =>
      outcome.status === "done" && outcome.reusedFrom ? [outcome.reusedFrom] : [],
    ),
  );
  const carried = earlier?.outcomes.filter(
    (outcome) => outcome.status === "done" && !reused.has(outcome.step.index),
  );
  const first = earlier && carried ? answerParts(carried, earlier.outcomes) : undefined;
  const found = [...(first?.found ?? []), ...last.found];
  const done = [...(first?.done ?? []), ...last.done];
  const parts = [
    ...(result.cancelled ? ["Cancelled."] : []),
    ...found,
    ...(done.length > 0 ? [`Done: ${done.join("; ")}.`] : []),
    ...(last.notDone.length > 0 ? [`Not done: ${last.notDone.join("; ")}.`] : []),
  ];
  return parts.length > 0 ? parts.join(" ") : "Nothing was done: the plan has no steps.";
}

/**
 * The sentences of some outcomes of a round: values found, clauses done and not done. `round` is every
 * outcome of that round, for the references between its steps.
 */
function answerParts(outcomes: readonly StepOutcome[], round: readonly StepOutcome[]) {
  const steps = new Map(round.map((outcome) => [outcome.step.index, outcome.step]));
  const labelOf = referenceLabels(steps);
  const used = usedResults(round.map((outcome) => outcome.step));
  const found: string[] = [];
  const done: string[] = [];
  const notDone: string[] = [];
  for (const outcome of outcomes) {
    const answers = !used.has(outcome.step.index) && ANSWERING_TOOLS.has(outcome.step.tool);
    if (answers) found.push(foundText(outcome, labelOf));
    else if (outcome.status === "done") {
      const clause = doneText(outcome.step, outcome.observation, labelOf);
      if (clause) done.push(clause);
    } else if (!used.has(outcome.step.index) || outcome.status === "failed") {
      notDone.push(notDoneText(outcome, labelOf));
    }
  }
  return { found, done, notDone };
}

/** The answer of a plan that never ran because it is invalid. */
export const INVALID_PLAN_ANSWER = "Nothing was done: the plan is invalid.";

/** Tools whose result is information for the person, when no later step takes it. */
const ANSWERING_TOOLS = new Set([
  "get_email_address",
  "get_phone_number",
  "summarize_pdf",
  "open_note",
  "open_and_get_file_path",
  "get_zoom_meeting_link",
]);

/** Steps whose results a later step uses: their values went into that step rather than to the person. */
function usedResults(steps: readonly Step[]): Set<number> {
  const used = new Set<number>();
  for (const step of steps) for (const index of referencesIn(step.args)) used.add(index);
  return used;
}

/** A looked-up value as a sentence, or why it could not be found. */
function foundText(outcome: StepOutcome, labelOf: ReferenceLabel): string {
  const { step } = outcome;
  const subject = subjectOf(step, labelOf);
  if (outcome.status === "failed") return `Could not get ${subject}: ${sentence(outcome.error.message)}`;
  if (outcome.status === "skipped")
    return `Did not get ${subject} (${withoutFinalStop(skipReason(outcome))}).`;
  const value = outcome.observation.trim();
  switch (step.tool) {
    case "summarize_pdf":
      return `Summary of ${labelOf(step.index).replace(/^the summary of /u, "")}: ${sentence(value)}`;
    case "open_note":
      return value === "" ? `${capitalize(subject)} is empty.` : `${capitalize(subject)}: ${sentence(value)}`;
    case "open_and_get_file_path":
      return `Opened ${value}.`;
    default:
      return `${capitalize(subject)} is ${value}.`;
  }
}

/** What a reading step was after: "Lutfi’s email address", "the note “Groceries”". */
function subjectOf(step: Step, labelOf: ReferenceLabel): string {
  const name = argumentText(step, 0, labelOf);
  switch (step.tool) {
    case "get_email_address":
      return `${possessive(name)} email address`;
    case "get_phone_number":
      return `${possessive(name)} phone number`;
    case "summarize_pdf":
      return `a summary of ${name}`;
    case "open_note":
      return `the note “${name}”`;
    case "open_and_get_file_path":
      return `the file “${name}”`;
    case "get_zoom_meeting_link":
      return `the Zoom link for “${name}”`;
    default:
      return `the result of step ${step.index}`;
  }
}

/**
 * What a step with an effect did, in the past tense, from the arguments it ran with (as the plan named
 * them) and its observation where that says more (a message only opened, not sent; the Zoom link).
 */
function doneText(step: Step, observation: string, labelOf: ReferenceLabel): string | undefined {
  const text = (position: number) => argumentText(step, position, labelOf);
  const people = (position: number) => joinNames(listText(step, position, labelOf)) || "nobody";
  switch (step.tool) {
    case "create_calendar_event":
      return `added “${text(0)}” to Calendar${when(text(1))}`;
    case "compose_new_email":
      return `drafted an email to ${people(0)} (not sent)`;
    case "reply_to_email":
      return "drafted a reply to the selected email (not sent)";
    case "forward_email":
      return `drafted a forward of the selected email to ${people(0)} (not sent)`;
    case "maps_open_location":
      return `showed ${text(0)} in Maps`;
    case "maps_show_directions":
      return `showed directions to ${text(1)} in Maps`;
    case "create_note":
      return `created the note “${text(0)}”`;
    case "append_note_content":
      return `added to the note “${text(0)}”`;
    case "create_reminder":
      return `created the reminder “${text(0)}”${when(text(1))}`;
    case "send_sms":
      return /nothing was sent/iu.test(observation)
        ? `opened a message to ${people(0)} in Messages (not sent: press Return there to send it)`
        : `texted ${people(0)}`;
    case "get_zoom_meeting_link":
      return `created the Zoom meeting “${text(0)}”: ${observation.trim()}`;
    case "open_and_get_file_path":
      return `opened ${observation.trim()}`;
    case "open_note":
      return `opened the note “${text(0)}”`;
    default:
      // Look-ups whose values went into later steps are not news to the person.
      return undefined;
  }
}

/** A step that failed or did not run, as the list names it, with the reason. */
function notDoneText(outcome: StepOutcome, labelOf: ReferenceLabel): string {
  const what = lowerFirst(summarizeStep(outcome.step, labelOf));
  if (outcome.status === "failed") return `${what} (failed: ${withoutFinalStop(outcome.error.message)})`;
  if (outcome.status === "skipped") return `${what} (${withoutFinalStop(skipReason(outcome))})`;
  return what;
}

/**
 * Why a step did not run. A step held back by a failed one says only which ("step 1 failed"): the failure
 * itself is already told with that step.
 */
function skipReason(outcome: Extract<StepOutcome, { status: "skipped" }>): string {
  if (outcome.cause !== "dependency") return outcome.reason;
  return /^step \d+ (?:failed|did not run)/u.exec(outcome.reason)?.[0] ?? outcome.reason;
}

/** An argument as text, with `$N` read as what step N stands for ("Sid", “deck”). */
function argumentText(step: Step, position: number, labelOf: ReferenceLabel): string {
  return listText(step, position, labelOf).join(", ");
}

function listText(step: Step, position: number, labelOf: ReferenceLabel): string[] {
  const value = step.args[position];
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items
    .map((item) => String(item).replace(/\$\{?(\d+)\}?/gu, (whole, n: string) => labelFor(whole, n, labelOf)))
    .map((item) => item.replace(/\s+/gu, " ").trim())
    .filter((item) => item !== "");
}

/** `$N` and `${N}` as what step N stands for; money ("$20" with no step 20 before) stays as written. */
function labelFor(whole: string, index: string, labelOf: ReferenceLabel): string {
  const label = labelOf(Number(index));
  return label.startsWith("the result of step") && !whole.startsWith("${") ? whole : label;
}

/** " on 2024-06-07 at 15:00" from a plan date; nothing when there is none. */
function when(date: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})/u.exec(date);
  if (!match) return date === "" ? "" : ` on ${date}`;
  return match[2] === "00:00" ? ` on ${match[1]}` : ` on ${match[1]} at ${match[2]}`;
}

function possessive(name: string): string {
  if (name === "") return "someone’s";
  return /s$/iu.test(name) ? `${name}’` : `${name}’s`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function lowerFirst(text: string): string {
  // Keeps names and acronyms: only a capital followed by a lower-case letter is lowered ("Text Sid").
  return /^[A-Z][a-z]/u.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function withoutFinalStop(text: string): string {
  return text.trim().replace(/[.。]+$/u, "");
}

/** Text that ends as a sentence. */
function sentence(text: string): string {
  const flat = text.trim();
  return /[.!?…]$/u.test(flat) ? flat : `${flat}.`;
}
