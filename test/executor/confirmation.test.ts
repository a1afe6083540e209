import { describe, expect, it } from "vitest";
import type { Confirmation, ConfirmationRequest } from "../../src/agent/executor/executor";
import { sourceNote } from "../../src/agent/executor/argument-sources";
import type { Choice, ToolBackend, ToolCall, ToolContext } from "../../src/tools/backend";
import { RecordingBackend } from "../../src/tools/recording/recording-backend";
import { defaultRegistry } from "../../src/tools/registry";
import {
  EchoBackend,
  EventLog,
  GateBackend,
  deferred,
  executePlan,
  keyOf,
  outcome,
  settlesWithin,
  sleep,
  step,
  until,
} from "./helpers";

const ADDRESS = "sid.mehta@example.com";
/** Answers lookups with a fixed address, everything else with `result of <key>`. */
const lookupBackend = () =>
  new EchoBackend((call) => (call.tool.name === "get_email_address" ? ADDRESS : `result of ${keyOf(call)}`));

function recordingConfirm(answer: (request: ConfirmationRequest) => Confirmation | Promise<Confirmation>) {
  const requests: ConfirmationRequest[] = [];
  const confirm = async (request: ConfirmationRequest) => {
    requests.push(request);
    return answer(request);
  };
  return { requests, confirm };
}

describe("confirmation of write steps", () => {
  it("asks before every write step and never for reads or UI steps", async () => {
    const backend = lookupBackend();
    const { requests, confirm } = recordingConfirm(() => ({ decision: "approve" }));
    const result = await executePlan(
      [
        step(1, "get_email_address", "Sid"),
        step(2, "maps_open_location", "Paris"),
        step(3, "open_note", "Groceries", null),
        step(4, "create_note", "Trip", "pack", null),
        step(5, "send_sms", ["+1 555 0100"], "hi"),
      ],
      { backend, confirm },
    );
    expect(result.outcomes.every((o) => o.status === "done")).toBe(true);
    const writes = defaultRegistry.tools.filter((t) => t.effect === "write").map((t) => t.name);
    expect(requests.map((r) => r.step.index).sort()).toEqual([4, 5]);
    expect(requests.every((r) => writes.includes(r.tool.name) && r.tool.name === r.step.tool)).toBe(true);
  });

  it("skips a declined step and everything that depends on it, and never runs it", async () => {
    const backend = lookupBackend();
    const { confirm } = recordingConfirm((request) =>
      request.step.index === 1 ? { decision: "decline", reason: "not today" } : { decision: "approve" },
    );
    const result = await executePlan(
      [
        step(1, "get_zoom_meeting_link", "Sync", "2025-06-13 15:00:00", 60, []),
        step(
          2,
          "create_calendar_event",
          "Sync",
          "2025-06-13 15:00:00",
          "2025-06-13 16:00:00",
          "",
          [],
          "Join ${1}",
          null,
        ),
        step(3, "create_note", "Unrelated", "still runs", null),
      ],
      { backend, confirm },
    );
    expect(outcome(result, 1)).toMatchObject({ status: "skipped", cause: "declined", reason: "not today" });
    expect(outcome(result, 2)).toMatchObject({ status: "skipped", cause: "dependency" });
    expect(outcome(result, 2).status === "skipped" && outcome(result, 2)).toMatchObject({
      reason: expect.stringMatching(/step 1/),
    });
    expect(outcome(result, 3).status).toBe("done");
    expect(backend.tools()).toEqual(["create_note"]);
  });

  it("gives a declined step a default reason when the person gives none", async () => {
    const result = await executePlan([step(1, "create_note", "A", "b", null)], {
      backend: new EchoBackend(),
      confirm: async () => ({ decision: "decline" }),
    });
    const o = outcome(result, 1);
    expect(o).toMatchObject({ status: "skipped", cause: "declined" });
    expect(o.status === "skipped" && o.reason.length).toBeGreaterThan(5);
  });

  it("runs an edited step with the edited arguments", async () => {
    const backend = new EchoBackend();
    const result = await executePlan(
      [step(1, "send_sms", ["+1 555 0100"], "see you at 5"), step(2, "maps_open_location", "$1")],
      {
        backend,
        confirm: async (request) => ({
          decision: "edit",
          args: { ...request.args, message: "see you at 6" },
        }),
      },
    );
    expect(backend.calls[0]!.args).toEqual({ recipients: ["+1 555 0100"], message: "see you at 6" });
    expect(outcome(result, 1)).toMatchObject({ status: "done", args: { message: "see you at 6" } });
    expect(outcome(result, 2).status).toBe("done");
  });

  it.each([
    ["a value of the wrong type", (args: Record<string, unknown>) => ({ ...args, message: 5 })],
    ["a missing argument", (args: Record<string, unknown>) => ({ recipients: args.recipients })],
    ["an empty required text", (args: Record<string, unknown>) => ({ ...args, message: "" })],
    ["nothing at all", () => null],
  ])("fails an edit with %s, without running it, and skips its dependents", async (_, edit) => {
    const backend = new EchoBackend();
    const result = await settlesWithin(
      executePlan(
        [
          step(1, "send_sms", ["+1 555 0100"], "see you at 5"),
          step(2, "maps_open_location", "$1"),
          step(3, "maps_open_location", "elsewhere"),
        ],
        {
          backend,
          confirm: async (request) => ({
            decision: "edit",
            args: edit(request.args) as Record<string, unknown>,
          }),
        },
      ),
      2000,
    );
    const first = outcome(result, 1);
    expect(first).toMatchObject({ status: "failed", error: { code: "invalid-arguments" } });
    expect(first.status === "failed" && first.error.message).toMatch(/edited/);
    expect(outcome(result, 2)).toMatchObject({ status: "skipped", cause: "dependency" });
    expect(outcome(result, 3).status).toBe("done");
    expect(backend.calls.map((c) => c.tool.name)).toEqual(["maps_open_location"]);
  });

  it.each([
    ["rejects", () => Promise.reject(new Error("the dialog crashed"))],
    [
      "throws synchronously",
      () => {
        throw new Error("the dialog crashed");
      },
    ],
  ])("treats a confirm callback that %s as a decline", async (_, confirm) => {
    const backend = new EchoBackend();
    const result = await settlesWithin(
      executePlan([step(1, "create_note", "A", "b", null), step(2, "create_note", "C", "d", null)], {
        backend,
        confirm: confirm as () => Promise<Confirmation>,
      }),
      2000,
    );
    for (const index of [1, 2]) {
      const o = outcome(result, index);
      expect(o).toMatchObject({ status: "skipped", cause: "declined" });
      expect(o.status === "skipped" && o.reason).toContain("the dialog crashed");
    }
    expect(backend.calls).toEqual([]);
  });

  it("does not run a step when the confirm callback answers with nothing", async () => {
    const backend = new EchoBackend();
    const result = await settlesWithin(
      executePlan([step(1, "create_note", "A", "b", null)], {
        backend,
        confirm: async () => undefined as unknown as Confirmation,
      }),
      2000,
    );
    expect(["failed", "skipped"]).toContain(outcome(result, 1).status);
    expect(backend.calls).toEqual([]);
  });

  // Regression test (fixed executor bug).
  it("settles the run when the confirm callback answers with an unknown decision", async () => {
    const backend = new EchoBackend();
    const result = await settlesWithin(
      executePlan([step(1, "create_note", "A", "b", null)], {
        backend,
        confirm: async () => ({ decision: "later" }) as unknown as Confirmation,
      }),
      500,
    );
    expect(["failed", "skipped"]).toContain(outcome(result, 1).status);
    expect(backend.calls).toEqual([]);
  });

  it("never runs a write step when there is no confirm callback, and says why", async () => {
    const backend = lookupBackend();
    const events = new EventLog();
    const writes = [
      step(2, "compose_new_email", ["$1"], [], "Hi", "Hello", []),
      step(3, "reply_to_email", [], "Thanks", []),
      step(4, "forward_email", ["$1"], [], "FYI", []),
      step(5, "create_note", "N", "c", null),
      step(6, "append_note_content", "N", "more", null),
      step(7, "create_reminder", "Pay rent", null, "", "", 0, false),
      step(8, "send_sms", ["+1 555 0100"], "hi"),
      step(9, "get_zoom_meeting_link", "Sync", "2025-06-13 15:00:00", 60, ["$1"]),
      step(
        10,
        "create_calendar_event",
        "Sync",
        "2025-06-13 15:00:00",
        "2025-06-13 16:00:00",
        "",
        [],
        "",
        null,
      ),
    ];
    expect(writes.every((s) => defaultRegistry.get(s.tool)?.effect === "write")).toBe(true);
    const result = await settlesWithin(
      executePlan([step(1, "get_email_address", "Sid"), ...writes, step(11, "maps_open_location", "$9")], {
        backend,
        onEvent: events.listener,
      }),
      2000,
    );
    expect(outcome(result, 1).status).toBe("done");
    for (const s of writes) {
      const o = outcome(result, s.index);
      expect(o).toMatchObject({ status: "skipped", cause: "declined" });
      expect(o.status === "skipped" && o.reason.length).toBeGreaterThan(5);
      expect(events.sequence(s.index)).not.toContain("running");
    }
    expect(outcome(result, 11)).toMatchObject({ status: "skipped", cause: "dependency" });
    expect(backend.tools()).toEqual(["get_email_address"]);
  });
});

describe("what a confirmation shows", () => {
  it("shows resolved arguments: references replaced, interpolated, money untouched", async () => {
    const backend = lookupBackend();
    const { requests, confirm } = recordingConfirm(() => ({ decision: "approve" }));
    const result = await executePlan(
      [
        step(1, "get_email_address", "Sid"),
        step(
          2,
          "compose_new_email",
          "$1",
          ["${1}", "boss@example.com"],
          "Rent: $1,200 for ${1}",
          "bring $20 and $1 tips",
          [],
        ),
        step(3, "send_sms", "${1}", "$1,200"),
        step(4, "create_note", "$1", "Total $1, or $1.50", null),
      ],
      { backend, confirm },
    );
    expect(result.outcomes.map((o) => o.status)).toEqual(["done", "done", "done", "done"]);
    const shown = Object.fromEntries(requests.map((r) => [r.step.index, r.args]));
    expect(shown[2]).toEqual({
      recipients: [ADDRESS], // a whole "$1" where a list is expected: a one-item list
      cc: [ADDRESS, "boss@example.com"],
      subject: `Rent: $1,200 for ${ADDRESS}`,
      context: "bring $20 and $1 tips",
      attachments: [],
    });
    expect(shown[3]).toEqual({ recipients: [ADDRESS], message: "$1,200" });
    expect(shown[4]).toEqual({ name: ADDRESS, content: "Total $1, or $1.50", folder: null });
    // What was shown is exactly what ran.
    for (const call of backend.calls.filter((c) => c.tool.effect === "write")) {
      expect(
        requests.some((r) => r.tool === call.tool && JSON.stringify(r.args) === JSON.stringify(call.args)),
      ).toBe(true);
    }
  });

  it("inserts a result literally, even when it looks like a reference or a replacement pattern", async () => {
    const tricky = "$& $1 $$ ${2} $` $' \\";
    const backend = new EchoBackend((call) => (call.tool.name === "get_email_address" ? tricky : "ok"));
    const { requests, confirm } = recordingConfirm(() => ({ decision: "approve" }));
    await executePlan(
      [
        step(1, "get_email_address", "Sid"),
        step(2, "maps_open_location", "x"),
        step(3, "create_note", "$1", "before ${1} after", "${1}"),
      ],
      { backend, confirm },
    );
    expect(requests[0]!.args).toEqual({ name: tricky, content: `before ${tricky} after`, folder: tricky });
  });

  it("names whose number or address a looked-up value is: the contact as matched, with the value's label", async () => {
    // Issue 17, item 1: "Lutfi" is looked up; the SMS and the email must say it is Lutfi Demir's mobile,
    // and the person picked Alex Rivera out of two Alexes: the email says so, not "Alex".
    const backend = new RecordingBackend();
    const { requests, confirm } = recordingConfirm(() => ({ decision: "approve" }));
    // Lutfi has two numbers (the mobile is picked); two contacts are called Alex (Alex Rivera is picked).
    const choose = async (choice: Choice) =>
      choice.options.find((o) => o.label === "Alex Rivera" || o.detail === "mobile")?.value;
    const result = await executePlan(
      [
        step(1, "get_phone_number", "Lutfi"),
        step(2, "get_email_address", "Alex"),
        step(3, "send_sms", ["$1"], "Running late"),
        step(4, "compose_new_email", ["$2"], [], "Lunch", "Call me at ${1}", []),
        step(5, "create_note", "Lunch", "with Alex", null),
      ],
      { backend, confirm, choose },
    );
    expect(result.outcomes.map((o) => o.status)).toEqual(["done", "done", "done", "done", "done"]);
    const sources = Object.fromEntries(requests.map((r) => [r.step.index, r.sources]));
    expect(sources[3]).toEqual([
      { step: 1, value: "+1 (510) 555-0199", about: "Lutfi Demir's mobile number, from Contacts" },
    ]);
    expect(sources[4]).toEqual([
      { step: 1, value: "+1 (510) 555-0199", about: "Lutfi Demir's mobile number, from Contacts" },
      { step: 2, value: "arivera@example.net", about: "Alex Rivera's home email, from Contacts" },
    ]);
    expect(sources[5]).toBeUndefined(); // nothing looked up, nothing to name
    const email = requests.find((r) => r.step.index === 4)!;
    expect(sourceNote("arivera@example.net", email.sources!)).toBe("Alex Rivera's home email, from Contacts");
    expect(sourceNote("Call me at +1 (510) 555-0199", email.sources!)).toBe(
      "+1 (510) 555-0199 is Lutfi Demir's mobile number, from Contacts",
    );
    expect(sourceNote("Lunch", email.sources!)).toBeUndefined();
  });

  it("still names whose a looked-up value is when a replanned round reuses the look-up", async () => {
    const backend = new RecordingBackend();
    const { requests, confirm } = recordingConfirm(() => ({ decision: "approve" }));
    const first = await executePlan([step(1, "get_email_address", "Sid")], { backend, confirm });
    const second = await executePlan(
      [step(1, "get_email_address", "Sid"), step(2, "compose_new_email", ["$1"], [], "Hi", "Hello", [])],
      { backend, confirm, alreadyRan: first.outcomes.filter((o) => o.status === "done") },
    );
    expect(second.outcomes[0]).toMatchObject({ status: "done", reusedFrom: 1 });
    expect(backend.calls.filter((call) => call.tool === "get_email_address")).toHaveLength(1);
    expect(requests[0]!.sources).toEqual([
      { step: 1, value: "sid.mehta@example.com", about: "Sid Mehta's work email, from Contacts" },
    ]);
  });

  it("gives the request the original step, the tool and the run's signal", async () => {
    const controller = new AbortController();
    const { requests, confirm } = recordingConfirm(() => ({ decision: "approve" }));
    const plan = [step(1, "create_note", "A", "b", null)];
    await executePlan(plan, { backend: new EchoBackend(), confirm, signal: controller.signal });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.step).toEqual(plan[0]);
    expect(requests[0]!.tool.name).toBe("create_note");
    expect(requests[0]!.signal.aborted).toBe(false);
    controller.abort();
    expect(requests[0]!.signal.aborted).toBe(true);
  });
});

describe("one question at a time", () => {
  it("asks the next confirmation only after the previous one is answered, in the order they come up", async () => {
    const answers: Array<ReturnType<typeof deferred<Confirmation>>> = [];
    let open = 0;
    let maxOpen = 0;
    const asked: number[] = [];
    const confirm = async (request: ConfirmationRequest) => {
      asked.push(request.step.index);
      open++;
      maxOpen = Math.max(maxOpen, open);
      const answer = deferred<Confirmation>();
      answers.push(answer);
      try {
        return await answer.promise;
      } finally {
        open--;
      }
    };
    const backend = new EchoBackend();
    const run = executePlan(
      [
        step(1, "create_note", "A", "a", null),
        step(2, "create_note", "B", "b", null),
        step(3, "create_note", "C", "c", null),
      ],
      { backend, confirm },
    );
    await until(() => asked.length === 1, "the first question");
    await sleep(20);
    expect(asked).toEqual([1]);
    answers[0]!.resolve({ decision: "approve" });
    await until(() => asked.length === 2, "the second question");
    await sleep(20);
    expect(asked).toEqual([1, 2]);
    answers[1]!.resolve({ decision: "decline" });
    await until(() => asked.length === 3, "the third question");
    answers[2]!.resolve({ decision: "approve" });
    const result = await settlesWithin(run, 2000);
    expect(maxOpen).toBe(1);
    expect(result.outcomes.map((o) => o.status)).toEqual(["done", "skipped", "done"]);
    expect(backend.calls.map(keyOf)).toEqual(["A", "C"]);
  });

  it("does not open a choice while a confirmation is open, and keeps read steps running meanwhile", async () => {
    const confirmation = deferred<Confirmation>();
    const timeline: string[] = [];
    const backend: ToolBackend = {
      name: "chooser",
      async run(call: ToolCall, context: ToolContext) {
        timeline.push(`run ${keyOf(call)}`);
        if (keyOf(call) === "Alex") {
          const picked = await context.choose({
            question: "Which Alex?",
            options: [
              { label: "Alex Chen", value: "chen" },
              { label: "Alex Rivera", value: "rivera" },
            ],
          });
          return { observation: `picked ${picked}`, invocations: [] };
        }
        return { observation: "ok", invocations: [] };
      },
    };
    const run = executePlan(
      [step(1, "create_note", "Draft", "x", null), step(2, "get_email_address", "Alex")],
      {
        backend,
        confirm: async () => {
          timeline.push("confirm open");
          const answer = await confirmation.promise;
          timeline.push("confirm closed");
          return answer;
        },
        choose: async (choice) => {
          timeline.push(`choose open (${choice.options.length} options)`);
          return "rivera";
        },
      },
    );
    await until(() => timeline.includes("run Alex"), "the lookup to start");
    await sleep(20);
    expect(timeline).not.toContain("choose open (2 options)");
    confirmation.resolve({ decision: "approve" });
    const result = await settlesWithin(run, 2000);
    expect(timeline.indexOf("confirm closed")).toBeLessThan(timeline.indexOf("choose open (2 options)"));
    expect(outcome(result, 2)).toMatchObject({ status: "done", observation: "picked rivera" });
    expect(outcome(result, 1).status).toBe("done");
  });

  it("passes the asking step along with a choice", async () => {
    const seen: number[] = [];
    const backend = new GateBackend();
    const run = executePlan([step(1, "get_email_address", "Alex")], {
      backend,
      choose: async (_, s) => {
        seen.push(s.index);
        return "x";
      },
    });
    const call = await backend.waitFor("Alex");
    expect(await call.context.choose({ question: "?", options: [{ label: "x", value: "x" }] })).toBe("x");
    call.succeed();
    await settlesWithin(run, 2000);
    expect(seen).toEqual([1]);
  });

  it("answers a choice with undefined when there is no choose callback, or when it throws", async () => {
    const answers: unknown[] = [];
    const backend: ToolBackend = {
      name: "asker",
      async run(_call, context) {
        answers.push(await context.choose({ question: "?", options: [{ label: "a", value: "a" }] }));
        return { observation: "ok", invocations: [] };
      },
    };
    await executePlan([step(1, "get_email_address", "Alex")], { backend });
    await executePlan([step(1, "get_email_address", "Alex")], {
      backend,
      choose: () => Promise.reject(new Error("dialog crashed")),
    });
    expect(answers).toEqual([undefined, undefined]);
  });
});

describe("approval is for exactly one step", () => {
  it("asks again for a second step with the same tool and arguments", async () => {
    const { requests, confirm } = recordingConfirm((r) =>
      r.step.index === 1 ? { decision: "approve" } : { decision: "decline" },
    );
    const backend = new EchoBackend();
    const result = await executePlan(
      [step(1, "send_sms", ["+1 555 0100"], "hi"), step(2, "send_sms", ["+1 555 0100"], "hi")],
      { backend, confirm },
    );
    expect(requests.map((r) => r.step.index)).toEqual([1, 2]);
    expect(result.outcomes.map((o) => o.status)).toEqual(["done", "skipped"]);
    expect(backend.calls).toHaveLength(1);
  });
});
