import type { PlannerPrompt } from "./build-prompt";

/**
 * How a prompt is laid out for a model. "raw" is plain completion text; "alpaca" is the Instruction /
 * Input / Response layout a reproduction reports for TinyAgent-1.1B; "plain" is the prompt's text exactly
 * as written, for a model trained on its own layout (TinyAgent-micro); "model" uses the chat template
 * stored in the GGUF file (applied by the planner that owns the model).
 */
export type PromptTemplate = "raw" | "alpaca" | "plain" | "model";

/** The prompt as one completion text, for the "raw" and "alpaca" templates. */
export function renderPrompt(prompt: PlannerPrompt, template: Exclude<PromptTemplate, "model">): string {
  switch (template) {
    case "raw":
      return `${prompt.system}\n\n${prompt.user}\n`;
    case "alpaca":
      return `### Instruction:\n${prompt.system}\n\n### Input:\n${prompt.user}\n\n### Response:\n`;
    case "plain":
      return `${prompt.system}${prompt.user}`;
  }
}
