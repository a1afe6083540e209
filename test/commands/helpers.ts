/**
 * Stand-ins for the view-model tests. The subject (AskRun over the real pipeline, executor and plan
 * parser) is real; the planner writes given text, macOS is the recording backend, and the person is the
 * test calling AskRun's actions.
 */
import type { PlanRequest, Planner, PlanningRun, PlanningStats } from "../../src/agent/planner/planner";
import type { PromptStyle } from "../../src/agent/prompt/planner-prompt";
import type { AskRun, RunPhase, RunSnapshot } from "../../src/agent/session/ask-run";
import type { KeyValueStorage } from "../../src/agent/session/history";
import type { ToolBackend, ToolCall, ToolContext, ToolResult } from "../../src/tools/backend";
import { ToolError, type SettingsPane } from "../../src/tools/tool-error";

/**
 * A planner that writes a given plan in chunks, one chunk per tick, optionally waiting for the test
 * before each chunk. It records the requests it was given and honours the abort signal like a model.
 */
export class ScriptedPlanner implements Planner {
  readonly name = "scripted";
  readonly requests: PlanRequest[] = [];
  readonly warmed: unknown[] = [];
  disposed = false;

  constructor(
    private readonly text: string,
    private readonly options: { chunkSize?: number; before?: (chunk: number) => Promise<void> } = {},
  ) {}

  plan(request: PlanRequest): PlanningRun {
    this.requests.push(request);
    const { text } = this;
    const size = this.options.chunkSize ?? 7;
    const before = this.options.before;
    let resolveDone!: (stats: PlanningStats) => void;
    const done = new Promise<PlanningStats>((resolve) => (resolveDone = resolve));
    async function* chunks(): AsyncGenerator<string> {
      let position = 0;
      let chunk = 0;
      try {
        while (position < text.length) {
          await (before ? before(chunk) : new Promise((resolve) => setTimeout(resolve, 0)));
          if (request.signal?.aborted) return;
          yield text.slice(position, position + size);
          position += size;
          chunk++;
        }
      } finally {
        resolveDone({
          promptTokens: 0,
          evaluatedTokens: 0,
          generatedTokens: chunk,
          firstChunkMs: 0,
          totalMs: 0,
          stopReason: request.signal?.aborted ? "aborted" : "end-of-plan",
        });
      }
    }
    return { text: chunks(), done };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

/**
 * A planner for requests planned more than once: the n-th plan request gets the n-th text, written like
 * ScriptedPlanner writes it. It records every request (the replan prompt is the second).
 */
export class RoundsPlanner implements Planner {
  readonly name = "rounds";
  readonly requests: PlanRequest[] = [];
  private readonly rounds: ScriptedPlanner[];

  constructor(
    texts: string[],
    readonly promptStyle: PromptStyle = "tinyagent",
  ) {
    this.rounds = texts.map((text) => new ScriptedPlanner(text));
  }

  plan(request: PlanRequest): PlanningRun {
    this.requests.push(request);
    const round = this.rounds[this.requests.length - 1];
    if (!round) throw new Error(`planned ${this.requests.length} times; the test wrote fewer plans`);
    return round.plan(request);
  }

  async dispose(): Promise<void> {}
}

/** Like ScriptedPlanner, with LlamaPlanner's warmUp. */
export class WarmableScriptedPlanner extends ScriptedPlanner {
  async warmUp(prompt: unknown): Promise<void> {
    this.warmed.push(prompt);
  }
}

/** macOS refusing one app: the given tool fails as the Mac backend does when Automation is denied. */
export class DeniedBackend implements ToolBackend {
  readonly name = "denied";
  constructor(
    private readonly inner: ToolBackend,
    private readonly deniedTool: string,
    private readonly pane: SettingsPane,
  ) {}

  run(call: ToolCall, context: ToolContext): Promise<ToolResult> {
    if (call.tool.name !== this.deniedTool) return this.inner.run(call, context);
    return Promise.reject(
      new ToolError(
        "permission",
        `Raycast is not allowed to control ${call.tool.app}. Allow it in ${this.pane.name}.`,
        {
          settings: this.pane,
        },
      ),
    );
  }
}

export const AUTOMATION: SettingsPane = {
  name: "Privacy & Security › Automation",
  url: "x-apple.systempreferences:com.apple.preference.security?Privacy_Automation",
};

/** Waits until the run's snapshot satisfies `predicate`; fails (never hangs) after `timeoutMs`. */
export function untilSnapshot(
  run: AskRun,
  predicate: (snapshot: RunSnapshot) => boolean,
  what: string,
  timeoutMs = 3000,
): Promise<RunSnapshot> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const snapshot = run.getSnapshot();
      if (!predicate(snapshot)) return false;
      clearTimeout(timer);
      unsubscribe();
      resolve(snapshot);
      return true;
    };
    const timer = setTimeout(() => {
      unsubscribe();
      const snapshot = run.getSnapshot();
      reject(
        new Error(
          `timed out waiting for ${what}; phase ${snapshot.phase}, steps ${snapshot.steps.map((s) => `${s.index}:${s.status}`).join(" ")}`,
        ),
      );
    }, timeoutMs);
    const unsubscribe = run.subscribe(check);
    check();
  });
}

export function untilPhase(run: AskRun, phase: RunPhase, timeoutMs?: number): Promise<RunSnapshot> {
  return untilSnapshot(run, (snapshot) => snapshot.phase === phase, `phase ${phase}`, timeoutMs);
}

/** Status of each step by index. */
export function statusesOf(snapshot: RunSnapshot): Record<number, string> {
  return Object.fromEntries(snapshot.steps.map((step) => [step.index, step.status]));
}

/** Raycast's LocalStorage, in memory. */
export class MemoryStorage implements KeyValueStorage {
  readonly values = new Map<string, string>();
  async getItem(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async setItem(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
  async removeItem(key: string): Promise<void> {
    this.values.delete(key);
  }
}
