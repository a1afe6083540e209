import { useEffect, useRef, useState } from "react";
import type { AgentSession } from "../../agent/session/agent-session";
import { FirstRunSetup } from "../../agent/session/first-run-setup";
import type { AgentSettings } from "../../agent/session/settings";
import {
  createAgentSession,
  modelDownload,
  plannerInUse,
  setupOptions,
  type PlannerInUse,
} from "../raycast-agent";
import { useSnapshot } from "./use-snapshot";

export interface AgentSessionState {
  /** Set-up still to do before the session can plan; undefined once everything is in place. */
  setup: FirstRunSetup | undefined;
  session: AgentSession | undefined;
  /**
   * Finding out what set-up needs, or loading the model and the classifier (also right after set-up or a
   * model download): the view shows progress and `loadingText`.
   */
  loading: boolean;
  /** While loading, what: "Loading the planner…". */
  loadingText: string | undefined;
  /** Why the planner or the classifier could not load, saying what to do; undefined otherwise. */
  failure: string | undefined;
  /** Opens the session again (after fixing a preference or a file). */
  retry: () => void;
  /** The planner in use, once known: whether it is the fast bundled one, and what could be downloaded. */
  planner: PlannerInUse | undefined;
  /** Downloads the TinyAgent model the preferences name (shown like set-up), then plans with it. */
  downloadPlanner: () => void;
}

/**
 * One session per open command: set-up first when something is missing, then the planner and classifier
 * are loaded at once (not on the first ↵) and stay loaded until the command closes.
 */
export function useAgentSession(settings: AgentSettings): AgentSessionState {
  const [setup, setSetup] = useState<FirstRunSetup>();
  const [session, setSession] = useState<AgentSession>();
  const [planner, setPlanner] = useState<PlannerInUse>();
  const sessionSnapshot = useSnapshot(session);
  // Bumped after a model download or to try again: the session is opened again.
  const [generation, setGeneration] = useState(0);
  const owned = useRef<AgentSession | undefined>(undefined);

  useEffect(() => {
    let closed = false;
    let pending: FirstRunSetup | undefined;
    setSession(undefined);
    const open = async () => {
      if (closed) return;
      const inUse = await plannerInUse(settings).catch(() => undefined);
      if (closed) return;
      const created = createAgentSession(settings, inUse);
      owned.current = created;
      setPlanner(inUse);
      setSetup(undefined);
      setSession(created);
      // Failures show in the session's snapshot (the view says what to do); nothing to catch here.
      created.ready().catch(() => undefined);
    };
    setupOptions(settings).then(
      (options) => {
        if (closed) return;
        const needed = new FirstRunSetup(options);
        if (needed.getSnapshot().phase === "done") return void open();
        pending = needed;
        setSetup(needed);
        needed.subscribe(() => {
          if (needed.getSnapshot().phase === "done") void open();
        });
      },
      () => void open(),
    );
    return () => {
      closed = true;
      pending?.cancel();
      void owned.current?.dispose();
    };
  }, [settings, generation]);

  const downloadPlanner = () => {
    if (!planner?.toDownload) return;
    const download = new FirstRunSetup({ model: modelDownload(planner.toDownload) });
    download.subscribe(() => {
      const phase = download.getSnapshot().phase;
      if (phase === "done") setGeneration((n) => n + 1);
      // Paused: back to planning with the fast planner; the part downloaded is kept for next time.
      if (phase === "cancelled") setSetup(undefined);
    });
    setSetup(download);
    void download.start();
  };

  const phase = sessionSnapshot?.phase;
  return {
    setup,
    session,
    loading: setup === undefined && (phase === undefined || phase === "idle" || phase === "loading"),
    loadingText: phase === "loading" ? sessionSnapshot?.loading : undefined,
    failure: phase === "failed" ? sessionSnapshot?.error : undefined,
    retry: () => setGeneration((n) => n + 1),
    planner,
    downloadPlanner,
  };
}
