import { describe, expect, it } from "vitest";
import { executePlan } from "../../src/agent/executor/executor";
import { stateOrdering } from "../../src/agent/executor/shared-state";
import { parsePlan } from "../../src/agent/plan/parse";
import { defaultRegistry } from "../../src/tools/registry";
import { RecordingBackend } from "../../src/tools/recording/recording-backend";

function steps(text: string) {
  return parsePlan(text).plan.steps;
}

describe("steps on the same app state", () => {
  it("opens a note only after the step creating it ended, although no $ links them", async () => {
    const plan = steps(
      [
        '1. create_note("Trip", "pack socks", None)',
        '2. open_note("trip", None)',
        '3. append_note_content("Trip", "book hotel", None)',
        "4. join()<END_OF_PLAN>",
      ].join("\n"),
    );
    const backend = new RecordingBackend({ latencyMs: 20 });
    const result = await executePlan(plan, {
      backend,
      // A slow person: the read step would otherwise run while the note does not exist yet.
      confirm: async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return { decision: "approve" };
      },
    });
    expect(result.outcomes.map((o) => o.status)).toEqual(["done", "done", "done"]);
    expect(backend.calls.map((c) => c.tool)).toEqual(["create_note", "open_note", "append_note_content"]);
    expect(backend.world.notes.find((n) => n.name === "Trip")?.body).toBe("pack socks\nbook hotel");
  });

  it("does not skip the later step when the earlier write was declined", async () => {
    const plan = steps(
      '1. create_note("Groceries", "more", None)\n2. open_note("Groceries", None)\n3. join()',
    );
    const result = await executePlan(plan, {
      backend: new RecordingBackend(),
      confirm: async () => ({ decision: "decline" }),
    });
    expect(result.outcomes.map((o) => o.status)).toEqual(["skipped", "done"]);
  });

  it("orders only what can collide: other notes, reads and other apps stay parallel", () => {
    const plan = steps(
      [
        '1. create_note("A", "x", None)',
        '2. open_note("B", None)',
        '3. open_note("a", "Notes")',
        '4. get_email_address("Sid")',
        '5. open_note("$4", None)',
        '6. create_reminder("A", None, "", "", 0, False)',
      ].join("\n"),
    );
    const orderOf = (i: number) => stateOrdering(plan[i]!, plan.slice(0, i), defaultRegistry);
    expect(orderOf(1)).toEqual([]); // another note
    expect(orderOf(2)).toEqual([1]); // the same note, case aside
    expect(orderOf(3)).toEqual([]); // Contacts has no shared state
    expect(orderOf(4)).toEqual([1]); // a title known only at run time may be any note
    expect(orderOf(5)).toEqual([]); // Reminders are not notes
  });
});

describe("skipping as early as possible", () => {
  it("skips a step as soon as one dependency fails, without waiting for the others", async () => {
    const plan = steps(
      [
        '1. get_phone_number("Sid")',
        '2. get_email_address("Nobody Atall")',
        '3. send_sms(["$1", "$2"], "hi")',
        "4. join()",
      ].join("\n"),
    );
    const order: string[] = [];
    const backend = new RecordingBackend({ latencyMs: (tool) => (tool === "get_phone_number" ? 150 : 0) });
    await executePlan(plan, {
      backend,
      confirm: async () => ({ decision: "approve" }),
      onEvent: (event) => {
        if (event.type === "done" || event.type === "failed" || event.type === "skipped") {
          order.push(`${event.type} ${event.step.index}`);
        }
      },
    });
    expect(order).toEqual(["failed 2", "skipped 3", "done 1"]);
  });
});
