/**
 * Planning data for TinyAgent-micro: (prompt, completion) pairs.
 *
 * Requests and plans come from the Tool RAG generator (`training/toolrag/generate.ts`) with a high share
 * of invented names, places and titles, so that copying from the request pays and memorising does not.
 * Each request is rendered with `buildMicroPrompt`, the very function inference uses; its tools line is
 * what the shipped classifier offers TinyAgent-micro (its toolFloor) united with the plan's own tools (registry order),
 * so the model sees in training what it sees at run time, and for a share of examples a few tools more
 * that the plan must leave alone (a needed tool just under the floor is offered with its neighbours).
 *
 * Dates: the generator resolves every date against Monday 2024-06-03 09:00. To keep the model from
 * learning that "today" is always that day, each example is moved to a random "now" (whole days), and
 * the plan's dates move with it: a date the prompt's dates line offers (the request's date choices) is
 * taken from that line at the new now, any other date is shifted by the same days.
 */
import { ToolClassifier } from "../../src/agent/toolrag/classifier";
import { ToolRag } from "../../src/agent/toolrag/tool-rag";
import { dateChoices } from "../../src/agent/request/dates";
import { buildMicroPrompt } from "../../src/agent/prompt/micro-prompt";
import { checkPlan } from "../../src/agent/plan/check";
import { serializePlan } from "../../src/agent/plan/serialize";
import { defaultRegistry } from "../../src/tools/registry";
import { NAME_ARGUMENTS } from "./slots";
import { Rng, exampleStream, type Example } from "../toolrag/generate";

/** The generator's "now": Monday 2024-06-03 09:00, written as UTC wall-clock time. */
export const GENERATOR_NOW = new Date(Date.UTC(2024, 5, 3, 9, 0, 0));
export const TIME_ZONE = "UTC";

/**
 * The classifier's floor for the tools line in training: lower than TinyAgent-micro's floor at run time
 * could be, so the line often holds near misses the plan must leave alone, and a run-time floor can be
 * lowered to reach a needed tool without showing the model a line it never saw.
 */
export const TRAINING_FLOOR = 0.1;

export interface PlannerExample {
  query: string;
  /** The plan the model should write, ending `join()<END_OF_PLAN>`. */
  completion: string;
  prompt: string;
  /** The tools line: classifier selection united with the plan's tools. */
  tools: string[];
  /** The "now" the prompt was rendered for. */
  now: string;
}

export interface DateStats {
  /** Dates in plans, in all. */
  total: number;
  /** Among the dates line's values (the request's date choices). */
  exact: number;
}

const DATE = /\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2})?/g;

/** Moves `iso` ("YYYY-MM-DD[ HH:MM:SS]") by whole days. */
export function shiftDate(iso: string, days: number): string {
  const [day, time] = iso.split(" ");
  const moved = new Date(Date.parse(`${day!}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  return time === undefined ? moved : `${moved} ${time}`;
}

/**
 * The plan's dates for a request moved `days` days from the generator's now: a date among the request's
 * date choices at the generator's now becomes the choice at the same place at the new now ("Friday" moves
 * to the new now's Friday); any other date is shifted by the same days.
 */
export function moveDates(
  plan: string,
  query: string,
  days: number,
  stats?: DateStats,
): { plan: string; now: Date } {
  const now = new Date(GENERATOR_NOW.getTime() + days * 86_400_000);
  const before = dateChoices(query, GENERATOR_NOW, TIME_ZONE);
  const after = days === 0 ? before : dateChoices(query, now, TIME_ZONE);
  const moved = plan.replace(DATE, (iso) => {
    const at = before.indexOf(iso);
    if (stats) {
      stats.total++;
      if (at >= 0) stats.exact++;
    }
    return at >= 0 && before.length === after.length ? after[at]! : shiftDate(iso, days);
  });
  return { plan: moved, now };
}

export interface DataOptions {
  seed: number;
  count: number;
  /** Share of invented values in the generator's open slot pools. */
  openVocabulary: number;
  /** Share of examples kept at the generator's own now (2024-06-03); the rest move by up to ±2 years. */
  fixedNowShare: number;
  /**
   * Share of examples whose tools line also offers one to three tools the plan does not call, so the
   * model learns to plan what the request asks rather than to call every tool it is offered (issue 15).
   */
  extraToolShare: number;
  /** Requests never to produce (normalized text), e.g. the synthetic test split. */
  exclude?: ReadonlySet<string>;
  classifier: ToolClassifier;
  stats?: DateStats;
}

export async function plannerExamples(options: DataOptions): Promise<PlannerExample[]> {
  const rag = new ToolRag({ classifier: options.classifier, registry: defaultRegistry });
  const dayRng = new Rng(options.seed + 1_000_003);
  const out: PlannerExample[] = [];
  for (const example of exampleStream(options.seed, { openVocabulary: options.openVocabulary })) {
    if (out.length >= options.count) break;
    if (example.plan === "") continue;
    if (options.exclude?.has(normalize(example.query))) continue;
    const days = dayRng.chance(options.fixedNowShare) ? 0 : dayRng.int(-700, 700);
    const extras = dayRng.chance(options.extraToolShare) ? dayRng.int(1, 3) : 0;
    out.push(await renderExample(example, rag, days, options.stats, { rng: dayRng, count: extras }));
  }
  return out;
}

/** One example rendered as the model sees it, for a request made `days` days after the generator's now. */
export async function renderExample(
  example: Example,
  rag: ToolRag,
  days: number,
  stats?: DateStats,
  extras?: { rng: Rng; count: number },
): Promise<PlannerExample> {
  const moved = moveDates(example.plan, example.query, days, stats);
  const plan = copyCase(moved.plan, example.query);
  const now = moved.now;
  const offered = await rag.select(example.query, { minProbability: TRAINING_FLOOR });
  const selected = new Set(offered.map((tool) => tool.name));
  for (const tool of example.tools) selected.add(tool);
  const unused = defaultRegistry.tools.filter((tool) => !selected.has(tool.name));
  for (let i = 0; i < (extras?.count ?? 0) && unused.length > 0; i++)
    selected.add(unused.splice(extras!.rng.int(0, unused.length - 1), 1)[0]!.name);
  const tools = defaultRegistry.tools.filter((tool) => selected.has(tool.name));
  const prompt = buildMicroPrompt({ tools, request: example.query, now, timeZone: TIME_ZONE });
  return {
    query: example.query,
    completion: plan,
    prompt,
    tools: tools.map((tool) => tool.name),
    now: now.toISOString(),
  };
}

/**
 * Name-like arguments written exactly as the request writes them: the generator capitalizes names the
 * request may have typed in lower case ("text sid" → "Sid"). Contacts, Notes and Maps match without
 * case, and a value that is a verbatim span of the request can simply be copied.
 */
export function copyCase(plan: string, query: string): string {
  const parsed = checkPlan(plan, defaultRegistry).plan;
  const lower = query.toLowerCase();
  let changed = false;
  for (const step of parsed.steps)
    for (const position of NAME_ARGUMENTS[step.tool] ?? []) {
      const value = step.args[position];
      if (typeof value !== "string" || value === "" || query.includes(value)) continue;
      const at = lower.indexOf(value.toLowerCase());
      // Only where lower-casing keeps lengths, so the span is the same characters.
      if (at < 0 || value.toLowerCase().length !== value.length) continue;
      step.args[position] = query.slice(at, at + value.length);
      changed = true;
    }
  return changed ? serializePlan(parsed) : plan;
}

export function normalize(query: string): string {
  return query.toLowerCase().replace(/\s+/g, " ").trim();
}
