// Commands are imported when they run, not here: each is a chunk of the bundle (scripts/build-cli.mjs), so
// a process evaluates only its own command's modules, and `plan` can start its engine before the agent's
// modules are read (engine-head-start.ts).
import { parseArgs } from "node:util";
import { startEngineEarly } from "./engine-head-start";
import { requestClock } from "./request-clock";
import { UsageError } from "./usage-error";
import { stderr, stdout } from "./terminal-output";
import { commandUsage, isCommand, USAGE } from "./usage";
import { versionText } from "./version";

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--version" || command === "version") {
    stdout.write(`${versionText()}\n`);
    return 0;
  }
  if (isCommand(command) && asksForHelp(rest)) {
    stdout.write(`${commandUsage(command)}\n`);
    return 0;
  }
  try {
    switch (command) {
      case "parse": {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { json: { type: "boolean", default: false } },
        });
        const { parseCommand } = await import("./parse-command");
        return await parseCommand(single(positionals), { json: values.json });
      }
      case "run-plan": {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: {
            json: { type: "boolean", default: false },
            "dry-run": { type: "boolean", default: false },
            yes: { type: "boolean", short: "y", default: false },
          },
        });
        const { runPlanCommand } = await import("./run-plan-command");
        return await runPlanCommand(single(positionals), {
          json: values.json,
          dryRun: values["dry-run"],
          yes: values.yes,
        });
      }
      case "plan": {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: {
            ...PLANNER_FLAGS,
            json: { type: "boolean", default: false },
            jsonl: { type: "boolean", default: false },
          },
        });
        const choice = plannerChoice(values);
        // A wrong --now is refused before the engine starts, so the usage error waits for no binding test.
        requestClock(choice.now);
        await startEngineEarly(choice, { request: request(positionals), jsonl: values.jsonl });
        const { planCommand } = await import("./plan-command");
        return await planCommand(request(positionals), { ...choice, json: values.json, jsonl: values.jsonl });
      }
      case "ask": {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: {
            ...PLANNER_FLAGS,
            json: { type: "boolean", default: false },
            "dry-run": { type: "boolean", default: false },
            yes: { type: "boolean", short: "y", default: false },
          },
        });
        const choice = plannerChoice(values);
        requestClock(choice.now);
        await startEngineEarly(choice, { request: request(positionals), jsonl: false });
        const { askCommand } = await import("./ask-command");
        return await askCommand(request(positionals), {
          ...choice,
          json: values.json,
          dryRun: values["dry-run"],
          yes: values.yes,
        });
      }
      case "tools": {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { json: { type: "boolean", default: false }, jsonl: { type: "boolean", default: false } },
        });
        const { toolsCommand } = await import("./tools-command");
        return await toolsCommand(request(positionals), { json: values.json, jsonl: values.jsonl });
      }
      case "transcribe": {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { ...SPEECH_FLAGS, json: { type: "boolean", default: false } },
        });
        if (positionals.length > 1) throw new UsageError(`expected one WAV file, got ${positionals.length}`);
        const { transcribeCommand } = await import("./transcribe-command");
        return await transcribeCommand(positionals[0], {
          ...speechChoice(values),
          json: values.json,
        });
      }
      case "listen": {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: {
            ...SPEECH_FLAGS,
            keep: { type: "string" },
            "max-seconds": { type: "string" },
            json: { type: "boolean", default: false },
          },
        });
        if (positionals.length > 0) throw new UsageError(`"listen" takes no file (it records one)`);
        const { listenCommand } = await import("./listen-command");
        return await listenCommand({
          ...speechChoice(values),
          json: values.json,
          ...(values.keep === undefined ? {} : { keep: values.keep }),
          ...(values["max-seconds"] === undefined
            ? {}
            : { maxSeconds: Math.min(600, positiveInteger("--max-seconds", values["max-seconds"])) }),
        });
      }
      case "model": {
        const { modelCommand } = await import("./model-command");
        return await modelCommand(rest);
      }
      case "engines": {
        const { enginesCommand } = await import("./engines-command");
        return await enginesCommand(rest);
      }
      case "eval": {
        const { values } = parseArgs({
          args: rest,
          options: {
            ...PLANNER_FLAGS,
            data: { type: "string" },
            out: { type: "string", default: "eval-report" },
            limit: { type: "string" },
            now: { type: "string" },
            name: { type: "string" },
            writer: { type: "boolean", default: false },
            replan: { type: "boolean", default: false },
          },
        });
        const { evalCommand } = await import("./eval-command");
        return await evalCommand({
          writer: values.writer,
          replan: values.replan,
          ...plannerChoice(values),
          data: values.data,
          out: values.out,
          ...(values.limit === undefined ? {} : { limit: positiveInteger("--limit", values.limit) }),
          ...(values.now === undefined ? {} : { now: values.now }),
          ...(values.name === undefined ? {} : { name: values.name }),
        });
      }
      case undefined:
      case "help":
      case "--help":
      case "-h":
        // `tinyagent help parse` is `tinyagent parse --help`.
        stdout.write(`${command === "help" && isCommand(rest[0]) ? commandUsage(rest[0]) : USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      const help = isCommand(command) ? `tinyagent ${command} --help` : "tinyagent --help";
      stderr.write(`tinyagent: ${usageMessage(error as Error)}\nRun "${help}" for usage.\n`);
      return 2;
    }
    throw error;
  }
}

/** `--help` or `-h` anywhere before a `--` that ends the options. */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}

/**
 * The mistake in a few words. Node's own message for an unknown option runs on about positional arguments
 * and leaves a quote open ("as in '-- \"--help\"").
 */
function usageMessage(error: Error): string {
  const unknown = /^Unknown option '([^']*)'/.exec(error.message);
  return unknown ? `unknown option "${unknown[1]}"` : error.message;
}

const PLANNER_FLAGS = {
  model: { type: "string" },
  "all-tools": { type: "boolean", default: false },
  "max-tokens": { type: "string" },
  server: { type: "string" },
  "server-model": { type: "string" },
  now: { type: "string" },
} as const;

function plannerChoice(values: {
  "all-tools"?: boolean;
  model?: string;
  server?: string;
  "server-model"?: string;
  "max-tokens"?: string;
  now?: string;
}) {
  return {
    allTools: values["all-tools"] ?? false,
    ...(values.now === undefined ? {} : { now: values.now }),
    ...(values["max-tokens"] === undefined
      ? {}
      : { maxTokens: positiveInteger("--max-tokens", values["max-tokens"]) }),
    ...(values.model === undefined ? {} : { model: values.model }),
    ...(values.server === undefined ? {} : { server: values.server }),
    ...(values["server-model"] === undefined ? {} : { serverModel: values["server-model"] }),
  };
}

/** The flags transcribe and listen share: which speech model, and how many threads it runs on. */
const SPEECH_FLAGS = {
  model: { type: "string" },
  threads: { type: "string" },
} as const;

function speechChoice(values: { model?: string; threads?: string }) {
  return {
    ...(values.model === undefined ? {} : { model: values.model }),
    ...(values.threads === undefined ? {} : { threads: positiveInteger("--threads", values.threads) }),
  };
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new UsageError(`${flag} must be a whole number above 0, got "${text}"`);
  return value;
}

/** The request: all words after the command, so quoting is optional. */
function request(positionals: string[]): string | undefined {
  return positionals.length === 0 ? undefined : positionals.join(" ");
}

function single(positionals: string[]): string | undefined {
  if (positionals.length > 1) throw new UsageError(`expected one plan file, got ${positionals.length}`);
  return positionals[0];
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}
