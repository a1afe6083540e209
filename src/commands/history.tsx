import { Alert, confirmAlert, launchCommand, LaunchType, LocalStorage, showToast, Toast } from "@raycast/api";
import { useCachedPromise } from "@raycast/utils";
import { HistoryStore } from "../agent/session/history";
import { HistoryList } from "./components/history-list";

/** History: past requests with their plans and outcomes; run one again or copy it. */
export default function History() {
  const store = new HistoryStore(LocalStorage);
  const { data, isLoading, revalidate } = useCachedPromise(() => store.list(), [], { initialData: [] });
  return (
    <HistoryList
      entries={data}
      isLoading={isLoading}
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
          message: "Past requests and their plans are removed from this Mac.",
          primaryAction: { title: "Clear History", style: Alert.ActionStyle.Destructive },
        });
        if (!sure) return;
        await store.clear();
        revalidate();
      }}
    />
  );
}
