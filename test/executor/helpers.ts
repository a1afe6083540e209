/**
 * Small helpers shared by the executor tests. The subject (executePlan) is always the real code; what is
 * written here are stand-ins for macOS (backends) and for the person (confirm / choose).
 */
import { expect } from "vitest";
import type { ExecuteOptions } from "../../src/agent/executor/executor";
import { executePlan } from "../../src/agent/executor/executor";
import type { ExecutorEvent, RunResult, StepOutcome } from "../../src/agent/executor/events";
import { checkPlan } from "../../src/agent/plan/check";
import type { Step, Value } from "../../src/agent/plan/plan";
import type { ToolBackend, ToolCall, ToolContext, ToolResult } from "../../src/tools/backend";
import { createFixtureWorld, type Contact, type FixtureWorld } from "../../src/tools/recording/fixture-world";
import { defaultRegistry } from "../../src/tools/registry";
import { abortableSleep } from "../../src/tools/abortable-sleep";

export function step(index: number, tool: string, ...args: Value[]): Step {
  return { index, tool, args, line: index };
}

/** The steps of a plan text, which must be valid for the default registry. */
export function stepsOf(text: string): Step[] {
  const checked = checkPlan(text, defaultRegistry);
  if (!checked.valid) {
    throw new Error(`test plan is invalid:\n${checked.problems.map((p) => p.message).join("\n")}`);
  }
  return checked.plan.steps;
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `predicate` holds; fails (never hangs) after `timeoutMs`. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** Resolves with the run's result, or rejects if it has not settled within `ms` (a hang is a failure). */
export function settlesWithin<T>(promise: Promise<T>, ms: number, what = "the run"): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function outcome(result: RunResult, index: number): StepOutcome {
  const found = result.outcomes.filter((o) => o.step.index === index);
  expect(found, `outcomes of step ${index}`).toHaveLength(1);
  return found[0]!;
}

export function statuses(result: RunResult): Record<number, string> {
  return Object.fromEntries(result.outcomes.map((o) => [o.step.index, o.status]));
}

/** Collects every event in order; `sequence(n)` gives the event types of one step. */
export class EventLog {
  readonly events: ExecutorEvent[] = [];
  readonly listener = (event: ExecutorEvent): void => {
    this.events.push(event);
  };

  sequence(index: number): string[] {
    return this.events.filter((e) => e.step.index === index).map((e) => e.type);
  }

  /** Position of the first event of this type for this step; -1 when there is none. */
  position(type: ExecutorEvent["type"], index: number): number {
    return this.events.findIndex((e) => e.type === type && e.step.index === index);
  }
}

/** The first string argument of a call: tests give each call a distinct one and use it as its name. */
export function keyOf(call: ToolCall): string {
  const first = Object.values(call.args).find((value) => typeof value === "string");
  return typeof first === "string" ? first : call.tool.name;
}

export interface OpenCall {
  key: string;
  call: ToolCall;
  context: ToolContext;
  ended: boolean;
  succeed(observation?: string): void;
  fail(error: unknown): void;
}

/**
 * A backend whose calls stay open until the test ends them, so overlap and ordering can be shown
 * without measuring time. Every start and end is written to `timeline` in the order it happened.
 */
export class GateBackend implements ToolBackend {
  readonly name = "gate";
  readonly open: OpenCall[] = [];
  readonly timeline: string[] = [];

  run(call: ToolCall, context: ToolContext): Promise<ToolResult> {
    const key = keyOf(call);
    this.timeline.push(`start ${key}`);
    const settled = deferred<ToolResult>();
    const entry: OpenCall = {
      key,
      call,
      context,
      ended: false,
      succeed: (observation = `result of ${key}`) => {
        if (entry.ended) return;
        entry.ended = true;
        this.timeline.push(`end ${key}`);
        settled.resolve({ observation, invocations: [] });
      },
      fail: (error) => {
        if (entry.ended) return;
        entry.ended = true;
        this.timeline.push(`end ${key}`);
        settled.reject(error);
      },
    };
    this.open.push(entry);
    return settled.promise;
  }

  get(key: string): OpenCall {
    const found = this.open.find((c) => c.key === key);
    if (!found)
      throw new Error(`no call "${key}" has started; started: ${this.open.map((c) => c.key).join(", ")}`);
    return found;
  }

  has(key: string): boolean {
    return this.open.some((c) => c.key === key);
  }

  async waitFor(key: string): Promise<OpenCall> {
    await until(() => this.has(key), `a backend call "${key}"`);
    return this.get(key);
  }
}

export interface TimedCall {
  key: string;
  tool: string;
  args: Record<string, unknown>;
  startedAt: number;
  endedAt?: number;
  signal: AbortSignal;
}

/**
 * A backend that answers after a set latency (honouring the abort signal) and keeps start and end times
 * plus the highest number of calls in flight at once.
 */
export class LatencyBackend implements ToolBackend {
  readonly name = "latency";
  readonly calls: TimedCall[] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    private readonly latency: (call: ToolCall) => number,
    private readonly answer: (call: ToolCall) => string = (call) => `result of ${keyOf(call)}`,
  ) {}

  async run(call: ToolCall, context: ToolContext): Promise<ToolResult> {
    const record: TimedCall = {
      key: keyOf(call),
      tool: call.tool.name,
      args: call.args,
      startedAt: performance.now(),
      signal: context.signal,
    };
    this.calls.push(record);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await abortableSleep(this.latency(call), context.signal);
      return { observation: this.answer(call), invocations: [] };
    } finally {
      record.endedAt = performance.now();
      this.inFlight--;
    }
  }

  call(key: string): TimedCall {
    const found = this.calls.find((c) => c.key === key);
    if (!found) throw new Error(`no call "${key}"`);
    return found;
  }
}

export { abortableSleep };

/** A backend that answers at once with `result of <key>`, and keeps every call. */
export class EchoBackend implements ToolBackend {
  readonly name = "echo";
  readonly calls: ToolCall[] = [];

  constructor(private readonly answer: (call: ToolCall) => string = (call) => `result of ${keyOf(call)}`) {}

  async run(call: ToolCall): Promise<ToolResult> {
    this.calls.push(call);
    return { observation: this.answer(call), invocations: [] };
  }

  tools(): string[] {
    return this.calls.map((c) => c.tool.name);
  }
}

export const approveAll: NonNullable<ExecuteOptions["confirm"]> = async () => ({ decision: "approve" });

/** Feeds steps one by one through an async generator, awaiting `between(i)` before each yield after the first. */
export async function* streamOf(
  steps: Step[],
  between: (position: number) => Promise<void>,
  onYield: (step: Step) => void = () => undefined,
): AsyncGenerator<Step> {
  for (const [position, item] of steps.entries()) {
    if (position > 0) await between(position);
    onYield(item);
    yield item;
  }
}

/**
 * People the tests rely on, written out here so the tests do not depend on the shared fixture's exact
 * contents: two Alexes, one person with two emails, one with none, a nickname, an RTL name.
 */
export const KNOWN_CONTACTS: Contact[] = [
  {
    firstName: "Sid",
    lastName: "Mehta",
    emails: [{ label: "work", value: "sid.mehta@example.com" }],
    phones: [{ label: "mobile", value: "+1 (415) 555-0142" }],
  },
  {
    firstName: "Lutfi",
    lastName: "Demir",
    emails: [
      { label: "work", value: "lutfi.demir@example.com" },
      { label: "home", value: "lutfi@demir.example.org" },
    ],
    phones: [{ label: "mobile", value: "+1 (510) 555-0199" }],
  },
  {
    firstName: "Alex",
    lastName: "Chen",
    emails: [{ label: "work", value: "alex.chen@example.com" }],
    phones: [{ label: "mobile", value: "+1 (650) 555-0123" }],
  },
  {
    firstName: "Alex",
    lastName: "Rivera",
    emails: [{ label: "home", value: "arivera@example.net" }],
    phones: [{ label: "mobile", value: "+34 612 555 019" }],
  },
  {
    firstName: "Margaret",
    lastName: "O'Brien",
    nickname: "Maggie",
    emails: [{ label: "work", value: "maggie.obrien@example.com" }],
    phones: [{ label: "iPhone", value: "+353 85 555 0147" }],
  },
  {
    firstName: "أميرة",
    lastName: "حداد",
    nickname: "Amira",
    emails: [{ label: "home", value: "amira.haddad@example.com" }],
    phones: [{ label: "mobile", value: "+971 50 555 0110" }],
  },
  {
    firstName: "Kenji",
    lastName: "Watanabe",
    emails: [],
    phones: [{ label: "mobile", value: "+81 90 5555 0132" }],
  },
];

/** A fresh fixture world with the contacts above (everything else from the shared fixture). */
export function knownWorld(): FixtureWorld {
  return { ...createFixtureWorld(), contacts: structuredClone(KNOWN_CONTACTS) };
}

export { executePlan };
