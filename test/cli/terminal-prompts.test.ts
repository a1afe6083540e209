import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { executePlan } from "../../src/agent/executor/executor";
import { TerminalPrompts } from "../../src/cli/terminal-prompts";
import { createFixtureWorld } from "../../src/tools/recording/fixture-world";
import { RecordingBackend } from "../../src/tools/recording/recording-backend";
import { stepsOf } from "../executor/helpers";

/**
 * The command line's confirmation prompt in-process, under the real executor and the recording backend:
 * answers are typed into a stream as soon as their question is on it, and the test reads what was shown.
 * (test/cli/interactive.test.ts drives the built command on a pseudo-terminal.)
 */

const RUN_IT = "Run it? [y]es, [n]o, [e]dit: ";

/**
 * Prompts that type each answer once the prompt before it is on screen ([prompt, answer] in order), and
 * everything they showed.
 */
function answering(script: [prompt: string, answer: string][]) {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = "";
  output.on("data", (chunk: Buffer) => {
    shown += chunk.toString("utf8");
    const next = script[0];
    if (next && shown.endsWith(next[0])) {
      script.shift();
      input.write(`${next[1]}\n`);
    }
  });
  const prompts = TerminalPrompts.over(input, output);
  return { prompts, shown: () => shown };
}

describe("the terminal's confirmation prompt", () => {
  it("says whose number and address a looked-up value is: the contact as matched, not the words looked up", async () => {
    // Issue 17, item 1: before, the prompt showed only "+1 (510) 555-0199", whoever's it was.
    const { prompts, shown } = answering([
      [RUN_IT, "y"],
      [RUN_IT, "y"],
    ]);
    const backend = new RecordingBackend();
    const steps = stepsOf(`1. get_phone_number("Maggie")
2. get_email_address("Alex")
3. send_sms(["$1"], "Running late")
4. compose_new_email(["$2"], [], "Lunch", "Call me on \${1}", [])
5. join()<END_OF_PLAN>`);
    const result = await executePlan(steps, {
      backend,
      confirm: (request) => prompts.confirm(request),
      choose: async (choice) => choice.options.find((option) => option.label === "Alex Rivera")?.value,
    });
    prompts.close();
    expect(result.outcomes.map((o) => o.status)).toEqual(["done", "done", "done", "done"]);
    const text = shown();
    expect(text).toMatch(
      /^ {2}recipients +\+353 85 555 0147 \(Margaret O'Brien's iPhone number, from Contacts\)$/m,
    );
    expect(text).toMatch(
      /^ {2}recipients +arivera@example\.net \(Alex Rivera's home email, from Contacts\)$/m,
    );
    // Text that holds a looked-up value says which value is whose.
    expect(text).toMatch(
      /^ {2}context +Call me on \+353 85 555 0147 \(\+353 85 555 0147 is Margaret O'Brien's iPhone number, from Contacts\)$/m,
    );
    expect(text).toMatch(/^ {2}subject +Lunch$/m);
  });

  it("after an edit, a value the person typed instead is not said to be the contact's", async () => {
    const { prompts, shown } = answering([
      [RUN_IT, "e"],
      ["  recipients [+1 (415) 555-0142]: ", "+1 202 555 0100"],
      ["  message [hi]: ", ""],
      [RUN_IT, "y"],
    ]);
    const backend = new RecordingBackend();
    const steps = stepsOf(`1. get_phone_number("Sid")
2. send_sms(["$1"], "hi")
3. join()<END_OF_PLAN>`);
    const run = executePlan(steps, { backend, confirm: (request) => prompts.confirm(request) });
    const result = await run;
    prompts.close();
    expect(result.outcomes.map((o) => o.status)).toEqual(["done", "done"]);
    const text = shown();
    expect(text).toMatch(
      /^ {2}recipients +\+1 \(415\) 555-0142 \(Sid Mehta's mobile number, from Contacts\)$/m,
    );
    expect(text).toMatch(/^ {2}recipients +\+1 202 555 0100$/m);
  });

  it("says why it asks before opening an app a step found, cleaned of terminal control codes", async () => {
    // Issue 17, item 2: the CLI asked "Run it?" about an app without saying that it was one.
    const world = createFixtureWorld();
    world.files.push({ path: `${world.home}/Applications/Budget\u001b[2K Helper.app` });
    const { prompts, shown } = answering([[RUN_IT, "n"]]);
    const backend = new RecordingBackend({ world });
    const steps = stepsOf('1. open_and_get_file_path("Budget")\n2. join()<END_OF_PLAN>');
    const result = await executePlan(steps, { backend, confirm: (request) => prompts.confirm(request) });
    prompts.close();
    expect(result.outcomes[0]).toMatchObject({ status: "skipped", cause: "declined" });
    const text = shown();
    expect(text).toContain("Step 1 · open_and_get_file_path (files) will run with:");
    expect(text).toMatch(/^Budget.* Helper\.app is an app: opening it starts it\.$/m);
    expect(text).not.toContain("\u001b");
  });
});
