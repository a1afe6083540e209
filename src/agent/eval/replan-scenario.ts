import { RecordingBackend } from "../../tools/recording/recording-backend";
import { createFixtureWorld, type FixtureWorld } from "../../tools/recording/fixture-world";
import { ask } from "../agent";
import type { RunResult } from "../executor/events";
import { fixableFailure } from "../join/replan";
import type { Plan } from "../plan/plan";
import type { EvalRequest } from "./eval-data";
import { recordEach, type RunEvalOptions } from "./run-eval";

/**
 * The replan scenario of `tinyagent eval --replan`: each in-domain request is planned and run end to end
 * against the recording backend, in a world that holds what its ground truth looks up (a contact for each
 * person, a PDF for each file, a note for each note), so a look-up fails exactly when the plan asked for
 * something the request did not mean (a title kept in a name, a filler word as a file name, a phone number
 * where an email address goes). Every side effect is approved, nobody answers "which one?" (as with
 * `ask --yes` without a terminal), and the request may be planned again once. The report says how many
 * runs end with every step done, before and after the second plan.
 */
export interface ReplanRecord {
  line: number;
  query: string;
  /** Every step of the first plan ran. */
  firstDone: boolean;
  /** The first plan failed in a way a second plan may fix (join/replan.ts). */
  fixable: boolean;
  replanned: boolean;
  /** Every step of the last plan ran: the request is done. */
  done: boolean;
  /** The first plan's first failure: the step's tool and the error, or null. */
  failure: string | null;
  /** "Trying again: …" as it was said; null without a second plan. */
  reason: string | null;
  /** Planning or running failed outright (model, classifier). */
  error: string | null;
}

export interface ReplanSummary {
  runs: number;
  doneFirst: number;
  fixable: number;
  replanned: number;
  /** Runs planned again that then ended done. */
  fixed: number;
  done: number;
}

export interface ReplanScenarioOptions extends Omit<RunEvalOptions, "writer" | "onRecord"> {
  onRecord?: (record: ReplanRecord, done: number, total: number) => void;
}

export async function runReplanScenario(
  requests: readonly EvalRequest[],
  options: ReplanScenarioOptions,
): Promise<ReplanRecord[]> {
  const inDomain = requests.filter((request) => request.truth !== undefined);
  return recordEach(inDomain, options, (request) => runOne(request, options));
}

async function runOne(request: EvalRequest, options: ReplanScenarioOptions): Promise<ReplanRecord> {
  const record: ReplanRecord = {
    line: request.line,
    query: request.query,
    firstDone: false,
    fixable: false,
    replanned: false,
    done: false,
    failure: null,
    reason: null,
    error: null,
  };
  const backend = new RecordingBackend({
    world: worldFor(request.truth!.plan),
    timeZone: request.context.timeZone,
  });
  try {
    const outcome = await ask(request.query, {
      planner: options.planner,
      selector: options.selector,
      registry: options.registry,
      backend,
      requestTime: request.context.now,
      timeZone: request.context.timeZone,
      confirm: async () => ({ decision: "approve" }),
      onReplan: ({ reason }) => {
        record.reason = reason;
      },
      ...(options.maxTokens ? { maxTokens: options.maxTokens } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (outcome.kind === "no-tools") return record;
    const first = outcome.earlier?.result ?? outcome.result;
    record.firstDone = allDone(first);
    record.fixable = fixableFailure(first) !== undefined;
    const failed = first.outcomes.find((o) => o.status === "failed");
    if (failed?.status === "failed")
      record.failure = `${failed.step.tool}: ${failed.error.code}: ${failed.error.message}`;
    record.replanned = outcome.earlier !== undefined;
    record.done = allDone(outcome.result);
  } catch (error) {
    record.error = error instanceof Error ? error.message : String(error);
  }
  return record;
}

function allDone(result: RunResult): boolean {
  return result.outcomes.length > 0 && result.outcomes.every((outcome) => outcome.status === "done");
}

export function summarizeReplan(records: readonly ReplanRecord[]): ReplanSummary {
  const count = (test: (record: ReplanRecord) => boolean) => records.filter(test).length;
  return {
    runs: records.length,
    doneFirst: count((r) => r.firstDone),
    fixable: count((r) => r.fixable),
    replanned: count((r) => r.replanned),
    fixed: count((r) => r.replanned && r.done),
    done: count((r) => r.done),
  };
}

/** The fixture world with what the ground truth looks up added: people, PDFs and notes by their names. */
export function worldFor(truth: Plan): FixtureWorld {
  const world = createFixtureWorld();
  for (const step of truth.steps) {
    const name = step.args[0];
    if (typeof name !== "string" || name.startsWith("$")) continue;
    switch (step.tool) {
      case "get_email_address":
      case "get_phone_number":
        addPerson(world, name);
        break;
      case "create_calendar_event":
        addCalendar(world, step.args[6]);
        break;
      case "create_reminder":
        if (
          typeof step.args[3] === "string" &&
          step.args[3] !== "" &&
          !world.reminderLists.includes(step.args[3])
        )
          world.reminderLists.push(step.args[3]);
        break;
      case "open_and_get_file_path":
        world.files.push({
          path: `${world.home}/Documents/${name}.pdf`,
          text: `${name}. The text of ${name}.`,
        });
        break;
      case "open_note":
      case "append_note_content":
        world.notes.push({ name, folder: "Notes", account: "iCloud", body: `${name}` });
        break;
      default:
        break;
    }
  }
  return world;
}

/** A calendar the truth names, unless the world has it (in any case). */
function addCalendar(world: FixtureWorld, name: unknown): void {
  if (typeof name !== "string" || name.trim() === "") return;
  if (world.calendars.some((calendar) => calendar.name.toLowerCase() === name.trim().toLowerCase())) return;
  world.calendars.push({ name: name.trim(), writable: true });
}

/** A person the truth looks up, unless someone of that name is already there (Sid is Sid Mehta). */
function addPerson(world: FixtureWorld, name: string): void {
  const [first = name, ...rest] = name.trim().split(/\s+/u);
  const known = (contact: { firstName: string; lastName: string }) =>
    `${contact.firstName} ${contact.lastName}`.toLowerCase().split(" ").includes(name.trim().toLowerCase()) ||
    `${contact.firstName} ${contact.lastName}`.toLowerCase() === name.trim().toLowerCase();
  if (world.contacts.some(known)) return;
  const n = world.contacts.length;
  const handle =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/gu, ".")
      .replace(/^\.|\.$/gu, "") || `person${n}`;
  world.contacts.push({
    firstName: first,
    lastName: rest.join(" "),
    emails: [{ label: "home", value: `${handle}@example.com` }],
    phones: [{ label: "mobile", value: `+1 (555) 010-${String(1000 + n).slice(-4)}` }],
  });
}
