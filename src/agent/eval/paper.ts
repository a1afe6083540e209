/**
 * Figures reported by "TinyAgent: Function Calling at the Edge" (Erdogan et al., BAIR 2024), as DESIGN §1
 * quotes them: the yardstick our evaluation and benchmark are compared with.
 */
export interface PaperResult {
  model: string;
  /** Plan success by DAG isomorphism, 0..1. */
  successRate: number;
  /** Prompt size in tokens, when reported. */
  promptTokens: number | null;
  /** Planner latency in milliseconds, when reported (M3 Pro, Q4). */
  latencyMs: number | null;
  /** Size of the model file in bytes, when known (the Q4_K_M GGUF files). */
  modelBytes: number | null;
}

export const PAPER_RESULTS: readonly PaperResult[] = [
  {
    model: "TinyAgent-1.1B + ToolRAG",
    successRate: 0.8006,
    promptTokens: 1397,
    latencyMs: 2900,
    modelBytes: 668_000_000,
  },
  {
    model: "TinyAgent-7B + ToolRAG",
    successRate: 0.8495,
    promptTokens: 1397,
    latencyMs: null,
    modelBytes: 4_370_000_000,
  },
  { model: "GPT-4-Turbo", successRate: 0.7908, promptTokens: null, latencyMs: null, modelBytes: null },
];

/** Prompt sizes the paper reports for its 1.1B model, in TinyLlama tokens. */
export const PAPER_PROMPT_TOKENS = { allTools: 2762, toolRag: 1397 } as const;
