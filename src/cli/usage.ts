// Every command's usage lives here, not in its command's module: `tinyagent --help` and a usage error
// must not load a command (main imports commands only when one runs).
import { DEFAULT_MODEL_ID } from "../agent/model/catalog";

const PLAN_SOURCE = "A plan is read from FILE, or from standard input when FILE is - or left out.";

const PLANNER_CHOICE = `The planner:
  --model ID|PATH       a catalog model or a GGUF file (default: tinyagent-1.1b once downloaded,
                        else the built-in TinyAgent-micro)
  --server URL          an OpenAI-compatible server instead (Ollama, LM Studio, llama.cpp)
  --server-model NAME   the model name on that server
  --all-tools           offer every tool instead of the classifier's selection
  --max-tokens N        the most tokens the planner may write`;

export const MODEL_USAGE = `Usage:
  tinyagent model list [--json]
      The planner models, whether each is downloaded, and where.
  tinyagent model download [ID] [--force]
      Download a model (default ${DEFAULT_MODEL_ID}) with its sha256 checked. An interrupted download
      resumes where it stopped. --force downloads again a model that is already there.
  tinyagent model verify [ID] [--json]
      Check a downloaded model's size and sha256.
  tinyagent model path [ID] [--json]
      Print where the model's file is (exit status 1 when it is not downloaded yet).
  tinyagent model download whisper-base.en
      Download the speech model for \`tinyagent transcribe\` and Speak to TinyAgent (148 MB, sha256
      checked); verify and path take it too.

Models live in the per-user models folder; TINYAGENT_MODELS_DIR chooses another one.
TINYAGENT_MODEL_BASE_URL (or HF_ENDPOINT) downloads from a mirror instead of https://huggingface.co.`;

export const ENGINES_USAGE = `Usage:
  tinyagent engines install [--dir DIR] [--registry URL]
      Download node-llama-cpp (with this platform's prebuilt binary) and onnxruntime-node from the
      npm registry at the versions and sha512 hashes of TinyAgent's package-lock.json, check each
      hash and install them under DIR (what the Raycast extension does at first run). An interrupted
      install resumes; a second one returns at once.
  tinyagent engines path [--dir DIR]
      Print the folder holding the installed engines (exit status 1 when they are not installed).

DIR defaults to TINYAGENT_ENGINES_DIR, else the per-user TinyAgent data folder's engines/. The registry
defaults to TINYAGENT_ENGINE_REGISTRY (a mirror), else https://registry.npmjs.org.`;

/** Each command in a few lines: `tinyagent --help` lists them all, `tinyagent COMMAND --help` shows one. */
export const COMMAND_USAGE = {
  parse: `  tinyagent parse [FILE|-] [--json]
      Read a plan, print it and its problems. Dates in words are resolved as run-plan resolves
      them. Exit status 1 when the plan is invalid. --json prints the plan, its problems and the
      resolved dates as JSON.`,
  "run-plan": `  tinyagent run-plan [FILE|-] [--dry-run] [--yes] [--json]
      Validate and execute a plan. Asks before every step with a side effect unless --yes (-y).
      --dry-run (and any system other than macOS) records what would run instead of running it.
      --json prints each step's status, resolved arguments, result and the exact script, URL or
      command that ran or would run.`,
  plan: `  tinyagent plan "<request>" [--model ID|PATH | --server URL [--server-model NAME]] [--max-tokens N] [--json]
  tinyagent plan --jsonl [--model ID|PATH | --server URL]
      Write a plan for a request with a local model or an OpenAI-compatible server, without
      running it. --jsonl reads {"query": ...} lines on standard input and writes one JSON line
      per request. --now "YYYY-MM-DD HH:MM" plans as if asked then (this machine's zone).`,
  ask: `  tinyagent ask "<request>" [--model ID|PATH | --server URL] [--dry-run] [--yes] [--json] [--now "YYYY-MM-DD HH:MM"]
      Plan and run: steps start as the plan is written; each step with a side effect asks first.`,
  tools: `  tinyagent tools "<request>" [--json]
  tinyagent tools --jsonl
      Which tools the classifier offers the planner for a request, with every tool's probability.`,
  transcribe: `  tinyagent transcribe FILE.wav [--model ID|PATH] [--threads N] [--json]
      Transcribe speech on this machine with whisper.cpp and print the words. The speech model is
      whisper-base.en ("tinyagent model download whisper-base.en"), a whisper.cpp .bin file given
      with --model, or the file TINYAGENT_SPEECH_MODEL names. --json adds segments and timings.`,
  listen: `  tinyagent listen [--model ID|PATH] [--max-seconds N] [--keep FILE.wav] [--json]
      Record a spoken request from the Mac's microphone (until Enter, a pause after speech, or
      N seconds, default 30) and print what was said, transcribed on this Mac as transcribe does.
      --keep keeps the recording. macOS only.`,
  model: `  tinyagent model list | download [ID] | verify [ID] | path [ID]
      Download and check the local planner models ("tinyagent model --help" for details).`,
  engines: `  tinyagent engines install [--dir DIR] | path [--dir DIR]
      Download, check and install the native engines from the npm registry, as the Raycast
      extension does at first run ("tinyagent engines --help" for details).`,
  eval: `  tinyagent eval --data FILE.jsonl [--model ID|PATH | --server URL [--server-model NAME]] [--out DIR]
                 [--all-tools] [--limit N] [--now "YYYY-MM-DD HH:MM"] [--name NAME] [--writer] [--replan]
      Plan every request of a ground-truth file ({"query", "plan"} per line) and measure plan
      success (DAG match), validity, tool recall, key arguments, made-up free text, prompt size and
      latency. --writer also has the model write each draft's body, as on a Mac, and counts bodies
      that read as plan text. Writes report.json, report.md and chart.svg to DIR (default
      eval-report), merged with earlier runs. --replan instead runs each plan end to end against
      the recording backend, where look-ups of what the request did not mean fail, plans again once
      after a fixable failure, and reports how many runs end with the request done (replan.json).`,
} as const;

export type CommandName = keyof typeof COMMAND_USAGE;

export function isCommand(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMAND_USAGE, name);
}

/** The usage of every command: `tinyagent --help`. */
export const USAGE = `TinyAgent: on-device plans of actions across your Mac's apps.

Usage:
${COMMAND_USAGE.parse}
${COMMAND_USAGE["run-plan"]}

${COMMAND_USAGE.plan}
${COMMAND_USAGE.ask}
${COMMAND_USAGE.tools}
${COMMAND_USAGE.transcribe}
${COMMAND_USAGE.listen}
${COMMAND_USAGE.model}
${COMMAND_USAGE.engines}
${COMMAND_USAGE.eval}

  tinyagent --version
      The version of TinyAgent and of the engines it runs with.

${PLAN_SOURCE} "tinyagent COMMAND --help" shows one command.`;

/** What `tinyagent COMMAND --help` prints. */
export function commandUsage(command: CommandName): string {
  switch (command) {
    case "model":
      return MODEL_USAGE;
    case "engines":
      return ENGINES_USAGE;
    case "parse":
    case "run-plan":
      return `Usage:\n${COMMAND_USAGE[command]}\n\n${PLAN_SOURCE}`;
    case "plan":
    case "ask":
      return `Usage:\n${COMMAND_USAGE[command]}\n\n${PLANNER_CHOICE}`;
    case "tools":
    case "transcribe":
    case "listen":
    case "eval":
      return `Usage:\n${COMMAND_USAGE[command]}`;
  }
}
