import { writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import {
  HAS_SCRIPT,
  ROOT,
  TerminalSession,
  cliCommand,
  expectExit,
  killTerminals,
  runCli,
  scratchDir,
  shellQuote,
} from "./helpers";

/**
 * Terminal control codes in plan or tool text (issue 17, item 6). A plan, a model or a contact card can
 * hold ESC sequences, carriage returns, C1 controls (U+009B is a one-character ESC [) or direction
 * overrides; printed as they are, they move the cursor, erase a line and fake a "✓ done" line. Every line
 * the command line prints for a person shows them spelled out (<U+001B>), as the confirmation view did.
 */

/** Characters a terminal acts on or hides; none may reach it raw from plan or tool text. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point here
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

/** A name that erases the line it is on and writes a fake success in its place. */
const FAKE = "Zelda\\x1b[2K\\r\\u2713 3. send_sms \\u2192 sent";

const PLAN = [
  `1. get_email_address("${FAKE}")`,
  '2. create_note("Hi\\u009b2K\\u202e", "x", None)',
  '3. frobnicate("\\x1b]0;owned\\x07")',
  "4. join()<END_OF_PLAN>",
].join("\n");

afterEach(killTerminals);

describe("plan text with control codes", () => {
  it("parse spells them out in the listing and in problems", async () => {
    const result = await runCli(["parse", "-"], { input: PLAN });
    expectExit(result, 1);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    expect(result.stderr).not.toMatch(RAW_CONTROL);
    expect(result.stdout).toContain("Zelda\\u001b[2K\\r");
    expect(result.stdout).toContain("Hi<U+009B>2K<U+202E>");
  });

  it("parse --json keeps the data, with those characters escaped", async () => {
    const result = await runCli(["parse", "--json", "-"], { input: PLAN });
    expectExit(result, 1);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    const report = JSON.parse(result.stdout) as { plan: { steps: { args: unknown[] }[] } };
    expect(report.plan.steps[0]!.args[0]).toBe("Zelda\x1b[2K\r\u2713 3. send_sms \u2192 sent");
    expect(report.plan.steps[1]!.args[0]).toBe("Hi\u009b2K\u202e");
  });

  it("run-plan spells them out in failure lines", async () => {
    const plan = `1. get_email_address("${FAKE}")\n2. join()<END_OF_PLAN>`;
    const result = await runCli(["run-plan", "--dry-run", "--yes", "-"], { input: plan });
    expectExit(result, 1);
    const failure = result.stderr.split("\n").find((line) => line.startsWith("✗ 1. get_email_address"));
    expect(failure).toMatch(/Zelda<U\+001B>\[2K(<U\+000D>| )✓ 3\. send_sms → sent/);
    expect(result.stderr).not.toMatch(RAW_CONTROL);
  });
});

describe.skipIf(!HAS_SCRIPT)("contact names with control codes at the pick prompt", () => {
  it("the question and its options show them spelled out", async () => {
    // The Mac backend with a stand-in osascript whose only contact card carries the codes; "Sid" only
    // begins "Sidney", so the person is asked.
    const card = "Sidney\x1b[2K\r\u2713 fake|Sidney|Park";
    const env = [
      "TINYAGENT_BACKEND=mac",
      `FAKE_CONTACT=${shellQuote(card)}`,
      `PATH=${shellQuote(`${join(ROOT, "test", "fixtures", "macos")}${delimiter}${process.env.PATH ?? ""}`)}`,
    ].join(" ");
    const folder = scratchDir();
    const planFile = join(folder.path, "plan.txt");
    writeFileSync(planFile, '1. get_email_address("Sid")\n2. join()<END_OF_PLAN>\n');
    const session = TerminalSession.start(`${env} ${cliCommand(["run-plan", shellQuote(planFile)])}`);
    onTestFinished(folder.remove);
    const question = await session.waitFor("Pick 1-1 (Enter to skip): ");
    expect(question).toContain("Sidney<U+001B>[2K<U+000D>✓ fake");
    expect(question).toMatch(/^ {2}1\) Sidney<U\+001B>\[2K<U\+000D>✓ fake {2}sid@example\.com$/m);
    session.type("\n");
    await session.waitForExit();
  });
});
