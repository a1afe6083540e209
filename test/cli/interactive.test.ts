import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  HAS_SCRIPT,
  TerminalSession,
  cliCommand,
  fixture,
  killTerminals,
  parseReport,
  scratchDir,
  shellQuote,
  stepOf,
  type JsonReport,
} from "./helpers";

/**
 * `tinyagent run-plan` at a terminal. util-linux `script` gives the CLI a pseudo-terminal; the test types
 * answers only once the prompt they answer is on screen. With `--json`, standard output is redirected to a
 * file so the report stays apart from the prompts, which go to standard error (the terminal).
 */

const SID = "sid.mehta@example.com";
const RUN_IT = "Run it? [y]es, [n]o, [e]dit: ";

let scratch: { path: string; remove: () => void };
let reportPath: string;

beforeEach(() => {
  scratch = scratchDir();
  reportPath = join(scratch.path, "report.json");
});

afterEach(async () => {
  await killTerminals();
  scratch.remove();
});

/** `run-plan PLAN --json > report.json` on a terminal. */
function startRunPlan(plan: string, ...flags: string[]): TerminalSession {
  return TerminalSession.start(
    `${cliCommand(["run-plan", shellQuote(fixture(plan)), "--json", ...flags])} > ${shellQuote(reportPath)}`,
  );
}

function readReport(): JsonReport {
  return parseReport(readFileSync(reportPath, "utf8"));
}

/**
 * Answers confirmation prompts by step number, whatever order they come in; each step gets its answers in
 * turn (an unclear answer is asked again). Returns what the terminal showed for each step's question.
 */
async function answerConfirmations(
  session: TerminalSession,
  answers: Record<number, string[]>,
): Promise<Map<number, string>> {
  const shown = new Map<number, string>();
  const left = new Map(Object.entries(answers).map(([step, keys]) => [Number(step), [...keys]]));
  let current: number | undefined;
  const pending = () => [...left.values()].some((keys) => keys.length > 0);
  while (pending()) {
    const block = await session.waitFor(RUN_IT);
    const headers = [...block.matchAll(/Step (\d+) · /g)];
    if (headers.length > 0) current = Number(headers.at(-1)![1]);
    if (current === undefined) throw new Error(`a confirmation without a step header:\n${block}`);
    const keys = left.get(current);
    if (!keys || keys.length === 0) throw new Error(`step ${current} asked unexpectedly:\n${session.text}`);
    shown.set(current, `${shown.get(current) ?? ""}${block}`);
    session.type(keys.shift()!);
  }
  return shown;
}

describe.skipIf(!HAS_SCRIPT)("run-plan on a terminal", () => {
  it('asks before each write step with the resolved arguments; "n" skips, "y" runs, unclear answers are asked again', async () => {
    const session = startRunPlan("sid-deck.txt");
    const shown = await answerConfirmations(session, { 3: ["n\n"], 6: ["maybe\n", "y\n"], 7: ["y\n"] });
    const exit = await session.waitForExit();
    expect(exit, session.text).toEqual({ code: 0, signal: null });

    const email = shown.get(3)!;
    expect(email).toContain("Step 3 · compose_new_email (mail) will run with:");
    // Issue 17, item 1: a looked-up address says whose it is.
    const sids = "Sid Mehta's work email, from Contacts";
    expect(email).toContain(`  recipients   sid.mehta@example.com (${sids})\n`);
    expect(email).toContain(
      `  subject      Q3 deck for sid.mehta@example.com (sid.mehta@example.com is ${sids})\n`,
    );
    expect(email).toMatch(/^ {2}attachments +\/Users\/alex\/Documents\/Q3 Deck\.pdf$/m);
    expect(email).toMatch(/^ {2}cc +\(none\)$/m);
    expect(email).not.toMatch(/\$\{?[12]\}?(?!\d)/); // "$20" in the text is money, not a reference
    const zoom = shown.get(6)!;
    expect(zoom).toContain(`  meeting_invitees  sid.mehta@example.com (${sids})\n`);
    expect(zoom.split(RUN_IT)).toHaveLength(3); // asked twice: "maybe" is not an answer
    const note = shown.get(7)!;
    expect(note).toMatch(/^ {2}content +Zoom link: https:\/\/zoom\.us\/j\/\d+$/m);
    // Read and UI steps run without a question.
    expect(session.text).not.toMatch(/Step [1245] · /);

    const report = readReport();
    expect(report.cancelled).toBe(false);
    expect(report.steps.map((s) => [s.index, s.status])).toEqual([
      [1, "done"],
      [2, "done"],
      [3, "skipped"],
      [4, "done"],
      [5, "done"],
      [6, "done"],
      [7, "done"],
    ]);
    const declined = stepOf(report, 3);
    expect(declined.reason).toBe("you declined this step");
    expect(declined.invocations).toEqual([]);
    expect(declined.observation).toBeNull();
    expect(declined.args).toMatchObject({ recipients: [SID] });
    const link = stepOf(report, 6).observation!;
    expect(link).toMatch(/^https:\/\/zoom\.us\/j\/\d+$/);
    expect(note).toContain(link);
    expect(stepOf(report, 7).args).toMatchObject({ content: `Zoom link: ${link}` });
  });

  it('an ambiguous "Alex" is asked, never guessed: option 2 uses Alex Rivera\'s address', async () => {
    const session = startRunPlan("alex.txt");
    const question = await session.waitFor("Pick 1-2 (Enter to skip): ");
    expect(question).toContain('Step 1: Several contacts match "Alex". Which one?');
    expect(question).toMatch(/^ {2}1\) Alex Chen {2}alex\.chen@example\.com$/m);
    expect(question).toMatch(/^ {2}2\) Alex Rivera {2}arivera@example\.net$/m);
    session.type("2\n");
    const shown = await answerConfirmations(session, { 2: ["y\n"] });
    // The person picked Alex Rivera: the confirmation names that contact, not "Alex".
    expect(shown.get(2)).toMatch(
      /^ {2}recipients +arivera@example\.net \(Alex Rivera's home email, from Contacts\)$/m,
    );
    const exit = await session.waitForExit();
    expect(exit, session.text).toEqual({ code: 0, signal: null });

    const report = readReport();
    expect(stepOf(report, 1)).toMatchObject({ status: "done", observation: "arivera@example.net" });
    const email = stepOf(report, 2);
    expect(email.status).toBe("done");
    expect(email.args).toMatchObject({ recipients: ["arivera@example.net"] });
    expect(email.invocations[0]?.script).toContain('{"arivera@example.net"}');
    expect(JSON.stringify(report)).not.toContain("alex.chen@example.com");
  });

  it("skipping the choice (Enter) fails the lookup instead of guessing; nothing depending on it is asked", async () => {
    const session = startRunPlan("alex.txt");
    await session.waitFor("Pick 1-2 (Enter to skip): ");
    session.type("\n");
    const exit = await session.waitForExit();
    expect(exit, session.text).toEqual({ code: 1, signal: null });
    expect(session.text).not.toContain("Run it?");
    const report = readReport();
    expect(stepOf(report, 1).error).toMatchObject({ code: "ambiguous" });
    expect(stepOf(report, 1).error?.message).toContain("Alex Chen, Alex Rivera");
    expect(stepOf(report, 2).status).toBe("skipped");
    expect(stepOf(report, 2).invocations).toEqual([]);
  });

  it('"e" edits the arguments field by field (Enter keeps a value); the edited values are what runs', async () => {
    const session = startRunPlan("zoom-note.txt");
    const question = await session.waitFor("Pick 1-2 (Enter to skip): ");
    expect(question).toContain("Margaret O'Brien has several email addresses. Which one?");
    session.type("2\n");
    const shown = await answerConfirmations(session, { 2: ["e\n"] });
    expect(shown.get(2)).toMatch(
      /^ {2}meeting_invitees +maggie@obrien\.example\.org \(Margaret O'Brien's home email, from Contacts\)$/m,
    );
    await session.waitFor("Press Enter to keep a value.");
    await session.waitFor("  topic [Budget review]: ");
    session.type("Budget review (moved) & more\n");
    await session.waitFor("  start_time [2024-06-03 15:00:00]: ");
    session.type("\n");
    await session.waitFor("  duration [45]: ");
    session.type("30\n");
    await session.waitFor("  meeting_invitees [maggie@obrien.example.org]: ");
    session.type(`maggie@obrien.example.org, ${SID}\n`);
    // Issue 17, item 8: the edited step is shown with its new arguments and asked again before it runs.
    const edited = await session.waitFor(RUN_IT);
    expect(edited).toContain("Step 2 · get_zoom_meeting_link (zoom) will run with:");
    expect(edited).toMatch(/^ {2}topic +Budget review \(moved\) & more$/m);
    expect(edited).toMatch(/^ {2}duration +30$/m);
    // Margaret's address still says whose it is; the one typed in is not said to be anyone's.
    expect(edited).toMatch(
      /^ {2}meeting_invitees +maggie@obrien\.example\.org \(Margaret O'Brien's home email, from Contacts\), sid\.mehta@example\.com$/m,
    );
    expect(session.text).not.toMatch(/✓ 2\. /);
    session.type("y\n");
    const note = await answerConfirmations(session, { 3: ["n\n"] });
    expect(note.get(3)).toMatch(/^ {2}content +Zoom: https:\/\/zoom\.us\/j\/\d+$/m);
    const exit = await session.waitForExit();
    expect(exit, session.text).toEqual({ code: 0, signal: null });

    const report = readReport();
    const zoom = stepOf(report, 2);
    expect(zoom.status).toBe("done");
    expect(zoom.args).toEqual({
      topic: "Budget review (moved) & more",
      start_time: "2024-06-03 15:00:00",
      duration: 30,
      meeting_invitees: ["maggie@obrien.example.org", SID],
    });
    const body = JSON.parse(zoom.invocations[0]!.body!) as Record<string, unknown>;
    expect(body).toMatchObject({
      topic: "Budget review (moved) & more",
      duration: 30,
      settings: { meeting_invitees: [{ email: "maggie@obrien.example.org" }, { email: SID }] },
    });
    expect(stepOf(report, 3)).toMatchObject({ status: "skipped", reason: "you declined this step" });
    expect(stepOf(report, 3).args).toMatchObject({ content: `Zoom: ${zoom.observation}` });
  });

  it("an edit into invalid arguments runs nothing: the step fails and its dependents are skipped (exit 1)", async () => {
    const session = startRunPlan("zoom-note.txt");
    await session.waitFor("Pick 1-2 (Enter to skip): ");
    session.type("1\n");
    await answerConfirmations(session, { 2: ["e\n"] });
    await session.waitFor("  topic [Budget review]: ");
    session.type("\n");
    await session.waitFor("  start_time [2024-06-03 15:00:00]: ");
    session.type("\n");
    await session.waitFor("  duration [45]: ");
    session.type("forty\n");
    await session.waitFor("  meeting_invitees [maggie.obrien@example.com]: ");
    session.type("\n");
    const edited = await session.waitFor(RUN_IT);
    expect(edited).toMatch(/^ {2}duration +NaN$/m);
    session.type("y\n");
    const exit = await session.waitForExit();
    expect(exit, session.text).toEqual({ code: 1, signal: null });
    expect(session.text).not.toContain("Step 3 · ");

    const report = readReport();
    const zoom = stepOf(report, 2);
    expect(zoom.status).toBe("failed");
    expect(zoom.error?.code).toBe("invalid-arguments");
    expect(zoom.invocations).toEqual([]);
    expect(stepOf(report, 3).status).toBe("skipped");
  });

  it('"e" then "n": the edited step is declined and nothing runs', async () => {
    const session = startRunPlan("zoom-note.txt");
    await session.waitFor("Pick 1-2 (Enter to skip): ");
    session.type("1\n");
    await answerConfirmations(session, { 2: ["e\n"] });
    for (const field of ["topic", "start_time", "duration", "meeting_invitees"]) {
      await session.waitFor(`  ${field} [`);
      await session.waitFor("]: ");
      session.type(field === "duration" ? "15\n" : "\n");
    }
    const edited = await session.waitFor(RUN_IT);
    expect(edited).toMatch(/^ {2}duration +15$/m);
    session.type("n\n");
    const exit = await session.waitForExit();
    expect(exit, session.text).toEqual({ code: 0, signal: null });
    const zoom = stepOf(readReport(), 2);
    expect(zoom).toMatchObject({ status: "skipped", reason: "you declined this step", invocations: [] });
  });

  // Issue 17, item 8: lines of steps finishing in parallel were printed onto the "Pick 1-2" prompt.
  it("lines of parallel steps wait while a question is open, and follow its answer", async () => {
    const session = TerminalSession.start(cliCommand(["run-plan", shellQuote(fixture("parallel-pick.txt"))]));
    const question = await session.waitFor("Pick 1-2 (Enter to skip): ");
    expect(question).not.toContain("✓");
    // Steps 2 and 3 finish while the question is open; nothing may be written after the prompt.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(session.text.slice(session.text.lastIndexOf("Pick 1-2 (Enter to skip): "))).toBe(
      "Pick 1-2 (Enter to skip): ",
    );
    session.type("2\n");
    const exit = await session.waitForExit();
    expect(exit, session.text).toEqual({ code: 0, signal: null });
    const after = session.text.slice(session.text.lastIndexOf("Pick 1-2 (Enter to skip): "));
    const lines = after.split("\n");
    expect(lines[0]).toBe("Pick 1-2 (Enter to skip): 2");
    for (const step of [
      "✓ 1. get_email_address → arivera@example.net",
      "✓ 2. get_phone_number → ",
      "✓ 3. get_email_address → ",
    ])
      expect(
        lines.some((line) => line.startsWith(step)),
        after,
      ).toBe(true);
  });

  // Regression test (fixed CLI bug).
  it("Ctrl-C at a confirmation cancels the run: exit 130, nothing new starts", async () => {
    const session = startRunPlan("cancel.txt");
    const block = await session.waitFor(RUN_IT);
    expect(block).toContain("Step 2 · compose_new_email (mail) will run with:");
    session.type("\x03");
    const exit = await session.waitForExit();
    expect(session.text).not.toContain("Step 3 · ");
    expect(exit, session.text).toEqual({ code: 130, signal: null });
    const written = readFileSync(reportPath, "utf8");
    if (written !== "") {
      const report = parseReport(written);
      expect(report.cancelled).toBe(true);
      expect(report.steps.filter((s) => s.status === "done").map((s) => s.index)).toEqual([1]);
      expect(stepOf(report, 3).invocations).toEqual([]);
    }
  });

  // Regression test (fixed CLI bug).
  it('Ctrl-C at the "which Alex?" question cancels the run: exit 130', async () => {
    const session = startRunPlan("alex.txt");
    await session.waitFor("Pick 1-2 (Enter to skip): ");
    session.type("\x03");
    const exit = await session.waitForExit();
    expect(exit, session.text).toEqual({ code: 130, signal: null });
  });

  // Regression test (fixed CLI bug).
  it("a plan piped in is answered on the terminal, and the command exits when the run is over", async () => {
    const session = TerminalSession.start(
      `${cliCommand(["run-plan", "-"])} < ${shellQuote(fixture("alex.txt"))}`,
    );
    await session.waitFor("Pick 1-2 (Enter to skip): ");
    session.type("2\n");
    const shown = await answerConfirmations(session, { 2: ["y\n"] });
    // The person picked Alex Rivera: the confirmation names that contact, not "Alex".
    expect(shown.get(2)).toMatch(
      /^ {2}recipients +arivera@example\.net \(Alex Rivera's home email, from Contacts\)$/m,
    );
    await session.waitFor(
      /2 done, 0 failed, 0 skipped \((dry run: recorded, nothing ran on this Mac|recorded, not run: TinyAgent's actions run on macOS only)\)/,
    );
    const exit = await session.waitForExit(3_000);
    expect(exit, `still running 3 s after the run ended:\n${session.text}`).toEqual({
      code: 0,
      signal: null,
    });
  });
});
