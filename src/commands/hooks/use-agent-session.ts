import { LocalStorage, showToast, Toast } from "@raycast/api";
import { useEffect, useRef, useState } from "react";
import { findCatalogModel } from "../../agent/model/catalog";
import type { AgentSession } from "../../agent/session/agent-session";
import { FirstRunSetup } from "../../agent/session/first-run-setup";
import type { AgentSettings } from "../../agent/session/settings";
import { pausedToast, UnfinishedSetup, type SetupKind } from "../../agent/session/unfinished-setup";
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

/** A set-up on screen, what it fetches, and how to stop remembering it (see UnfinishedSetup). */
interface ShownSetup {
  setup: FirstRunSetup;
  what: SetupKind;
  forget: () => void;
}

/**
 * One session per open command: set-up first when something is missing, then the planner and classifier
 * are loaded at once (not on the first ↵) and stay loaded until the command closes. Closing the command
 * disposes the session and pauses a set-up or download under way, with a toast saying it resumes at the
 * next open, as it then does.
 */
export function useAgentSession(settings: AgentSettings): AgentSessionState {
  const [setup, setSetup] = useState<FirstRunSetup>();
  const [session, setSession] = useState<AgentSession>();
  const [planner, setPlanner] = useState<PlannerInUse>();
  const sessionSnapshot = useSnapshot(session);
  // Bumped after a model download or to try again: the session is opened again.
  const [generation, setGeneration] = useState(0);
  const owned = useRef<AgentSession | undefined>(undefined);
  const shown = useRef<ShownSetup | undefined>(undefined);
  const unfinished = useRef(new UnfinishedSetup(LocalStorage)).current;

  const show = (next: FirstRunSetup, what: SetupKind) => {
    shown.current?.forget();
    shown.current = { setup: next, what, forget: unfinished.follow(next, what) };
    setSetup(next);
  };

  /** Downloads a TinyAgent model (shown like set-up), then opens the session again with it. */
  const startDownload = (modelId: string) => {
    const download = new FirstRunSetup({ model: modelDownload(modelId) });
    download.subscribe(() => {
      const phase = download.getSnapshot().phase;
      if (phase === "done") setGeneration((n) => n + 1);
      // Paused: back to planning with the fast planner; the part downloaded is kept for next time.
      if (phase === "cancelled") setSetup(undefined);
    });
    show(download, {
      kind: "download",
      modelId,
      modelName: findCatalogModel(modelId)?.displayName ?? modelId,
    });
    void download.start();
  };

  useEffect(() => {
    let closed = false;
    setSession(undefined);
    const interrupted = unfinished.read();
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
      // A download the last closing paused goes on.
      const resume = await interrupted;
      if (!closed && resume?.kind === "download" && resume.modelId === inUse?.toDownload)
        startDownload(resume.modelId);
    };
    setupOptions(settings).then(
      async (options) => {
        if (closed) return;
        const needed = new FirstRunSetup(options);
        if (needed.getSnapshot().phase === "done") return void open();
        needed.subscribe(() => {
          if (needed.getSnapshot().phase === "done") void open();
        });
        const resume = (await interrupted)?.kind === "setup";
        if (closed) return;
        show(needed, { kind: "setup" });
        // A set-up the last closing paused goes on; a new one waits for the person.
        if (resume) void needed.start();
      },
      () => void open(),
    );
    return () => {
      closed = true;
      void owned.current?.dispose();
    };
  }, [settings, generation]);

  // Closing the command pauses a set-up or download under way (what was fetched is kept) and says so; it
  // stays remembered, so the next open resumes it.
  useEffect(
    () => () => {
      const current = shown.current;
      if (current?.setup.getSnapshot().phase !== "running") return;
      current.forget();
      current.setup.cancel();
      void showToast({ style: Toast.Style.Success, ...pausedToast(current.what) });
    },
    [],
  );

  const downloadPlanner = () => {
    if (planner?.toDownload) startDownload(planner.toDownload);
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
