import { Action, ActionPanel, Color, Icon, List } from "@raycast/api";
import { describeProgress, type SetupSnapshot, type SetupTask } from "../../agent/session/first-run-setup";

export interface SetupViewProps {
  snapshot: SetupSnapshot;
  onStart: () => void;
  onCancel: () => void;
}

const STATUS: Record<SetupTask["status"], { text: string; color: Color }> = {
  pending: { text: "To Download", color: Color.SecondaryText },
  running: { text: "Downloading", color: Color.Blue },
  done: { text: "Ready", color: Color.Green },
  failed: { text: "Failed", color: Color.Red },
};

/** First-run set-up: what is downloaded, how far along, and how long is left. Downloads resume. */
export function SetupView({ snapshot, onStart, onCancel }: SetupViewProps) {
  const running = snapshot.phase === "running";
  const startTitle = snapshot.tasks.some((task) => task.bytesDone > 0 || task.status === "failed")
    ? "Resume Set-Up"
    : "Start Set-Up";
  return (
    <List
      isLoading={running}
      navigationTitle="Set Up TinyAgent"
      searchBarPlaceholder="TinyAgent needs a few downloads before the first request"
    >
      <List.Section title="First-Run Set-Up" subtitle="Everything stays on this Mac">
        {snapshot.tasks.map((task) => (
          <List.Item
            key={task.id}
            icon={task.status === "done" ? Icon.CheckCircle : Icon.Download}
            title={task.title}
            subtitle={
              task.error ??
              (task.status === "pending"
                ? ""
                : `${task.detail ? `${task.detail} · ` : ""}${describeProgress(task)}`)
            }
            accessories={[{ tag: { value: STATUS[task.status].text, color: STATUS[task.status].color } }]}
            actions={
              <ActionPanel>
                {running ? (
                  <Action title="Pause Download" icon={Icon.Pause} onAction={onCancel} />
                ) : (
                  <Action title={startTitle} icon={Icon.Download} onAction={onStart} />
                )}
              </ActionPanel>
            }
          />
        ))}
      </List.Section>
    </List>
  );
}
