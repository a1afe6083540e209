import { describe, expect, it, vi } from "vitest";

/**
 * Closing Ask TinyAgent (issue 16, item 2): the command is rendered as Raycast renders it, with its
 * session's planner and classifier replaced by stand-ins that record their disposal. Unmounting the
 * command cancels the request under way and disposes both; nothing is left loaded.
 */
const control = vi.hoisted(() => ({
  planner: undefined as import("./helpers").ScriptedPlanner | undefined,
  selectorDisposals: 0,
}));

vi.mock("@raycast/api", async () => ({
  ...(await import("./raycast-stub")).raycastStub,
  environment: { supportPath: "/nowhere/support", assetsPath: "/nowhere/assets" },
  getPreferenceValues: () => ({ plannerModel: "micro" }),
  LocalStorage: new (await import("./helpers")).MemoryStorage(),
}));

vi.mock("../../src/commands/raycast-agent", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/commands/raycast-agent")>();
  const { AgentSession } = await import("../../src/agent/session/agent-session");
  const { allToolsSelector } = await import("../../src/agent/agent");
  const { RecordingBackend } = await import("../../src/tools/recording/recording-backend");
  const { defaultRegistry } = await import("../../src/tools/registry");
  const { ScriptedPlanner } = await import("./helpers");
  return {
    ...real,
    setupOptions: async () => ({}),
    plannerInUse: async () => ({ modelId: "micro", fast: true }),
    createAgentSession: () =>
      new AgentSession({
        openPlanner: async () =>
          (control.planner = new ScriptedPlanner(
            "1. send_sms(['+1 555 0100'], 'late')\n2. join()<END_OF_PLAN>",
          )),
        openSelector: async () => ({
          ...allToolsSelector(defaultRegistry),
          dispose: async () => void control.selectorDisposals++,
        }),
        backend: new RecordingBackend(),
        registry: defaultRegistry,
      }),
  };
});

const { default: AskTinyAgent } = await import("../../src/commands/ask-tinyagent");
const { describeList, host, render, until } = await import("./render-view");
const { act } = await import("react-test-renderer");
const { showToast } = await import("./raycast-stub");

describe("closing Ask TinyAgent", () => {
  it("cancels the request waiting for confirmation and disposes the planner and the classifier", async () => {
    const view = await render(
      <AskTinyAgent
        arguments={{ request: "text +1 555 0100 that I am late" }}
        launchType={"userInitiated" as never}
      />,
    );
    await until(
      view,
      (v) => v.root.findAll(host("List.Section"))[0]?.props.title === "Needs Your Confirmation",
      describeList,
    );
    expect(control.planner?.disposed).toBe(false);
    await act(async () => view.unmount());
    await vi.waitFor(() => expect(control.planner?.disposed).toBe(true));
    expect(control.selectorDisposals).toBe(1);
    expect(showToast).toHaveBeenCalledWith(expect.objectContaining({ title: "Cancelled" }));
  });
});
