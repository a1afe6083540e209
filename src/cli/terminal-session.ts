import type { StepOutcome } from "../agent/executor/events";
import type { ExecuteOptions } from "../agent/executor/executor";
import type { ToolBackend } from "../tools/backend";
import { RecordingBackend } from "../tools/recording/recording-backend";
import { formatOutcome } from "./format";
import { TerminalPrompts } from "./terminal-prompts";
import { MacBackend } from "../tools/macos/mac-backend";
import type { TextWriter } from "../tools/macos/mac-context";
import { createMacSystem } from "../tools/macos/mac-system";
import { zoomAuthFromEnv } from "../tools/macos/zoom";
import { stderr } from "./terminal-output";

export interface TerminalSessionOptions {
  dryRun: boolean;
  /** Approve every write step without asking. */
  yes: boolean;
  /** Machine-readable output on stdout: no progress lines. */
  json: boolean;
  /** The plan or request came on standard input, so questions are asked on /dev/tty. */
  inputFromStdin: boolean;
  /** Writes email bodies and summaries with the local model, when one is loaded. */
  writer?: TextWriter;
}

/**
 * What `run-plan` and `ask` share on a terminal: the backend, Ctrl-C as cancel (twice to quit), and the
 * questions before each write step and for ambiguous lookups. Close it when the run is over.
 */
export class TerminalSession {
  readonly backend: ToolBackend;
  readonly controller = new AbortController();
  private readonly prompts: TerminalPrompts | undefined;
  private readonly onInterrupt = () => {
    if (this.controller.signal.aborted) process.exit(130);
    stderr.write("\nCancelling: nothing new will start. Press Ctrl-C again to quit at once.\n");
    this.controller.abort();
  };

  /** Why actions were only recorded, for the summary line; empty when they ran. */
  readonly recordedBecause: string;

  constructor(private readonly options: TerminalSessionOptions) {
    this.backend = chooseBackend(options.dryRun, options.writer);
    this.recordedBecause = recordedBecause(this.backend, options.dryRun);
    process.on("SIGINT", this.onInterrupt);
    this.prompts = TerminalPrompts.open(options.inputFromStdin, this.onInterrupt);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  executeOptions(): ExecuteOptions {
    const { prompts, options, controller } = this;
    return {
      backend: this.backend,
      signal: controller.signal,
      confirm: async (request) => {
        if (options.yes) return { decision: "approve" };
        if (!prompts)
          return { decision: "decline", reason: "no terminal to ask for approval; pass --yes to approve" };
        return prompts.confirm(request);
      },
      choose: async (choice, step) => prompts?.choose(choice, step, controller.signal),
      onEvent: (event) => {
        if (options.json) return;
        if (event.type === "done" || event.type === "failed" || event.type === "skipped") {
          stderr.write(`${formatOutcome({ ...event, status: event.type } as StepOutcome)}\n`);
        }
      },
    };
  }

  close(): void {
    process.off("SIGINT", this.onInterrupt);
    this.prompts?.close();
  }
}

/**
 * Why nothing ran, when the backend only records: a dry run asked for, or a system that is not macOS
 * (where a dry run says nothing about "this Mac").
 */
function recordedBecause(backend: ToolBackend, dryRun: boolean): string {
  if (backend.name !== "recording") return "";
  if (!dryRun) return "recorded, not run: TinyAgent's actions run on macOS only";
  return process.platform === "darwin"
    ? "dry run: recorded, nothing ran on this Mac"
    : "dry run: recorded, nothing ran";
}

/**
 * The recording backend off macOS and for dry runs; the Mac itself otherwise. `TINYAGENT_BACKEND=mac` takes
 * the Mac backend on any system: tests run the real wiring against a stand-in `osascript` on PATH.
 */
function chooseBackend(dryRun: boolean, writer: TextWriter | undefined): ToolBackend {
  const preferences = {
    messagesDraftOnly: process.env.TINYAGENT_MESSAGES_DRAFT_ONLY === "1",
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
  const mac = process.platform === "darwin" || process.env.TINYAGENT_BACKEND === "mac";
  if (dryRun || !mac) return new RecordingBackend(preferences);
  const system = createMacSystem();
  const zoomAuth = zoomAuthFromEnv(process.env, system.fetchJson);
  return new MacBackend({
    system,
    preferences,
    ...(zoomAuth ? { zoomAuth } : {}),
    ...(writer ? { writer } : {}),
  });
}
