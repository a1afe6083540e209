import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  expectExit,
  fixture,
  fixtureText,
  parseReport,
  runCli,
  stepOf,
  type JsonReport,
  type JsonStep,
} from "./helpers";
import { decodeScript } from "../macos/applescript-decoder";

/**
 * `tinyagent run-plan` without a terminal (every stream is a pipe). Off macOS the recording backend answers
 * from the fixture world: Sid Mehta has one email, "Alex" matches two contacts, Maggie has two emails.
 */

const SID = "sid.mehta@example.com";
const DECK = "/Users/alex/Documents/Q3 Deck.pdf";
const CONTEXT = 'Hi Sid, here\'s the deck "as promised" & more; bring $20. $(rm -rf ~) `whoami`';
const PLACE = "Tom's \"Diner\" & Bar #2 + 100% 🍔, 5 Rue d'Alésia";
const DESTINATION = 'Café "Zinc" & Co 🍷';
const YES_HINT = "no terminal to ask for approval; pass --yes to approve";
const ON_MAC = process.platform === "darwin";
/** What the summary says of a dry run, and of a run off macOS, where actions are only recorded. */
const DRY_RUN = ON_MAC ? "(dry run: recorded, nothing ran on this Mac)" : "(dry run: recorded, nothing ran)";
const NOT_MAC = "(recorded, not run: TinyAgent's actions run on macOS only)";

/** Every string anywhere inside a value. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0]!;
}

describe("run-plan --yes --json (sid-deck.txt)", () => {
  let report: JsonReport;
  let stderr: string;

  beforeAll(async () => {
    const result = await runCli(["run-plan", fixture("sid-deck.txt"), "--yes", "--json"]);
    expectExit(result, 0);
    report = parseReport(result.stdout);
    stderr = result.stderr;
  });

  it("answers with what was done, from the steps' results", () => {
    expect(report.answer).toMatch(
      /^Done: opened \/Users\/alex\/Documents\/Q3 Deck\.pdf; drafted an email to Sid \(not sent\); /u,
    );
    expect(report.answer).toMatch(
      /created the Zoom meeting “Q3 review”: https:\/\/zoom\.us\/j\/\d+; created the note “Q3 review”\.$/u,
    );
    expect(report.answer).not.toContain("Not done");
  });

  it("runs every step on the recording backend and reports it as a dry run", () => {
    expect(report.valid).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.backend).toBe("recording");
    expect(report.dryRun).toBe(true);
    expect(report.cancelled).toBe(false);
    expect(report.steps.map((s) => [s.index, s.tool, s.status])).toEqual([
      [1, "get_email_address", "done"],
      [2, "open_and_get_file_path", "done"],
      [3, "compose_new_email", "done"],
      [4, "maps_open_location", "done"],
      [5, "maps_show_directions", "done"],
      [6, "get_zoom_meeting_link", "done"],
      [7, "create_note", "done"],
    ]);
    for (const step of report.steps) {
      expect(step.error).toBeNull();
      expect(step.reason).toBeNull();
      expect(typeof step.durationMs).toBe("number");
    }
    // --json keeps stderr free of progress lines.
    expect(stderr).toBe("");
  });

  it("reports arguments resolved: $1/${N} replaced by the results they point at, $20 left alone", () => {
    expect(stepOf(report, 1)).toMatchObject({ args: { name: "Sid" }, observation: SID });
    expect(stepOf(report, 2)).toMatchObject({ args: { file_name: "Q3 Deck" }, observation: DECK });
    expect(stepOf(report, 3).args).toEqual({
      recipients: [SID],
      cc: [],
      subject: `Q3 deck for ${SID}`,
      context: CONTEXT,
      attachments: [DECK],
    });
    expect(stepOf(report, 6).args).toEqual({
      topic: "Q3 review",
      start_time: "2024-06-03 15:00:00",
      duration: 30,
      meeting_invitees: [SID],
    });
    const link = stepOf(report, 6).observation;
    expect(link).toMatch(/^https:\/\/zoom\.us\/j\/\d+$/);
    expect(stepOf(report, 7).args).toEqual({
      name: "Q3 review",
      content: `Zoom link: ${link}`,
      folder: null,
    });
    // No reference survives into what ran.
    const leftovers = report.steps
      .flatMap((s) => strings(s.args))
      .filter((text) => /^\$\{?\d+\}?$/.test(text) || /\$\{\d+\}/.test(text));
    expect(leftovers).toEqual([]);
  });

  it("reports each step's observation", () => {
    expect(stepOf(report, 3).observation).toBe(
      `Opened a draft to ${SID} with the subject "Q3 deck for ${SID}", with Q3 Deck.pdf attached.`,
    );
    expect(stepOf(report, 4).observation).toBe(`Showing ${PLACE} in Maps.`);
    expect(stepOf(report, 5).observation).toBe(`Showing walking directions to ${DESTINATION} in Maps.`);
    expect(stepOf(report, 7).observation).toBe('Created the note "Q3 review" in Notes (iCloud).');
  });

  it("AppleScript invocations carry the person's text only inside encoded literals of the script", () => {
    for (const index of [1, 3, 7]) {
      const invocation = stepOf(report, index).invocations.at(-1)!;
      expect(invocation.kind).toBe("applescript");
      expect(invocation.argv).toEqual([]);
      const { skeleton } = decodeScript(invocation.script!);
      for (const text of strings(stepOf(report, index).args)) {
        if (text.length > 3) expect(skeleton).not.toContain(text);
      }
    }
    expect(decodeScript(only(stepOf(report, 1).invocations).script!).texts).toContain("Sid");
    const email = stepOf(report, 3).invocations.at(-1)!;
    const { texts, skeleton } = decodeScript(email.script!);
    expect(texts).toContain(CONTEXT);
    expect(texts).toContain(`Q3 deck for ${SID}`);
    expect(texts).toContain(SID);
    expect(texts.some((text) => text.includes("$1"))).toBe(false);
    expect(skeleton).not.toContain("rm -rf");
    expect(skeleton).not.toContain("whoami");
  });

  it("Maps URLs parse back to exactly the original place text (&, quotes, #, +, %, emoji)", () => {
    const open = only(stepOf(report, 4).invocations);
    expect(open.kind).toBe("url");
    const openUrl = new URL(open.url!);
    expect(openUrl.origin).toBe("https://maps.apple.com");
    expect([...openUrl.searchParams.keys()]).toEqual(["q"]);
    expect(openUrl.searchParams.get("q")).toBe(PLACE);
    expect(openUrl.hash).toBe("");

    const directions = only(stepOf(report, 5).invocations);
    expect(directions.kind).toBe("url");
    const directionsUrl = new URL(directions.url!);
    expect(directionsUrl.origin).toBe("https://maps.apple.com");
    expect(directionsUrl.searchParams.get("daddr")).toBe(DESTINATION);
    expect(directionsUrl.searchParams.get("dirflg")).toBe("w");
    // An empty start means "from here": no saddr at all.
    expect(directionsUrl.searchParams.has("saddr")).toBe(false);
  });

  it("finding a file runs mdfind with the name as one argument, then open with the path", () => {
    expect(stepOf(report, 2).invocations).toEqual([
      {
        kind: "command",
        file: "/usr/bin/mdfind",
        argv: ["-0", "-onlyin", "/Users/alex", 'kMDItemFSName == "*Q3*"cd && kMDItemFSName == "*Deck*"cd'],
      },
      { kind: "command", file: "/usr/bin/open", argv: [DECK] },
    ]);
  });

  it("the Zoom link comes from an HTTP POST whose JSON body has the resolved invitees", () => {
    const post = only(stepOf(report, 6).invocations);
    expect(post).toMatchObject({
      kind: "http",
      method: "POST",
      url: "https://api.zoom.us/v2/users/me/meetings",
    });
    const body = JSON.parse(post.body!) as Record<string, unknown>;
    expect(body).toMatchObject({
      topic: "Q3 review",
      type: 2,
      start_time: "2024-06-03T15:00:00",
      duration: 30,
      settings: { meeting_invitees: [{ email: SID }] },
    });
  });
});

describe("run-plan without --json", () => {
  it("prints one line per step and a dry-run summary on stderr, the answer alone on stdout", async () => {
    const result = await runCli(["run-plan", "-y", "--dry-run", fixture("sid-deck.txt")]);
    expectExit(result, 0);
    expect(result.stdout).toMatch(
      new RegExp(
        `^Done: opened ${DECK}; drafted an email to Sid \\(not sent\\); .*; created the note “Q3 review”\\.\n$`,
        "u",
      ),
    );
    expect(result.stderr).toContain(`✓ 1. get_email_address → ${SID}\n`);
    expect(result.stderr).toContain(`✓ 2. open_and_get_file_path → ${DECK}\n`);
    expect(result.stderr).toMatch(/✓ 6\. get_zoom_meeting_link → https:\/\/zoom\.us\/j\/\d+\n/);
    expect(result.stderr.trimEnd().split("\n").at(-1)).toBe(`7 done, 0 failed, 0 skipped ${DRY_RUN}`);
  });

  it("answers a question with the looked-up value, on stdout and as the JSON answer", async () => {
    const plan = `1. get_email_address("Lutfi")\n2. join()<END_OF_PLAN>`;
    const text = await runCli(["run-plan", "-y"], { input: plan });
    expectExit(text, 0);
    expect(text.stdout).toBe("Lutfi’s email address is lutfi.demir@example.com.\n");
    const json = await runCli(["run-plan", "-y", "--json"], { input: plan });
    expect(parseReport(json.stdout).answer).toBe("Lutfi’s email address is lutfi.demir@example.com.");
  });

  it('reads the plan from standard input with "-" and with no file argument', async () => {
    for (const args of [
      ["run-plan", "-", "--yes", "--json"],
      ["run-plan", "--yes", "--json"],
    ]) {
      const result = await runCli(args, { input: fixtureText("sid-deck.txt") });
      expectExit(result, 0);
      const report = parseReport(result.stdout);
      expect(report.steps.map((s) => s.status)).toEqual(Array(7).fill("done"));
      expect(stepOf(report, 3).args).toMatchObject({ recipients: [SID] });
    }
  });
});

describe("run-plan without --yes and without a terminal", () => {
  let report: JsonReport;

  beforeAll(async () => {
    const result = await runCli(["run-plan", "--json", fixture("sid-deck.txt")]);
    // Declined steps are not failures.
    expectExit(result, 0);
    report = parseReport(result.stdout);
  });

  it("runs read and UI steps, declines every write step with the --yes hint", () => {
    expect(report.steps.map((s) => [s.index, s.status])).toEqual([
      [1, "done"],
      [2, "done"],
      [3, "skipped"],
      [4, "done"],
      [5, "done"],
      [6, "skipped"],
      [7, "skipped"],
    ]);
    expect(stepOf(report, 3).reason).toBe(YES_HINT);
    expect(stepOf(report, 6).reason).toBe(YES_HINT);
    // Step 7 needs the link of step 6, which never ran.
    expect(stepOf(report, 7).reason).toMatch(/^step 6 did not run \(.*pass --yes/);
  });

  it("the recording shows the declined steps did not run: no invocation, no observation", () => {
    for (const index of [3, 6, 7]) {
      const step: JsonStep = stepOf(report, index);
      expect(step.invocations).toEqual([]);
      expect(step.observation).toBeNull();
      expect(step.error).toBeNull();
    }
    expect(report.cancelled).toBe(false);
  });

  it("still shows what a declined step would have run with, references resolved", () => {
    expect(stepOf(report, 3).args).toMatchObject({ recipients: [SID], attachments: [DECK] });
    expect(stepOf(report, 6).args).toMatchObject({ meeting_invitees: [SID] });
  });

  it("in text mode says why each write step was skipped", async () => {
    const result = await runCli(["run-plan", fixture("sid-deck.txt")]);
    expectExit(result, 0);
    expect(result.stderr).toContain(`– 3. compose_new_email skipped: ${YES_HINT}\n`);
    expect(result.stderr).toContain(`– 6. get_zoom_meeting_link skipped: ${YES_HINT}\n`);
    expect(result.stderr).toContain(`4 done, 0 failed, 3 skipped ${ON_MAC ? "" : NOT_MAC}`.trimEnd());
  });
});

describe("failing steps", () => {
  it("an unknown contact fails its step, skips exactly its dependents, and exits 1", async () => {
    const result = await runCli(["run-plan", fixture("unknown-contact.txt"), "--yes", "--json"]);
    expectExit(result, 1);
    const report = parseReport(result.stdout);
    expect(report.steps.map((s) => [s.index, s.status])).toEqual([
      [1, "failed"],
      [2, "skipped"],
      [3, "done"],
      [4, "done"],
    ]);
    const failed = stepOf(report, 1);
    expect(failed.error?.code).toBe("not-found");
    expect(failed.error?.message).toContain('No contact named "Zelda Fitzgerald"');
    expect(failed.observation).toBeNull();
    // What was tried is still reported.
    expect(only(failed.invocations)).toMatchObject({ kind: "applescript", argv: [] });
    expect(only(failed.invocations).script).toContain('set wanted to "Zelda Fitzgerald"');
    const skipped = stepOf(report, 2);
    expect(skipped.reason).toMatch(/^step 1 failed: No contact named "Zelda Fitzgerald"/);
    expect(skipped.invocations).toEqual([]);
    // The failure is never passed on as a value.
    expect(strings(report.steps.map((s) => s.args)).filter((text) => text.includes("No contact"))).toEqual(
      [],
    );
    expect(stepOf(report, 4).args).toEqual({ recipients: ["+1 (415) 555-0142"], message: "Running late" });
  });

  it("text mode marks the failure and the skip, exit 1", async () => {
    const result = await runCli(["run-plan", "--yes", fixture("unknown-contact.txt")]);
    expectExit(result, 1);
    expect(result.stderr).toMatch(/^✗ 1\. get_email_address failed: No contact named "Zelda Fitzgerald"/m);
    expect(result.stderr).toMatch(/^– 2\. compose_new_email skipped: step 1 failed: /m);
    expect(result.stderr).toContain("2 done, 1 failed, 1 skipped");
  });

  it('without a terminal an ambiguous "Alex" fails naming both candidates, never guessing (even with --yes)', async () => {
    const result = await runCli(["run-plan", "--yes", "--json", fixture("ambiguous.txt")]);
    expectExit(result, 1);
    const report = parseReport(result.stdout);
    expect(report.steps.map((s) => [s.index, s.status])).toEqual([
      [1, "failed"],
      [2, "skipped"],
      [3, "failed"],
      [4, "done"],
    ]);
    const alex = stepOf(report, 1);
    expect(alex.error?.code).toBe("ambiguous");
    expect(alex.error?.message).toContain("Alex Chen");
    expect(alex.error?.message).toContain("Alex Rivera");
    const maggie = stepOf(report, 3);
    expect(maggie.error?.code).toBe("ambiguous");
    expect(maggie.error?.message).toContain("maggie.obrien@example.com");
    expect(maggie.error?.message).toContain("maggie@obrien.example.org");
    // Neither Alex's address was used anywhere.
    const everything = JSON.stringify(report.steps.map((s) => [s.args, s.observation, s.invocations]));
    expect(everything).not.toContain("alex.chen@example.com");
    expect(everything).not.toContain("arivera@example.net");
    expect(stepOf(report, 2).reason).toMatch(/^step 1 failed: Several contacts match "Alex"/);
  });
});

describe("invalid plans run nothing", () => {
  it("exit 1, problems with line numbers on stderr, no step output at all", async () => {
    const result = await runCli(["run-plan", "--yes", fixture("invalid.txt")]);
    expectExit(result, 1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^error: line 2: compose_new_email takes 5 arguments/m);
    expect(result.stderr).toMatch(/^error: line 3: step 3 calls frobnicate/m);
    expect(result.stderr).toMatch(/^error: line 4: step 4 uses \$7/m);
    expect(result.stderr).toContain("The plan is invalid, so nothing ran.");
    // Step 1 alone is fine, but it must not have run.
    expect(result.stderr).not.toMatch(/[✓✗–] 1\./);
  });

  it("--json: valid false, the problems, and no steps", async () => {
    const result = await runCli(["run-plan", "--yes", "--json", fixture("invalid.txt")]);
    expectExit(result, 1);
    const report = parseReport(result.stdout);
    expect(report.valid).toBe(false);
    expect(report.steps).toEqual([]);
    expect(report.cancelled).toBe(false);
    expect(report.answer).toBe("Nothing was done: the plan is invalid.");
    expect(report.problems.map((p) => [p.code, p.line])).toEqual([
      ["argument-count", 2],
      ["unknown-tool", 3],
      ["bad-reference", 4],
    ]);
  });
});

// Issue 17, item 8: "nothing ran on this Mac" was printed on Linux, for runs that were no dry runs.
describe.skipIf(ON_MAC)("off macOS, the summary says why nothing ran", () => {
  it("without --dry-run: recorded because actions run on macOS only; never 'this Mac'", async () => {
    const result = await runCli(["run-plan", "--yes", fixture("sid-deck.txt")]);
    expectExit(result, 0);
    expect(result.stderr.trimEnd().split("\n").at(-1)).toBe(`7 done, 0 failed, 0 skipped ${NOT_MAC}`);
    expect(result.stderr).not.toContain("this Mac");
  });

  it("with --dry-run: a dry run, on this machine", async () => {
    const result = await runCli(["run-plan", "--yes", "--dry-run", fixture("sid-deck.txt")]);
    expectExit(result, 0);
    expect(result.stderr.trimEnd().split("\n").at(-1)).toBe(`7 done, 0 failed, 0 skipped ${DRY_RUN}`);
    expect(result.stderr).not.toContain("this Mac");
  });
});

/** Bytes no plan holds: a fixed pseudo-random sequence, with line breaks now and then. */
function binaryPlan(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  let state = 20_240_603;
  for (let i = 0; i < size; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    bytes[i] = state % 23 === 0 ? 0x0a : state >> 16;
  }
  return bytes;
}

// Issue 17, item 8: a binary plan printed 1.9 MB of errors, one per line of the file.
describe("a binary file as a plan", () => {
  let path: string;
  let total: number;

  beforeAll(async () => {
    const folder = mkdtempSync(join(tmpdir(), "tinyagent-binary-"));
    path = join(folder, "plan.bin");
    writeFileSync(path, binaryPlan(400_000));
    const json = await runCli(["parse", "--json", path]);
    expectExit(json, 1);
    total = (JSON.parse(json.stdout) as { problems: unknown[] }).problems.length;
    expect(total).toBeGreaterThan(1_000);
  });

  it.each([["parse"], ["run-plan", "--yes"]])(
    "%s prints a few problems and says how many more",
    async (...args) => {
      const result = await runCli([...args, path]);
      expectExit(result, 1);
      expect(result.stderr.length).toBeLessThan(20_000);
      const shown = result.stderr.split("\n").filter((line) => /^(error|warning): /.test(line)).length;
      expect(shown).toBeGreaterThan(0);
      expect(result.stderr).toContain(
        `... and ${(total - shown).toLocaleString("en-US")} more problems (--json lists them all)`,
      );
    },
  );
});
