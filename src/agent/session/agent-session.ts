import type { ToolBackend } from "../../tools/backend";
import type { ToolRegistry } from "../../tools/registry";
import { selectOptions, type ToolSelector } from "../agent";
import type { Planner } from "../planner/planner";
import type { PlannerPrompt } from "../prompt/build-prompt";
import { plannerPrompt } from "../prompt/planner-prompt";
import { AskRun } from "./ask-run";

/** A planner that can load its state for a prompt ahead of the request (LlamaPlanner). */
interface WarmablePlanner extends Planner {
  warmUp(prompt: PlannerPrompt): Promise<void>;
}

function canWarmUp(planner: Planner): planner is WarmablePlanner {
  return typeof (planner as Partial<WarmablePlanner>).warmUp === "function";
}

export type SessionPhase = "idle" | "loading" | "ready" | "failed";

/** The session as the view shows it: loading (and what), ready, or failed with a message saying what to do. */
export interface SessionSnapshot {
  phase: SessionPhase;
  /** While loading: what is being loaded, as a short line ("Loading the planner…"). */
  loading?: string;
  /** When failed: the error's message (each load's errors say what happened and what to do). */
  error?: string;
}

export interface AgentSessionOptions {
  /** Loads the planner; called once, on the first warm-up or request. */
  openPlanner: () => Promise<Planner>;
  /** Loads the tool selector (the Tool RAG classifier); called once. */
  openSelector: () => Promise<ToolSelector>;
  backend: ToolBackend;
  registry: ToolRegistry;
  customInstructions?: string;
  timeZone?: string;
  /** Quiet time after the last keystroke before warming up. Default 250 ms. */
  warmUpDelayMs?: number;
  now?: () => Date;
}

/**
 * What stays alive while Ask TinyAgent is open: the planner (the model stays loaded between requests),
 * the classifier and the backend. While the person types, it warms the planner with the prompt the text
 * so far would get, so the shared prefix (tools, rules, examples) is already evaluated when ↵ comes.
 * Dispose it when the command closes.
 */
export class AgentSession {
  private planner: Promise<Planner> | undefined;
  private selector: Promise<ToolSelector> | undefined;
  private warmTimer: ReturnType<typeof setTimeout> | undefined;
  private warming: Promise<void> = Promise.resolve();
  private disposed = false;
  private disposing: Promise<void> | undefined;
  /** Requests started and not finished: closing the session cancels them. */
  private readonly runs = new Set<AskRun>();
  private snapshot: SessionSnapshot = { phase: "idle" };
  /** Bumped by each round of loading the snapshot follows; an older round's outcome is not shown. */
  private round = 0;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: AgentSessionOptions) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Whether the planner and the selector are loading, loaded, or could not load (and why). */
  getSnapshot = (): SessionSnapshot => this.snapshot;

  /**
   * Loads the planner and the selector; rejects with the first error of either (a missing model, a
   * broken file, a classifier engine that cannot load), and the snapshot says so until a later call
   * loads both.
   */
  async ready(): Promise<{ planner: Planner; selector: ToolSelector }> {
    if (this.disposed) throw new Error("This session was closed; open Ask TinyAgent again.");
    // Each load is held in a local: a failed one is forgotten (the next call tries again, after set-up or
    // a fixed preference), yet this call still reports it rather than reading the emptied field.
    const planner = (this.planner ??= this.options.openPlanner());
    const selector = (this.selector ??= this.options.openSelector());
    planner.catch(() => {
      if (this.planner === planner) this.planner = undefined;
    });
    selector.catch(() => {
      if (this.selector === selector) this.selector = undefined;
    });
    const loading = Promise.all([planner, selector]);
    if (this.snapshot.phase !== "ready") this.follow(loading, planner);
    const [loadedPlanner, loadedSelector] = await loading;
    return { planner: loadedPlanner, selector: loadedSelector };
  }

  /** Warms up for the text typed so far, once typing pauses. Failures are left for the request to report. */
  warmUpSoon(text: string): void {
    clearTimeout(this.warmTimer);
    if (this.disposed || text.trim().length < 3) return;
    this.warmTimer = setTimeout(() => {
      this.warming = this.warmUp(text).then(
        () => undefined,
        () => undefined,
      );
    }, this.options.warmUpDelayMs ?? 250);
  }

  /**
   * Evaluates the prompt prefix this text would get. Returns whether anything was warmed: not for a
   * request no tool fits, nor for a planner that cannot (a server keeps its own cache).
   */
  async warmUp(text: string): Promise<boolean> {
    const { planner, selector } = await this.ready();
    if (this.disposed || !canWarmUp(planner)) return false;
    const tools = await selector.select(text, selectOptions(planner));
    if (tools.length === 0) return false;
    const prompt = plannerPrompt(planner.promptStyle ?? "tinyagent", {
      tools,
      request: text,
      now: this.options.now?.() ?? new Date(),
      timeZone: this.timeZone(),
      ...(this.options.customInstructions ? { customInstructions: this.options.customInstructions } : {}),
      examples: () =>
        selector.examplesFor?.(
          text,
          tools.map((tool) => tool.name),
        ),
    });
    await planner.warmUp(prompt);
    return true;
  }

  /** Starts a request. The planner takes requests in turn, so a warm-up under way simply goes first. */
  async ask(request: string): Promise<AskRun> {
    clearTimeout(this.warmTimer);
    const { planner, selector } = await this.ready();
    if (this.disposed) throw new Error("This session was closed; open Ask TinyAgent again.");
    const run = new AskRun({
      request,
      planner,
      selector,
      registry: this.options.registry,
      backend: this.options.backend,
      timeZone: this.timeZone(),
      requestTime: this.options.now?.() ?? new Date(),
      ...(this.options.customInstructions ? { customInstructions: this.options.customInstructions } : {}),
    });
    this.runs.add(run);
    const forget = () => this.runs.delete(run);
    run.done.then(forget, forget);
    return run;
  }

  /**
   * Closes the session: cancels its requests, waits for a warm-up under way, then disposes the planner
   * (a load still under way is awaited first) and the selector, one after the other. Later calls wait for
   * the same.
   */
  dispose(): Promise<void> {
    this.disposing ??= this.close();
    return this.disposing;
  }

  private async close(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.warmTimer);
    for (const run of this.runs) run.cancel();
    await this.warming;
    const planner = await this.planner?.catch(() => undefined);
    await planner?.dispose().catch(() => undefined);
    const selector = await this.selector?.catch(() => undefined);
    await selector?.dispose?.().catch(() => undefined);
  }

  /** Shows one round of loading in the snapshot: the planner first, then whatever is left. */
  private follow(loading: Promise<unknown>, planner: Promise<Planner>): void {
    const round = ++this.round;
    const current = () => round === this.round;
    this.set({ phase: "loading", loading: "Loading the planner…" });
    planner.then(
      () => {
        if (current() && this.snapshot.phase === "loading")
          this.set({ phase: "loading", loading: "Loading tool selection…" });
      },
      () => undefined,
    );
    loading.then(
      () => current() && this.set({ phase: "ready" }),
      (error: unknown) => current() && this.set({ phase: "failed", error: messageOf(error) }),
    );
  }

  private set(snapshot: SessionSnapshot): void {
    this.snapshot = snapshot;
    for (const listener of [...this.listeners]) listener();
  }

  private timeZone(): string {
    return this.options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
