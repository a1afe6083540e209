import { describe, expect, it, vi } from "vitest";

/**
 * Ask TinyAgent as Raycast renders it (the command, its session hook, FirstRunSetup, AgentSession and
 * the plan list are the real ones) with the engine wiring of raycast-agent.ts replaced: set-up and the
 * model download finish when the test says, and the planner loads when the test says. Between the end
 * of set-up and a loaded planner the list must say it is loading (issue 16, item 4).
 */
const control = vi.hoisted(() => ({
  setupNeeded: true,
  /** Each set while its load waits for the test. */
  finishSetup: undefined as (() => void) | undefined,
  finishDownload: undefined as (() => void) | undefined,
  finishPlanner: undefined as (() => void) | undefined,
  plannerLoads: 0,
}));

vi.mock("@raycast/api", async () => ({
  ...(await import("./raycast-stub")).raycastStub,
  environment: { supportPath: "/nowhere/support", assetsPath: "/nowhere/assets" },
  getPreferenceValues: () => ({}),
  LocalStorage: new (await import("./helpers")).MemoryStorage(),
}));

vi.mock("../../src/commands/raycast-agent", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/commands/raycast-agent")>();
  const { AgentSession } = await import("../../src/agent/session/agent-session");
  const { allToolsSelector } = await import("../../src/agent/agent");
  const { RecordingBackend } = await import("../../src/tools/recording/recording-backend");
  const { defaultRegistry } = await import("../../src/tools/registry");
  const { ScriptedPlanner } = await import("./helpers");
  const waitFor = (set: (finish: () => void) => void) => new Promise<void>((resolve) => set(resolve));
  return {
    ...real,
    setupOptions: async () =>
      control.setupNeeded
        ? {
            engines: {
              targetDir: "/nowhere/support/engines",
              provision: async () => {
                await waitFor((finish) => (control.finishSetup = finish));
                control.setupNeeded = false;
                return { runtimeDir: "/nowhere/support/engines/runtime" };
              },
            },
          }
        : {},
    plannerInUse: async () => ({ modelId: "micro", fast: true, toDownload: "tinyagent-1.1b" }),
    modelDownload: () => ({
      title: "TinyAgent-1.1B planner model",
      download: () => waitFor((finish) => (control.finishDownload = finish)),
    }),
    createAgentSession: () =>
      new AgentSession({
        openPlanner: async () => {
          control.plannerLoads++;
          await waitFor((finish) => (control.finishPlanner = finish));
          return new ScriptedPlanner("1. join()<END_OF_PLAN>");
        },
        openSelector: async () => allToolsSelector(defaultRegistry),
        backend: new RecordingBackend(),
        registry: defaultRegistry,
      }),
  };
});

const { default: AskTinyAgent } = await import("../../src/commands/ask-tinyagent");
const { describeList, emptyView, host, list, render, runAction, until } = await import("./render-view");
const { act } = await import("react-test-renderer");

/** Finishes the load the test holds back, once it has started. */
async function finish(view: Awaited<ReturnType<typeof render>>, which: "Setup" | "Download" | "Planner") {
  const key = `finish${which}` as const;
  await until(view, () => control[key] !== undefined, describeList);
  const finishLoad = control[key]!;
  control[key] = undefined;
  await act(async () => finishLoad());
}

const settingUp = (view: Awaited<ReturnType<typeof render>>) =>
  view.root.findAll(host("List.Section"))[0]?.props.title === "First-Run Set-Up";

const loadingThePlanner = (view: Awaited<ReturnType<typeof render>>) =>
  view.root.findAll(host("List.EmptyView"))[0]?.props.title === "Loading the planner…" &&
  list(view).props.isLoading === true;

describe("Ask TinyAgent while the planner loads", () => {
  it("says it is loading after first-run set-up, and after the model download, until the planner is there", async () => {
    const view = await render(<AskTinyAgent arguments={{}} launchType={"userInitiated" as never} />);
    await until(view, (v) => v.root.findAll(host("List.Item"))[0]?.props.title !== undefined, describeList);
    expect(settingUp(view)).toBe(true);
    await runAction(view.root.findAll(host("List.Item"))[0]!, "Start Set-Up");
    await finish(view, "Setup");

    // Set-up is done; the planner is still loading: the list says so.
    await until(view, loadingThePlanner, describeList);
    await finish(view, "Planner");
    await until(view, (v) => emptyView(v)?.props.title === "What should TinyAgent do?", describeList);
    expect(list(view).props.isLoading).toBe(false);
    expect(control.plannerLoads).toBe(1);

    // The better model is downloaded: the session opens again with it, and says so while it loads.
    await runAction(emptyView(view)!, "Download TinyAgent-1.1B for Better Plans");
    await until(view, settingUp, describeList);
    await finish(view, "Download");
    await until(view, loadingThePlanner, describeList);
    expect(control.plannerLoads).toBe(2);
    await finish(view, "Planner");
    await until(view, (v) => emptyView(v)?.props.title === "What should TinyAgent do?", describeList);
    expect(list(view).props.isLoading).toBe(false);
    await act(async () => view.unmount());
  });
});
