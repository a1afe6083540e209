import type { FirstRunSetup } from "./first-run-setup";
import type { KeyValueStorage } from "./history";

/** A set-up that can be under way when Ask TinyAgent closes: first-run set-up, or a better model's download. */
export type SetupKind = { kind: "setup" } | { kind: "download"; modelId: string; modelName: string };

export const UNFINISHED_SETUP_KEY = "unfinished-setup";

/**
 * Closing Ask TinyAgent pauses a set-up or download under way (Raycast ends the command, and what was
 * fetched is kept). It is remembered from the moment it starts, not when the command closes (Raycast may
 * end the command before anything more is written), and forgotten when it ends: done, failed, or paused
 * by the person. What is still remembered at the next open was interrupted by closing, and resumes.
 */
export class UnfinishedSetup {
  constructor(private readonly storage: KeyValueStorage) {}

  /** The set-up the command's closing interrupted, if any. */
  async read(): Promise<SetupKind | undefined> {
    const value = await this.storage.getItem(UNFINISHED_SETUP_KEY).catch(() => undefined);
    if (typeof value !== "string") return undefined;
    try {
      const parsed = JSON.parse(value) as Partial<SetupKind>;
      if (parsed.kind === "setup") return { kind: "setup" };
      if (parsed.kind === "download" && typeof parsed.modelId === "string")
        return {
          kind: "download",
          modelId: parsed.modelId,
          modelName: String(parsed.modelName ?? parsed.modelId),
        };
    } catch {
      // Not ours, or damaged: nothing to resume.
    }
    return undefined;
  }

  /**
   * Remembers `what` while `setup` runs and forgets it when it ends. Returns the function that stops
   * following it: call it before cancelling the set-up because the command closes, so that it stays
   * remembered and resumes at the next open.
   */
  follow(setup: FirstRunSetup, what: SetupKind): () => void {
    let last: string | undefined;
    const changed = () => {
      const phase = setup.getSnapshot().phase;
      if (phase === last || phase === "idle") return;
      last = phase;
      if (phase === "running")
        this.quietly(() => this.storage.setItem(UNFINISHED_SETUP_KEY, JSON.stringify(what)));
      else this.quietly(() => this.storage.removeItem(UNFINISHED_SETUP_KEY));
    };
    const unsubscribe = setup.subscribe(changed);
    changed();
    return unsubscribe;
  }

  /** Storage is a convenience here: failing to write it must not stop the set-up it follows. */
  private quietly(write: () => Promise<void>): void {
    try {
      write().catch(() => undefined);
    } catch {
      // See above.
    }
  }
}

/**
 * The toast shown when the command closes while `what` is under way: it paused, and resumes at the next
 * open. Raycast shows a toast of a closed window as a HUD, which has only the title: the title says it all.
 */
export function pausedToast(what: SetupKind): { title: string; message: string } {
  const paused = what.kind === "setup" ? "TinyAgent set-up" : `${what.modelName} download`;
  return {
    title: `${paused} paused: it resumes when you open Ask TinyAgent again`,
    message: "What was downloaded is kept.",
  };
}
