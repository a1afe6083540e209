import type { z } from "zod";
import { requestWordingOf } from "../../tools/formats";
import type { ToolRegistry } from "../../tools/registry";
import { toolParams } from "../../tools/tool";
import type { Plan, Value } from "../plan/plan";
import { wholeReference } from "../plan/references";

/**
 * Free-text arguments that use a word the request does not contain (issue 14: "no made-up text"). The
 * free-text parameters are those the tools mark as worded from the request (formats.ts requestWording):
 * messages, subjects, email bodies, titles, locations, notes, note titles and folders, reminder names and
 * lists, Zoom topics. An argument counts once, however many of its words are new. Allowed without being in
 * the request: a reference to an earlier step (whole, or `${N}` inside text), empty text or None, and the
 * parameter's template words ("Meeting with").
 *
 * Words are compared without case, without the punctuation around them and without a possessive, so the
 * check is looser than the grammar's spans (which keep word order): it measures made-up words, whatever
 * planner wrote them, and does not share code with the grammar it checks.
 */
export interface UngroundedArgument {
  step: number;
  tool: string;
  param: string;
  value: string;
  /** The words of the value that the request does not contain. */
  words: string[];
}

export function ungroundedArguments(
  plan: Plan,
  request: string,
  registry: ToolRegistry,
): { checked: number; ungrounded: UngroundedArgument[] } {
  const known = new Set(wordsOf(request));
  const ungrounded: UngroundedArgument[] = [];
  let checked = 0;
  for (const step of plan.steps) {
    const tool = registry.get(step.tool);
    if (!tool) continue;
    toolParams(tool).forEach((param, position) => {
      const templates = requestWordingOf(tool.args.shape[param.name] as z.ZodType);
      if (templates === undefined) return;
      const value = step.args[position] ?? null;
      const text = freeText(value);
      if (text === undefined) return;
      checked++;
      const allowed = new Set([...known, ...templates.flatMap(wordsOf)]);
      const words = wordsOf(text).filter((word) => !allowed.has(word));
      if (words.length > 0)
        ungrounded.push({ step: step.index, tool: step.tool, param: param.name, value: text, words });
    });
  }
  return { checked, ungrounded };
}

/** The text of an argument to check; undefined for a reference, None or empty text. */
function freeText(value: Value): string | undefined {
  if (typeof value !== "string" || wholeReference(value) !== undefined) return undefined;
  const text = value.replace(/\$\{\d+\}/g, " ").trim();
  return text === "" ? undefined : text;
}

function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .map((word) =>
      word
        .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")
        .replace(/['’]s$/u, "")
        .replace(/s['’]$/u, "s"),
    )
    .filter((word) => word !== "");
}
