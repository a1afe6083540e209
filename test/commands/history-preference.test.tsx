import { beforeEach, describe, expect, it, vi } from "vitest";

/**
 * The Keep History preference, through the real commands (Ask TinyAgent and History) over a mock
 * @raycast/api whose LocalStorage is a Map: on, a finished request is kept; off, nothing is written, and
 * History says it is off and clears what was kept before. Only the engine wiring of raycast-agent.ts is
 * replaced (a scripted planner, every tool offered, the recording backend), and @raycast/utils'
 * useCachedPromise by a plain effect.
 */
const state = vi.hoisted(() => ({ preferences: {} as Record<string, unknown> }));

vi.mock("@raycast/api", async () => {
  const { raycastStub } = await import("./raycast-stub");
  const { MemoryStorage } = await import("./helpers");
  return {
    ...raycastStub,
    environment: { supportPath: "/nowhere/support", assetsPath: "/nowhere/assets" },
    getPreferenceValues: () => state.preferences,
    LocalStorage: new MemoryStorage(),
    Alert: { ActionStyle: { Destructive: "destructive" } },
    confirmAlert: vi.fn(async () => true),
    launchCommand: vi.fn(),
    LaunchType: { UserInitiated: "userInitiated" },
  };
});

vi.mock("@raycast/utils", async () => {
  const { useEffect, useState } = await import("react");
  return {
    useCachedPromise: <T,>(load: () => Promise<T>, _args: unknown[], options: { initialData: T }) => {
      const [data, setData] = useState(options.initialData);
      const [isLoading, setLoading] = useState(true);
      const [round, setRound] = useState(0);
      useEffect(() => {
        let live = true;
        void load().then((value) => {
          if (!live) return;
          setData(value);
          setLoading(false);
        });
        return () => void (live = false);
      }, [round]);
      return { data, isLoading, revalidate: () => setRound((n) => n + 1) };
    },
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
    setupOptions: async () => ({}),
    plannerInUse: async () => ({ fast: false }),
    createAgentSession: () =>
      new AgentSession({
        openPlanner: async () => new ScriptedPlanner('1. get_phone_number("Sid")\n2. join()<END_OF_PLAN>'),
        openSelector: async () => allToolsSelector(defaultRegistry),
        backend: new RecordingBackend(),
        registry: defaultRegistry,
      }),
  };
});

const api = await import("@raycast/api");
const storage = api.LocalStorage as unknown as InstanceType<(typeof import("./helpers"))["MemoryStorage"]>;
const { showToast } = await import("./raycast-stub");
const { default: AskTinyAgent } = await import("../../src/commands/ask-tinyagent");
const { default: History } = await import("../../src/commands/history");
const { HISTORY_KEY } = await import("../../src/agent/session/history");
const { act } = await import("react-test-renderer");
const { describeList, emptyView, host, render, runAction, until } = await import("./render-view");

/** Runs a request through Ask TinyAgent until it says how it went (after History was written, or not). */
async function ask(request: string): Promise<void> {
  showToast.mockClear();
  const view = await render(<AskTinyAgent arguments={{ request }} launchType={"userInitiated" as never} />);
  const done = () =>
    showToast.mock.calls.some((call) => (call as unknown[] as [{ title?: string }])[0].title === "Done");
  await until(view, done, describeList);
  await act(async () => view.unmount());
}

function kept(): { request: string; planText: string }[] {
  const raw = storage.values.get(HISTORY_KEY);
  return raw === undefined
    ? []
    : (JSON.parse(raw) as { entries: { request: string; planText: string }[] }).entries;
}

beforeEach(() => {
  storage.values.clear();
});

describe("Keep History", () => {
  it("keeps each request with its plan while on (the default)", async () => {
    state.preferences = {};
    await ask("text Sid that I am late");
    expect(kept().map((entry) => entry.request)).toEqual(["text Sid that I am late"]);
    expect(kept()[0]!.planText).toContain('get_phone_number("Sid")');
  });

  it("writes nothing while off, and History says so and clears what was kept before", async () => {
    state.preferences = {};
    await ask("text Sid that I am late");
    const before = storage.values.get(HISTORY_KEY);
    state.preferences = { keepHistory: false };
    await ask("call Sid about the launch");
    expect(storage.values.get(HISTORY_KEY)).toBe(before);

    const view = await render(<History />);
    await until(view, (v) => v.root.findAll(host("List.Section")).length === 2, describeList);
    const sections = view.root.findAll(host("List.Section"));
    expect(sections.map((section) => section.props.title)).toEqual([
      "History Is Off",
      "Kept Before History Was Turned Off",
    ]);
    const clear = sections[0]!.findAll(host("List.Item"))[0]!;
    expect(clear.props.title).toBe("Clear the request kept before");
    await runAction(clear, "Clear History");
    await until(
      view,
      (v) => emptyView(v)?.props.title === "History is off" && v.root.findAll(host("List.Item")).length === 0,
      describeList,
    );
    expect(storage.values.has(HISTORY_KEY)).toBe(false);
    await act(async () => view.unmount());
  });
});
