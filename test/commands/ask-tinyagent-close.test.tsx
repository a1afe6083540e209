import { describe, expect, it, vi } from "vitest";

/**
 * Closing Ask TinyAgent (issue 16, items 2 and 6): the command is rendered as Raycast renders it, with its
 * engine wiring replaced by stand-ins that record what happens to them. Unmounting it cancels the request
 * under way and disposes the planner and the classifier; a set-up under way is paused, a toast says it
 * resumes at the next open, and the next open resumes it without being asked.
 */
const control = vi.hoisted(() => ({
  setupNeeded: false,
  provisions: [] as { signal: AbortSignal | undefined; finish: () => void }[],
  planner: undefined as import("./helpers").ScriptedPlanner | undefined,
  selectorDisposals: 0,
}));
const storage = vi.hoisted(() => ({ current: undefined as import("./helpers").MemoryStorage | undefined }));

vi.mock("@raycast/api", async () => {
  const { MemoryStorage } = await import("./helpers");
  storage.current = new MemoryStorage();
  return {
    ...(await import("./raycast-stub")).raycastStub,
    environment: { supportPath: "/nowhere/support", assetsPath: "/nowhere/assets" },
    getPreferenceValues: () => ({ plannerModel: "micro" }),
    LocalStorage: storage.current,
  };
});

vi.mock("../../src/commands/raycast-agent", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/commands/raycast-agent")>();
  const { AgentSession } = await import("../../src/agent/session/agent-session");
  const { allToolsSelector } = await import("../../src/agent/agent");
  const { RecordingBackend } = await import("../../src/tools/recording/recording-backend");
  const { defaultRegistry } = await import("../../src/tools/registry");
  const { ScriptedPlanner } = await import("./helpers");
  return {
    ...real,
    setupOptions: async () =>
      control.setupNeeded
        ? {
            engines: {
              targetDir: "/nowhere/support/engines",
              provision: async ({ signal }: { signal?: AbortSignal }) => {
                await new Promise<void>((resolve, reject) => {
                  control.provisions.push({ signal, finish: resolve });
                  signal?.addEventListener("abort", () => reject(new Error("aborted")));
                });
                control.setupNeeded = false;
                return { runtimeDir: "/nowhere/support/engines/runtime" };
              },
            },
          }
        : {},
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
const { describeList, emptyView, host, render, runAction, until } = await import("./render-view");
const { act } = await import("react-test-renderer");
const { showToast } = await import("./raycast-stub");
const { UNFINISHED_SETUP_KEY } = await import("../../src/agent/session/unfinished-setup");

const open = (request?: string) =>
  render(<AskTinyAgent arguments={request ? { request } : {}} launchType={"userInitiated" as never} />);

describe("closing Ask TinyAgent", () => {
  it("cancels the request waiting for confirmation and disposes the planner and the classifier", async () => {
    const view = await open("text +1 555 0100 that I am late");
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

  it("pauses set-up under way, says it resumes at the next open, and resumes it then", async () => {
    control.setupNeeded = true;
    const first = await open();
    await until(first, (v) => v.root.findAll(host("List.Item")).length > 0, describeList);
    await runAction(first.root.findAll(host("List.Item"))[0]!, "Start Set-Up");
    await vi.waitFor(() => expect(control.provisions).toHaveLength(1));
    await act(async () => first.unmount());

    expect(control.provisions[0]!.signal?.aborted).toBe(true);
    expect(showToast).toHaveBeenCalledWith(
      expect.objectContaining({
        title: "TinyAgent set-up paused: it resumes when you open Ask TinyAgent again",
      }),
    );
    expect(storage.current!.values.get(UNFINISHED_SETUP_KEY)).toBe(JSON.stringify({ kind: "setup" }));

    // The next open resumes it without being asked, and forgets it once it is done.
    const second = await open();
    await vi.waitFor(() => expect(control.provisions).toHaveLength(2));
    await act(async () => control.provisions[1]!.finish());
    await until(second, (v) => emptyView(v)?.props.title === "What should TinyAgent do?", describeList);
    expect(storage.current!.values.has(UNFINISHED_SETUP_KEY)).toBe(false);
    await act(async () => second.unmount());
  });
});
