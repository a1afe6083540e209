/**
 * Property tests over random plans: random DAGs of random tools with valid arguments and references to
 * earlier steps, random answers to confirmations, random backend failures and random timing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Confirmation, ConfirmationRequest } from "../../src/agent/executor/executor";
import type { ExecutorEvent, RunResult } from "../../src/agent/executor/events";
import { checkPlan } from "../../src/agent/plan/check";
import type { Step, Value } from "../../src/agent/plan/plan";
import { serializePlan } from "../../src/agent/plan/serialize";
import type { ToolBackend, ToolCall, ToolContext, ToolResult } from "../../src/tools/backend";
import { TOOLS, defaultRegistry } from "../../src/tools/registry";
import { toolParams, type AnyTool, type Param } from "../../src/tools/tool";
import { ToolError } from "../../src/tools/tool-error";
import { executePlan, settlesWithin } from "./helpers";

const SEED = 20_240_611;
const MAX_STEPS = 8;

/**
 * One plain-text parameter per tool carries a literal tag "step #N" (never a reference), so a backend call
 * or a confirmation can always be traced back to its step, even after an edit.
 */
const TAG_PARAM: Record<string, string> = {
  create_calendar_event: "title",
  get_phone_number: "name",
  get_email_address: "name",
  open_and_get_file_path: "file_name",
  summarize_pdf: "pdf_path",
  compose_new_email: "subject",
  reply_to_email: "context",
  forward_email: "context",
  maps_open_location: "location",
  maps_show_directions: "end_location",
  create_note: "name",
  open_note: "name",
  append_note_content: "name",
  create_reminder: "name",
  send_sms: "message",
  get_zoom_meeting_link: "topic",
};

const tagOf = (index: number) => `step #${index}`;
const indexOfTag = (text: unknown): number => {
  const match = typeof text === "string" ? /#(\d+)/.exec(text) : null;
  if (!match) throw new Error(`no step tag in ${JSON.stringify(text)}`);
  return Number(match[1]);
};

/** What step N's action returns: text that looks like references and replacement patterns on purpose. */
const observationOf = (index: number) => `out${index}:$&$1\${1}`;
const SECRET = "SECRET-ERROR-TEXT";

// ---------------------------------------------------------------- random plans

function textArb(index: number): fc.Arbitrary<string> {
  const literal = fc.constantFrom("hello", "bring $20 for pizza", "$1,200", "see you", "ok $5");
  if (index === 1) return literal;
  const earlier = fc.integer({ min: 1, max: index - 1 });
  return fc.oneof(
    literal,
    earlier.map((k) => `$${k}`),
    earlier.map((k) => `\${${k}}`),
    fc.tuple(earlier, earlier).map(([a, b]) => `from \${${a}} and \${${b}}, not $${a} or $20`),
  );
}

function listArb(index: number): fc.Arbitrary<Value> {
  const item =
    index === 1
      ? fc.constantFrom("a@example.com", "+1 555 0100")
      : fc.oneof(
          fc.constantFrom("a@example.com", "+1 555 0100"),
          fc.integer({ min: 1, max: index - 1 }).map((k) => `$${k}`),
        );
  const list = fc.array(item, { maxLength: 3 });
  if (index === 1) return list;
  // A whole reference where a list is expected: a one-item list.
  return fc.oneof(
    list,
    fc.integer({ min: 1, max: index - 1 }).map((k) => `$${k}`),
  );
}

function argArb(tool: AnyTool, param: Param, index: number): fc.Arbitrary<Value> {
  if (TAG_PARAM[tool.name] === param.name) return fc.constantFrom(tagOf(index), `${tagOf(index)} costs $20`);
  if (param.values) return fc.constantFrom(...param.values);
  if (param.name === "due_date") return fc.constantFrom(null, "2025-06-13 09:00:00");
  if (/date|time/.test(param.name)) return fc.constantFrom("2025-06-13 15:00:00", "2025-06-13 16:30:00");
  switch (param.type) {
    case "int":
      return param.name === "priority" ? fc.constantFrom(0, 1, 5, 9) : fc.integer({ min: 1, max: 240 });
    case "bool":
      return fc.boolean();
    case "list[str]":
      return listArb(index);
    case "str":
      return param.nullable ? fc.oneof(fc.constant(null), textArb(index)) : textArb(index);
  }
}

function stepArb(index: number): fc.Arbitrary<Step> {
  return fc
    .constantFrom(...TOOLS)
    .chain((tool) =>
      fc
        .tuple(...toolParams(tool).map((param) => argArb(tool, param, index)))
        .map((args): Step => ({ index, tool: tool.name, args, line: index })),
    );
}

const planArb: fc.Arbitrary<Step[]> = fc
  .integer({ min: 1, max: MAX_STEPS })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => stepArb(i + 1))));

type Decision = "approve" | "decline" | "edit" | "edit-invalid" | "throw";

interface Scenario {
  decisions: Decision[];
  fails: boolean[];
  failWith: Array<"tool-error" | "error" | "string">;
  delays: number[];
  chooses: boolean[];
  streamed: boolean;
}

const perStep = <T>(arb: fc.Arbitrary<T>) => fc.array(arb, { minLength: MAX_STEPS, maxLength: MAX_STEPS });
const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  decisions: perStep(fc.constantFrom<Decision>("approve", "decline", "edit", "edit-invalid", "throw")),
  fails: perStep(fc.constantFrom(false, false, false, true)),
  failWith: perStep(fc.constantFrom("tool-error" as const, "error" as const, "string" as const)),
  delays: perStep(fc.integer({ min: 0, max: 3 })),
  chooses: perStep(fc.boolean()),
  streamed: fc.boolean(),
});

// ---------------------------------------------------------------- an independent model of the rules

const WHOLE = /^\$(?:(\d+)|\{(\d+)\})$/;
const INSIDE = /\$\{(\d+)\}/g;

function referencesOf(value: Value): number[] {
  if (typeof value === "string") {
    const whole = WHOLE.exec(value);
    if (whole) return [Number(whole[1] ?? whole[2])];
    return [...value.matchAll(INSIDE)].map((m) => Number(m[1]));
  }
  if (Array.isArray(value)) return value.flatMap(referencesOf);
  return [];
}

function substitute(value: Value): Value {
  if (typeof value === "string") {
    const whole = WHOLE.exec(value);
    if (whole) return observationOf(Number(whole[1] ?? whole[2]));
    return value.replace(INSIDE, (_, k: string) => observationOf(Number(k)));
  }
  if (Array.isArray(value)) return value.map(substitute);
  return value;
}

/** The arguments a step must be shown and run with, by the rules of DESIGN §3. */
function expectedArgs(s: Step): Record<string, unknown> {
  const tool = defaultRegistry.get(s.tool)!;
  return Object.fromEntries(
    toolParams(tool).map((param, i) => {
      const value = substitute(s.args[i]!);
      return [param.name, param.type === "list[str]" && typeof value === "string" ? [value] : value];
    }),
  );
}

type Expected =
  { status: "done" } | { status: "failed"; code: string } | { status: "skipped"; cause: string };

function expectedOutcomes(steps: Step[], scenario: Scenario): Map<number, Expected> {
  const expected = new Map<number, Expected>();
  for (const s of steps) {
    const i = s.index - 1;
    const deps = referencesOf(s.args);
    let result: Expected;
    const run = (): Expected =>
      scenario.fails[i]
        ? { status: "failed", code: scenario.failWith[i] === "tool-error" ? "not-found" : "failed" }
        : { status: "done" };
    if (deps.some((d) => expected.get(d)?.status !== "done"))
      result = { status: "skipped", cause: "dependency" };
    else if (defaultRegistry.get(s.tool)!.effect !== "write") result = run();
    else {
      switch (scenario.decisions[i]!) {
        case "approve":
        case "edit":
          result = run();
          break;
        case "decline":
        case "throw":
          result = { status: "skipped", cause: "declined" };
          break;
        case "edit-invalid":
          result = { status: "failed", code: "invalid-arguments" };
          break;
      }
    }
    expected.set(s.index, result);
  }
  return expected;
}

// ---------------------------------------------------------------- the harness

interface Asked {
  index: number;
  args: Record<string, unknown>;
  decision: Decision;
  edited?: Record<string, unknown>;
  signal: AbortSignal;
}

interface Harness {
  backend: ToolBackend;
  confirm: (request: ConfirmationRequest) => Promise<Confirmation>;
  choose: () => Promise<string | undefined>;
  calls: Array<{ index: number; tool: string; args: Record<string, unknown>; afterAbort: boolean }>;
  asked: Asked[];
  maxOpenQuestions: number;
  abortedFlag: { value: boolean };
}

const pause = (ticks: number) =>
  ticks === 0
    ? Promise.resolve()
    : ticks === 1
      ? new Promise<void>((r) => setImmediate(r))
      : new Promise<void>((r) => setTimeout(r, ticks - 1));

function harness(scenario: Scenario): Harness {
  let open = 0;
  const h: Harness = {
    calls: [],
    asked: [],
    maxOpenQuestions: 0,
    abortedFlag: { value: false },
    backend: {
      name: "property",
      async run(call: ToolCall, context: ToolContext): Promise<ToolResult> {
        const index = indexOfTag(call.args[TAG_PARAM[call.tool.name]!]);
        h.calls.push({ index, tool: call.tool.name, args: call.args, afterAbort: h.abortedFlag.value });
        const i = index - 1;
        await pause(scenario.delays[i]!);
        if (scenario.chooses[i] && call.tool.effect !== "write") {
          await context.choose({ question: "which?", options: [{ label: "one", value: "one" }] });
        }
        if (scenario.fails[i]) {
          const message = `${SECRET} in step ${index}`;
          if (scenario.failWith[i] === "tool-error") throw new ToolError("not-found", message);
          if (scenario.failWith[i] === "error") throw new Error(message);
          throw message;
        }
        return { observation: observationOf(index), invocations: [] };
      },
    },
    confirm: async (request) => {
      open++;
      h.maxOpenQuestions = Math.max(h.maxOpenQuestions, open);
      try {
        const index = request.step.index;
        const decision = scenario.decisions[index - 1]!;
        const asked: Asked = { index, args: structuredClone(request.args), decision, signal: request.signal };
        h.asked.push(asked);
        await pause(scenario.delays[(index + 3) % MAX_STEPS]!);
        const tag = TAG_PARAM[request.tool.name]!;
        switch (decision) {
          case "approve":
            return { decision: "approve" };
          case "decline":
            return { decision: "decline" };
          case "edit":
            asked.edited = { ...request.args, [tag]: `${String(request.args[tag])} (edited)` };
            return { decision: "edit", args: structuredClone(asked.edited) };
          case "edit-invalid":
            return { decision: "edit", args: { ...request.args, [tag]: 12345 } };
          case "throw":
            throw new Error(`dialog failed for step ${index}`);
        }
      } finally {
        open--;
      }
    },
    choose: async () => {
      open++;
      h.maxOpenQuestions = Math.max(h.maxOpenQuestions, open);
      await pause(1);
      open--;
      return "one";
    },
  };
  return h;
}

async function* streamed(steps: Step[], delays: number[]): AsyncGenerator<Step> {
  for (const s of steps) {
    await pause(delays[(s.index + 1) % MAX_STEPS]!);
    yield s;
  }
}

const FINAL = new Set(["done", "failed", "skipped"]);
const STORY =
  /^queued( awaiting-confirmation)?( running (done|failed)| (failed|skipped))$|^queued (failed|skipped)$/;

/** Invariants that hold for every run, finished or cancelled. */
function checkCommon(steps: Step[], h: Harness, result: RunResult, events: ExecutorEvent[]): void {
  const byIndex = new Map(steps.map((s) => [s.index, s]));
  const outcomes = new Map(result.outcomes.map((o) => [o.step.index, o]));
  // Exactly one outcome per step it heard of, and exactly one final event.
  expect(result.outcomes.length).toBe(outcomes.size);
  const queued = events.filter((e) => e.type === "queued").map((e) => e.step.index);
  expect([...outcomes.keys()].sort((a, b) => a - b)).toEqual(queued.sort((a, b) => a - b));
  for (const index of queued) {
    const story = events.filter((e) => e.step.index === index).map((e) => e.type);
    expect(
      story.filter((t) => FINAL.has(t)),
      `final events of step ${index}`,
    ).toHaveLength(1);
    expect(story.join(" "), `events of step ${index}`).toMatch(STORY);
    expect(story.at(-1)).toBe(outcomes.get(index)!.status);
  }
  // Each step reaches the backend at most once, and only when all its dependencies are done.
  const calledIndices = h.calls.map((c) => c.index);
  expect(new Set(calledIndices).size).toBe(calledIndices.length);
  for (const call of h.calls) {
    const s = byIndex.get(call.index)!;
    for (const d of referencesOf(s.args))
      expect(outcomes.get(d)?.status, `dependency ${d} of step ${s.index}`).toBe("done");
    expect(["done", "failed"]).toContain(outcomes.get(call.index)?.status);
  }
  // Safety: a write step reaches the backend only with an approval for that very step and those very arguments.
  for (const call of h.calls) {
    if (defaultRegistry.get(call.tool)!.effect !== "write") continue;
    const asked = h.asked.filter((a) => a.index === call.index);
    expect(asked, `confirmations of step ${call.index}`).toHaveLength(1);
    const [question] = asked;
    if (question!.decision === "approve") expect(call.args).toEqual(question!.args);
    else if (question!.decision === "edit") expect(call.args).toEqual(question!.edited);
    else throw new Error(`step ${call.index} ran after the answer "${question!.decision}"`);
  }
  // What was shown is the resolved arguments; errors never travel on as values.
  for (const question of h.asked) expect(question.args).toEqual(expectedArgs(byIndex.get(question.index)!));
  expect(JSON.stringify(h.asked.map((a) => a.args))).not.toContain(SECRET);
  expect(JSON.stringify(h.calls.map((c) => c.args))).not.toContain(SECRET);
  // Never two questions open at once.
  expect(h.maxOpenQuestions).toBeLessThanOrEqual(1);
}

describe("random plans", () => {
  it("end as the rules say: approval before every write, one outcome per step, dependents of failures never run", async () => {
    await fc.assert(
      fc.asyncProperty(planArb, scenarioArb, async (steps, scenario) => {
        // The generated plan is a valid plan, as a planner would write it.
        const checked = checkPlan(
          serializePlan({ steps, join: { index: steps.length + 1, line: 0 }, ended: true }),
          defaultRegistry,
        );
        expect(checked.problems).toEqual([]);

        const h = harness(scenario);
        const events: ExecutorEvent[] = [];
        const source = scenario.streamed ? streamed(steps, scenario.delays) : steps;
        const result = await settlesWithin(
          executePlan(source, {
            backend: h.backend,
            confirm: h.confirm,
            choose: h.choose,
            onEvent: (e) => events.push(e),
          }),
          5000,
        );
        expect(result.cancelled).toBe(false);
        expect(result.outcomes.map((o) => o.step.index)).toEqual(steps.map((s) => s.index));
        checkCommon(steps, h, result, events);

        const expected = expectedOutcomes(steps, scenario);
        for (const o of result.outcomes) {
          const want = expected.get(o.step.index)!;
          const got =
            o.status === "done"
              ? { status: "done" }
              : o.status === "failed"
                ? { status: "failed", code: o.error.code }
                : { status: "skipped", cause: o.cause };
          expect(got, `outcome of step ${o.step.index} (${o.step.tool})`).toEqual(want);
          if (o.status === "done") {
            expect(o.observation).toBe(observationOf(o.step.index));
            const question = h.asked.find((a) => a.index === o.step.index);
            expect(o.args).toEqual(question?.edited ?? expectedArgs(o.step));
          }
          if (o.status === "skipped" && o.cause === "dependency") {
            const bad = referencesOf(o.step.args).filter((d) => expected.get(d)!.status !== "done");
            expect(
              bad.some((d) => o.reason.includes(`step ${d}`)),
              o.reason,
            ).toBe(true);
          }
        }
        // Exactly the steps that should run reached the backend.
        const shouldRun = steps.filter((s) => {
          const e = expected.get(s.index)!;
          return e.status === "done" || (e.status === "failed" && e.code !== "invalid-arguments");
        });
        expect(h.calls.map((c) => c.index).sort((a, b) => a - b)).toEqual(shouldRun.map((s) => s.index));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it("cancelled at a random moment: resolves, starts nothing afterwards, and still keeps every rule", async () => {
    await fc.assert(
      fc.asyncProperty(
        planArb,
        scenarioArb,
        fc.integer({ min: 0, max: 16 }),
        async (steps, scenario, abortAfter) => {
          const h = harness(scenario);
          const controller = new AbortController();
          controller.signal.addEventListener("abort", () => (h.abortedFlag.value = true));
          const events: ExecutorEvent[] = [];
          const source = scenario.streamed ? streamed(steps, scenario.delays) : steps;
          const result = await settlesWithin(
            executePlan(source, {
              backend: h.backend,
              confirm: h.confirm,
              choose: h.choose,
              signal: controller.signal,
              onEvent: (e) => {
                events.push(e);
                // Abort just after the n-th event, from outside the listener.
                if (events.length === abortAfter + 1) setImmediate(() => controller.abort());
              },
            }),
            5000,
          );
          controller.abort(); // in case the run ended before the chosen moment
          checkCommon(steps, h, result, events);
          expect(h.calls.filter((c) => c.afterAbort)).toEqual([]);
          if (result.cancelled) {
            for (const o of result.outcomes) {
              if (o.status === "skipped" && o.cause === "cancelled") {
                expect(h.calls.some((c) => c.index === o.step.index)).toBe(false);
              }
            }
          }
        },
      ),
      { seed: SEED + 1, numRuns: 150 },
    );
  });
});
