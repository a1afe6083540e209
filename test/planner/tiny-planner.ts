import { writeTinyModel, type TinyModelOptions } from "../../src/agent/model/tiny-model";
import type { GrammarOptions } from "../../src/agent/plan/grammar";
import { LlamaPlanner, type LlamaPlannerOptions } from "../../src/agent/planner/llama-planner";

/**
 * Bounds small enough that even the longest plan the grammar allows fits in a few thousand tokens: a
 * random-weight model never closes a string early, so only bounds guarantee it finishes.
 */
export const TINY_BOUNDS: GrammarOptions = { maxSteps: 3, maxTextLength: 8, maxListItems: 2 };

/** A tiny random-weight model written to `path`, loaded as a planner the way the planner tests need it. */
export async function tinyPlanner(
  path: string,
  model: TinyModelOptions,
  options: Partial<LlamaPlannerOptions> = {},
): Promise<LlamaPlanner> {
  await writeTinyModel(path, model);
  return LlamaPlanner.load({
    modelPath: path,
    template: "raw",
    contextSize: 4096,
    maxThreads: 1,
    gpu: false,
    grammar: TINY_BOUNDS,
    ...options,
  });
}
