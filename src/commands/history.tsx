import {
  Alert,
  confirmAlert,
  getPreferenceValues,
  launchCommand,
  LaunchType,
  LocalStorage,
  openExtensionPreferences,
  showToast,
  Toast,
} from "@raycast/api";
import { useCachedPromise } from "@raycast/utils";
import { HistoryStore } from "../agent/session/history";
import { keepsHistory, type RawPreferences } from "../agent/session/settings";
import { HistoryList } from "./components/history-list";

/**
 * History: past requests with their plans and outcomes; run one again or copy it. With Keep History off,
 * nothing new is kept, and what was kept before can be cleared.
 */
export default function History() {
  const keeping = keepsHistory(getPreferenceValues<RawPreferences>());
  const store = new HistoryStore(LocalStorage, { keep: keeping });
  const { data, isLoading, revalidate } = useCachedPromise(() => store.list(), [], { initialData: [] });
  return (
    <HistoryList
      entries={data}
      isLoading={isLoading}
      keeping={keeping}
      onOpenPreferences={openExtensionPreferences}
      onRunAgain={(entry) =>
        void launchCommand({
          name: "ask-tinyagent",
          type: LaunchType.UserInitiated,
          arguments: { request: entry.request },
        })
      }
      onRemove={async (entry) => {
        await store.remove(entry.id);
        revalidate();
        await showToast({ style: Toast.Style.Success, title: "Removed from history" });
      }}
      onClear={async () => {
        const sure = await confirmAlert({
          title: "Clear all history?",
          message:
            "Past requests, their plans (with message and note text) and their results (with meeting links) are removed from this Mac.",
          primaryAction: { title: "Clear History", style: Alert.ActionStyle.Destructive },
        });
        if (!sure) return;
        await store.clear();
        revalidate();
        await showToast({ style: Toast.Style.Success, title: "History cleared" });
      }}
    />
  );
}
