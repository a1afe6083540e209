import { allToolsSelector, plan, type PlanOptions, type ToolSelector } from "../agent/agent";
import { ClassifierError, loadRetrievalExamples, ToolClassifier } from "../agent/toolrag/classifier";
import { ToolRag } from "../agent/toolrag/tool-rag";
import { ModelFileError } from "../agent/model/gguf-header";
import { DEFAULT_MODEL_ID, MICRO_MODEL } from "../agent/model/catalog";
import { defaultModelId, ModelMissingError, resolveModel } from "../agent/model/model-store";
import { modelsFolder } from "../agent/model/models-folder";
import { LlamaPlanner } from "../agent/planner/llama-planner";
import { PlannerError, type Planner } from "../agent/planner/planner";
import { ServerPlanner } from "../agent/planner/server-planner";
import { defaultRegistry } from "../tools/registry";
import { formatNormalization, formatProblems } from "./format";
import { answerRequestLines } from "./request-lines";
import { requestClock } from "./request-clock";
import { UsageError } from "./usage-error";
import { stderr, stdout } from "./terminal-output";

export interface PlannerChoice {
  /** A catalog model id or a path to a GGUF file. */
  model?: string;
  /** An OpenAI-compatible server instead of a local model. */
  server?: string;
  /** The model name on that server. */
  serverModel?: string;
  /** Most tokens the planner may write. */
  maxTokens?: number;
  /** Offer every tool instead of the classifier's selection. */
  allTools?: boolean;
  /** When the request is made, "YYYY-MM-DD HH:MM" on this machine's clock (default: now). */
  now?: string;
}

/**
 * `tinyagent plan "<request>" [--model ID|PATH] [--server URL] [--json]`, and `--jsonl` for a stream of
 * requests on standard input: plans without running anything.
 */
export async function planCommand(
  request: string | undefined,
  options: PlannerChoice & { json: boolean; jsonl: boolean },
): Promise<number> {
  if (options.jsonl && request !== undefined)
    throw new UsageError("--jsonl reads requests from standard input; give no request");
  if (!options.jsonl && (request === undefined || request.trim() === ""))
    throw new UsageError('give a request, e.g. tinyagent plan "text Sid I am late"');
  const clock = requestClock(options.now);
  const selecting = selectorInParallel(options);
  // One request has one prompt: no other warm sequence would ever be used (their KV caches take half the
  // context's creation time, after the model has loaded).
  return withPlanner({ ...options, ...(options.jsonl ? {} : { prompts: "one" }) }, async (planner) => {
    const settings: PlanOptions = {
      planner,
      selector: await selecting,
      registry: defaultRegistry,
      ...clock,
    };
    if (options.jsonl) {
      return answerRequestLines(async (query) => {
        const outcome = await plan(query, settings);
        if (outcome.kind === "no-tools") {
          const record = {
            query,
            plan: null,
            problems: [],
            ms: 0,
            prompt_tokens: 0,
            message: outcome.message,
          };
          return { record, ok: true };
        }
        return { record: planRecord(query, outcome), ok: outcome.checked.valid };
      });
    }
    const streaming = !options.json;
    const outcome = await plan(request!, {
      ...settings,
      ...(streaming ? { onText: (chunk) => stdout.write(chunk) } : {}),
    });
    if (outcome.kind === "no-tools") {
      if (options.json) stdout.json({ query: request, plan: null, message: outcome.message });
      else stdout.write(`${outcome.message}\n`);
      return 0;
    }
    if (options.json) {
      stdout.json(planRecord(request!, outcome), 2);
    } else {
      stdout.write("\n");
      for (const change of outcome.checked.changes) stderr.write(`${formatNormalization(change)}\n`);
      for (const line of formatProblems(outcome.checked.problems)) stderr.write(`${line}\n`);
      if (outcome.stats.stopReason === "max-tokens") {
        stderr.write(
          "The planner reached its token limit before finishing the plan (raise it with --max-tokens).\n",
        );
      }
      stderr.write(
        `${outcome.checked.valid ? "valid plan" : "invalid plan"}: ${outcome.stats.promptTokens} prompt tokens (${outcome.stats.evaluatedTokens} evaluated), ${Math.round(outcome.stats.totalMs)} ms\n`,
      );
    }
    return outcome.checked.valid ? 0 : 1;
  });
}

function planRecord(query: string, outcome: Extract<Awaited<ReturnType<typeof plan>>, { kind: "plan" }>) {
  return {
    query,
    tools: outcome.tools.map((tool) => tool.name),
    plan: outcome.text,
    valid: outcome.checked.valid,
    problems: outcome.checked.problems,
    normalized: outcome.checked.changes,
    ms: Math.round(outcome.stats.totalMs * 10) / 10,
    first_chunk_ms: Math.round(outcome.stats.firstChunkMs * 10) / 10,
    prompt_tokens: outcome.stats.promptTokens,
    evaluated_tokens: outcome.stats.evaluatedTokens,
    stop_reason: outcome.stats.stopReason,
    ...(outcome.stats.threads === undefined ? {} : { threads: outcome.stats.threads }),
  };
}

/** Tool RAG over the shipped classifier, or every tool with --all-tools. */
export async function selectorFor(choice: PlannerChoice): Promise<ToolSelector> {
  if (choice.allTools) return allToolsSelector(defaultRegistry);
  const classifier = await ToolClassifier.load();
  return new ToolRag({ classifier, registry: defaultRegistry, examples: await loadRetrievalExamples() });
}

/**
 * The selector, loading while the planner's model loads (cold start: the classifier and node-llama-cpp
 * come up side by side). Its failure is awaited with the work, where it becomes a message; a planner
 * that fails first leaves it unread, never unhandled.
 */
export function selectorInParallel(choice: PlannerChoice): Promise<ToolSelector> {
  const selecting = selectorFor(choice);
  selecting.catch(() => undefined);
  return selecting;
}

/**
 * Opens the chosen planner, runs the work, always closes it; model and server problems become messages.
 * `prompts: "one"` says the work plans one request without a text writer: the model keeps no other warm
 * sequence.
 */
export async function withPlanner(
  choice: PlannerChoice & { prompts?: "one" },
  work: (planner: Planner) => Promise<number>,
): Promise<number> {
  let planner: Planner;
  try {
    planner = await openPlanner(choice);
  } catch (error) {
    if (
      error instanceof ModelMissingError ||
      error instanceof ModelFileError ||
      error instanceof PlannerError
    ) {
      stderr.write(`tinyagent: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  try {
    return await work(planner);
  } catch (error) {
    if (error instanceof PlannerError || error instanceof ClassifierError) {
      stderr.write(`tinyagent: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await planner.dispose();
  }
}

async function openPlanner(choice: PlannerChoice & { prompts?: "one" }): Promise<Planner> {
  if (choice.server !== undefined && choice.model !== undefined)
    throw new UsageError("use either --model or --server, not both");
  if (choice.server !== undefined) {
    return new ServerPlanner({
      baseUrl: choice.server,
      ...(choice.serverModel ? { model: choice.serverModel } : {}),
    });
  }
  const model = await resolveModel(await modelToUse(choice));
  // A passed probe is remembered in the models folder, as Raycast does: the same file opened again,
  // unchanged, is not probed again (the shipped micro model never is).
  return LlamaPlanner.forModel(model, {
    probeCacheDir: modelsFolder(),
    ...(choice.prompts === "one" ? { warmSequences: 1 } : {}),
  });
}

export const MICRO_FALLBACK_NOTICE =
  `Using the fast offline planner (${MICRO_MODEL.displayName}). ` +
  `For better plans: tinyagent model download ${DEFAULT_MODEL_ID}`;

/**
 * The model named with --model, else the default (defaultModelId). Falling back to the bundled micro
 * planner is said on stderr, once: its plans are rougher, and the person should know the better one is a
 * download away. stdout stays the plan (or JSON) alone.
 */
export async function modelToUse(choice: PlannerChoice): Promise<string> {
  if (choice.model !== undefined) return choice.model;
  const id = await defaultModelId();
  if (id === MICRO_MODEL.id) stderr.write(`${MICRO_FALLBACK_NOTICE}\n`);
  return id;
}
