import type { App } from "../../tools/tool";

/** Tools whose plans almost always need another tool first: a selected tool brings these along. */
export const TOOL_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  compose_new_email: ["get_email_address"],
  forward_email: ["get_email_address"],
  get_zoom_meeting_link: ["get_email_address"],
  send_sms: ["get_phone_number"],
  summarize_pdf: ["open_and_get_file_path"],
};

export interface SelectionSettings {
  /** Per-tool probability at or above which a tool is selected, calibrated for recall. */
  thresholds: Readonly<Record<string, number>>;
  /**
   * The highest tool probability a request must reach to be served at all. Deciding "is this a request
   * for my tools?" once, apart from "which tools?", lets the per-tool thresholds stay low (recall) without
   * letting weather and trivia questions through (rejection).
   */
  gate?: number;
  /**
   * The lowest probability at which any tool is offered, over its own threshold: for a planner that tends
   * to use every tool it is offered (TinyAgent-micro), fewer and surer tools. Once the gate is passed the
   * best tool is offered even when it falls short of the floor.
   */
  floor?: number;
  /**
   * Tools the request's words plainly ask for (request/asked-tools.ts): offered once the gate is passed,
   * whatever their probability. The classifier misses implicit needs ("email Sandeep the keynote slides"
   * needs the file).
   */
  asked?: readonly string[];
  /**
   * Tools the request's words rule out (request/asked-tools.ts, a tool asked for at most 0 times): a Zoom
   * call nobody mentions, an event for a request that only sets up a call. Never offered.
   */
  ruledOut?: readonly string[];
  /** Apps the person turned off in settings: their tools are never offered. */
  disabledApps?: ReadonlySet<App>;
  /** The app of each tool, to honour disabledApps. */
  appOf?: (tool: string) => App | undefined;
}

/**
 * From the classifier's probabilities to the tools offered to the planner, in label (registry) order:
 * nothing when no tool reaches the gate; else every tool over its threshold and every tool the request
 * asks for, plus what those tools depend on, minus those the request rules out and disabled apps.
 */
export function selectTools(
  labels: readonly string[],
  probs: readonly number[],
  settings: SelectionSettings,
): string[] {
  if (settings.gate !== undefined && !probs.some((p) => p >= settings.gate!)) return [];
  const floor = settings.floor ?? 0;
  const chosen = new Set(
    labels.filter((label, i) => probs[i]! >= Math.max(floor, settings.thresholds[label] ?? 0.5)),
  );
  if (chosen.size === 0 && floor > 0 && probs.length > 0) {
    const best = probs.indexOf(Math.max(...probs));
    if (probs[best]! >= (settings.thresholds[labels[best]!] ?? 0.5)) chosen.add(labels[best]!);
  }
  for (const tool of settings.asked ?? []) if (labels.includes(tool)) chosen.add(tool);
  for (const tool of [...chosen]) for (const needed of TOOL_DEPENDENCIES[tool] ?? []) chosen.add(needed);
  for (const tool of settings.ruledOut ?? []) chosen.delete(tool);
  const disabled = settings.disabledApps;
  return labels.filter(
    (label) => chosen.has(label) && !(disabled && disabled.has(settings.appOf?.(label) as App)),
  );
}
