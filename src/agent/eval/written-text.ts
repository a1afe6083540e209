import type { Plan } from "../plan/plan";
import { wholeReference } from "../plan/references";
import type { TextWriter } from "../../tools/macos/mac-context";
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

const DRAFTS: Record<string, { task: "email-body" | "reply-body"; context: number; subject?: number }> = {
  compose_new_email: { task: "email-body", context: 3, subject: 2 },
  reply_to_email: { task: "reply-body", context: 1 },
  forward_email: { task: "email-body", context: 2 },
};

const PLAN_TEXT = /\b[a-z]+_[a-z_]+\(|^\s*\d+\.\s|\$\{?\d|<END_OF_PLAN>|\bjoin\(\)|"\s*,\s*\[/m;

export function looksLikePlanText(text: string): boolean {
  return PLAN_TEXT.test(text);
}

export async function writtenTexts(
  plan: Plan,
  writer: TextWriter,
  signal: AbortSignal,
): Promise<WrittenText[]> {
  const out: WrittenText[] = [];
  for (const step of plan.steps) {
    const draft = DRAFTS[step.tool];
    const context = draft ? step.args[draft.context] : undefined;
    if (
      !draft ||
      typeof context !== "string" ||
      context.trim() === "" ||
      wholeReference(context) !== undefined
    )
      continue;
    const subject = draft.subject === undefined ? undefined : step.args[draft.subject];
    const input = emailWriterInput(typeof subject === "string" ? { Subject: subject } : {}, context.trim());
    const output = await writer.write(draft.task, input, signal).then(
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
