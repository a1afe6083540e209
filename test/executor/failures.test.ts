import { describe, expect, it } from "vitest";
import { parsePlan } from "../../src/agent/plan/parse";
import type { Step } from "../../src/agent/plan/plan";
import type { ToolBackend, ToolCall } from "../../src/tools/backend";
import { defaultRegistry } from "../../src/tools/registry";
import { ToolError } from "../../src/tools/tool-error";
import {
  EchoBackend,
  EventLog,
  GateBackend,
  approveAll,
  executePlan,
  keyOf,
  outcome,
  settlesWithin,
  sleep,
  statuses,
  step,
} from "./helpers";

/** Fails the calls whose key is listed, with a message that must never travel on as a value. */
class FailingBackend implements ToolBackend {
  readonly name = "failing";
  readonly calls: ToolCall[] = [];
  constructor(private readonly failures: Record<string, unknown>) {}

  async run(call: ToolCall) {
    this.calls.push(call);
    const key = keyOf(call);
    if (key in this.failures) throw this.failures[key];
    return { observation: `result of ${key}`, invocations: [] };
  }

  keys(): string[] {
    return this.calls.map(keyOf);
  }
}

const SECRET = "ERROR-TEXT-7f3a: Contacts said no";

describe("a failed step", () => {
  /*
   *   1 (fails) ──> 2 ──> 4
   *        └──────────> 5 (uses ${1} inside text)
   *   3 (independent) ──> 6
   *   7 uses $3 and $2: skipped because of 2
   */
  const plan: Step[] = [
    step(1, "get_email_address", "Sid"),
    step(2, "maps_open_location", "$1"),
    step(3, "get_phone_number", "Lutfi"),
    step(4, "maps_open_location", "near $2"), // bare "$2" inside text is not a reference
    step(5, "maps_open_location", "office of ${1}"),
    step(6, "maps_open_location", "${3}"),
    step(7, "maps_show_directions", "$3", "${2}", "w"),
    step(8, "maps_open_location", "${2}"),
  ];

  it("skips exactly its transitive dependents and runs everything else", async () => {
    const backend = new FailingBackend({ Sid: new ToolError("not-found", SECRET) });
    const result = await settlesWithin(executePlan(plan, { backend }), 2000);
    expect(statuses(result)).toEqual({
      1: "failed",
      2: "skipped",
      3: "done",
      4: "done",
      5: "skipped",
      6: "done",
      7: "skipped",
      8: "skipped",
    });
    expect(outcome(result, 1)).toMatchObject({ error: { code: "not-found", message: SECRET } });
    for (const index of [2, 5, 7, 8]) {
      expect(outcome(result, index)).toMatchObject({ status: "skipped", cause: "dependency" });
    }
    // Step 1 reached the backend (and failed there); none of its dependents did.
    expect(backend.keys().sort()).toEqual(["Lutfi", "Sid", "near $2", "result of Lutfi"].sort());
  });

  it("gives each skipped step a reason that names the step it waited for", async () => {
    const backend = new FailingBackend({ Sid: new ToolError("not-found", SECRET) });
    const result = await executePlan(plan, { backend });
    const reason = (index: number) => {
      const o = outcome(result, index);
      return o.status === "skipped" ? o.reason : "";
    };
    expect(reason(2)).toMatch(/\bstep 1\b/);
    expect(reason(2)).toContain("failed");
    expect(reason(5)).toMatch(/\bstep 1\b/);
    // 8 waited for 2, which waited for 1: both are named.
    expect(reason(8)).toMatch(/\bstep 2\b/);
    expect(reason(8)).toMatch(/\bstep 1\b/);
    expect(reason(7)).toMatch(/\bstep 2\b/);
  });

  it("never passes the error text on as a value", async () => {
    const backend = new FailingBackend({ Sid: new ToolError("not-found", SECRET) });
    const events = new EventLog();
    const confirmed: unknown[] = [];
    const result = await executePlan([...plan, step(9, "send_sms", ["$1"], "Your address is ${1}")], {
      backend,
      onEvent: events.listener,
      confirm: async (request) => {
        confirmed.push(request.args);
        return { decision: "approve" };
      },
    });
    expect(outcome(result, 9)).toMatchObject({ status: "skipped", cause: "dependency" });
    expect(confirmed).toEqual([]);
    expect(JSON.stringify(backend.calls.map((c) => c.args))).not.toContain("ERROR-TEXT");
    for (const o of result.outcomes) {
      if (o.step.index === 1) continue;
      if ("args" in o) expect(JSON.stringify(o.args ?? null)).not.toContain("ERROR-TEXT");
      if (o.status === "done") expect(o.observation).not.toContain("ERROR-TEXT");
    }
    for (const event of events.events) {
      if ((event.type === "running" || event.type === "awaiting-confirmation") && event.step.index !== 1) {
        expect(JSON.stringify(event.args)).not.toContain("ERROR-TEXT");
      }
    }
  });

  it.each([
    ["a plain Error", new Error(SECRET), "failed"],
    ["a string", SECRET, "failed"],
    ["a ToolError with a code", new ToolError("permission", SECRET), "permission"],
  ])("turns %s thrown by the backend into a failed outcome with that message", async (_, thrown, code) => {
    const backend = new FailingBackend({ Sid: thrown });
    const result = await executePlan(
      [step(1, "get_email_address", "Sid"), step(2, "maps_open_location", "$1")],
      {
        backend,
      },
    );
    expect(outcome(result, 1)).toMatchObject({ status: "failed", error: { code, message: SECRET } });
    expect(outcome(result, 2)).toMatchObject({ status: "skipped", cause: "dependency" });
  });

  it("names the System Settings pane a permission error carries, in the outcome and the failed event", async () => {
    const settings = {
      name: "Privacy & Security › Contacts",
      url: "x-apple.systempreferences:com.apple.preference.security?Privacy_Contacts",
    };
    const backend = new FailingBackend({ Sid: new ToolError("permission", "not allowed", { settings }) });
    const events = new EventLog();
    const result = await executePlan([step(1, "get_email_address", "Sid")], {
      backend,
      onEvent: events.listener,
    });
    expect(outcome(result, 1)).toMatchObject({ status: "failed", error: { code: "permission", settings } });
    const failed = events.events.find((event) => event.type === "failed");
    expect(failed).toMatchObject({ error: { code: "permission", message: "not allowed", settings } });
  });

  it("keeps the invocations a ToolError carries", async () => {
    const invocations = [{ kind: "command" as const, file: "/usr/bin/mdfind", argv: ["-name", "x"] }];
    const backend = new FailingBackend({ x: new ToolError("not-found", "no x", { invocations }) });
    const result = await executePlan([step(1, "open_and_get_file_path", "x")], { backend });
    expect(outcome(result, 1)).toMatchObject({ status: "failed", invocations });
  });

  it("fails a step whose backend throws synchronously, without breaking the run", async () => {
    const backend: ToolBackend = {
      name: "sync-throw",
      run(call) {
        if (keyOf(call) === "boom") throw new Error("thrown before any promise");
        return Promise.resolve({ observation: "fine", invocations: [] });
      },
    };
    const result = await settlesWithin(
      executePlan([step(1, "maps_open_location", "boom"), step(2, "maps_open_location", "ok")], { backend }),
      2000,
    );
    expect(outcome(result, 1)).toMatchObject({
      status: "failed",
      error: { code: "failed", message: "thrown before any promise" },
    });
    expect(outcome(result, 2)).toMatchObject({ status: "done", observation: "fine" });
  });

  it("fails a step whose backend returns nothing instead of a result", async () => {
    const backend = { name: "empty", run: async () => undefined } as unknown as ToolBackend;
    const result = await settlesWithin(
      executePlan([step(1, "maps_open_location", "x"), step(2, "maps_open_location", "$1")], { backend }),
      2000,
    );
    expect(outcome(result, 1).status).toBe("failed");
    expect(outcome(result, 2)).toMatchObject({ status: "skipped", cause: "dependency" });
  });
});

describe("plans that are wrong in themselves", () => {
  it("fails a step that calls an unknown tool, and skips its dependents", async () => {
    const backend = new EchoBackend();
    const result = await settlesWithin(
      executePlan(
        [
          step(1, "get_weather", "Berlin"),
          step(2, "maps_open_location", "$1"),
          step(3, "maps_open_location", "Berlin"),
        ],
        { backend },
      ),
      2000,
    );
    expect(outcome(result, 1)).toMatchObject({ status: "failed", error: { code: "unknown-tool" } });
    expect(outcome(result, 1).status === "failed" && outcome(result, 1)).toMatchObject({
      error: { message: expect.stringContaining("get_weather") },
    });
    expect(outcome(result, 2)).toMatchObject({ status: "skipped", cause: "dependency" });
    expect(outcome(result, 3).status).toBe("done");
    expect(backend.tools()).toEqual(["maps_open_location"]);
  });

  it("treats a tool outside the given registry as unknown", async () => {
    const backend = new EchoBackend();
    const registry = defaultRegistry.subset(["maps_open_location"]);
    const result = await executePlan(
      [step(1, "get_email_address", "Sid"), step(2, "maps_open_location", "Berlin")],
      { backend, registry },
    );
    expect(outcome(result, 1)).toMatchObject({ status: "failed", error: { code: "unknown-tool" } });
    expect(outcome(result, 2).status).toBe("done");
    expect(backend.tools()).toEqual(["maps_open_location"]);
  });

  it.each([
    ["too few arguments", step(1, "maps_show_directions", "A", "B")],
    ["too many arguments", step(1, "get_email_address", "Sid", "Mehta")],
    ["no arguments", step(1, "create_note")],
  ])("fails a step with %s, naming the count, without running it", async (_, wrong) => {
    const backend = new EchoBackend();
    const result = await settlesWithin(executePlan([wrong], { backend, confirm: approveAll }), 2000);
    const o = outcome(result, 1);
    expect(o).toMatchObject({ status: "failed", error: { code: "invalid-arguments" } });
    expect(o.status === "failed" && o.error.message).toMatch(/takes \d+ arguments?.*gives \d+/);
    expect(backend.calls).toEqual([]);
  });

  it.each([
    ["a number for text", step(1, "get_email_address", 42)],
    ["text for a number", step(1, "get_zoom_meeting_link", "Sync", "2025-06-13 15:00:00", "sixty", [])],
    ["a transport that does not exist", step(1, "maps_show_directions", "A", "B", "teleport")],
    ["an impossible date", step(1, "create_reminder", "Pay", "2025-02-30 10:00:00", "", "", 0, false)],
  ])("fails a step with %s as invalid-arguments, without running it", async (_, wrong) => {
    const backend = new EchoBackend();
    const result = await executePlan([wrong], { backend, confirm: approveAll });
    expect(outcome(result, 1)).toMatchObject({ status: "failed", error: { code: "invalid-arguments" } });
    expect(backend.calls).toEqual([]);
  });

  it("fails a step whose reference resolves to text where a number is needed", async () => {
    const backend = new EchoBackend();
    let asked = 0;
    const result = await executePlan(
      [
        step(1, "get_email_address", "Sid"),
        step(2, "get_zoom_meeting_link", "Sync", "2025-06-13 15:00:00", "$1", []),
      ],
      {
        backend,
        confirm: async () => {
          asked++;
          return { decision: "approve" };
        },
      },
    );
    expect(outcome(result, 2)).toMatchObject({ status: "failed", error: { code: "invalid-arguments" } });
    expect(asked).toBe(0);
    expect(backend.tools()).toEqual(["get_email_address"]);
  });

  it("skips a step that uses a step the plan does not have, saying so", async () => {
    const backend = new EchoBackend();
    const result = await settlesWithin(
      executePlan(
        [
          step(1, "get_email_address", "Sid"),
          step(3, "maps_open_location", "$2"),
          step(4, "maps_open_location", "${3} and ${1}"),
        ],
        { backend },
      ),
      2000,
    );
    const third = outcome(result, 3);
    expect(third).toMatchObject({ status: "skipped", cause: "dependency" });
    expect(third.status === "skipped" && third.reason).toMatch(/step 2.*not in the plan/);
    expect(outcome(result, 4)).toMatchObject({ status: "skipped", cause: "dependency" });
    expect(backend.tools()).toEqual(["get_email_address"]);
  });

  it("fails a step that refers forward or to itself, without waiting for the stream", async () => {
    const backend = new EchoBackend();
    const events = new EventLog();
    const result = await settlesWithin(
      executePlan(
        [
          step(1, "maps_open_location", "$2"),
          step(2, "maps_open_location", "${2} itself"),
          step(3, "maps_open_location", "fine"),
          step(4, "maps_open_location", "$1"),
        ],
        { backend, onEvent: events.listener },
      ),
      2000,
    );
    for (const index of [1, 2]) {
      const o = outcome(result, index);
      expect(o).toMatchObject({ status: "failed", error: { code: "invalid-step" } });
      expect(o.status === "failed" && o.error.message).toMatch(/not an earlier step/);
      expect(events.sequence(index)).toEqual(["queued", "failed"]);
    }
    expect(outcome(result, 3).status).toBe("done");
    expect(outcome(result, 4)).toMatchObject({ status: "skipped", cause: "dependency" });
    expect(backend.calls.map(keyOf)).toEqual(["fine"]);
  });

  it("fails the second of two steps with the same number and runs the first", async () => {
    const backend = new EchoBackend();
    const result = await settlesWithin(
      executePlan(
        [
          step(1, "get_email_address", "Sid"),
          step(1, "get_email_address", "Lutfi"),
          step(2, "maps_open_location", "$1"),
        ],
        { backend },
      ),
      2000,
    );
    expect(result.outcomes).toHaveLength(3);
    const ones = result.outcomes.filter((o) => o.step.index === 1);
    expect(ones.map((o) => o.status).sort()).toEqual(["done", "failed"]);
    const duplicate = ones.find((o) => o.status === "failed")!;
    expect(duplicate.step.args).toEqual(["Lutfi"]);
    expect(duplicate).toMatchObject({
      error: { code: "invalid-step", message: expect.stringMatching(/used twice/) },
    });
    expect(outcome(result, 2)).toMatchObject({ status: "done", args: { location: "result of Sid" } });
    expect(backend.calls.map(keyOf)).toEqual(["Sid", "result of Sid"]);
  });

  it("runs what it can of a plan that the parser and validator complain about, and never throws", async () => {
    const text = [
      '1. get_email_address("Sid")',
      "2. this line is garbage",
      '3. maps_open_location("$2")',
      '3. maps_open_location("dup")',
      '5. maps_open_location("$9")',
      "6. get_email_address(42)",
      '7. frobnicate("$1")',
      "8. join()<END_OF_PLAN>",
    ].join("\n");
    const { plan, problems } = parsePlan(text);
    expect(problems.length).toBeGreaterThan(0);
    const backend = new EchoBackend();
    const result = await settlesWithin(executePlan(plan.steps, { backend }), 2000);
    expect(result.outcomes).toHaveLength(plan.steps.length);
    expect(result.cancelled).toBe(false);
    expect(result.outcomes.filter((o) => o.status === "done").map((o) => o.step.index)).toEqual([1]);
    for (const o of result.outcomes.filter((o) => o.status !== "done")) {
      const message = o.status === "failed" ? o.error.message : o.status === "skipped" ? o.reason : "";
      expect(message.length, `message of step ${o.step.index}`).toBeGreaterThan(10);
    }
    expect(backend.calls.map(keyOf)).toEqual(["Sid"]);
  });

  it("survives steps whose shape is not what the type says", async () => {
    const backend = new EchoBackend();
    const broken = [
      { index: 1, tool: "maps_open_location", line: 1 } as unknown as Step,
      { index: 2, tool: "maps_open_location", args: [{ nested: "$1" }], line: 2 } as Step,
      step(3, "maps_open_location", "fine"),
    ];
    const result = await settlesWithin(executePlan(broken, { backend }), 2000);
    expect(result.outcomes.map((o) => o.status)).toEqual(["failed", "skipped", "done"]);
    expect(backend.calls.map(keyOf)).toEqual(["fine"]);
  });
});

describe("a planner that fails mid-stream", () => {
  it("lets the steps already started finish, then rejects with the planner's error", async () => {
    const backend = new GateBackend();
    const plannerError = new Error("the model crashed");
    async function* planner() {
      yield step(1, "get_email_address", "Sid");
      yield step(2, "maps_open_location", "$1");
      yield step(5, "maps_open_location", "$4");
      await Promise.resolve();
      throw plannerError;
    }
    const events = new EventLog();
    let settled = false;
    const run = executePlan(planner(), { backend, onEvent: events.listener });
    run.then(
      () => (settled = true),
      () => (settled = true),
    );
    const sid = await backend.waitFor("Sid");
    await sleep(20);
    expect(settled).toBe(false); // step 1 is still running: the run does not walk away from it
    sid.succeed();
    (await backend.waitFor("result of Sid")).succeed();
    await expect(settlesWithin(run, 2000)).rejects.toBe(plannerError);
    // Every step it heard of ended, and step 5 (whose dependency never came) was skipped, not left hanging.
    expect(events.sequence(1).at(-1)).toBe("done");
    expect(events.sequence(2).at(-1)).toBe("done");
    expect(events.sequence(5)).toEqual(["queued", "skipped"]);
  });
});
