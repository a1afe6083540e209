import type { Plan, Step, Value } from "../plan/plan";
import { wholeReference } from "../plan/references";

/** The three kinds of argument whose exact value a plan must get right (issue 7: names, dates, recipients). */
export type KeyKind = "name" | "date" | "recipients";

/**
 * The key arguments, per tool. Names: the contact looked up. Dates: every date parameter. Recipients: every
 * list of people a message, event or meeting goes to (to, cc, invitees). Free text (subjects, bodies, note
 * contents, places) is left out: a good plan may word it differently from the ground truth.
 */
export const KEY_ARGUMENTS: Readonly<Record<string, Readonly<Record<string, KeyKind>>>> = {
  create_calendar_event: { start_date: "date", end_date: "date", invitees: "recipients" },
  get_phone_number: { name: "name" },
  get_email_address: { name: "name" },
  compose_new_email: { recipients: "recipients", cc: "recipients" },
  reply_to_email: { cc: "recipients" },
  forward_email: { recipients: "recipients", cc: "recipients" },
  create_reminder: { due_date: "date" },
  send_sms: { recipients: "recipients" },
  get_zoom_meeting_link: { start_time: "date", meeting_invitees: "recipients" },
};

/** Parameter names of each tool, in order, so positional arguments can be named. */
export type ParamNames = (tool: string) => readonly string[] | undefined;

/**
 * The key arguments of a plan as canonical facts, one per argument: `send_sms.recipients=[get_phone_number(name=mom)]`.
 * A reference is replaced by what it refers to (the referenced step's tool and its own key arguments), so
 * facts from two plans compare without matching step numbers. Names and literal recipients compare
 * without case and extra spaces; recipient lists as sets (None is an empty list); dates exactly, so dates
 * must be normalized (ISO) before.
 */
export function keyArgumentFacts(plan: Plan, paramNames: ParamNames): string[] {
  const steps = new Map(plan.steps.map((step) => [step.index, step]));
  const described = new Map<number, string>();

  const describeStep = (index: number, seen: ReadonlySet<number>): string => {
    const step = steps.get(index);
    if (!step || seen.has(index)) return `$${index}?`;
    const cached = described.get(index);
    if (cached !== undefined) return cached;
    const inner = new Set(seen).add(index);
    const parts = stepKeyArguments(step, paramNames).map(
      ({ param, kind, value }) => `${param}=${canonical(value, kind, (i) => describeStep(i, inner))}`,
    );
    const text = `${step.tool}(${parts.join(", ")})`;
    described.set(index, text);
    return text;
  };

  return plan.steps.flatMap((step) =>
    stepKeyArguments(step, paramNames).map(
      ({ param, kind, value }) =>
        `${step.tool}.${param}=${canonical(value, kind, (i) => describeStep(i, new Set([step.index])))}`,
    ),
  );
}

function stepKeyArguments(
  step: Step,
  paramNames: ParamNames,
): { param: string; kind: KeyKind; value: Value }[] {
  const keys = KEY_ARGUMENTS[step.tool];
  const names = paramNames(step.tool);
  if (!keys || !names) return [];
  return names.flatMap((param, position) => {
    const kind = keys[param];
    return kind === undefined ? [] : [{ param, kind, value: step.args[position] ?? null }];
  });
}

function canonical(value: Value, kind: KeyKind, describeStep: (index: number) => string): string {
  const reference = wholeReference(value);
  if (reference !== undefined) return describeStep(reference);
  if (kind === "recipients") {
    const items = Array.isArray(value) ? value : value === null ? [] : [value];
    return `[${items
      .map((item) => canonical(item, "name", describeStep))
      .sort()
      .join(", ")}]`;
  }
  if (typeof value !== "string") return JSON.stringify(value);
  return kind === "date" ? value.trim() : value.trim().replace(/\s+/g, " ").toLowerCase();
}

/** The kind of a fact `tool.param=...` (the name of a look-up, a date, recipients). */
export function factKind(fact: string): KeyKind | undefined {
  const match = /^([a-z_]+)\.([a-z_]+)=/.exec(fact);
  return match ? KEY_ARGUMENTS[match[1]!]?.[match[2]!] : undefined;
}

/** How many of the ground truth's key-argument facts the plan has (as multisets), and which it lacks. */
export function compareKeyArguments(
  truth: readonly string[],
  generated: readonly string[],
): { matched: number; total: number; missing: string[]; extra: string[] } {
  const left = new Map<string, number>();
  for (const fact of generated) left.set(fact, (left.get(fact) ?? 0) + 1);
  const missing: string[] = [];
  for (const fact of truth) {
    const count = left.get(fact) ?? 0;
    if (count === 0) missing.push(fact);
    else left.set(fact, count - 1);
  }
  const extra = [...left].flatMap(([fact, count]) => Array<string>(count).fill(fact));
  return { matched: truth.length - missing.length, total: truth.length, missing, extra };
}
