import { parseArgs } from "node:util";
import { parseCommand } from "./parse-command";
import { runPlanCommand } from "./run-plan-command";
import { UsageError } from "./usage-error";

const USAGE = `TinyAgent: on-device plans of actions across your Mac's apps.

Usage:
  tinyagent parse [FILE|-] [--json]
      Read a plan, print it and its problems. Exit status 1 when the plan is invalid.
  tinyagent run-plan [FILE|-] [--dry-run] [--yes] [--json]
      Validate and execute a plan. Asks before every step with a side effect unless --yes.
      --dry-run (and any system other than macOS) records what would run instead of running it.
      --json prints each step's status, resolved arguments, result and the exact script, URL or
      command that ran or would run.

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
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      process.stderr.write(`tinyagent: ${(error as Error).message}\nRun "tinyagent --help" for usage.\n`);
      return 2;
    }
    throw error;
  }
}

function single(positionals: string[]): string | undefined {
  if (positionals.length > 1) throw new UsageError(`expected one plan file, got ${positionals.length}`);
  return positionals[0];
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}
