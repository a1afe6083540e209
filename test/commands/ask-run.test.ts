import { describe, expect, it } from "vitest";
import { allToolsSelector, NO_TOOLS_MESSAGE } from "../../src/agent/agent";
import { PlannerError } from "../../src/agent/planner/planner";
import { AskRun, type AskRunOptions } from "../../src/agent/session/ask-run";
import { RecordingBackend } from "../../src/tools/recording/recording-backend";
import { defaultRegistry } from "../../src/tools/registry";
import type { ToolBackend } from "../../src/tools/backend";
import { deferred } from "../executor/helpers";
import { AUTOMATION, DeniedBackend, ScriptedPlanner, statusesOf, untilPhase, untilSnapshot } from "./helpers";

const Q3_PLAN = `Thought: Look up both addresses, then write.
1. get_email_address("Sid")
2. get_email_address("Lutfi")
3. compose_new_email(["$1", "$2"], [], "Q3 review", "The Q3 deck is ready", [])
4. create_reminder("Prepare the Q3 review", "2024-06-07 15:00:00", "", "", 0, False)
5. join()<END_OF_PLAN>`;

function start(plan: string | ScriptedPlanner, overrides: Partial<AskRunOptions> = {}) {
  const backend = new RecordingBackend({ timeZone: "Europe/Paris" });
  const planner = typeof plan === "string" ? new ScriptedPlanner(plan) : plan;
  const run = new AskRun({
    request: "email Sid and Lutfi about the Q3 review and remind me to prepare it",
    planner,
    selector: allToolsSelector(defaultRegistry),
    registry: defaultRegistry,
    backend,
    timeZone: "Europe/Paris",
    requestTime: new Date("2024-06-03T09:00:00Z"),
    ...overrides,
  });
  return { run, backend, planner };
}

function toolsCalled(backend: RecordingBackend): string[] {
  return backend.calls.map((call) => call.tool);
}

describe("Ask TinyAgent's view model", () => {
  it("shows steps as the model writes them and runs lookups before the plan is finished", async () => {
    const gate = deferred();
    // Chunks of 30 characters: the first three hold the Thought and step 1; the rest wait for the gate.
    const planner = new ScriptedPlanner(Q3_PLAN, {
      chunkSize: 30,
      before: (chunk) => (chunk < 3 ? Promise.resolve() : gate.promise),
    });
    const { run, backend } = start(planner);
    const early = await untilSnapshot(run, (s) => s.steps[0]?.status === "done", "step 1 to run");
    expect(early.phase).toBe("planning");
    expect(early.steps.map((s) => s.index)).toEqual([1]);
    expect(early.steps[0]!.summary).toBe("Look up Sid’s email address");
    expect(early.steps[0]!.observation).toBe("sid.mehta@example.com");
    expect(toolsCalled(backend)).toEqual(["get_email_address"]);
    gate.resolve();
    const final = await untilPhase(run, "confirming");
    expect(final.steps.map((s) => s.index)).toEqual([1, 2, 3, 4]);
    expect(final.planText).toBe(Q3_PLAN);
    run.cancel();
    await run.done;
  });

  it("asks Tool RAG for the tools the planner was trained on, and gives the planner the request time", async () => {
    const planner = Object.assign(new ScriptedPlanner(Q3_PLAN), { toolFloor: 0.3 });
    const asked: unknown[] = [];
    const selector = {
      select: async (request: string, options?: unknown) => {
        asked.push(options);
        return allToolsSelector(defaultRegistry).select(request);
      },
    };
    const { run } = start(planner, { selector });
    await untilPhase(run, "confirming");
    expect(asked).toEqual([{ minProbability: 0.3 }]);
    expect(planner.requests[0]?.context).toEqual({
      now: new Date("2024-06-03T09:00:00Z"),
      timeZone: "Europe/Paris",
    });
    run.cancel();
    await run.done;
  });

  it("gathers every write step with its resolved arguments and runs none before Confirm and Run", async () => {
    const { run, backend } = start(Q3_PLAN);
    const asking = await untilPhase(run, "confirming");
    expect(asking.confirmation).toEqual([3, 4]);
    expect(statusesOf(asking)).toEqual({ 1: "done", 2: "done", 3: "waiting", 4: "waiting" });
    const email = asking.steps[2]!;
    expect(email.summary).toBe("Email Sid and Lutfi: Q3 review");
    expect(email.args).toMatchObject({
      recipients: ["sid.mehta@example.com", "lutfi.demir@example.com"],
      subject: "Q3 review",
    });
    expect(asking.steps[3]!.summary).toBe("Remind me: Prepare the Q3 review on 2024-06-07 at 15:00");
    expect(toolsCalled(backend)).toEqual(["get_email_address", "get_email_address"]);

    expect(run.confirmAll()).toBe(true);
    const final = await run.done;
    expect(final.phase).toBe("finished");
    expect(statusesOf(final)).toEqual({ 1: "done", 2: "done", 3: "done", 4: "done" });
    expect(toolsCalled(backend).sort()).toEqual(
      ["compose_new_email", "create_reminder", "get_email_address", "get_email_address"].sort(),
    );
    expect(final.steps[2]!.result).toEqual({
      kind: "app",
      path: "/System/Applications/Mail.app",
      title: "Open Mail",
    });
    expect(final.steps[3]!.result?.title).toBe("Open Reminders");
  });

  it("refuses Confirm and Run while nothing waits, so a stray key press approves nothing", async () => {
    const gate = deferred();
    const planner = new ScriptedPlanner(Q3_PLAN, { chunkSize: 400, before: () => gate.promise });
    const { run } = start(planner);
    expect(run.confirmAll()).toBe(false);
    gate.resolve();
    await untilPhase(run, "confirming");
    run.cancel();
    expect((await run.done).phase).toBe("cancelled");
  });

  it("runs an edited step with the edited arguments, and rejects an invalid edit with the reason", async () => {
    const { run, backend } = start(Q3_PLAN);
    await untilPhase(run, "confirming");
    const invalid = run.edit(4, {
      name: "",
      due_date: "next week-ish",
      notes: "",
      list_name: "",
      priority: "high",
      all_day: false,
    });
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) {
      expect(invalid.fieldErrors.priority).toBe("Enter a whole number");
      expect(invalid.message).toContain("Priority");
    }
    const schemaInvalid = run.edit(4, {
      name: "",
      due_date: "2024-06-07 15:00:00",
      notes: "",
      list_name: "",
      priority: "1",
      all_day: false,
    });
    expect(schemaInvalid.ok).toBe(false);
    if (!schemaInvalid.ok) expect(Object.keys(schemaInvalid.fieldErrors)).toEqual(["name"]);
    expect(run.getSnapshot().steps[3]!.edited).toBe(false);

    const valid = run.edit(3, {
      recipients: "sid.mehta@example.com",
      cc: "",
      subject: "Q3 review, final",
      context: "The deck is attached",
      attachments: "",
    });
    expect(valid.ok).toBe(true);
    await untilSnapshot(run, (s) => s.steps[2]!.edited, "the edit to show");
    expect(run.getSnapshot().steps[2]!.args).toMatchObject({
      recipients: ["sid.mehta@example.com"],
      subject: "Q3 review, final",
    });
    run.confirmAll();
    const final = await run.done;
    expect(final.steps[2]!.status).toBe("done");
    const sent = backend.calls.find((call) => call.tool === "compose_new_email")!;
    expect(sent.args).toMatchObject({ recipients: ["sid.mehta@example.com"], subject: "Q3 review, final" });
  });

  it("skips a declined step at once and runs the others after confirmation", async () => {
    const { run, backend } = start(Q3_PLAN);
    await untilPhase(run, "confirming");
    expect(run.skip(3)).toBe(true);
    const afterSkip = await untilSnapshot(run, (s) => s.steps[2]!.status === "skipped", "step 3 skipped");
    expect(afterSkip.steps[2]!.skipReason).toBe("you skipped this step");
    expect(afterSkip.confirmation).toEqual([4]);
    run.confirmAll();
    const final = await run.done;
    expect(statusesOf(final)).toMatchObject({ 3: "skipped", 4: "done" });
    expect(toolsCalled(backend)).not.toContain("compose_new_email");
  });

  it("cancels while waiting for confirmation: no write runs and the run ends cancelled", async () => {
    const { run, backend } = start(Q3_PLAN);
    await untilPhase(run, "confirming");
    run.cancel();
    const final = await run.done;
    expect(final.phase).toBe("cancelled");
    expect(statusesOf(final)).toEqual({ 1: "done", 2: "done", 3: "skipped", 4: "skipped" });
    expect(toolsCalled(backend)).toEqual(["get_email_address", "get_email_address"]);
  });

  it("cancels while the model is writing: the planner is stopped and later steps never appear", async () => {
    const gate = deferred();
    const planner = new ScriptedPlanner(Q3_PLAN, {
      chunkSize: 30,
      before: (chunk) => (chunk < 3 ? Promise.resolve() : gate.promise),
    });
    const { run, backend } = start(planner);
    await untilSnapshot(run, (s) => s.steps.length === 1, "step 1");
    run.cancel();
    expect(planner.requests[0]!.signal?.aborted).toBe(true);
    gate.resolve();
    const final = await run.done;
    expect(final.phase).toBe("cancelled");
    expect(final.steps.map((s) => s.index)).toEqual([1]);
    expect(toolsCalled(backend)).toEqual(["get_email_address"]);
  });

  it("shows a permission error with the System Settings pane that fixes it", async () => {
    const plan = `1. create_note("Groceries list", "milk, eggs", "")\n2. join()<END_OF_PLAN>`;
    const backend: ToolBackend = new DeniedBackend(new RecordingBackend(), "create_note", AUTOMATION);
    const { run } = start(plan, { backend });
    await untilPhase(run, "confirming");
    run.confirmAll();
    const final = await run.done;
    const note = final.steps[0]!;
    expect(note.status).toBe("failed");
    expect(note.error?.code).toBe("permission");
    expect(note.error?.settings).toEqual(AUTOMATION);
  });

  it("turns an ambiguous contact into a choice and continues with the one picked", async () => {
    const plan = `1. get_phone_number("Alex")\n2. send_sms(["$1"], "Running late")\n3. join()<END_OF_PLAN>`;
    const { run, backend } = start(plan);
    const choosing = await untilPhase(run, "choosing");
    expect(choosing.choice?.step).toBe(1);
    expect(choosing.choice?.options.map((option) => option.label).join(" | ")).toMatch(
      /Alex Chen.*Alex Rivera/,
    );
    const rivera = choosing.choice!.options.find((option) => option.label.includes("Rivera"))!;
    run.choose(rivera.value);
    const asking = await untilPhase(run, "confirming");
    expect(asking.steps[0]!.observation).toBe("+34 612 555 019");
    expect(asking.steps[1]!.summary).toBe("Text Alex: Running late");
    expect(asking.steps[1]!.args).toMatchObject({ recipients: ["+34 612 555 019"] });
    run.confirmAll();
    expect((await run.done).steps[1]!.status).toBe("done");
    expect(toolsCalled(backend)).toEqual(["get_phone_number", "send_sms"]);
  });

  it("asks again for a write that uses an earlier write's result, once that result exists", async () => {
    const plan = [
      `1. get_zoom_meeting_link("Design sync", "2024-06-07 15:00:00", 30, [])`,
      `2. create_calendar_event("Design sync", "2024-06-07 15:00:00", "2024-06-07 15:30:00", "", [], "$1", "")`,
      `3. join()<END_OF_PLAN>`,
    ].join("\n");
    const { run, backend } = start(plan);
    const first = await untilPhase(run, "confirming");
    expect(first.confirmation).toEqual([1]);
    expect(first.steps[1]!.status).toBe("queued");
    expect(first.steps[1]!.summary).toBe("Add “Design sync” to Calendar on 2024-06-07 at 15:00");
    run.confirmAll();
    const second = await untilSnapshot(
      run,
      (s) => s.phase === "confirming" && s.confirmation[0] === 2,
      "step 2 to wait",
    );
    expect(second.steps[0]!.status).toBe("done");
    const link = second.steps[0]!.observation!;
    expect(link).toMatch(/^https:\/\/zoom\.us\/j\//);
    expect(second.steps[0]!.result).toEqual({ kind: "url", url: link, title: "Open Zoom Meeting" });
    expect(second.steps[1]!.args?.notes).toBe(link);
    expect(toolsCalled(backend)).toEqual(["get_zoom_meeting_link"]);
    run.confirmAll();
    expect(statusesOf(await run.done)).toEqual({ 1: "done", 2: "done" });
  });

  it("says it cannot help when no tool fits, without calling the planner", async () => {
    const planner = new ScriptedPlanner(Q3_PLAN);
    const { run } = start(planner, { selector: { select: async () => [] } });
    const final = await run.done;
    expect(final.phase).toBe("no-tools");
    expect(final.message).toBe(NO_TOOLS_MESSAGE);
    expect(planner.requests).toHaveLength(0);
  });

  it("ends failed with the planner's message when the model cannot plan", async () => {
    const planner = new ScriptedPlanner("");
    planner.plan = () => {
      throw new PlannerError(
        "server-unreachable",
        "Cannot reach the planner server at http://127.0.0.1:11434.",
      );
    };
    const { run } = start(planner);
    const final = await run.done;
    expect(final.phase).toBe("failed");
    expect(final.message).toContain("Cannot reach the planner server");
  });
});
