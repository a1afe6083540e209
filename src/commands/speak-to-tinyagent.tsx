import {
  Action,
  ActionPanel,
  Detail,
  environment,
  Form,
  getPreferenceValues,
  Icon,
  Keyboard,
  launchCommand,
  LaunchType,
  open,
  popToRoot,
} from "@raycast/api";
import { useEffect, useMemo } from "react";
import { enginesFolder } from "../agent/engines/engines-folder";
import { installedEngines } from "../agent/engines/provision-engines";
import { formatBytes } from "../agent/model/download";
import { SpeechRequest, type SpeechSnapshot } from "../agent/session/speech-request";
import { useSnapshot } from "./hooks/use-snapshot";
import { speechServices } from "./speech-services";

interface SpeechPreferences {
  speechModel?: string;
  customSpeechModelPath?: string;
}

/** Speak to TinyAgent: say the request, check the words, and Ask TinyAgent takes it from there. */
export default function SpeakToTinyAgent() {
  const request = useMemo(() => new SpeechRequest(speechServices(raycastWiring())), []);
  const snapshot = useSnapshot(request) ?? request.getSnapshot();

  useEffect(() => {
    void request.start();
    // Closing the command drops the recording; nothing is handed off.
    return () => request.cancel();
  }, [request]);

  return <SpeechView snapshot={snapshot} request={request} />;
}

/** One view per phase of the request. */
export function SpeechView({ snapshot, request }: { snapshot: SpeechSnapshot; request: SpeechRequest }) {
  switch (snapshot.phase) {
    case "starting":
      return <Detail isLoading markdown="## Speak to TinyAgent" />;
    case "needs-model":
      return (
        <Detail
          markdown={
            `## Speak to TinyAgent needs a speech model\n\n${snapshot.model?.name ?? "The speech model"} ` +
            `(${formatBytes(snapshot.model?.bytes ?? 0)}) is downloaded once, checked by its sha256, and ` +
            `transcribes on this Mac: your voice never leaves it.`
          }
          actions={
            <ActionPanel>
              <Action
                title="Download Speech Model"
                icon={Icon.Download}
                onAction={() => void request.downloadModel()}
              />
            </ActionPanel>
          }
        />
      );
    case "downloading":
      return (
        <Detail
          isLoading
          markdown={`## Downloading the speech model\n\n${Math.round(snapshot.download?.percent ?? 0)} % of ${formatBytes(snapshot.model?.bytes ?? 0)}`}
          actions={
            <ActionPanel>
              <Action title="Cancel Download" icon={Icon.XMarkCircle} onAction={() => request.cancel()} />
            </ActionPanel>
          }
        />
      );
    case "recording":
      return (
        <Detail
          isLoading
          markdown={
            "## Listening…\n\nSay your request. Press ↵ when you are done; it also stops after a pause."
          }
          actions={
            <ActionPanel>
              <Action title="Stop Recording" icon={Icon.Stop} onAction={() => void request.stop()} />
              <Action title="Cancel" icon={Icon.XMarkCircle} onAction={() => request.cancel()} />
            </ActionPanel>
          }
        />
      );
    case "transcribing":
      return (
        <Detail
          isLoading
          markdown={`## Transcribing on this Mac…\n\n${snapshot.recordedSeconds?.toFixed(1) ?? "?"} s recorded.`}
        />
      );
    case "transcript":
      return (
        <Form
          actions={
            <ActionPanel>
              <Action.SubmitForm
                title="Ask TinyAgent"
                icon={Icon.Wand}
                onSubmit={(values: { request: string }) => void request.submit(values.request)}
              />
              <Action
                title="Record Again"
                icon={Icon.Microphone}
                shortcut={Keyboard.Shortcut.Common.Refresh}
                onAction={() => void request.start()}
              />
            </ActionPanel>
          }
        >
          <Form.TextArea
            id="request"
            title="Request"
            value={snapshot.text}
            onChange={(text) => request.edit(text)}
            {...(snapshot.notice ? { error: snapshot.notice } : {})}
          />
          <Form.Description text="Correct the words if needed, then press ⌘↵ to plan it." />
        </Form>
      );
    case "failed":
      return (
        <Detail
          markdown={`## Could not take the spoken request\n\n${snapshot.error?.message ?? ""}`}
          actions={
            <ActionPanel>
              {snapshot.error?.needsSetup ? (
                <Action
                  title="Open Ask TinyAgent"
                  icon={Icon.Download}
                  onAction={() =>
                    void launchCommand({ name: "ask-tinyagent", type: LaunchType.UserInitiated })
                  }
                />
              ) : null}
              {snapshot.error?.settings ? (
                <Action
                  title="Open System Settings"
                  icon={Icon.Gear}
                  onAction={() => void open(snapshot.error!.settings!.url)}
                />
              ) : null}
              <Action title="Try Again" icon={Icon.Repeat} onAction={() => void request.start()} />
            </ActionPanel>
          }
        />
      );
    case "handed-off":
      return <Detail markdown={`## Asked TinyAgent\n\n${snapshot.text}`} />;
  }
}

/** Raycast's side of the wiring: support path, preferences, the engines folder, Ask TinyAgent. */
function raycastWiring() {
  const preferences = getPreferenceValues<SpeechPreferences>();
  const custom = preferences.customSpeechModelPath?.trim();
  return {
    supportPath: environment.supportPath,
    ...(preferences.speechModel === "custom" && custom ? { speechModel: custom } : {}),
    runtimeDir: async () => {
      const runtimeDir = await installedEngines({
        targetDir: enginesFolder({ supportPath: environment.supportPath }),
      });
      if (runtimeDir) return runtimeDir;
      throw Object.assign(
        new Error(
          "TinyAgent's engines are not set up yet. Open Ask TinyAgent once: it sets them up, speech included.",
        ),
        { needsSetup: true },
      );
    },
    handOff: async (text: string) => {
      // The same flow as a typed request: Ask TinyAgent with the words as its argument.
      await launchCommand({
        name: "ask-tinyagent",
        type: LaunchType.UserInitiated,
        arguments: { request: text },
      });
      await popToRoot({ clearSearchBar: true });
    },
  };
}
