import { describe, expect, it } from "vitest";
import type { ConfirmationRequest } from "../../src/agent/executor/executor";
import { checkPlan } from "../../src/agent/plan/check";
import { RecordingBackend } from "../../src/tools/recording/recording-backend";
import { defaultRegistry } from "../../src/tools/registry";
import type { Choice } from "../../src/tools/backend";
import { EventLog, executePlan, knownWorld, outcome, settlesWithin } from "./helpers";

// "Email Sid and Lutfi the Q3 deck and put a review on my calendar Friday at 3 with a Zoom link."
const PLAN = `Thought: I need both email addresses and the deck before writing the email.
1. get_email_address("Sid")
2. get_email_address("Lutfi")
3. open_and_get_file_path("Q3 Deck")
4. compose_new_email(["$1", "$2"], [], "Q3 deck", "Hi both, here is the Q3 deck ahead of Friday's review. Lunch is $20 each.", ["$3"])
5. get_zoom_meeting_link("Q3 review", "2025-06-13 15:00:00", 60, ["$1", "$2"])
6. create_calendar_event("Q3 review", "2025-06-13 15:00:00", "2025-06-13 16:00:00", "Zoom", ["$1", "$2"], "Join: \${5}", None)
7. join()<END_OF_PLAN>`;

const SID = "sid.mehta@example.com";
const LUTFI_WORK = "lutfi.demir@example.com";
const DECK = "/Users/alex/Documents/Q3 Deck.pdf";

function world() {
  const w = knownWorld();
  w.files = [
    { path: DECK, text: "Q3 results. Revenue grew." },
    { path: "/Users/alex/Documents/Q2 Deck.pdf", text: "Q2 results." },
  ];
  return w;
}

/** Lutfi has two addresses: the person picks the work one. */
const pickWork = async (choice: Choice) => choice.options.find((o) => o.detail === "work")?.value;

describe("end to end: a plan text, checked, executed against the recording backend", () => {
  it("drafts the email, schedules the Zoom meeting and puts the review on the calendar", async () => {
    const checked = checkPlan(PLAN, defaultRegistry);
    expect(checked.problems).toEqual([]);
    expect(checked.valid).toBe(true);

    const backend = new RecordingBackend({ world: world(), latencyMs: 2 });
    const asked: ConfirmationRequest[] = [];
    const choices: Choice[] = [];
    const events = new EventLog();
    const result = await settlesWithin(
      executePlan(checked.plan.steps, {
        backend,
        confirm: async (request) => {
          asked.push(request);
          return { decision: "approve" };
        },
        choose: async (choice, step) => {
          expect(step.index).toBe(2);
          choices.push(choice);
          return pickWork(choice);
        },
        onEvent: events.listener,
      }),
      5000,
    );

    // Every step ran.
    expect(result.cancelled).toBe(false);
    expect(result.outcomes.map((o) => [o.step.index, o.status])).toEqual([
      [1, "done"],
      [2, "done"],
      [3, "done"],
      [4, "done"],
      [5, "done"],
      [6, "done"],
    ]);
    expect(choices).toHaveLength(1);

    // The person approved exactly the three actions with effects, shown with real values.
    expect(asked.map((r) => r.step.index).sort()).toEqual([4, 5, 6]);
    const shown = (index: number) => asked.find((r) => r.step.index === index)!.args;
    expect(shown(4)).toEqual({
      recipients: [SID, LUTFI_WORK],
      cc: [],
      subject: "Q3 deck",
      context: "Hi both, here is the Q3 deck ahead of Friday's review. Lunch is $20 each.",
      attachments: [DECK],
    });
    expect(shown(5)).toMatchObject({ meeting_invitees: [SID, LUTFI_WORK], duration: 60 });
    const zoomLink =
      outcome(result, 5).status === "done" ? (outcome(result, 5) as { observation: string }).observation : "";
    expect(zoomLink).toMatch(/^https:\/\/zoom\.us\/j\/\d+$/);
    expect(shown(6)).toMatchObject({
      invitees: [SID, LUTFI_WORK],
      notes: `Join: ${zoomLink}`,
      calendar: null,
    });

    // What the Mac would have run.
    const recorded = (tool: string) => backend.calls.filter((c) => c.tool === tool);
    expect(backend.calls).toHaveLength(6);
    expect(
      recorded("get_email_address")
        .map((c) => c.observation)
        .sort(),
    ).toEqual([LUTFI_WORK, SID].sort());
    expect(recorded("open_and_get_file_path")[0]!.invocations).toEqual([
      {
        kind: "command",
        file: "/usr/bin/mdfind",
        argv: ["-0", "-onlyin", "/Users/alex", 'kMDItemFSName == "*Q3*"cd && kMDItemFSName == "*Deck*"cd'],
      },
      { kind: "command", file: "/usr/bin/open", argv: [DECK] },
    ]);
    const email = recorded("compose_new_email")[0]!;
    expect(email.args).toEqual(shown(4));
    expect(email.invocations.at(-1)).toMatchObject({ kind: "applescript" });
    expect(email.observation).toContain(SID);
    expect(email.observation).toContain("Q3 Deck.pdf");
    const zoom = recorded("get_zoom_meeting_link")[0]!.invocations[0] as { kind: string; body: string };
    expect(zoom.kind).toBe("http");
    expect(JSON.parse(zoom.body).settings.meeting_invitees).toEqual([{ email: SID }, { email: LUTFI_WORK }]);

    // The world changed as asked: one event, with the link.
    expect(backend.world.events).toEqual([
      {
        title: "Q3 review",
        start: "2025-06-13 15:00:00",
        end: "2025-06-13 16:00:00",
        calendar: backend.world.defaultCalendar,
        location: "Zoom",
        invitees: [SID, LUTFI_WORK],
        notes: `Join: ${zoomLink}`,
      },
    ]);
    const final = outcome(result, 6);
    expect(final.status === "done" && final.observation).toContain("Q3 review");

    // The lookups ran side by side; each action waited for what it uses.
    const lastLookupRunning = Math.max(...[1, 2, 3].map((i) => events.position("running", i)));
    const firstLookupDone = Math.min(...[1, 2, 3].map((i) => events.position("done", i)));
    expect(lastLookupRunning).toBeLessThan(firstLookupDone);
    for (const dependency of [1, 2, 3]) {
      expect(events.position("done", dependency)).toBeLessThan(events.position("running", 4));
    }
    expect(events.position("done", 5)).toBeLessThan(events.position("awaiting-confirmation", 6));
  });

  it("still drafts the email when the Zoom meeting is declined, and skips only the calendar event", async () => {
    const backend = new RecordingBackend({ world: world() });
    const result = await executePlan(checkPlan(PLAN, defaultRegistry).plan.steps, {
      backend,
      confirm: async ({ step }) =>
        step.index === 5 ? { decision: "decline", reason: "no Zoom" } : { decision: "approve" },
      choose: pickWork,
    });
    expect(result.outcomes.map((o) => o.status)).toEqual([
      "done",
      "done",
      "done",
      "done",
      "skipped",
      "skipped",
    ]);
    expect(outcome(result, 5)).toMatchObject({ cause: "declined", reason: "no Zoom" });
    expect(outcome(result, 6)).toMatchObject({ cause: "dependency" });
    expect(backend.calls.map((c) => c.tool)).not.toContain("get_zoom_meeting_link");
    expect(backend.calls.map((c) => c.tool)).not.toContain("create_calendar_event");
    expect(backend.world.events).toEqual([]);
  });

  it("asks nobody and changes nothing when Lutfi's address cannot be chosen", async () => {
    const backend = new RecordingBackend({ world: world() });
    let asked = 0;
    const result = await executePlan(checkPlan(PLAN, defaultRegistry).plan.steps, {
      backend,
      confirm: async () => {
        asked++;
        return { decision: "approve" };
      },
    });
    expect(outcome(result, 2)).toMatchObject({ status: "failed", error: { code: "ambiguous" } });
    for (const index of [4, 5, 6])
      expect(outcome(result, index)).toMatchObject({ status: "skipped", cause: "dependency" });
    expect(asked).toBe(0);
    expect(backend.world.events).toEqual([]);
  });
});
