import type { AnyTool } from "../../tools/tool";
import { buildPrompt, type PlannerPrompt } from "./build-prompt";
import type { PlanExample } from "./examples";
import { buildMicroPrompt } from "./micro-prompt";

/**
 * Which prompt a planner's model was trained on: "tinyagent" is the layout of the fine-tuned TinyAgent
 * models (DESIGN §5: tool descriptions, rules, custom instructions, examples); "micro" is the compact
 * layout of TinyAgent-micro (today, tool names, resolved dates, the request).
 */
export type PromptStyle = "tinyagent" | "micro";

export interface PlannerPromptInput {
  tools: readonly AnyTool[];
  request: string;
  now: Date;
  timeZone: string;
  customInstructions?: string;
  /** In-context examples, asked for only by a style that shows them (retrieval has a cost). */
  examples?: () => readonly PlanExample[] | undefined;
}

/**
 * The one place that decides what a planner is prompted with. The micro model saw no instructions and
 * no examples in training, so both are left out of its prompt: text it never learned to read would only
 * push it off the layout it knows. Custom instructions therefore apply to the TinyAgent models and
 * servers, not to the micro planner.
 */
export function plannerPrompt(style: PromptStyle, input: PlannerPromptInput): PlannerPrompt {
  switch (style) {
    case "micro":
      return { system: "", user: buildMicroPrompt(input) };
    case "tinyagent": {
      const examples = input.examples?.();
      return buildPrompt({
        tools: input.tools,
        request: input.request,
        now: input.now,
        timeZone: input.timeZone,
        ...(input.customInstructions ? { customInstructions: input.customInstructions } : {}),
        ...(examples ? { examples } : {}),
      });
    }
  }
}
