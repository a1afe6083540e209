import { openSync } from "node:fs";
import { ReadStream } from "node:tty";
import { createInterface, type Interface } from "node:readline/promises";
import type { ResolvedArgs } from "../agent/executor/events";
import type { Confirmation, ConfirmationRequest } from "../agent/executor/executor";
import type { Step } from "../agent/plan/plan";
import type { Choice } from "../tools/backend";
import { toolParams, type Param } from "../tools/tool";
import { formatArgumentValue, formatArguments } from "./format";
import { terminalText, visibleText } from "./terminal-text";
import { stderr, TerminalOutput } from "./terminal-output";

/**
 * Questions asked on the terminal: approving a write step and picking among candidates. Prompts go to
 * standard error so `--json` output on standard output stays clean.
 */
export class TerminalPrompts {
  private constructor(
    private readonly readline: Interface,
    /** The terminal we opened ourselves, to close with the prompts. */
    private readonly tty?: ReadStream,
    /** Where questions are written: standard error, or a test's stand-in. */
    private readonly output: TerminalOutput = stderr,
  ) {}

  /** Prompts that read answers from `input` and write to `output` (not a terminal): for tests. */
  static over(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): TerminalPrompts {
    const readline = createInterface({ input, output, terminal: false });
    return new TerminalPrompts(readline, undefined, new TerminalOutput(output));
  }

  /**
   * Opens the terminal for questions. When the plan itself came on standard input, answers are read from
   * the controlling terminal instead; undefined when there is no terminal to ask on. Ctrl-C at a prompt
   * calls `onInterrupt`, as it would anywhere else.
   */
  static open(planFromStdin: boolean, onInterrupt: () => void): TerminalPrompts | undefined {
    if (!process.stderr.isTTY) return undefined;
    let prompts: TerminalPrompts;
    if (!planFromStdin && process.stdin.isTTY) {
      prompts = new TerminalPrompts(createInterface({ input: process.stdin, output: process.stderr }));
    } else {
      let tty: ReadStream;
      try {
        tty = new ReadStream(openSync("/dev/tty", "r"));
      } catch {
        return undefined;
      }
      prompts = new TerminalPrompts(createInterface({ input: tty, output: process.stderr }), tty);
    }
    // Without a listener, readline would treat Ctrl-C as "close the prompt" instead of "cancel the run".
    prompts.readline.on("SIGINT", onInterrupt);
    return prompts;
  }

  close(): void {
    this.readline.close();
    this.tty?.destroy();
  }

  /**
   * Shows the step with its arguments and asks. After an edit the step is shown again with the new
   * arguments and asked again: nothing runs with values the person has not seen.
   */
  async confirm(request: ConfirmationRequest): Promise<Confirmation> {
    const { step, tool } = request;
    return this.output.question(async (say) => {
      let args = request.args;
      let edited = false;
      for (;;) {
        say(
          `\nStep ${step.index} · ${tool.name} (${tool.app}) will run with:\n${formatArguments(tool, args, request.sources)}\n`,
        );
        // A step that found its side effect while running (the file is an app) says why it asks.
        if (request.reason !== undefined) say(`${visibleText(request.reason)}\n`);
        const answer = await this.askUntilClear(request.signal);
        if (answer === "decline") return { decision: "decline", reason: "you declined this step" };
        if (answer === "approve") return edited ? { decision: "edit", args } : { decision: "approve" };
        args = await this.edit(toolParams(tool), args, request.signal, say);
        edited = true;
      }
    });
  }

  async choose(choice: Choice, step: Step, signal: AbortSignal): Promise<string | undefined> {
    const options = choice.options.map(
      (option, i) =>
        `  ${i + 1}) ${visibleText(option.label)}${option.detail ? `  ${visibleText(option.detail)}` : ""}`,
    );
    return this.output.question(async (say) => {
      say(`\nStep ${step.index}: ${visibleText(choice.question)}\n${options.join("\n")}\n`);
      for (;;) {
        const answer = (await this.ask(`Pick 1-${choice.options.length} (Enter to skip): `, signal)).trim();
        if (answer === "") return undefined;
        const picked = choice.options[Number(answer) - 1];
        if (picked && /^\d+$/.test(answer)) return picked.value;
      }
    });
  }

  /** "Run it?" until the answer is yes, no or edit. */
  private async askUntilClear(signal: AbortSignal): Promise<"approve" | "decline" | "edit"> {
    for (;;) {
      const answer = (await this.ask("Run it? [y]es, [n]o, [e]dit: ", signal)).trim().toLowerCase();
      if (answer === "y" || answer === "yes") return "approve";
      if (answer === "n" || answer === "no") return "decline";
      if (answer === "e" || answer === "edit") return "edit";
    }
  }

  /** Asks for each argument with the current value as the default; the executor validates the result. */
  private async edit(
    params: Param[],
    args: ResolvedArgs,
    signal: AbortSignal,
    say: (text: string) => void,
  ): Promise<ResolvedArgs> {
    say("Press Enter to keep a value. Lists are comma-separated.\n");
    const edited: ResolvedArgs = { ...args };
    for (const param of params) {
      const current = args[param.name];
      const answer = await this.ask(`  ${param.name} [${formatArgumentValue(current)}]: `, signal);
      if (answer.trim() === "") continue;
      edited[param.name] = readTypedAnswer(param, answer.trim());
    }
    return edited;
  }

  private async ask(question: string, signal?: AbortSignal): Promise<string> {
    return this.readline.question(terminalText(question), signal ? { signal } : {});
  }
}

function readTypedAnswer(param: Param, answer: string): unknown {
  switch (param.type) {
    case "list[str]":
      return answer
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item !== "");
    case "int":
      return Number(answer);
    case "bool":
      return /^(y|yes|true|1)$/i.test(answer);
    case "str":
      return param.nullable && /^none$/i.test(answer) ? null : answer;
  }
}
