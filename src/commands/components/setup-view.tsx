import { Action, ActionPanel, Color, Icon, List, type Image } from "@raycast/api";
import { describeTask, type SetupSnapshot, type SetupTask } from "../../agent/session/first-run-setup";

export interface SetupViewProps {
  snapshot: SetupSnapshot;
  onStart: () => void;
  onCancel: () => void;
}

const STATUS: Record<SetupTask["status"], { text: string; color: Color; icon: Image.ImageLike }> = {
  pending: { text: "To Download", color: Color.SecondaryText, icon: Icon.Download },
  running: { text: "Downloading", color: Color.Blue, icon: Icon.Download },
  done: { text: "Ready", color: Color.Green, icon: { source: Icon.CheckCircle, tintColor: Color.Green } },
  failed: { text: "Failed", color: Color.Red, icon: { source: Icon.XMarkCircle, tintColor: Color.Red } },
};

/**
 * First-run set-up: what is downloaded, how far along, and how long is left. Downloads resume. The search
 * bar filters nothing (the rows are the set-up, not results), and the list keeps the command's title.
 */
export function SetupView({ snapshot, onStart, onCancel }: SetupViewProps) {
  const running = snapshot.phase === "running";
  const startTitle = snapshot.tasks.some((task) => task.bytesDone > 0 || task.status === "failed")
    ? "Resume Set-Up"
    : "Start Set-Up";
  return (
    <List
      isLoading={running}
      filtering={false}
      searchBarPlaceholder="TinyAgent needs a few downloads before the first request"
    >
      <List.Section title="First-Run Set-Up" subtitle="Everything stays on this Mac">
        {snapshot.tasks.map((task) => (
          <List.Item
            key={task.id}
            icon={STATUS[task.status].icon}
            title={task.title}
            subtitle={describeTask(task)}
            accessories={[{ tag: { value: tagText(task), color: STATUS[task.status].color } }]}
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

/** The row's tag: its status, and while it runs, which step it is at. */
function tagText(task: SetupTask): string {
  if (task.status !== "running") return STATUS[task.status].text;
  return task.step === "unpacking" ? "Unpacking" : task.step === "checking" ? "Checking" : "Downloading";
}
