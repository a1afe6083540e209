import { showToast, Toast } from "@raycast/api";
import { useEffect, useRef, useState } from "react";
import type { AgentSession } from "../../agent/session/agent-session";
import { FirstRunSetup } from "../../agent/session/first-run-setup";
import type { AgentSettings } from "../../agent/session/settings";
import { createAgentSession, setupOptions } from "../raycast-agent";

export interface AgentSessionState {
  /** Set-up still to do before the session can plan; undefined once everything is in place. */
  setup: FirstRunSetup | undefined;
  session: AgentSession | undefined;
  /** Loading the model and the classifier. */
  loading: boolean;
}

/**
 * One session per open command: set-up first when something is missing, then the planner and classifier
 * are loaded at once (not on the first ↵) and stay loaded until the command closes.
 */
export function useAgentSession(settings: AgentSettings): AgentSessionState {
  const [setup, setSetup] = useState<FirstRunSetup>();
  const [session, setSession] = useState<AgentSession>();
  const [loading, setLoading] = useState(true);
  const owned = useRef<AgentSession | undefined>(undefined);

  useEffect(() => {
    let closed = false;
    let pending: FirstRunSetup | undefined;
    const open = () => {
      if (closed) return;
      const created = createAgentSession(settings);
      owned.current = created;
      setSetup(undefined);
      setSession(created);
      created.ready().then(
        () => !closed && setLoading(false),
        (error: unknown) => {
          if (closed) return;
          setLoading(false);
          void showToast({
            style: Toast.Style.Failure,
            title: "TinyAgent could not load",
            message: error instanceof Error ? error.message : String(error),
          });
        },
      );
    };
    setupOptions(settings).then(
      (options) => {
        if (closed) return;
        const needed = new FirstRunSetup(options);
        if (needed.getSnapshot().phase === "done") return open();
        pending = needed;
        setLoading(false);
        setSetup(needed);
        needed.subscribe(() => {
          if (needed.getSnapshot().phase === "done") open();
        });
      },
      () => open(),
    );
    return () => {
      closed = true;
      pending?.cancel();
      void owned.current?.dispose();
    };
  }, [settings]);

  return { setup, session, loading };
}
