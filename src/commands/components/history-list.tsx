import { Action, ActionPanel, Color, Icon, Keyboard, List } from "@raycast/api";
import type { HistoryEntry, HistoryOutcome } from "../../agent/session/history";
import { appIcon } from "./step-appearance";
import { defaultRegistry } from "../../tools/registry";
import { escapeMarkdown, fenced } from "../../agent/session/markdown-text";

export interface HistoryListProps {
  entries: HistoryEntry[];
  isLoading: boolean;
  onRunAgain: (entry: HistoryEntry) => void;
  onRemove: (entry: HistoryEntry) => void;
  onClear: () => void;
}

const OUTCOME: Record<HistoryOutcome, { value: string; color: Color }> = {
  done: { value: "Done", color: Color.Green },
  failed: { value: "Failed", color: Color.Red },
  cancelled: { value: "Cancelled", color: Color.SecondaryText },
  "no-tools": { value: "No Tools", color: Color.Orange },
  unfinished: { value: "Unfinished", color: Color.SecondaryText },
};

/** Past requests, newest first, each with its plan and what came of every step. */
export function HistoryList({ entries, isLoading, onRunAgain, onRemove, onClear }: HistoryListProps) {
  return (
    <List
      isLoading={isLoading}
      isShowingDetail={entries.length > 0}
      searchBarPlaceholder="Search past requests"
    >
      <List.EmptyView
        icon={Icon.Clock}
        title="No requests yet"
        description="What you ask TinyAgent shows up here."
      />
      {entries.map((entry) => (
        <List.Item
          key={entry.id}
          icon={appIcon(defaultRegistry.get(entry.steps[0]?.tool ?? "")?.app)}
          title={entry.request}
          accessories={[
            { tag: OUTCOME[entry.outcome] },
            { date: new Date(entry.at), tooltip: new Date(entry.at).toLocaleString() },
          ]}
          detail={<List.Item.Detail markdown={historyMarkdown(entry)} />}
          actions={
            <ActionPanel>
              <Action title="Run Again" icon={Icon.Repeat} onAction={() => onRunAgain(entry)} />
              <Action.CopyToClipboard title="Copy Request" content={entry.request} />
              <Action.CopyToClipboard
                title="Copy Plan"
                content={entry.planText}
                shortcut={Keyboard.Shortcut.Common.Copy}
              />
              <ActionPanel.Section>
                <Action
                  title="Remove from History"
                  icon={Icon.Trash}
                  style={Action.Style.Destructive}
                  shortcut={Keyboard.Shortcut.Common.Remove}
                  onAction={() => onRemove(entry)}
                />
                <Action
                  title="Clear History"
                  icon={Icon.Trash}
                  style={Action.Style.Destructive}
                  shortcut={Keyboard.Shortcut.Common.RemoveAll}
                  onAction={onClear}
                />
              </ActionPanel.Section>
            </ActionPanel>
          }
        />
      ))}
    </List>
  );
}

/** The request's steps with their outcomes, then the plan as written; text from results stays in code blocks. */
export function historyMarkdown(entry: HistoryEntry): string {
  const steps = entry.steps.map(
    (step) => `${step.index}. ${escapeMarkdown(step.summary)} — **${step.status}**`,
  );
  const parts = [steps.length > 0 ? steps.join("\n") : escapeMarkdown(entry.message ?? "No plan.")];
  const outcomes = entry.steps
    .filter((step) => step.outcome !== undefined)
    .map((step) => `${step.index}. ${step.outcome}`);
  if (outcomes.length > 0) parts.push("**Results**", fenced(outcomes.join("\n")));
  if (entry.planText) parts.push("**Plan**", fenced(entry.planText));
  return parts.join("\n\n");
}
