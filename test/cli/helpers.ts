import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Helpers for the end-to-end tests of the `tinyagent` command line. Every test runs the real
 * `bin/tinyagent.mjs` (which loads lib/cli.mjs, rebuilt by test/global-setup.ts) as a child process:
 * no mocks, real exit codes, real standard streams, and for the interactive tests a real pseudo-terminal.
 */

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = join(ROOT, "bin", "tinyagent.mjs");

/** Absolute path of a plan in test/fixtures/cli. */
export function fixture(name: string): string {
  return join(ROOT, "test", "fixtures", "cli", name);
}

export function fixtureText(name: string): string {
  return readFileSync(fixture(name), "utf8");
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/tinyagent.mjs ...args` with pipes for all three streams, so neither standard input nor
 * standard error is a terminal. `input` is written to standard input, which is then closed (closed empty
 * when no input is given). The child is killed if it outlives `timeoutMs`. `env` replaces its environment.
 */
export function runCli(
  args: string[],
  options: { input?: string; timeoutMs?: number; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? childEnv(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(
          `tinyagent ${args.join(" ")} did not exit within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.on("error", () => undefined); // the CLI may exit without reading its input
    child.stdin.end(options.input ?? "");
  });
}

/** Fails with everything the command printed when it did not exit with `code`. */
export function expectExit(result: CliResult, code: number): void {
  if (result.code === code) return;
  throw new Error(
    `expected exit status ${code}, got ${result.code} (signal ${result.signal})\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
  );
}

/** The shape `run-plan --json` prints (DESIGN §9, issue: status, resolved args, observation, invocations). */
export interface JsonInvocation {
  kind: "applescript" | "url" | "command" | "http";
  script?: string;
  argv?: string[];
  url?: string;
  file?: string;
  method?: string;
  body?: string;
}

export interface JsonStep {
  index: number;
  tool: string;
  status: "done" | "failed" | "skipped";
  args: Record<string, unknown> | null;
  observation: string | null;
  error: { code: string; message: string } | null;
  reason: string | null;
  invocations: JsonInvocation[];
  durationMs: number;
}

export interface JsonReport {
  /** The run's answer, built by rules from the step results. */
  answer: string;
  valid: boolean;
  problems: { code: string; message: string; severity: string; line?: number; step?: number }[];
  backend: string;
  dryRun: boolean;
  cancelled: boolean;
  steps: JsonStep[];
}

export function parseReport(stdout: string): JsonReport {
  return JSON.parse(stdout) as JsonReport;
}

export function stepOf(report: JsonReport, index: number): JsonStep {
  const step = report.steps.find((s) => s.index === index);
  if (!step) throw new Error(`no step ${index} in the report: ${JSON.stringify(report.steps)}`);
  return step;
}

/** Quotes one word for `sh -c`. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command line, for `sh -c`, that runs the CLI with the same Node as the tests. */
export function cliCommand(args: string[]): string {
  return ["exec", shellQuote(process.execPath), shellQuote(BIN), ...args].join(" ");
}

/** Whether util-linux `script` is here to give the CLI a pseudo-terminal. */
export const HAS_SCRIPT = (() => {
  const probe = spawnSync("script", ["--version"], { encoding: "utf8" });
  return probe.status === 0 && /util-linux/.test(`${probe.stdout}${probe.stderr}`);
})();

/** Terminal output without colour and cursor escapes and without carriage returns. */
export function plainText(raw: string): string {
  // eslint-disable-next-line no-control-regex
  return raw.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, "").replace(/\r/g, "");
}

const live = new Set<TerminalSession>();

/**
 * A command running on a pseudo-terminal (`script -qec COMMAND /dev/null`), driven like a person at the
 * keyboard: wait for a prompt, then type the answer. Answers typed before the prompt is shown can be
 * lost, so every answer waits for its prompt.
 */
export class TerminalSession {
  private raw = "";
  private cursor = 0;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exited: Promise<void>;
  private readonly child: ChildProcessWithoutNullStreams;

  private constructor(readonly command: string) {
    this.child = spawn("script", ["-qec", command, "/dev/null"], {
      cwd: ROOT,
      env: { ...childEnv(), SHELL: "/bin/sh", TERM: "xterm" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stdout.setEncoding("utf8").on("data", (chunk: string) => (this.raw += chunk));
    this.child.stderr.setEncoding("utf8").on("data", (chunk: string) => (this.raw += chunk));
    this.child.stdin.on("error", () => undefined);
    this.exited = new Promise((resolve) => {
      this.child.on("close", (code, signal) => {
        this.exit = { code, signal };
        live.delete(this);
        resolve();
      });
      this.child.on("error", () => {
        this.exit = { code: null, signal: null };
        live.delete(this);
        resolve();
      });
    });
    live.add(this);
  }

  /** Starts `sh -c command` on a fresh pseudo-terminal. */
  static start(command: string): TerminalSession {
    return new TerminalSession(command);
  }

  /** Everything shown on the terminal so far, escapes removed. */
  get text(): string {
    return plainText(this.raw);
  }

  /**
   * Waits until `pattern` appears after the previous match and returns the text from the previous match up
   * to and including this one.
   */
  async waitFor(pattern: string | RegExp, timeoutMs = 8_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.text;
      const rest = text.slice(this.cursor);
      let end = -1;
      if (typeof pattern === "string") {
        const at = rest.indexOf(pattern);
        if (at !== -1) end = at + pattern.length;
      } else {
        const match = new RegExp(pattern.source, pattern.flags.replace("g", "")).exec(rest);
        if (match) end = match.index + match[0].length;
      }
      if (end !== -1) {
        this.cursor += end;
        return rest.slice(0, end);
      }
      if (this.exit)
        throw new Error(`exited (${JSON.stringify(this.exit)}) before showing ${pattern}:\n${text}`);
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${pattern}; the terminal shows:\n${text}`);
      await delay(20);
    }
  }

  /** Types on the terminal's keyboard. */
  type(keys: string): void {
    this.child.stdin.write(keys);
  }

  /** The exit status, or undefined when the command is still running after `timeoutMs`. */
  async waitForExit(
    timeoutMs = 8_000,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
    await Promise.race([this.exited, delay(timeoutMs)]);
    return this.exit;
  }

  kill(): void {
    if (this.exit) return;
    // Closing the terminal (script dies) hangs up the CLI running on it.
    this.child.kill("SIGKILL");
  }
}

/** Kills every terminal session still running; call after each test so nothing outlives it. */
export async function killTerminals(): Promise<void> {
  const sessions = [...live];
  for (const session of sessions) session.kill();
  await Promise.all(sessions.map((session) => session.waitForExit(2_000)));
}

/** A fresh folder for files the CLI writes (e.g. `--json` output redirected off the terminal). */
export function scratchDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), "tinyagent-cli-"));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** This process's environment, as the CLI gets it unless a test passes its own. */
export function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
