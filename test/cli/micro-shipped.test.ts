import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A fixed request time: micro's prompt states the time, so its plans would otherwise change with the minute.
const AT = ["--now", "2024-06-03 09:00"];
import { ROOT, runCli } from "./helpers";

/**
 * The real TinyAgent-micro, as it ships in models/: `tinyagent plan --model micro --jsonl` from a
 * checkout with nothing downloaded must give valid, finished plans.
 */

const FILE = join(ROOT, "models", "tinyagent-micro.gguf");

const REQUESTS = [
  "text Sid that I'm running 10 minutes late",
  "email Ana Lopez the Q3 deck and put a review on my calendar Friday at 3",
  "directions from home to Gare du Nord by train",
  "add eggs and oat milk to my groceries note",
  "remind me to call mom tomorrow at 6pm",
  "zoom with Priya and Tom next Tuesday 2pm about the launch",
  "summarize the board report pdf and text it to Dad",
  "open the packing list note",
];

let folder: string;
let saved: string | undefined;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "tinyagent-micro-shipped-"));
  saved = process.env.TINYAGENT_MICRO_MODEL;
  delete process.env.TINYAGENT_MICRO_MODEL; // the shipped file itself
  process.env.TINYAGENT_THREADS = "1";
  process.env.TINYAGENT_MODELS_DIR = join(folder, "models");
});

afterAll(async () => {
  if (saved !== undefined) process.env.TINYAGENT_MICRO_MODEL = saved;
  await rm(folder, { recursive: true, force: true });
});

describe("the shipped TinyAgent-micro", () => {
  it("plans every request with a valid, finished plan from a clean checkout", async () => {
    expect(existsSync(FILE), `${FILE} is missing: the package ships it`).toBe(true);
    const input = REQUESTS.map((query) => JSON.stringify({ query })).join("\n");
    const result = await runCli(["plan", "--model", "micro", "--jsonl", ...AT], {
      input,
      timeoutMs: 120_000,
    });
    const lines = result.stdout
      .trim()
      .split("\n")
      .map(
        (line) =>
          JSON.parse(line) as { query: string; plan: string | null; valid: boolean; stop_reason: string },
      );
    expect(lines.map((line) => line.query)).toEqual(REQUESTS);
    for (const line of lines) {
      expect(line.plan, `${line.query}: ${result.stderr}`).not.toBeNull();
      expect(line.valid, `${line.query}\n${line.plan}`).toBe(true);
      expect(line.stop_reason, line.query).toBe("end-of-plan");
    }
    expect(result.code).toBe(0);
  }, 180_000);

  it("looks up everyone a request sends to, once each (the planner's look-up rules)", async () => {
    const cases: [string, string[]][] = [
      ["get me Ravi's and Inês's numbers", ["ravi", "inês"]],
      ["put a meeting with Sid and Lutfi on the calendar friday at 3 to go over the deck", ["sid", "lutfi"]],
      ["email Sid, Lutfi and Nadia asking for their availability next week", ["sid", "lutfi", "nadia"]],
      ["send a group text to Hyun-woo, Ji-ho and Minji: bbq at 7", ["hyun-woo", "ji-ho", "minji"]],
      ["zoom w/ priya fri 2pm", ["priya"]],
    ];
    const input = cases.map(([query]) => JSON.stringify({ query })).join("\n");
    const result = await runCli(["plan", "--model", "micro", "--jsonl", ...AT], {
      input,
      timeoutMs: 120_000,
    });
    const plans = result.stdout
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { plan: string | null }).plan ?? "");
    cases.forEach(([query, names], i) => {
      const looked = [...plans[i]!.matchAll(/get_(?:email_address|phone_number)\("([^"]*)"\)/g)].map((m) =>
        m[1]!.toLowerCase(),
      );
      expect(new Set(looked), `${query}\n${plans[i]}`).toEqual(new Set(names));
      expect(looked.length, `${query}\n${plans[i]}`).toBe(names.length);
    });
  }, 180_000);

  // Issue 19: micro writes no prose, so its answers are built by rules from the step results.
  it.each([
    ["what's Lutfi's email", /^Lutfi’s email address is lutfi\.demir@example\.com\.$/u],
    ["summarize the Q3 deck pdf", /^Summary of “Q3 deck”: Q3 results\. Revenue grew 18 percent/u],
    // No file in the fixture world is a contract: the answer says the summary could not be made, and why.
    // "summarize" asks for the summary, so the plan has it whatever the clock in micro's prompt says
    // ("what's on the contract pdf" was summarized at some minutes of the day and not at others).
    [
      "summarize the contract",
      /^Did not get a summary of “[^”]*contract” \(step 1 failed\)\. Not done: find and open/u,
    ],
    ["text Sid I'm late", /^Done: texted Sid\.$/u],
  ])(
    "ask “%s” ends with an answer, printed and in --json",
    async (request, answer) => {
      const text = await runCli(["ask", request, "--model", "micro", "--dry-run", "--yes", ...AT], {
        timeoutMs: 60_000,
      });
      expect(text.stdout.trimEnd(), text.stderr).toMatch(answer);
      expect(text.stdout.trimEnd().split("\n")).toHaveLength(1);
      const json = await runCli(["ask", request, "--model", "micro", "--dry-run", "--yes", "--json", ...AT], {
        timeoutMs: 60_000,
      });
      expect((JSON.parse(json.stdout) as { answer: string }).answer).toMatch(answer);
    },
    150_000,
  );

  it("plans as if asked at --now, the same plan each time, and refuses a time that is none", async () => {
    const args = ["plan", "--model", "micro", "--now", "2024-06-03 09:00", "--json"];
    const request = "remind me tomorrow at 5pm to call Sid";
    const first = await runCli([...args, request], { timeoutMs: 60_000 });
    const again = await runCli([...args, request], { timeoutMs: 60_000 });
    const planOf = (stdout: string) => (JSON.parse(stdout) as { plan: string }).plan;
    expect(planOf(first.stdout)).toContain('"2024-06-04 17:00:00"');
    expect(planOf(again.stdout)).toBe(planOf(first.stdout));
    const wrong = await runCli(["ask", "--model", "micro", "--now", "2024-13-03 09:00", request]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--now: not a date and time: "2024-13-03 09:00"');
  }, 150_000);

  it("tries again once by rules after a name nobody has, and says so", async () => {
    const request = "text Mr. Sid Mehta I'm late";
    const text = await runCli(["ask", request, "--model", "micro", "--dry-run", "--yes", ...AT], {
      timeoutMs: 60_000,
    });
    expect(text.stderr).toContain(
      'Trying again: Look up Mr. Sid Mehta’s phone number failed: No contact named "Mr. Sid Mehta" in Contacts.',
    );
    expect(text.stderr).toContain(
      "Now looking for “Sid Mehta” instead of “Mr. Sid Mehta”. (Ctrl-C stops it)",
    );
    expect(text.stdout).toBe("Done: texted Sid Mehta.\n");
    const json = await runCli(["ask", request, "--model", "micro", "--dry-run", "--yes", "--json", ...AT], {
      timeoutMs: 60_000,
    });
    const report = JSON.parse(json.stdout) as {
      answer: string;
      steps: { tool: string; status: string }[];
      retry: { reason: string; steps: { tool: string; status: string }[] };
    };
    expect(report.answer).toBe("Done: texted Sid Mehta.");
    expect(report.retry).not.toHaveProperty("answer");
    expect(report.retry.reason).toMatch(/^Look up Mr\. Sid Mehta’s phone number failed/u);
    expect(report.retry.steps.map((s) => [s.tool, s.status])).toEqual([
      ["get_phone_number", "failed"],
      ["send_sms", "skipped"],
    ]);
    expect(report.steps.map((s) => [s.tool, s.status])).toEqual([
      ["get_phone_number", "done"],
      ["send_sms", "done"],
    ]);
  }, 150_000);
});
