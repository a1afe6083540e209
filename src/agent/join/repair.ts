import type { FailedOutcome } from "../executor/events";
import { END_OF_PLAN, type Step, type Value } from "../plan/plan";
import { referencesIn, wholeReference } from "../plan/references";
import { serializeValue } from "../plan/serialize";

/** A second plan made by rules, and what was changed, in words for "Trying again: …". */
export interface Repair {
  text: string;
  change: string;
}

/**
 * The replanner for a planner that cannot read a replan prompt (TinyAgent-micro was trained on requests
 * only): the same plan with the one thing that failed changed by a rule, or undefined when no rule fits.
 * Every rule fixes a mistake micro is known to make, and each only removes words or picks the right
 * look-up, so nothing is made up:
 *
 * - a phone number sent where an email address goes: the look-up becomes get_email_address;
 * - a name not found because it carries a title or a possessive ("Dr. Ana Lopez", "Sid's"): the name
 *   without them;
 * - a file not found because its name kept words around it ("on the contract pdf"): the name alone.
 *
 * Steps that succeeded stay as they were, so the executor reuses their results (ExecuteOptions.alreadyRan).
 */
export function repairPlan(steps: readonly Step[], failure: FailedOutcome): Repair | undefined {
  const fix = wrongLookup(steps, failure) ?? shorterName(failure.step);
  if (fix) {
    const repaired = steps.map((step) => (step.index === fix.step.index ? fix.step : step));
    return { text: planText(repaired), change: fix.change };
  }
  return givenValue(steps, failure) ?? withoutInvitee(steps, failure);
}

/** What a look-up's "name" is when it already is the detail asked for: an address, a number. */
const GIVEN: Partial<Record<string, RegExp>> = {
  get_email_address: /^[^\s@]+@[^\s@]+\.[^\s@]+$/u,
  get_phone_number: /^\+?[\d\s().-]{6,}$/u,
};

/**
 * A look-up of something that is already the value it looks for ("zoom with aiko@studio.jp": an email
 * address looked up by email address): the steps use the value as written, and the look-up goes.
 */
function givenValue(steps: readonly Step[], failure: FailedOutcome): Repair | undefined {
  const lookup = failure.step;
  const value = typeof lookup.args[0] === "string" ? lookup.args[0].trim() : "";
  if (failure.error.code !== "not-found" || !GIVEN[lookup.tool]?.test(value)) return undefined;
  const repaired = steps
    .filter((step) => step.index !== lookup.index)
    .map((step) => renumbered(step, lookup.index, value));
  return { text: planText(repaired), change: `using ${value} as written` };
}

/** Where a tool takes people it only invites: the event or meeting is made without them too. */
const INVITEES: Partial<Record<string, number>> = { create_calendar_event: 4, get_zoom_meeting_link: 3 };

/**
 * A person nobody has, looked up only to be invited (micro often takes a place or a word of the title for
 * a guest: "brunch at Yusuf's place", "its at Golden Gate Park"): the event without that invitee. The
 * confirmation shows the event as it will be made, and "Trying again" says who is left out.
 */
function withoutInvitee(steps: readonly Step[], failure: FailedOutcome): Repair | undefined {
  const lookup = failure.step;
  if (failure.error.code !== "not-found") return undefined;
  if (lookup.tool !== "get_email_address" && lookup.tool !== "get_phone_number") return undefined;
  const users = steps.filter((step) => referencesIn(step.args).includes(lookup.index));
  const onlyInvited = (step: Step) => {
    const position = INVITEES[step.tool];
    if (position === undefined) return false;
    const others = step.args.filter((_, i) => i !== position);
    return !others.some((value) => referencesIn(value).includes(lookup.index));
  };
  if (users.length === 0 || !users.every(onlyInvited)) return undefined;
  const repaired = steps
    .filter((step) => step.index !== lookup.index)
    .map((step) => {
      const position = INVITEES[step.tool];
      const args = step.args.map((value, i) =>
        i === position && Array.isArray(value)
          ? value.filter((item) => wholeReference(item) !== lookup.index)
          : value,
      );
      return renumbered({ ...step, args }, lookup.index);
    });
  const what = users.length === 1 && users[0]!.tool === "get_zoom_meeting_link" ? "meeting" : "event";
  return {
    text: planText(repaired),
    change: `making the ${what} without inviting “${String(lookup.args[0])}”, who is not in Contacts`,
  };
}

/**
 * A step as it reads once step `removed` is gone: later numbers and references move down by one, and a
 * reference to the removed step becomes `value` when there is one.
 */
function renumbered(step: Step, removed: number, value?: string): Step {
  const shift = (n: number) => (n > removed ? n - 1 : n);
  const target = (n: number) => (n === removed && value !== undefined ? value : undefined);
  const rewrite = (item: Value): Value => {
    if (typeof item === "string") {
      const whole = wholeReference(item);
      if (whole !== undefined) return target(whole) ?? `$${shift(whole)}`;
      // Inside text only ${N} is a reference; a bare $5 is money.
      return item.replace(/\$\{(\d+)\}/gu, (_, n: string) => target(Number(n)) ?? `\${${shift(Number(n))}}`);
    }
    return Array.isArray(item) ? item.map(rewrite) : item;
  };
  return { ...step, index: shift(step.index), args: step.args.map(rewrite) };
}

interface Fix {
  step: Step;
  change: string;
}

/** A phone number looked up for an action that needs an email address. */
function wrongLookup(steps: readonly Step[], failure: FailedOutcome): Fix | undefined {
  if (failure.error.code !== "wrong-kind" || !/email address/iu.test(failure.error.message)) return undefined;
  for (const value of flat(failure.step.args)) {
    const index = wholeReference(value);
    const lookup = steps.find((step) => step.index === index);
    if (lookup?.tool !== "get_phone_number") continue;
    return {
      step: { ...lookup, tool: "get_email_address" },
      change: `looking up ${String(lookup.args[0])}’s email address instead of the phone number`,
    };
  }
  return undefined;
}

const TITLES = new Set([
  "dr",
  "doctor",
  "prof",
  "professor",
  "mr",
  "mrs",
  "ms",
  "miss",
  "mx",
  "sir",
  "madam",
  "coach",
]);
const FILE_FILLERS = new Set(["on", "in", "of", "from", "about", "the", "my", "a", "an", "this", "that"]);
const FILE_KINDS = new Set(["pdf", "file", "document", "doc"]);

/** A look-up that found nothing, with its name stripped of the words around the name itself. */
function shorterName(step: Step): Fix | undefined {
  const name = step.args[0];
  if (typeof name !== "string" || wholeReference(name) !== undefined) return undefined;
  let shorter: string;
  switch (step.tool) {
    case "get_email_address":
    case "get_phone_number":
      shorter = personName(name);
      break;
    case "open_and_get_file_path":
      shorter = fileName(name);
      break;
    default:
      return undefined;
  }
  if (shorter === "" || shorter === name.trim()) return undefined;
  return {
    step: { ...step, args: [shorter, ...step.args.slice(1)] },
    change: `looking for “${shorter}” instead of “${name}”`,
  };
}

function personName(name: string): string {
  const words = name
    .trim()
    .replace(/['’]s$/iu, "")
    .split(/\s+/u);
  while (words.length > 1 && TITLES.has(words[0]!.toLowerCase().replace(/\.$/u, ""))) words.shift();
  return words.join(" ");
}

function fileName(name: string): string {
  const words = name.trim().split(/\s+/u);
  while (words.length > 1 && FILE_FILLERS.has(words[0]!.toLowerCase())) words.shift();
  while (words.length > 1 && FILE_KINDS.has(words[words.length - 1]!.toLowerCase())) words.pop();
  return words.join(" ");
}

function flat(values: readonly Value[]): Value[] {
  return values.flatMap((value) => (Array.isArray(value) ? flat(value) : [value]));
}

function planText(steps: readonly Step[]): string {
  const lines = steps.map(
    (step) => `${step.index}. ${step.tool}(${step.args.map(serializeValue).join(", ")})`,
  );
  const last = steps.at(-1)?.index ?? 0;
  return `${lines.join("\n")}\n${last + 1}. join()${END_OF_PLAN}`;
}
