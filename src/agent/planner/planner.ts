import type { TextModel } from "../text-writer";
import type { AnyTool } from "../../tools/tool";
import type { NormalizeContext } from "../plan/normalize";
import type { PlannerPrompt } from "../prompt/build-prompt";
import type { PromptStyle } from "../prompt/planner-prompt";

export interface PlanRequest {
  prompt: PlannerPrompt;
  /** The selected tools: the grammar allows only these. */
  tools: readonly AnyTool[];
  /** The person's request, for a planner whose grammar copies arguments from it (copyFromRequest). */
  request?: string;
  /** When and where the request was made, for a planner whose grammar holds dates to the request's. */
  context?: NormalizeContext;
  /** Upper bound on generated tokens; generation also ends at the plan's end marker. */
  maxTokens?: number;
  signal?: AbortSignal;
  /** Sampling for this request; by default the planner decodes greedily (temperature 0). */
  sampling?: { temperature: number; seed?: number };
}

export interface PlanningStats {
  /** Tokens in the whole prompt. */
  promptTokens: number;
  /** Prompt tokens actually evaluated: fewer than promptTokens when a cached prefix was reused. */
  evaluatedTokens: number;
  generatedTokens: number;
  /** Time from the request to the first text chunk, and to the end, in milliseconds. */
  firstChunkMs: number;
  totalMs: number;
  stopReason: "end-of-plan" | "max-tokens" | "aborted" | "other";
  /** CPU threads a local model decoded with (absent for servers). */
  threads?: number;
}

/** One planning request under way: the plan text as it is written, then what it cost. */
export interface PlanningRun {
  text: AsyncIterable<string>;
  done: Promise<PlanningStats>;
}

/** Writes plans. Implementations: a local GGUF model (LlamaPlanner) or an OpenAI-compatible server. */
export interface Planner {
  readonly name: string;
  /** The prompt its model was trained on; "tinyagent" when absent (servers, test planners). */
  readonly promptStyle?: PromptStyle;
  /**
   * The lowest tool probability at which Tool RAG offers this planner a tool; absent: the classifier's own
   * thresholds (tuned for recall). A small model uses nearly every tool it is offered, so it gets surer ones.
   */
  readonly toolFloor?: number;
  /**
   * The model that writes text for actions (email bodies, notes, summaries), when the planner's model can
   * write (ModelProfile.writesText); absent for one trained only to plan (TinyAgent-micro).
   */
  readonly writer?: TextModel;
  plan(request: PlanRequest): PlanningRun;
  dispose(): Promise<void>;
}

/** A planner that could not produce a plan, with a message saying what to do. */
export class PlannerError extends Error {
  constructor(
    readonly code:
      "model-missing" | "model-invalid" | "server-unreachable" | "server-error" | "aborted" | "failed",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "PlannerError";
  }
}
