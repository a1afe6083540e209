import type { Plan } from "../plan/plan";
import { wholeReference } from "../plan/references";
import type { TextWriter } from "../../tools/macos/mac-context";
import type { ToolRegistry } from "../../tools/registry";
import { toolParams } from "../../tools/tool";
import { emailWriterInput } from "../../tools/macos/mail";

/**
 * What the planner's model writes when it is the writer of email bodies (`tinyagent eval --writer`): for
 * each draft in a plan whose body the person's words give, the body the model writes from them, as the Mac
 * backend asks for it (mail.ts). A model that can only plan writes plan text instead ("1 to talk about…",
 * [])\n2. get_phone_number(…)"); that is what this looks for. A model that does not write (its profile
 * says so) is not asked: the draft then holds the person's words.
 */
export interface WrittenText {
  step: number;
  input: string;
  output: string;
  /** The output reads as plan text: a call, a numbered step, a `$N` reference or the end marker. */
  planText: boolean;
  /** The writer failed (the draft then holds the person's words). */
  failed: boolean;
}

/** The drafts whose body the writer writes, and the task it is asked for (as in mail.ts). */
const DRAFTS: Record<string, "email-body" | "reply-body"> = {
  compose_new_email: "email-body",
  reply_to_email: "reply-body",
  forward_email: "email-body",
};

const PLAN_TEXT = /\b[a-z]+_[a-z_]+\(|^\s*\d+\.\s|\$\{?\d|<END_OF_PLAN>|\bjoin\(\)|"\s*,\s*\[/m;

export function looksLikePlanText(text: string): boolean {
  return PLAN_TEXT.test(text);
}

export async function writtenTexts(
  plan: Plan,
  registry: ToolRegistry,
  writer: TextWriter,
  signal: AbortSignal,
): Promise<WrittenText[]> {
  const out: WrittenText[] = [];
  for (const step of plan.steps) {
    const task = DRAFTS[step.tool];
    const tool = registry.get(step.tool);
    if (!task || !tool) continue;
    const named = (name: string) => step.args[toolParams(tool).findIndex((param) => param.name === name)];
    const context = named("context");
    if (typeof context !== "string" || context.trim() === "" || wholeReference(context) !== undefined)
      continue;
    const subject = named("subject");
    const input = emailWriterInput(typeof subject === "string" ? { Subject: subject } : {}, context.trim());
    const output = await writer.write(task, input, signal).then(
      (text) => text.trim(),
      () => undefined,
    );
    out.push({
      step: step.index,
      input,
      output: output ?? "",
      planText: output !== undefined && looksLikePlanText(output),
      failed: output === undefined,
    });
  }
  return out;
}
