import {
  Action,
  ActionPanel,
  Detail,
  Icon,
  LocalStorage,
  openExtensionPreferences,
  showToast,
  Toast,
  type LaunchProps,
} from "@raycast/api";
import { randomUUID } from "node:crypto";
import { useEffect, useMemo, useState } from "react";
import { findCatalogModel } from "../agent/model/catalog";
import type { AskRun, RunSnapshot } from "../agent/session/ask-run";
import { historyEntry, HistoryStore } from "../agent/session/history";
import type { AgentSettings } from "../agent/session/settings";
import { LoadFailureView } from "./components/load-failure-view";
import { PlanList } from "./components/plan-list";
import { SetupView } from "./components/setup-view";
import { useAgentSession } from "./hooks/use-agent-session";
import { useSnapshot } from "./hooks/use-snapshot";
import { agentSettings } from "./raycast-agent";

/** Ask TinyAgent: type a request, press ↵, watch the plan, confirm what it will change. */
export default function AskTinyAgent(props: LaunchProps<{ arguments: { request?: string } }>) {
  const settings = useMemo(() => agentSettings(), []);
  if (!settings.ok) {
    return (
      <Detail
        markdown={`## Check TinyAgent's preferences\n\n${settings.message}`}
        actions={
          <ActionPanel>
            <Action title="Open Extension Preferences" icon={Icon.Gear} onAction={openExtensionPreferences} />
          </ActionPanel>
        }
      />
    );
  }
  return <AskView settings={settings.settings} initialRequest={props.arguments.request?.trim() ?? ""} />;
}

function AskView({ settings, initialRequest }: { settings: AgentSettings; initialRequest: string }) {
  const { setup, session, loading, loadingText, failure, retry, planner, downloadPlanner } =
    useAgentSession(settings);
  const setupSnapshot = useSnapshot(setup);
  const [searchText, setSearchText] = useState(initialRequest);
  const [run, setRun] = useState<AskRun>();
  const snapshot = useSnapshot(run);

  async function ask(request: string) {
    if (!session) return;
    run?.cancel();
    try {
      const started = await session.ask(request);
      setRun(started);
      void started.done.then((final) => finished(final, settings.keepHistory));
    } catch (error) {
      void showToast({
        style: Toast.Style.Failure,
        title: "TinyAgent could not start",
        message: String((error as Error).message ?? error),
      });
    }
  }

  // A request given as the command's argument runs as soon as the session is there.
  useEffect(() => {
    if (session && initialRequest && !run) void ask(initialRequest);
  }, [session]);

  // Closing the command cancels a run that is still going: nothing new starts once the view is gone.
  useEffect(() => () => run?.cancel(), [run]);

  if (setup && setupSnapshot) {
    return (
      <SetupView
        snapshot={setupSnapshot}
        onStart={() => void setup.start()}
        onCancel={() => setup.cancel()}
      />
    );
  }

  if (failure) return <LoadFailureView message={failure} onRetry={retry} />;

  return (
    <PlanList
      searchText={searchText}
      onSearchTextChange={(text) => {
        setSearchText(text);
        session?.warmUpSoon(text);
      }}
      snapshot={snapshot}
      isLoading={loading}
      {...(loading ? { loadingText: loadingText ?? "Loading TinyAgent…" } : {})}
      onAsk={(request) => void ask(request)}
      onConfirmAll={() => run?.confirmAll()}
      onSkip={(step) => run?.skip(step)}
      onEdit={(step, values) => run!.edit(step, values)}
      onCancel={() => run?.cancel()}
      onChoose={(value) => run?.choose(value)}
      {...(planner?.fast ? { fastPlanner: fastPlannerOffer(planner.toDownload, downloadPlanner) } : {})}
    />
  );
}

/** The label of the bundled micro planner, with the download of the model the preferences name. */
function fastPlannerOffer(toDownload: string | undefined, download: () => void) {
  const model = toDownload ? findCatalogModel(toDownload) : undefined;
  return model
    ? { downloadTitle: `Download ${model.displayName} for Better Plans`, onDownload: download }
    : {};
}

/** Keeps the request in History (unless Keep History is off) and says how it went. */
async function finished(snapshot: RunSnapshot, keepHistory: boolean): Promise<void> {
  await new HistoryStore(LocalStorage, { keep: keepHistory })
    .add(historyEntry(snapshot, new Date(), randomUUID()))
    .catch(() => undefined);
  const failed = snapshot.steps.filter((step) => step.status === "failed").length;
  const done = snapshot.steps.filter((step) => step.status === "done").length;
  if (snapshot.phase === "finished" && failed === 0) {
    await showToast({
      style: Toast.Style.Success,
      title: "Done",
      message: `${done} of ${snapshot.steps.length} steps ran`,
    });
  } else if (snapshot.phase === "finished") {
    await showToast({
      style: Toast.Style.Failure,
      title: `${failed} step${failed === 1 ? "" : "s"} failed`,
      message: "Select a step to see why",
    });
  } else if (snapshot.phase === "cancelled") {
    await showToast({
      style: Toast.Style.Success,
      title: "Cancelled",
      message: `${done} steps had run; nothing else was started`,
    });
  }
}
