import { Action, ActionPanel, Color, Icon, Keyboard, List, type Image } from "@raycast/api";
import { historyMarkdown, type HistoryEntry, type HistoryOutcome } from "../../agent/session/history";
import { appIcon } from "./step-appearance";
import { defaultRegistry } from "../../tools/registry";

export interface HistoryListProps {
  entries: HistoryEntry[];
  isLoading: boolean;
  /** Keep History is on: new requests are kept. Off: the list says so and offers to clear what is left. */
  keeping: boolean;
  onOpenPreferences: () => void;
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

/**
 * An entry's row icon: its first step's app, or a failure mark when it failed. Rows show no accessories
 * while the detail pane is open (it always is when there are entries): the outcome and the date are in
 * the detail, and in the icon's tooltip.
 */
export function historyIcon(entry: HistoryEntry): { value: Image.ImageLike; tooltip: string } {
  const tooltip = `${OUTCOME[entry.outcome].value} · ${new Date(entry.at).toLocaleString()}`;
  if (entry.outcome === "failed")
    return { value: { source: Icon.XMarkCircle, tintColor: Color.Red }, tooltip };
  return { value: appIcon(defaultRegistry.get(entry.steps[0]?.tool ?? "")?.app), tooltip };
}

/** Past requests, newest first, each with its plan and what came of every step. */
export function HistoryList(props: HistoryListProps) {
  const { entries, isLoading, keeping, onRunAgain, onRemove, onClear } = props;
  const preferences = (
    <Action title="Open Extension Preferences" icon={Icon.Gear} onAction={props.onOpenPreferences} />
  );
  const rows = entries.map((entry) => (
    <List.Item
      key={entry.id}
      icon={historyIcon(entry)}
      title={entry.request}
      detail={
        <List.Item.Detail
          markdown={historyMarkdown(entry)}
          metadata={
            <List.Item.Detail.Metadata>
              <List.Item.Detail.Metadata.Label title="Outcome" text={OUTCOME[entry.outcome]} />
              <List.Item.Detail.Metadata.Label title="Asked" text={new Date(entry.at).toLocaleString()} />
            </List.Item.Detail.Metadata>
          }
        />
      }
      actions={
        <ActionPanel>
          <Action title="Run Again" icon={Icon.Repeat} onAction={() => onRunAgain(entry)} />
          {entry.answer ? <Action.CopyToClipboard title="Copy Answer" content={entry.answer} /> : null}
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
  ));
  return (
    <List
      isLoading={isLoading}
      isShowingDetail={entries.length > 0}
      searchBarPlaceholder="Search past requests"
    >
      {keeping ? (
        <List.EmptyView
          icon={Icon.Clock}
          title="No requests yet"
          description="What you ask TinyAgent shows up here, with its plan and results. Turn Keep History off in the preferences to keep nothing."
        />
      ) : (
        <List.EmptyView
          icon={Icon.EyeDisabled}
          title="History is off"
          description="TinyAgent keeps no requests. Turn Keep History on in the preferences to keep them here."
          actions={<ActionPanel>{preferences}</ActionPanel>}
        />
      )}
      {!keeping && entries.length > 0 && (
        <List.Section title="History Is Off">
          <List.Item
            icon={Icon.EyeDisabled}
            title={`Clear the ${entries.length === 1 ? "request" : `${entries.length} requests`} kept before`}
            detail={
              <List.Item.Detail markdown="Keep History is off: no new request is kept. The requests below were kept before it was turned off, with their plans and results, until you clear them." />
            }
            actions={
              <ActionPanel>
                <Action
                  title="Clear History"
                  icon={Icon.Trash}
                  style={Action.Style.Destructive}
                  onAction={onClear}
                />
                {preferences}
              </ActionPanel>
            }
          />
        </List.Section>
      )}
      {keeping
        ? rows
        : rows.length > 0 && <List.Section title="Kept Before History Was Turned Off">{rows}</List.Section>}
    </List>
  );
}
