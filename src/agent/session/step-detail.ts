import { toolParams, type AnyTool } from "../../tools/tool";
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
    case "waiting":
      return step.args
        ? "Waiting for you: check the arguments, then Confirm and Run (⌘↵), Edit Arguments or Skip Step."
        : undefined;
    case "queued":
      return step.args ? undefined : "Its arguments are known once the steps it uses have run.";
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
  for (const param of toolParams(tool))
    fields.push({ label: param.name, value: formatValue(step.args[param.name]) });
  if (step.edited) fields.push({ label: "Edited", value: "yes" });
  if (step.durationMs !== undefined)
    fields.push({ label: "Took", value: `${Math.round(step.durationMs)} ms` });
  return fields;
}

/** An argument as the person should judge it: lists by comma, empty and default values spelled out. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "(default)";
  if (Array.isArray(value))
    return value.length === 0 ? "(none)" : value.map((item) => formatValue(item)).join(", ");
  if (typeof value === "string") return value === "" ? "(empty)" : value;
  return String(value);
}
