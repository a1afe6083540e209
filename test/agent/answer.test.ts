import { describe, expect, it } from "vitest";
import type { Confirmation } from "../../src/agent/executor/executor";
import { executePlan } from "../../src/agent/executor/executor";
import { answerFor } from "../../src/agent/join/answer";
import { RecordingBackend } from "../../src/tools/recording/recording-backend";
import { stepsOf } from "../executor/helpers";

/**
 * The rule-based answer over real runs: plans read by the real parser, executed by the real executor on the
 * recording backend (the fixture world: Lutfi Demir, Sid Mehta, two Alexes, the Q3 deck).
 */
async function answerOf(
  plan: string,
  options: { decide?: (tool: string) => Confirmation; messagesDraftOnly?: boolean } = {},
): Promise<string> {
  const backend = new RecordingBackend({
    timeZone: "Europe/Paris",
    messagesDraftOnly: options.messagesDraftOnly ?? false,
  });
  const result = await executePlan(stepsOf(plan), {
    backend,
    confirm: async ({ tool }) => options.decide?.(tool.name) ?? { decision: "approve" },
  });
  return answerFor(result);
}

describe("answerFor", () => {
  it("answers a question with the looked-up value", async () => {
    expect(await answerOf(`1. get_email_address("Lutfi")\n2. join()<END_OF_PLAN>`)).toBe(
      "Lutfi’s email address is lutfi.demir@example.com.",
    );
  });

  it("gives every value of a question about several people, in plan order", async () => {
    const answer = await answerOf(
      `1. get_phone_number("Sid")\n2. get_email_address("Lutfi")\n3. join()<END_OF_PLAN>`,
    );
    expect(answer).toBe(
      "Sid’s phone number is +1 (415) 555-0142. Lutfi’s email address is lutfi.demir@example.com.",
    );
  });

  it("answers with the summary itself, naming the file asked for", async () => {
    const answer = await answerOf(
      `1. open_and_get_file_path("Q3 Deck")\n2. summarize_pdf("$1")\n3. join()<END_OF_PLAN>`,
    );
    expect(answer).toBe(
      "Summary of “Q3 Deck”: Q3 results. Revenue grew 18 percent quarter over quarter. " +
        "Done: opened /Users/alex/Documents/Q3 Deck.pdf.",
    );
  });

  it("says what an action did, with the people as the request named them", async () => {
    const answer = await answerOf(
      `1. get_phone_number("Sid")\n2. send_sms(["$1"], "I'm late")\n3. join()<END_OF_PLAN>`,
    );
    expect(answer).toBe("Done: texted Sid.");
  });

  it("does not say a message was sent when Messages only opened it", async () => {
    const answer = await answerOf(
      `1. get_phone_number("Sid")\n2. send_sms(["$1"], "I'm late")\n3. join()<END_OF_PLAN>`,
      { messagesDraftOnly: true },
    );
    expect(answer).toBe(
      "Done: opened a message to Sid in Messages (not sent: press Return there to send it).",
    );
  });

  it("says what was done and what was not, and why", async () => {
    const answer = await answerOf(
      `1. get_email_address("Sid")
2. compose_new_email(["$1"], [], "Q3 review", "The deck is ready", [])
3. create_note("Q3 review", "Agenda", "")
4. create_reminder("Prepare the review", "2024-06-07 15:00:00", "", "", 0, False)
5. join()<END_OF_PLAN>`,
      { decide: (tool) => (tool === "create_note" ? { decision: "decline" } : { decision: "approve" }) },
    );
    expect(answer).toBe(
      "Done: drafted an email to Sid (not sent); created the reminder “Prepare the review” on 2024-06-07 at 15:00. " +
        "Not done: create the note “Q3 review” (you declined this step).",
    );
  });

  it("names a failed look-up with the tool's own message, and the action it held back", async () => {
    const answer = await answerOf(
      `1. get_phone_number("Jon")\n2. send_sms(["$1"], "hi")\n3. join()<END_OF_PLAN>`,
    );
    expect(answer).toMatch(
      /^Not done: look up Jon’s phone number \(failed: No contact named "Jon" in Contacts/u,
    );
    expect(answer).toMatch(/; text Jon: hi \(step 1 failed\)\.$/u);
  });

  it("says why a question has no answer", async () => {
    const answer = await answerOf(`1. get_email_address("Jon")\n2. join()<END_OF_PLAN>`);
    expect(answer).toMatch(/^Could not get Jon’s email address: No contact named "Jon" in Contacts\./u);
  });

  it("gives a Zoom link nobody else used as the answer", async () => {
    const answer = await answerOf(
      `1. get_zoom_meeting_link("Launch", "2024-06-07 14:00:00", 30, [])\n2. join()<END_OF_PLAN>`,
    );
    expect(answer).toMatch(/^The Zoom link for “Launch” is https:\/\/zoom\.us\/j\/\d+\.$/u);
  });

  it("keeps money in a message as money", async () => {
    const answer = await answerOf(
      `1. create_reminder("Bring $20 for pizza", None, "", "", 0, False)\n2. join()<END_OF_PLAN>`,
    );
    expect(answer).toBe("Done: created the reminder “Bring $20 for pizza”.");
  });

  it("starts a cancelled run's answer with that, and an empty plan says nothing was done", () => {
    expect(answerFor({ outcomes: [], cancelled: true })).toBe("Cancelled.");
    expect(answerFor({ outcomes: [], cancelled: false })).toBe("Nothing was done: the plan has no steps.");
  });
});
