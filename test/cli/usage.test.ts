import { afterEach, describe, expect, it } from "vitest";
import {
  HAS_SCRIPT,
  ROOT,
  TerminalSession,
  cliCommand,
  expectExit,
  fixture,
  killTerminals,
  runCli,
} from "./helpers";

/** Help and usage errors: exit 0 for help, 2 for a mistake in how the command was called. */

/** The hint names the command's own help when there is a command. */
const HINT = /Run "tinyagent (?:[a-z-]+ )?--help" for usage\./;

describe("tinyagent --help", () => {
  it.each([["--help"], ["-h"], ["help"]])("%s prints the usage on stdout, exit 0", async (flag) => {
    const result = await runCli([flag]);
    expectExit(result, 0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("tinyagent parse [FILE|-] [--json]");
    expect(result.stdout).toContain("tinyagent run-plan [FILE|-] [--dry-run] [--yes] [--json]");
    expect(result.stdout).toContain("--dry-run");
    expect(result.stdout).toContain("standard input when FILE is - or left out");
  });

  it("no command at all prints the usage and exits 2", async () => {
    const result = await runCli([]);
    expectExit(result, 2);
    expect(`${result.stdout}${result.stderr}`).toContain("tinyagent run-plan [FILE|-]");
  });
});

describe("usage errors exit 2 with a message and a hint, and print nothing on stdout", () => {
  const cases: [string, string[], string][] = [
    ["an unknown command", ["frobnicate", fixture("alex.txt")], 'tinyagent: unknown command "frobnicate"'],
    ["a missing file (parse)", ["parse", "no-such-plan.txt"], "tinyagent: no such file: no-such-plan.txt"],
    [
      "a missing file (run-plan --json)",
      ["run-plan", "--json", "--yes", "no-such-plan.txt"],
      "tinyagent: no such file: no-such-plan.txt",
    ],
    [
      "two files",
      ["parse", fixture("alex.txt"), fixture("cancel.txt")],
      "tinyagent: expected one plan file, got 2",
    ],
    ["an unknown flag (parse)", ["parse", "--bogus", fixture("alex.txt")], "--bogus"],
    ["a run-plan flag given to parse", ["parse", "--yes", fixture("alex.txt")], "--yes"],
    ["an unknown flag (run-plan)", ["run-plan", fixture("alex.txt"), "--force"], "--force"],
    [
      "a folder instead of a file",
      ["run-plan", "--yes", "test"],
      "tinyagent: test is a folder, not a plan file",
    ],
  ];

  it.each(cases)("%s", async (_name, args, message) => {
    const result = await runCli(args, { cwd: ROOT });
    expectExit(result, 2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(message);
    expect(result.stderr).toMatch(HINT);
    // A usage error is not a crash: no stack trace.
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("an unknown flag is reported as an unknown option, quotes balanced, with the command's help hint", async () => {
    const result = await runCli(["run-plan", "--force", fixture("alex.txt")]);
    expectExit(result, 2);
    expect(result.stderr).toBe(
      'tinyagent: unknown option "--force"\nRun "tinyagent run-plan --help" for usage.\n',
    );
  });
});

describe.skipIf(!HAS_SCRIPT)("no plan and nothing piped in, on a terminal", () => {
  afterEach(killTerminals);

  it.each([["parse"], ["run-plan"]])(
    "%s with no file asks for a plan instead of waiting on the keyboard: exit 2",
    async (command) => {
      const session = TerminalSession.start(cliCommand([command]));
      const exit = await session.waitForExit(8_000);
      expect(exit, session.text).toEqual({ code: 2, signal: null });
      expect(session.text).toContain("tinyagent: no plan given: pass a file, or pipe the plan in");
      expect(session.text).toMatch(HINT);
    },
  );
});

// Issue 17, item 8: only model and engines knew --help; the others said "Unknown option '--help'".
describe("every command has --help", () => {
  const commands: [string, string][] = [
    ["parse", "tinyagent parse [FILE|-] [--json]"],
    ["run-plan", "tinyagent run-plan [FILE|-] [--dry-run] [--yes] [--json]"],
    ["plan", 'tinyagent plan "<request>"'],
    ["ask", 'tinyagent ask "<request>"'],
    ["tools", 'tinyagent tools "<request>" [--json]'],
    ["eval", "tinyagent eval --data FILE.jsonl"],
    ["model", "tinyagent model list [--json]"],
    ["engines", "tinyagent engines install [--dir DIR]"],
  ];

  it.each(commands)("%s --help prints its usage on stdout, exit 0", async (command, usage) => {
    for (const flag of ["--help", "-h"]) {
      const result = await runCli([command, flag]);
      expectExit(result, 0);
      expect(result.stderr).toBe("");
      expect(result.stdout).toContain(usage);
      expect(result.stdout).not.toContain("Unknown option");
    }
  });

  it("--help after other arguments still prints the usage and runs nothing", async () => {
    const result = await runCli(["run-plan", "--yes", fixture("alex.txt"), "--help"]);
    expectExit(result, 0);
    expect(result.stdout).toContain("tinyagent run-plan [FILE|-]");
    expect(result.stderr).toBe("");
    const engines = await runCli(["engines", "install", "--help"]);
    expectExit(engines, 0);
    expect(engines.stdout).toContain("tinyagent engines install");
  });
});

describe("tinyagent --version", () => {
  it("prints the version of TinyAgent and of the engines it pins, exit 0", async () => {
    const result = await runCli(["--version"]);
    expectExit(result, 0);
    expect(result.stderr).toBe("");
    const [first, second] = result.stdout.trimEnd().split("\n");
    expect(first).toMatch(/^tinyagent \S+/);
    expect(second).toContain("node-llama-cpp 3.21.1");
    expect(second).toContain("onnxruntime-node 1.30.0");
    expect(second).toContain(`Node ${process.versions.node}`);
  });
});
