import type { RunPhase, RunSnapshot, StepViewStatus } from "./ask-run";
import { escapeMarkdown, fenced } from "./markdown-text";

/** Where history is kept: Raycast's LocalStorage in the extension, a Map in tests. */
export interface KeyValueStorage {
  getItem(key: string): Promise<string | number | boolean | undefined>;
  setItem(key: string, value: string): Promise<void>;
  removeItem(key: string): Promise<void>;
}

export type HistoryOutcome = "done" | "failed" | "cancelled" | "no-tools" | "unfinished";

export interface HistoryStep {
  index: number;
  tool: string;
  summary: string;
  status: StepViewStatus;
  /** The result or the error, shortened. */
  outcome?: string;
}

export interface HistoryEntry {
  id: string;
  request: string;
  /** ISO time of the request. */
  at: string;
  outcome: HistoryOutcome;
  planText: string;
  steps: HistoryStep[];
  message?: string;
  /** The run's answer (join/answer.ts): the looked-up values, or what was done and what was not. */
  answer?: string;
}

export const HISTORY_KEY = "history";
const FORMAT = 1;
const MAX_ENTRIES = 100;
const MAX_PLAN_CHARS = 8_000;
const MAX_OUTCOME_CHARS = 1_000;

export interface HistoryStoreOptions {
  /** Entries kept, newest first; default 100. */
  maxEntries?: number;
  /**
   * Whether new requests are kept (the Keep History preference); default true. When false, `add` writes
   * nothing; what was kept before can still be listed, removed and cleared.
   */
  keep?: boolean;
}

/**
 * Past requests, newest first, in one versioned JSON value. Bounded in entries and text, so it cannot grow
 * without end; entries that do not read back (hand-edited, from a bug) are skipped, never fatal, and
 * history written by a newer version is left alone rather than overwritten.
 *
 * An entry holds what the request showed: the request's words; the plan as the model wrote it, whose
 * arguments carry message and email bodies, note and reminder text, subjects, recipients, file names and
 * places (up to 8,000 characters); and each step's result or error (up to 1,000 characters each), such
 * as looked-up phone numbers and email addresses, file paths, PDF summaries and Zoom meeting links with
 * their passcodes; and the run's answer (up to 1,000 characters), which repeats such values.
 */
export class HistoryStore {
  private readonly maxEntries: number;
  private readonly keep: boolean;

  constructor(
    private readonly storage: KeyValueStorage,
    options: HistoryStoreOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? MAX_ENTRIES;
    this.keep = options.keep ?? true;
  }

  async list(): Promise<HistoryEntry[]> {
    return (await this.read()).entries;
  }

  /** Keeps a request, unless history is turned off. */
  async add(entry: HistoryEntry): Promise<void> {
    if (!this.keep) return;
    const stored = await this.read();
    if (stored.newer) return;
    const entries = [bounded(entry), ...stored.entries.filter((other) => other.id !== entry.id)];
    await this.write(entries.slice(0, this.maxEntries));
  }

  async remove(id: string): Promise<void> {
    const stored = await this.read();
    if (stored.newer) return;
    await this.write(stored.entries.filter((entry) => entry.id !== id));
  }

  async clear(): Promise<void> {
    await this.storage.removeItem(HISTORY_KEY);
  }

  private async read(): Promise<{ entries: HistoryEntry[]; newer: boolean }> {
    const raw = await this.storage.getItem(HISTORY_KEY);
    if (typeof raw !== "string") return { entries: [], newer: false };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { entries: [], newer: false };
    }
    if (!isRecord(parsed) || typeof parsed.version !== "number") return { entries: [], newer: false };
    if (parsed.version > FORMAT) return { entries: [], newer: true };
    const entries = Array.isArray(parsed.entries) ? parsed.entries.filter(isHistoryEntry) : [];
    return { entries, newer: false };
  }

  private write(entries: HistoryEntry[]): Promise<void> {
    return this.storage.setItem(HISTORY_KEY, JSON.stringify({ version: FORMAT, entries }));
  }
}

/** The history entry of a finished (or abandoned) request. */
export function historyEntry(snapshot: RunSnapshot, at: Date, id: string): HistoryEntry {
  return {
    id,
    request: snapshot.request,
    at: at.toISOString(),
    outcome: outcomeOf(snapshot.phase, snapshot),
    planText: snapshot.planText,
    steps: snapshot.steps.map((step) => {
      const outcome = step.observation ?? step.error?.message ?? step.skipReason;
      return {
        index: step.index,
        tool: step.tool,
        summary: step.summary,
        status: step.status,
        ...(outcome === undefined ? {} : { outcome }),
      };
    }),
    ...(snapshot.message ? { message: snapshot.message } : {}),
    ...(snapshot.answer ? { answer: snapshot.answer } : {}),
  };
}

function outcomeOf(phase: RunPhase, snapshot: RunSnapshot): HistoryOutcome {
  switch (phase) {
    case "finished":
      return snapshot.steps.some((step) => step.status === "failed") ? "failed" : "done";
    case "failed":
      return "failed";
    case "cancelled":
      return "cancelled";
    case "no-tools":
      return "no-tools";
    case "planning":
    case "running":
    case "confirming":
    case "choosing":
      return "unfinished";
  }
}

function bounded(entry: HistoryEntry): HistoryEntry {
  return {
    ...entry,
    planText: clip(entry.planText, MAX_PLAN_CHARS),
    ...(entry.answer === undefined ? {} : { answer: clip(entry.answer, MAX_OUTCOME_CHARS) }),
    steps: entry.steps.map((step) =>
      step.outcome === undefined ? step : { ...step, outcome: clip(step.outcome, MAX_OUTCOME_CHARS) },
    ),
  };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const STATUSES: readonly string[] = ["queued", "running", "waiting", "done", "failed", "skipped"];
const OUTCOMES: readonly string[] = ["done", "failed", "cancelled", "no-tools", "unfinished"];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isHistoryEntry(value: unknown): value is HistoryEntry {
  if (!isRecord(value)) return false;
  const { id, request, at, outcome, planText, steps, message, answer } = value;
  if (typeof id !== "string" || typeof request !== "string" || typeof planText !== "string") return false;
  if (typeof at !== "string" || Number.isNaN(Date.parse(at))) return false;
  if (typeof outcome !== "string" || !OUTCOMES.includes(outcome)) return false;
  if (message !== undefined && typeof message !== "string") return false;
  if (answer !== undefined && typeof answer !== "string") return false;
  return Array.isArray(steps) && steps.every(isHistoryStep);
}

function isHistoryStep(value: unknown): value is HistoryStep {
  if (!isRecord(value)) return false;
  const { index, tool, summary, status, outcome } = value;
  return (
    typeof index === "number" &&
    typeof tool === "string" &&
    typeof summary === "string" &&
    typeof status === "string" &&
    STATUSES.includes(status) &&
    (outcome === undefined || typeof outcome === "string")
  );
}

/**
 * The run's answer, the request's steps with their outcomes, then the plan as written; text from results
 * stays in code blocks.
 */
export function historyMarkdown(entry: HistoryEntry): string {
  const steps = entry.steps.map(
    (step) => `${step.index}. ${escapeMarkdown(step.summary)} — **${step.status}**`,
  );
  const parts = entry.answer ? ["**Answer**", fenced(entry.answer)] : [];
  parts.push(steps.length > 0 ? steps.join("\n") : escapeMarkdown(entry.message ?? "No plan."));
  const outcomes = entry.steps
    .filter((step) => step.outcome !== undefined)
    .map((step) => `${step.index}. ${step.outcome}`);
  if (outcomes.length > 0) parts.push("**Results**", fenced(outcomes.join("\n")));
  if (entry.planText) parts.push("**Plan**", fenced(entry.planText));
  return parts.join("\n\n");
}
