import { delimiter, join } from "node:path";
import { act } from "react-test-renderer";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { writeTinyWhisperModel } from "../../src/agent/speech/tiny-whisper-model";
import { makeTempDir } from "../model/helpers";
import { actionTitles, host, render, until } from "./render-view";

/**
 * The Speak to TinyAgent command as Raycast renders it, over the @raycast/api stand-in: listening, then
 * the transcript in an editable form, then Ask TinyAgent launched with the corrected words. Real
 * wiring underneath: the recorder's script through a stand-in osascript (only macOS is replaced), and
 * the real whisper.cpp binding, loaded by absolute path from a runtime folder (this checkout's, since
 * tests provision no engines) with the tiny model as the custom speech model.
 */

const ROOT = join(import.meta.dirname, "..", "..");
const dir = makeTempDir("tinyagent-speak-command-");
const state = vi.hoisted(() => ({ preferences: {} as Record<string, unknown>, supportPath: "" }));
const launchCommand = vi.hoisted(() => vi.fn(async () => undefined));

vi.mock("@raycast/api", async () => {
  const { raycastStub } = await import("./raycast-stub");
  return {
    ...raycastStub,
    environment: {
      get supportPath() {
        return state.supportPath;
      },
    },
    getPreferenceValues: () => state.preferences,
    launchCommand,
    LaunchType: { UserInitiated: "userInitiated" },
    open: vi.fn(),
    popToRoot: vi.fn(async () => undefined),
  };
});

vi.mock("../../src/agent/engines/provision-engines", () => ({
  installedEngines: async () => ROOT,
}));

const saved = { ...process.env };
beforeAll(async () => {
  state.supportPath = dir.file("support");
  state.preferences = {
    speechModel: "custom",
    customSpeechModelPath: await writeTinyWhisperModel(dir.file("tiny-whisper.bin")),
  };
  process.env.PATH = `${join(ROOT, "test", "fixtures", "macos")}${delimiter}${process.env.PATH ?? ""}`;
  process.env.FAKE_MICROPHONE_WAV = join(ROOT, "test", "fixtures", "speech", "text-lutfi.wav");
});
afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  dir.remove();
});

describe("Speak to TinyAgent (command)", () => {
  it("shows the transcript in an editable form and launches Ask TinyAgent with the corrected words", async () => {
    const { default: SpeakToTinyAgent } = await import("../../src/commands/speak-to-tinyagent");
    const view = await render(<SpeakToTinyAgent />);
    await until(
      view,
      (v) => v.root.findAll(host("Form.TextArea")).length > 0,
      (v) => JSON.stringify(v.toJSON()).slice(0, 400),
      15_000,
    );
    const area = view.root.findAll(host("Form.TextArea"))[0];
    if (!area) throw new Error(JSON.stringify(view.toJSON()).slice(0, 600));
    expect(area.props.value).toMatch(/^[a-z ]+$/);
    await act(async () => area.props.onChange("email Sid the Q3 deck"));
    expect(view.root.find(host("Form.TextArea")).props.value).toBe("email Sid the Q3 deck");
    const form = view.root.find(host("Form"));
    expect(actionTitles(form)).toEqual(["Record Again"]);
    const submit = form.props.actions.props.children[0];
    expect(submit.props.title).toBe("Ask TinyAgent");
    await act(async () => submit.props.onSubmit({ request: "email Sid the Q3 deck" }));
    expect(launchCommand).toHaveBeenCalledWith({
      name: "ask-tinyagent",
      type: "userInitiated",
      arguments: { request: "email Sid the Q3 deck" },
    });
    view.unmount();
  });

  it("renders each phase: listening with Stop, transcribing, a refusal with Open System Settings", async () => {
    const { SpeechView } = await import("../../src/commands/speak-to-tinyagent");
    const { SpeechRequest } = await import("../../src/agent/session/speech-request");
    const request = new SpeechRequest({} as never);
    const listening = await render(
      <SpeechView request={request} snapshot={{ phase: "recording", text: "" }} />,
    );
    expect(listening.root.find(host("Detail")).props.markdown).toMatch(/^## Listening…/);
    expect(actionTitles(listening.root.find(host("Detail")))).toEqual(["Stop Recording", "Cancel"]);
    const transcribing = await render(
      <SpeechView request={request} snapshot={{ phase: "transcribing", text: "", recordedSeconds: 3.1 }} />,
    );
    expect(transcribing.root.find(host("Detail")).props).toMatchObject({ isLoading: true });
    expect(transcribing.root.find(host("Detail")).props.markdown).toContain("3.1 s recorded");
    const refused = await render(
      <SpeechView
        request={request}
        snapshot={{
          phase: "failed",
          text: "",
          error: {
            message: "Allow it in System Settings › Privacy & Security › Microphone",
            settings: { name: "Microphone", url: "x-apple.systempreferences:mic" },
          },
        }}
      />,
    );
    expect(actionTitles(refused.root.find(host("Detail")))).toEqual(["Open System Settings", "Try Again"]);
    const noEngines = await render(
      <SpeechView
        request={request}
        snapshot={{ phase: "failed", text: "", error: { message: "not set up", needsSetup: true } }}
      />,
    );
    expect(actionTitles(noEngines.root.find(host("Detail")))).toEqual(["Open Ask TinyAgent", "Try Again"]);
    const needsModel = await render(
      <SpeechView
        request={request}
        snapshot={{ phase: "needs-model", text: "", model: { name: "Whisper base.en", bytes: 147_964_211 } }}
      />,
    );
    expect(needsModel.root.find(host("Detail")).props.markdown).toContain("Whisper base.en (148.0 MB)");
    expect(actionTitles(needsModel.root.find(host("Detail")))).toEqual(["Download Speech Model"]);
  });
});
