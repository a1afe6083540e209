import { describe, expect, it } from "vitest";
import type { ExecutorEvent } from "../../src/agent/executor/events";
import type { Step } from "../../src/agent/plan/plan";
import type { ToolBackend } from "../../src/tools/backend";
import { ToolError } from "../../src/tools/tool-error";
import { EventLog, executePlan, keyOf, outcome, settlesWithin, step } from "./helpers";

/** Answers everything except "Nobody", which is not found. */
const backend: ToolBackend = {
  name: "events",
  async run(call) {
    if (keyOf(call) === "Nobody") throw new ToolError("not-found", "No contact named Nobody.");
    return {
      observation: `result of ${keyOf(call)}`,
      invocations: [{ kind: "url", url: "https://example.com/" }],
    };
  },
};

const plan: Step[] = [
  step(1, "get_email_address", "Sid"),
  step(2, "create_note", "Note for ${1}", "body", null), // approved
  step(3, "create_reminder", "Pay", null, "", "", 0, false), // declined
  step(4, "get_phone_number", "Nobody"), // fails in the backend
  step(5, "send_sms", ["$4"], "hi"), // skipped: 4 failed
  step(6, "frobnicate", "x"), // unknown tool
  step(7, "create_note", "Edited badly", "x", null), // invalid edit
  step(8, "maps_open_location", "$3"), // skipped: 3 declined
];

const confirm = async ({ step: s, args }: { step: Step; args: Record<string, unknown> }) => {
  if (s.index === 3) return { decision: "decline" as const };
  if (s.index === 7) return { decision: "edit" as const, args: { ...args, name: 7 } };
  return { decision: "approve" as const };
};

describe("the event stream", () => {
  it("tells each step's story in order", async () => {
    const events = new EventLog();
    const result = await settlesWithin(
      executePlan(plan, { backend, confirm, onEvent: events.listener }),
      2000,
    );
    expect(result.outcomes).toHaveLength(plan.length);
    expect(events.sequence(1)).toEqual(["queued", "running", "done"]);
    expect(events.sequence(2)).toEqual(["queued", "awaiting-confirmation", "running", "done"]);
    expect(events.sequence(3)).toEqual(["queued", "awaiting-confirmation", "skipped"]);
    expect(events.sequence(4)).toEqual(["queued", "running", "failed"]);
    expect(events.sequence(5)).toEqual(["queued", "skipped"]);
    expect(events.sequence(6)).toEqual(["queued", "failed"]);
    expect(events.sequence(7)).toEqual(["queued", "awaiting-confirmation", "failed"]);
    expect(events.sequence(8)).toEqual(["queued", "skipped"]);
  });

  it("carries what a user interface needs in each event", async () => {
    const events = new EventLog();
    const result = await executePlan(plan, { backend, confirm, onEvent: events.listener });
    const find = <T extends ExecutorEvent["type"]>(type: T, index: number) =>
      events.events.find((e) => e.type === type && e.step.index === index) as Extract<
        ExecutorEvent,
        { type: T }
      >;

    expect(find("queued", 2).dependencies).toEqual([1]);
    expect(find("queued", 1).dependencies).toEqual([]);
    expect(find("awaiting-confirmation", 2).args).toEqual({
      name: "Note for result of Sid",
      content: "body",
      folder: null,
    });
    expect(find("running", 2).args).toEqual(find("awaiting-confirmation", 2).args);
    const done = find("done", 2);
    expect(done.observation).toBe("result of Note for result of Sid");
    expect(done.invocations).toEqual([{ kind: "url", url: "https://example.com/" }]);
    expect(done.args).toEqual(find("running", 2).args);
    expect(find("failed", 4).error).toEqual({ code: "not-found", message: "No contact named Nobody." });
    expect(find("skipped", 3)).toMatchObject({ cause: "declined" });
    expect(find("skipped", 5)).toMatchObject({
      cause: "dependency",
      reason: expect.stringMatching(/step 4/),
    });
    expect(find("failed", 6).error.code).toBe("unknown-tool");
    expect(find("failed", 7).error.code).toBe("invalid-arguments");
    // Events and the result agree, and events carry the steps as given.
    for (const o of result.outcomes) {
      const last = events.events.filter((e) => e.step.index === o.step.index).at(-1)!;
      expect(last.type).toBe(o.status);
      expect(last.step).toBe(plan[o.step.index - 1]);
    }
  });

  it("ends a dependency before its dependent runs", async () => {
    const events = new EventLog();
    await executePlan(plan, { backend, confirm, onEvent: events.listener });
    expect(events.position("done", 1)).toBeLessThan(events.position("awaiting-confirmation", 2));
    expect(events.position("failed", 4)).toBeLessThan(events.position("skipped", 5));
    expect(events.position("skipped", 3)).toBeLessThan(events.position("skipped", 8));
  });

  it("is not broken by a listener that throws on every event", async () => {
    const calm = await executePlan(plan, { backend, confirm });
    let heard = 0;
    const result = await settlesWithin(
      executePlan(plan, {
        backend,
        confirm,
        onEvent: () => {
          heard++;
          throw new Error("listener bug");
        },
      }),
      2000,
    );
    expect(heard).toBeGreaterThanOrEqual(plan.length * 2);
    const summary = (r: typeof result) =>
      r.outcomes.map((o) => [o.step.index, o.status, o.status === "done" ? o.observation : ""]);
    expect(summary(result)).toEqual(summary(calm));
    expect(outcome(result, 2)).toMatchObject({
      status: "done",
      observation: "result of Note for result of Sid",
    });
  });

  it.each(["queued", "awaiting-confirmation", "running", "done", "failed", "skipped"] as const)(
    "is not broken by a listener that throws only on %s events",
    async (type) => {
      const result = await settlesWithin(
        executePlan(plan, {
          backend,
          confirm,
          onEvent: (event) => {
            if (event.type === type) throw new TypeError(`cannot render ${type}`);
          },
        }),
        2000,
      );
      expect(result.outcomes.map((o) => o.status)).toEqual([
        "done",
        "done",
        "skipped",
        "failed",
        "skipped",
        "failed",
        "failed",
        "skipped",
      ]);
    },
  );
});
