import { Action, ActionPanel, Color, Icon, List, openExtensionPreferences } from "@raycast/api";

export interface LoadFailureViewProps {
  /** What could not load and what to do, from the error (see AgentSession's snapshot). */
  message: string;
  onRetry: () => void;
}

/**
 * The planner or the tool classifier could not load: the reason and what to do stay on screen, with no
 * request row to press ↵ on, until the person tries again or fixes a preference.
 */
export function LoadFailureView({ message, onRetry }: LoadFailureViewProps) {
  return (
    <List filtering={false} searchBarPlaceholder="TinyAgent could not load">
      <List.EmptyView
        icon={{ source: Icon.Warning, tintColor: Color.Red }}
        title="TinyAgent could not load"
        description={message}
        actions={
          <ActionPanel>
            <Action title="Try Again" icon={Icon.ArrowClockwise} onAction={onRetry} />
            <Action title="Open Extension Preferences" icon={Icon.Gear} onAction={openExtensionPreferences} />
          </ActionPanel>
        }
      />
    </List>
  );
}
