import { parseArgs } from "node:util";
import { evalCommand } from "./eval-command";
import { enginesCommand } from "./engines-command";
import { modelCommand } from "./model-command";
import { parseCommand } from "./parse-command";
import { askCommand, planCommand } from "./plan-command";
import { toolsCommand } from "./tools-command";
import { runPlanCommand } from "./run-plan-command";
import { UsageError } from "./usage-error";
import { stderr, stdout } from "./terminal-output";

const USAGE = `TinyAgent: on-device plans of actions across your Mac's apps.

Usage:
  tinyagent parse [FILE|-] [--json]
      Read a plan, print it and its problems. Exit status 1 when the plan is invalid.
  tinyagent run-plan [FILE|-] [--dry-run] [--yes] [--json]
      Validate and execute a plan. Asks before every step with a side effect unless --yes.
      --dry-run (and any system other than macOS) records what would run instead of running it.
      --json prints each step's status, resolved arguments, result and the exact script, URL or
      command that ran or would run.

  tinyagent plan "<request>" [--model ID|PATH | --server URL [--server-model NAME]] [--max-tokens N] [--json]
  tinyagent plan --jsonl [--model ID|PATH | --server URL]
      Write a plan for a request with a local model (default: tinyagent-1.1b once downloaded,
      else the built-in micro) or an OpenAI-compatible server, without running it. --jsonl reads {"query": ...} lines on
      standard input and writes one JSON line per request.
  tinyagent ask "<request>" [--model ID|PATH | --server URL] [--dry-run] [--yes] [--json]
      Plan and run: steps start as the plan is written; each step with a side effect asks first.
  tinyagent tools "<request>" [--json]
  tinyagent tools --jsonl
      Which tools the classifier offers the planner for a request, with their probabilities.
  tinyagent model list | download [ID] | verify [ID] | path [ID]
      Download and check the local planner models ("tinyagent model --help" for details).
  tinyagent engines install [--dir DIR] | path [--dir DIR]
      Download, check and install the native engines from the npm registry, as the Raycast
      extension does at first run ("tinyagent engines --help" for details).
  tinyagent eval --data FILE.jsonl [--model ID|PATH | --server URL [--server-model NAME]] [--out DIR]
                 [--all-tools] [--limit N] [--now "YYYY-MM-DD HH:MM"] [--name NAME] [--writer]
      Plan every request of a ground-truth file ({"query", "plan"} per line) and measure plan
      success (DAG match), validity, tool recall, key arguments, made-up free text, prompt size and
      latency. --writer also has the model write each draft's body, as on a Mac, and counts bodies
      that read as plan text. Writes report.json, report.md and chart.svg to DIR (default
      eval-report), merged with earlier runs.

A plan is read from FILE, or from standard input when FILE is - or left out.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "parse": {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { json: { type: "boolean", default: false } },
        });
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
        return await planCommand(request(positionals), {
          ...plannerChoice(values),
          json: values.json,
          jsonl: values.jsonl,
        });
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
        return await askCommand(request(positionals), {
          ...plannerChoice(values),
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
        return await toolsCommand(request(positionals), { json: values.json, jsonl: values.jsonl });
      }
      case "model":
        return await modelCommand(rest);
      case "engines":
        return await enginesCommand(rest);
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
          },
        });
        return await evalCommand({
          writer: values.writer,
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
        stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      stderr.write(`tinyagent: ${(error as Error).message}\nRun "tinyagent --help" for usage.\n`);
      return 2;
    }
    throw error;
  }
}

const PLANNER_FLAGS = {
  model: { type: "string" },
  "all-tools": { type: "boolean", default: false },
  "max-tokens": { type: "string" },
  server: { type: "string" },
  "server-model": { type: "string" },
} as const;

function plannerChoice(values: {
  "all-tools"?: boolean;
  model?: string;
  server?: string;
  "server-model"?: string;
  "max-tokens"?: string;
}) {
  return {
    allTools: values["all-tools"] ?? false,
    ...(values["max-tokens"] === undefined
      ? {}
      : { maxTokens: positiveInteger("--max-tokens", values["max-tokens"]) }),
    ...(values.model === undefined ? {} : { model: values.model }),
    ...(values.server === undefined ? {} : { server: values.server }),
    ...(values["server-model"] === undefined ? {} : { serverModel: values["server-model"] }),
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
