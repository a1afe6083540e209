import { describe, expect, it } from "vitest";
import { allToolsSelector, ask, type AskOutcome } from "../../src/agent/agent";
import type { ConfirmationRequest } from "../../src/agent/executor/executor";
import { answerFor } from "../../src/agent/join/answer";
import type { Planner } from "../../src/agent/planner/planner";
import { RecordingBackend } from "../../src/tools/recording/recording-backend";
import { defaultRegistry } from "../../src/tools/registry";
import { AUTOMATION, DeniedBackend, RoundsPlanner } from "../commands/helpers";

/**
 * Replanning once after a fixable failure, through the real pipeline: the plans are written by a
 * scripted planner (RoundsPlanner: one text per round), read by the real parser, run by the real executor on the
 * recording backend (the fixture world: Sid Mehta, Lutfi Demir, two Alexes; nobody is called Jon).
 */
const JON_PLAN = `1. get_phone_number("Jon")\n2. send_sms(["$1"], "I'm late")\n3. join()<END_OF_PLAN>`;
const SID_PLAN = `1. get_phone_number("Sid")\n2. send_sms(["$1"], "I'm late")\n3. join()<END_OF_PLAN>`;

interface Run {
  outcome: Extract<AskOutcome, { kind: "ran" }>;
  backend: RecordingBackend;
  confirmed: ConfirmationRequest[];
  retries: string[];
}

async function run(
  request: string,
  planner: Planner,
  options: { backend?: RecordingBackend | DeniedBackend; stopOnRetry?: boolean } = {},
): Promise<Run> {
  const backend = new RecordingBackend({ timeZone: "Europe/Paris" });
  const confirmed: ConfirmationRequest[] = [];
  const retries: string[] = [];
  const controller = new AbortController();
  const outcome = await ask(request, {
    planner,
    selector: allToolsSelector(defaultRegistry),
    registry: defaultRegistry,
    backend: options.backend ?? backend,
    signal: controller.signal,
    requestTime: new Date("2024-06-03T09:00:00Z"),
    timeZone: "Europe/Paris",
    confirm: async (question) => {
      confirmed.push(question);
      return { decision: "approve" };
    },
    onReplan: ({ reason }) => {
      retries.push(reason);
      if (options.stopOnRetry) controller.abort();
    },
  });
  if (outcome.kind !== "ran") throw new Error("expected a run");
  return { outcome, backend, confirmed, retries };
}

function calls(backend: RecordingBackend): string[] {
  return backend.calls.map((call) => `${call.tool} ${JSON.stringify(call.args)}`);
}

describe("replanning with a planner that reads the replan prompt", () => {
  it("plans once more after a look-up finds nobody, and completes", async () => {
    const planner = new RoundsPlanner([JON_PLAN, SID_PLAN]);
    const { outcome, backend, confirmed, retries } = await run("text Jon I'm late", planner);
    expect(planner.requests).toHaveLength(2);
    expect(retries).toEqual([
      'Look up Jon’s phone number failed: No contact named "Jon" in Contacts. Check the spelling, or give their phone number.',
    ]);
    expect(outcome.result.outcomes.map((o) => [o.step.tool, o.status])).toEqual([
      ["get_phone_number", "done"],
      ["send_sms", "done"],
    ]);
    // The only side effect ran once, after it was confirmed with the number it would send to.
    expect(confirmed.map((c) => [c.tool.name, c.args["recipients"]])).toEqual([
      ["send_sms", ["+1 (415) 555-0142"]],
    ]);
    expect(calls(backend).filter((call) => call.startsWith("send_sms"))).toHaveLength(1);
    expect(outcome.earlier?.result.outcomes.map((o) => o.status)).toEqual(["failed", "skipped"]);
    expect(answerFor(outcome.result, outcome.earlier?.result)).toBe("Done: texted Sid.");
  });

  it("prompts in LLMCompiler's replan layout, with the selected tools and every observation", async () => {
    const planner = new RoundsPlanner([JON_PLAN, SID_PLAN]);
    await run("text Jon I'm late", planner);
    const [first, second] = planner.requests;
    expect(second!.tools).toBe(first!.tools);
    expect(second!.prompt.system.startsWith(first!.prompt.system)).toBe(true);
    expect(second!.prompt.system).toContain("Keep every step that succeeded exactly as it was");
    expect(second!.prompt.user).toBe(
      [
        "Question: text Jon I'm late",
        "",
        "Previous Plan:",
        "",
        '1. get_phone_number("Jon")',
        'Observation: Error: No contact named "Jon" in Contacts. Check the spelling, or give their phone number.',
        '2. send_sms(["$1"], "I\'m late")',
        'Observation: Not run: step 1 failed: No contact named "Jon" in Contacts. Check the spelling, or give their phone number.',
        "",
        "Current Plan:",
        "",
      ].join("\n"),
    );
  });

  it("never runs a step twice: what succeeded is reused, side effects included", async () => {
    const first = `1. create_note("Trip", "pack the charger", "")
2. get_email_address("Sid")
3. get_email_address("Jon")
4. compose_new_email(["$2", "$3"], [], "Trip", "See you there", [])
5. join()<END_OF_PLAN>`;
    const second = `1. create_note("Trip", "pack the charger", "")
2. get_email_address("Sid")
3. get_email_address("Lutfi")
4. compose_new_email(["$2", "$3"], [], "Trip", "See you there", [])
5. join()<END_OF_PLAN>`;
    const planner = new RoundsPlanner([first, second]);
    const { outcome, backend, confirmed } = await run("note the trip and email Sid and Jon", planner);
    expect(calls(backend).map((call) => call.split(" ")[0])).toEqual([
      "create_note",
      "get_email_address",
      "get_email_address",
      "get_email_address",
      "compose_new_email",
    ]);
    expect(new Set(calls(backend)).size).toBe(calls(backend).length);
    expect(outcome.result.outcomes.map((o) => (o.status === "done" ? o.reusedFrom : o.status))).toEqual([
      1,
      2,
      undefined,
      undefined,
    ]);
    expect(confirmed.map((c) => c.tool.name)).toEqual(["create_note", "compose_new_email"]);
    expect(answerFor(outcome.result, outcome.earlier?.result)).toBe(
      "Done: created the note “Trip”; drafted an email to Sid and Lutfi (not sent).",
    );
  });

  it("tells what the first plan did even when the second leaves it out", async () => {
    const first = `1. create_note("Trip", "pack", "")\n2. get_phone_number("Jon")\n3. join()<END_OF_PLAN>`;
    const second = `1. get_phone_number("Sid")\n2. join()<END_OF_PLAN>`;
    const { outcome } = await run("note the trip and get Jon's number", new RoundsPlanner([first, second]));
    expect(answerFor(outcome.result, outcome.earlier?.result)).toBe(
      "Sid’s phone number is +1 (415) 555-0142. Done: created the note “Trip”.",
    );
  });

  it("plans again only once: a second failure ends the run", async () => {
    const planner = new RoundsPlanner([JON_PLAN, JON_PLAN]);
    const { outcome, retries } = await run("text Jon I'm late", planner);
    expect(planner.requests).toHaveLength(2);
    expect(retries).toHaveLength(1);
    expect(outcome.result.outcomes.map((o) => o.status)).toEqual(["failed", "skipped"]);
    expect(answerFor(outcome.result, outcome.earlier?.result)).toMatch(
      /^Not done: look up Jon’s phone number/u,
    );
  });

  it("does not plan again after a failure a plan cannot fix (a refused permission)", async () => {
    const planner = new RoundsPlanner([`1. create_note("Trip", "pack", "")\n2. join()<END_OF_PLAN>`]);
    const backend = new DeniedBackend(new RecordingBackend(), "create_note", AUTOMATION);
    const { outcome, retries } = await run("note the trip", planner, { backend });
    expect(retries).toEqual([]);
    expect(planner.requests).toHaveLength(1);
    expect(outcome.earlier).toBeUndefined();
    expect(outcome.result.outcomes[0]!.status).toBe("failed");
  });

  it("stops when the person stops it at “Trying again”", async () => {
    const planner = new RoundsPlanner([JON_PLAN, SID_PLAN]);
    const { outcome, backend, retries } = await run("text Jon I'm late", planner, { stopOnRetry: true });
    expect(retries).toHaveLength(1);
    expect(planner.requests).toHaveLength(1);
    expect(outcome.earlier).toBeUndefined();
    expect(calls(backend)).toEqual(['get_phone_number {"name":"Jon"}']);
  });

  it("is not done at all with replan: false", async () => {
    const planner = new RoundsPlanner([JON_PLAN]);
    const outcome = await ask("text Jon I'm late", {
      planner,
      selector: allToolsSelector(defaultRegistry),
      registry: defaultRegistry,
      backend: new RecordingBackend(),
      replan: false,
    });
    expect(planner.requests).toHaveLength(1);
    expect(outcome.kind === "ran" && outcome.earlier).toBeFalsy();
  });
});

describe("replanning TinyAgent-micro by rules", () => {
  it("drops a title from a name nobody has, and asks the planner nothing more", async () => {
    const planner = new RoundsPlanner(
      [`1. get_phone_number("Mr. Sid Mehta")\n2. send_sms(["$1"], "I'm late")\n3. join()<END_OF_PLAN>`],
      "micro",
    );
    const { outcome, backend, confirmed, retries } = await run("text Mr. Sid Mehta I'm late", planner);
    expect(planner.requests).toHaveLength(1);
    expect(retries).toEqual([
      'Look up Mr. Sid Mehta’s phone number failed: No contact named "Mr. Sid Mehta" in Contacts. ' +
        "Check the spelling, or give their phone number. Now looking for “Sid Mehta” instead of “Mr. Sid Mehta”.",
    ]);
    expect(outcome.text).toBe(
      `1. get_phone_number("Sid Mehta")\n2. send_sms(["$1"], "I'm late")\n3. join()<END_OF_PLAN>`,
    );
    expect(outcome.result.outcomes.map((o) => o.status)).toEqual(["done", "done"]);
    expect(confirmed.map((c) => c.tool.name)).toEqual(["send_sms"]);
    expect(calls(backend).filter((call) => call.startsWith("send_sms"))).toHaveLength(1);
  });

  it("looks up an email address where a phone number cannot go", async () => {
    const planner = new RoundsPlanner(
      [
        `1. get_phone_number("Sid")\n2. compose_new_email(["$1"], [], "Deck", "Here it is", [])\n3. join()<END_OF_PLAN>`,
      ],
      "micro",
    );
    const { outcome, retries } = await run("email Sid the deck", planner);
    expect(retries[0]).toMatch(/Now looking up Sid’s email address instead of the phone number\.$/u);
    expect(outcome.result.outcomes.map((o) => [o.step.tool, o.status])).toEqual([
      ["get_email_address", "done"],
      ["compose_new_email", "done"],
    ]);
    expect(outcome.result.outcomes[1]!.args?.["recipients"]).toEqual(["sid.mehta@example.com"]);
  });

  it("keeps a file's name without the words around it", async () => {
    const planner = new RoundsPlanner(
      [`1. open_and_get_file_path("on the q3 deck pdf")\n2. summarize_pdf("$1")\n3. join()<END_OF_PLAN>`],
      "micro",
    );
    const { outcome } = await run("what's on the q3 deck pdf", planner);
    expect(outcome.result.outcomes.map((o) => o.status)).toEqual(["done", "done"]);
    expect(answerFor(outcome.result, outcome.earlier?.result)).toMatch(
      /^Summary of “q3 deck”: Q3 results\./u,
    );
  });

  it("makes an event without an invitee nobody has, renumbering the steps after it", async () => {
    const planner = new RoundsPlanner(
      [
        `1. get_email_address("Sid")
2. get_email_address("Park")
3. create_calendar_event("Run", "2024-06-08 07:00:00", "2024-06-08 08:00:00", "Golden Gate Park", ["$1", "$2"], "", None)
4. send_sms(["$1"], "Bring $5, see \${3}")
5. join()<END_OF_PLAN>`,
      ],
      "micro",
    );
    const { outcome, backend, confirmed, retries } = await run("run at Golden Gate Park with Sid", planner);
    expect(retries[0]).toMatch(/Now making the event without inviting “Park”, who is not in Contacts\.$/u);
    expect(outcome.text).toBe(`1. get_email_address("Sid")
2. create_calendar_event("Run", "2024-06-08 07:00:00", "2024-06-08 08:00:00", "Golden Gate Park", ["$1"], "", None)
3. send_sms(["$1"], "Bring $5, see \${2}")
4. join()<END_OF_PLAN>`);
    expect(
      outcome.result.outcomes.map((o) => [o.step.tool, o.status, o.status === "done" && o.reusedFrom]),
    ).toEqual([
      ["get_email_address", "done", 1],
      ["create_calendar_event", "done", undefined],
      ["send_sms", "done", undefined],
    ]);
    expect(confirmed.map((c) => [c.tool.name, c.args["invitees"] ?? c.args["message"]])).toEqual([
      ["create_calendar_event", ["sid.mehta@example.com"]],
      ["send_sms", expect.stringMatching(/^Bring \$5, see Created the event "Run"/u)],
    ]);
    expect(backend.calls.filter((call) => call.args["name"] === "Sid")).toHaveLength(1);
  });

  it("uses an address as written when it was looked up as a name", async () => {
    const planner = new RoundsPlanner(
      [
        `1. get_email_address("aiko@studio.jp")
2. get_zoom_meeting_link("Sync", "2024-06-05 17:00:00", 60, ["$1"])
3. join()<END_OF_PLAN>`,
      ],
      "micro",
    );
    const { outcome, confirmed, retries } = await run("set up a zoom with aiko@studio.jp wed 5pm", planner);
    expect(retries[0]).toMatch(/Now using aiko@studio\.jp as written\.$/u);
    expect(outcome.text).toBe(
      `1. get_zoom_meeting_link("Sync", "2024-06-05 17:00:00", 60, ["aiko@studio.jp"])\n2. join()<END_OF_PLAN>`,
    );
    expect(confirmed.map((c) => c.args["meeting_invitees"])).toEqual([["aiko@studio.jp"]]);
    expect(outcome.result.outcomes.map((o) => o.status)).toEqual(["done"]);
  });

  it("does not guess when no rule fits (an ambiguous name, nobody to choose)", async () => {
    const planner = new RoundsPlanner([`1. get_email_address("Alex")\n2. join()<END_OF_PLAN>`], "micro");
    const { outcome, retries } = await run("what's Alex's email", planner);
    expect(retries).toEqual([]);
    expect(outcome.earlier).toBeUndefined();
    expect(outcome.result.outcomes[0]!.status).toBe("failed");
  });
});
