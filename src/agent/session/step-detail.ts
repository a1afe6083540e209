import { toolParams, type AnyTool } from "../../tools/tool";
import { sourceNote, type ArgumentSource } from "../executor/argument-sources";
import type { StepView } from "./ask-run";
import { escapeMarkdown, fenced } from "./markdown-text";

export interface DetailField {
  label: string;
  value: string;
}

/** The detail pane of a step: what it will run with (or ran with), and what came of it. */
export interface StepDetail {
  markdown: string;
  fields: DetailField[];
}

/**
 * Arguments go in metadata rows, which Raycast shows as plain text, so an address or a subject taken
 * from an email cannot turn into a link or formatting. The observation and errors sit in the markdown
 * inside code fences for the same reason.
 */
export function stepDetail(step: StepView, tool: AnyTool | undefined): StepDetail {
  const parts = [`### ${escapeMarkdown(step.summary)}`];
  const state = stateLine(step);
  if (state) parts.push(state);
  if (step.observation !== undefined) parts.push("**Result**", fenced(step.observation));
  if (step.error) parts.push("**Error**", fenced(step.error.message));
  if (step.error?.settings)
    parts.push(`Open System Settings › ${escapeMarkdown(step.error.settings.name)} to allow it.`);
  if (step.skipReason) parts.push(`Skipped: ${escapeMarkdown(step.skipReason)}.`);
  return { markdown: parts.join("\n\n"), fields: fieldsOf(step, tool) };
}

function stateLine(step: StepView): string | undefined {
  switch (step.status) {
    case "waiting": {
      if (!step.args) return undefined;
      const ask =
        "Waiting for you: check the arguments, then Confirm and Run (⌘↵), Edit Arguments or Skip Step.";
      return step.confirmationReason ? `${escapeMarkdown(step.confirmationReason)}\n\n${ask}` : ask;
    }
    case "queued":
      return step.args ? undefined : "Its arguments are known once the steps it uses have run.";
    case "done":
      // After "Trying again", a step of the first plan that succeeded is shown with its first result.
      return step.reused ? "Done in the first plan; not run again." : undefined;
    default:
      return undefined;
  }
}

function fieldsOf(step: StepView, tool: AnyTool | undefined): DetailField[] {
  const fields: DetailField[] = [{ label: "Step", value: `${step.index} · ${step.tool}` }];
  if (!tool) return fields;
  if (!step.args) {
    // Before the step can run, show what the plan wrote, references included.
    toolParams(tool).forEach((param, position) =>
      fields.push({ label: param.name, value: formatValue(step.plannedArgs[position]) }),
    );
    return fields;
  }
  // A looked-up value says whose it is, so the person sees who gets the message before approving it.
  const sources = step.sources ?? [];
  for (const param of toolParams(tool))
    fields.push({ label: param.name, value: formatValue(step.args[param.name], sources) });
  if (step.edited) fields.push({ label: "Edited", value: "yes" });
  if (step.durationMs !== undefined && !step.reused)
    fields.push({ label: "Took", value: `${Math.round(step.durationMs)} ms` });
  return fields;
}

/**
 * An argument as the person should judge it: lists by comma, empty and default values spelled out, and a
 * looked-up value followed by whose it is: "+1 (415) 555-0142 (Sid Mehta's mobile number, from Contacts)".
 */
export function formatValue(value: unknown, sources: readonly ArgumentSource[] = []): string {
  if (value === null || value === undefined) return "(default)";
  if (Array.isArray(value))
    return value.length === 0 ? "(none)" : value.map((item) => formatValue(item, sources)).join(", ");
  if (typeof value !== "string") return String(value);
  if (value === "") return "(empty)";
  const note = sourceNote(value, sources);
  return note === undefined ? value : `${value} (${note})`;
}
