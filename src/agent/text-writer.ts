import type { TextWriter } from "../tools/macos/mac-context";
import type { Planner } from "./planner/planner";

/** Anything that can continue a text prompt: the local planner's model. */
export interface TextModel {
  writeText(prompt: string, options: { maxTokens?: number; signal?: AbortSignal }): Promise<string>;
}

const TASKS: Record<Parameters<TextWriter["write"]>[0], { instruction: string; maxTokens: number }> = {
  "email-body": {
    instruction:
      "Write the body of an email from these notes. Plain text, friendly and short, no subject line.",
    maxTokens: 300,
  },
  "reply-body": {
    instruction: "Write a reply to the email below from these notes. Plain text, friendly and short.",
    maxTokens: 300,
  },
  note: { instruction: "Write the text of a note from these notes. Plain text.", maxTokens: 300 },
  "pdf-summary": {
    instruction: "Summarize this document in three or four sentences. Plain text.",
    maxTokens: 250,
  },
};

/**
 * The sub-agent that writes text for actions (an email body from the person's words, a PDF summary) with
 * the local model. Actions fall back to the person's own words when it fails or writes nothing.
 */
export function modelTextWriter(model: TextModel): TextWriter {
  return {
    async write(task, input, signal) {
      const { instruction, maxTokens } = TASKS[task];
      return model.writeText(`${instruction}\n\n${input.trim()}\n\nText:\n`, { maxTokens, signal });
    },
  };
}

/**
 * The writer for a planner's actions: its model when that model can write (Planner.writer), else none, and
 * actions use the person's own words and extractive summaries (issue 14: text is written only by a model
 * that can write).
 */
export function textWriterFor(planner: Planner): TextWriter | undefined {
  return planner.writer ? modelTextWriter(planner.writer) : undefined;
}
