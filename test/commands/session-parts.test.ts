import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allToolsSelector } from "../../src/agent/agent";
import { AgentSession } from "../../src/agent/session/agent-session";
import { ClassifierError } from "../../src/agent/toolrag/classifier";
import { parseArgumentForm } from "../../src/agent/session/argument-form";
import { FirstRunSetup, type EngineProgress } from "../../src/agent/session/first-run-setup";
import {
  HISTORY_KEY,
  HistoryStore,
  historyEntry,
  historyMarkdown,
  type HistoryEntry,
} from "../../src/agent/session/history";

import { keepsHistory, readSettings } from "../../src/agent/session/settings";
import { referenceLabels, summarizeStep } from "../../src/agent/session/step-summary";
import { pausedToast, UNFINISHED_SETUP_KEY, UnfinishedSetup } from "../../src/agent/session/unfinished-setup";
import { stepsOf } from "../executor/helpers";
import { RecordingBackend } from "../../src/tools/recording/recording-backend";
import { defaultRegistry } from "../../src/tools/registry";
import { MemoryStorage, ScriptedPlanner, untilPhase, WarmableScriptedPlanner } from "./helpers";

function entry(id: string, request = `request ${id}`): HistoryEntry {
  return {
    id,
    request,
    at: "2024-06-03T09:00:00.000Z",
    outcome: "done",
    planText: "1. get_phone_number('Sid')",
    steps: [{ index: 1, tool: "get_phone_number", summary: "Look up Sid’s phone number", status: "done" }],
  };
}

describe("history storage", () => {
  it("keeps the newest requests first, up to its bound", async () => {
    const store = new HistoryStore(new MemoryStorage(), { maxEntries: 3 });
    for (const id of ["1", "2", "3", "4"]) await store.add(entry(id));
    expect((await store.list()).map((e) => e.id)).toEqual(["4", "3", "2"]);
  });

  it("skips corrupt entries and survives unreadable JSON without losing the rest", async () => {
    const storage = new MemoryStorage();
    const good = entry("good");
    storage.values.set(
      HISTORY_KEY,
      JSON.stringify({ version: 1, entries: [good, { id: 7 }, { ...entry("bad"), at: "yesterday" }, null] }),
    );
    const store = new HistoryStore(storage);
    expect((await store.list()).map((e) => e.id)).toEqual(["good"]);
    storage.values.set(HISTORY_KEY, "{not json");
    expect(await store.list()).toEqual([]);
    await store.add(entry("after"));
    expect((await store.list()).map((e) => e.id)).toEqual(["after"]);
  });

  it("writes nothing when history is turned off, and still clears what was kept before", async () => {
    const storage = new MemoryStorage();
    await new HistoryStore(storage).add(entry("before"));
    const off = new HistoryStore(storage, { keep: false });
    const kept = storage.values.get(HISTORY_KEY);
    await off.add(entry("after"));
    expect(storage.values.get(HISTORY_KEY)).toBe(kept);
    expect((await off.list()).map((e) => e.id)).toEqual(["before"]);
    await off.clear();
    expect(storage.values.has(HISTORY_KEY)).toBe(false);
    await off.add(entry("later"));
    expect(storage.values.size).toBe(0);
  });

  it("leaves history from a newer version alone", async () => {
    const storage = new MemoryStorage();
    const newer = JSON.stringify({ version: 2, entries: [{ anything: true }] });
    storage.values.set(HISTORY_KEY, newer);
    const store = new HistoryStore(storage);
    expect(await store.list()).toEqual([]);
    await store.add(entry("1"));
    expect(storage.values.get(HISTORY_KEY)).toBe(newer);
  });

  it("records a run's request, plan, step outcomes and overall outcome, shortening long results", async () => {
    const long = "x".repeat(5000);
    const made = historyEntry(
      {
        request: "summarize the deck",
        phase: "finished",
        steps: [
          {
            index: 1,
            tool: "summarize_pdf",
            app: "files",
            effect: "read",
            summary: "Summarize deck.pdf",
            status: "failed",
            plannedArgs: ["deck.pdf"],
            edited: false,
            error: { code: "not-found", message: "No file named deck.pdf." },
          },
        ],
        planText: "1. summarize_pdf('deck.pdf')",
        problems: [],
        confirmation: [],
      },
      new Date("2024-06-03T09:00:00Z"),
      "id-1",
    );
    expect(made).toMatchObject({
      outcome: "failed",
      steps: [{ status: "failed", outcome: "No file named deck.pdf." }],
    });
    const store = new HistoryStore(new MemoryStorage());
    await store.add({ ...made, steps: [{ ...made.steps[0]!, outcome: long }] });
    const [stored] = await store.list();
    expect(stored!.steps[0]!.outcome!.length).toBeLessThan(1100);
  });

  it("keeps the run's answer, shortened, and shows it first", async () => {
    const made = historyEntry(
      {
        request: "what's Lutfi's email",
        phase: "finished",
        steps: [],
        planText: '1. get_email_address("Lutfi")',
        problems: [],
        confirmation: [],
        answer: "Lutfi's email address is lutfi@example.com.",
      },
      new Date("2024-06-03T09:00:00Z"),
      "id-2",
    );
    expect(made.answer).toBe("Lutfi's email address is lutfi@example.com.");
    const store = new HistoryStore(new MemoryStorage());
    await store.add({ ...made, answer: "y".repeat(5000) });
    await store.add({ ...made, id: "id-3" });
    const [latest, older] = await store.list();
    expect(older!.answer!.length).toBeLessThan(1100);
    expect(historyMarkdown(latest!).startsWith("**Answer**")).toBe(true);
    expect(historyMarkdown(latest!)).toContain("lutfi@example.com");
    // An entry kept before answers were stored still reads back.
    expect(historyMarkdown({ ...latest!, answer: undefined } as HistoryEntry)).not.toContain("**Answer**");
  });
});

describe("preferences", () => {
  it("defaults to TinyAgent-1.1B with every app on", () => {
    const result = readSettings({});
    expect(result).toEqual({
      ok: true,
      settings: {
        planner: { kind: "catalog", modelId: "tinyagent-1.1b" },
        disabledApps: new Set(),
        messagesDraftOnly: false,
        keepHistory: true,
      },
    });
  });

  it("turns unchecked apps off and reads the other choices", () => {
    const result = readSettings({
      plannerModel: "server",
      serverUrl: "http://127.0.0.1:11434",
      serverModel: "tinyagent",
      appSms: false,
      appZoom: false,
      appMail: true,
      messagesDraftOnly: true,
      customInstructions: "  Keep it short. ",
      zoomClientId: " abc ",
      keepHistory: false,
    });
    expect(result.ok && result.settings).toEqual({
      planner: { kind: "server", url: "http://127.0.0.1:11434", model: "tinyagent" },
      disabledApps: new Set(["sms", "zoom"]),
      messagesDraftOnly: true,
      keepHistory: false,
      customInstructions: "Keep it short.",
      zoomClientId: "abc",
    });
  });

  it("keeps history unless Keep History is off, as the manifest's checkbox says", () => {
    const manifest = JSON.parse(
      readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8"),
    ) as {
      preferences: { name: string; type: string; label?: string; default?: unknown; description: string }[];
    };
    const checkbox = manifest.preferences.find((preference) => preference.name === "keepHistory");
    expect(checkbox).toMatchObject({ type: "checkbox", label: "Keep History", default: true });
    expect(checkbox!.description).toMatch(/message and email text.*Zoom links with their passcodes/);
    expect(keepsHistory({})).toBe(true);
    expect(keepsHistory({ keepHistory: true })).toBe(true);
    expect(keepsHistory({ keepHistory: false })).toBe(false);
  });

  it("gives every text preference and the command's argument a placeholder", () => {
    const manifest = JSON.parse(
      readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8"),
    ) as {
      preferences: { name: string; type: string; placeholder?: string }[];
      commands: { arguments?: { name: string; placeholder?: string }[] }[];
    };
    const textFields = manifest.preferences.filter((preference) => preference.type === "textfield");
    expect(textFields.map((preference) => preference.name)).toEqual([
      "serverUrl",
      "serverModel",
      "customInstructions",
      "zoomClientId",
    ]);
    expect(textFields.filter((preference) => !preference.placeholder?.trim())).toEqual([]);
    const commandArguments = manifest.commands.flatMap((command) => command.arguments ?? []);
    expect(commandArguments.filter((argument) => !argument.placeholder?.trim())).toEqual([]);
  });

  it("says which preference to fix when the planner choice is incomplete", () => {
    expect(readSettings({ plannerModel: "custom" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("Custom Model File"),
    });
    expect(readSettings({ plannerModel: "server" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("Server URL"),
    });
    expect(readSettings({ plannerModel: "server", serverUrl: "file:///etc/passwd" })).toMatchObject({
      ok: false,
    });
  });
});

describe("first-run set-up", () => {
  it("reports engine and model progress, and resumes only what failed", async () => {
    const seen: string[] = [];
    let modelAttempts = 0;
    const setup = new FirstRunSetup({
      engines: {
        targetDir: "/tmp/engines",
        provision: async ({ onProgress }) => {
          const step: EngineProgress = {
            phase: "downloading",
            bytesDone: 50,
            bytesTotal: 100,
            percent: 50,
            etaSeconds: 3,
          };
          onProgress?.(step);
          return { runtimeDir: "/tmp/engines" };
        },
      },
      model: {
        title: "TinyAgent-1.1B planner model",
        download: async ({ onProgress }) => {
          modelAttempts++;
          onProgress({
            phase: "downloading",
            bytesDone: 334_000_000,
            totalBytes: 668_000_000,
            percent: 50,
            etaSeconds: 60,
          });
          if (modelAttempts === 1) throw new Error("The connection dropped. Start again to resume.");
        },
      },
    });
    setup.subscribe(() => {
      const running = setup
        .getSnapshot()
        .tasks.find((task) => task.status === "running" && task.percent !== undefined);
      const line = running && `${running.id} ${running.percent}% ${running.etaSeconds}s`;
      if (line && line !== seen.at(-1)) seen.push(line);
    });
    const first = await setup.start();
    expect(first.phase).toBe("failed");
    expect(first.runtimeDir).toBe("/tmp/engines");
    expect(first.tasks.map((task) => task.status)).toEqual(["done", "failed"]);
    expect(first.tasks[1]!.error).toContain("resume");
    expect(seen).toEqual(["engines 50% 3s", "model 50% 60s"]);
    const second = await setup.start();
    expect(second.phase).toBe("done");
    expect(modelAttempts).toBe(2);
  });
});

describe("a set-up the command's closing interrupted", () => {
  it("is remembered while it runs and forgotten when it ends or the person pauses it", async () => {
    const storage = new MemoryStorage();
    const unfinished = new UnfinishedSetup(storage);
    let finish!: () => void;
    const download = () =>
      new FirstRunSetup({
        model: {
          title: "TinyAgent-1.1B planner model",
          download: ({ signal }) =>
            new Promise((resolve, reject) => {
              finish = () => resolve(undefined);
              if (signal.aborted) reject(new Error("stopped"));
              signal.addEventListener("abort", () => reject(new Error("stopped")));
            }),
        },
      });
    const what = { kind: "download", modelId: "tinyagent-1.1b", modelName: "TinyAgent-1.1B" } as const;

    // Finished: forgotten.
    const done = download();
    unfinished.follow(done, what);
    const finished = done.start();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await unfinished.read()).toEqual(what);
    finish();
    await finished;
    expect(await unfinished.read()).toBeUndefined();

    // Paused by the person: forgotten too; nothing resumes by itself.
    const paused = download();
    unfinished.follow(paused, what);
    const stopped = paused.start();
    paused.cancel();
    await stopped;
    expect(await unfinished.read()).toBeUndefined();

    // Interrupted by closing (no longer followed, then cancelled): still there for the next open.
    const interrupted = download();
    const forget = unfinished.follow(interrupted, what);
    const cut = interrupted.start();
    forget();
    interrupted.cancel();
    await cut;
    expect(await unfinished.read()).toEqual(what);
    expect(pausedToast(what).title).toBe(
      "TinyAgent-1.1B download paused: it resumes when you open Ask TinyAgent again",
    );

    await storage.setItem(UNFINISHED_SETUP_KEY, "{not json");
    expect(await unfinished.read()).toBeUndefined();
  });
});

describe("the session", () => {
  it("warms the planner with the prompt the typed text would get, and loads the planner once", async () => {
    const planner = new WarmableScriptedPlanner("1. get_phone_number('Sid')\n2. join()<END_OF_PLAN>");
    let loads = 0;
    const session = new AgentSession({
      openPlanner: async () => {
        loads++;
        return planner;
      },
      openSelector: async () => allToolsSelector(defaultRegistry),
      backend: new RecordingBackend(),
      registry: defaultRegistry,
      timeZone: "Europe/Paris",
      now: () => new Date("2024-06-03T09:00:00Z"),
    });
    expect(await session.warmUp("text Sid that I am late")).toBe(true);
    expect(planner.warmed).toHaveLength(1);
    expect((planner.warmed[0] as { user: string }).user).toContain("text Sid that I am late");
    const run = await session.ask("text Sid that I am late");
    await run.done;
    expect(planner.requests[0]!.prompt.system).toBe((planner.warmed[0] as { system: string }).system);
    expect(loads).toBe(1);
    await session.dispose();
    expect(planner.disposed).toBe(true);
  });

  it("does not warm a planner that cannot (a server) or a request no tool fits", async () => {
    const plain = new ScriptedPlanner("");
    const session = new AgentSession({
      openPlanner: async () => plain,
      openSelector: async () => ({ select: async () => [] }),
      backend: new RecordingBackend(),
      registry: defaultRegistry,
    });
    expect(await session.warmUp("text Sid")).toBe(false);
  });
});

describe("closing the session", () => {
  it("cancels its requests, then disposes the planner and the selector, each once", async () => {
    // A plan with a step to confirm: the request waits for the person when the session closes.
    const planner = new ScriptedPlanner("1. send_sms(['+1 555 0100'], 'late')\n2. join()<END_OF_PLAN>");
    const disposed: string[] = [];
    const session = new AgentSession({
      openPlanner: async () => planner,
      openSelector: async () => ({
        ...allToolsSelector(defaultRegistry),
        dispose: async () => void disposed.push("selector"),
      }),
      backend: new RecordingBackend(),
      registry: defaultRegistry,
    });
    const run = await session.ask("text +1 555 0100 that I am late");
    await untilPhase(run, "confirming");
    await Promise.all([session.dispose(), session.dispose()]);
    expect((await run.done).phase).toBe("cancelled");
    expect(planner.disposed).toBe(true);
    expect(disposed).toEqual(["selector"]);
    await expect(session.ask("text Sid")).rejects.toThrow(/closed/);
  });

  it("disposes a planner and a selector that were still loading when it closed", async () => {
    let finishLoading!: () => void;
    const loaded = new Promise<void>((resolve) => (finishLoading = resolve));
    const planner = new ScriptedPlanner("");
    let selectorDisposed = false;
    const session = new AgentSession({
      openPlanner: async () => {
        await loaded;
        return planner;
      },
      openSelector: async () => {
        await loaded;
        return { ...allToolsSelector(defaultRegistry), dispose: async () => void (selectorDisposed = true) };
      },
      backend: new RecordingBackend(),
      registry: defaultRegistry,
    });
    const ready = session.ready().catch(() => undefined);
    const closed = session.dispose();
    finishLoading();
    await closed;
    await ready;
    expect(planner.disposed).toBe(true);
    expect(selectorDisposed).toBe(true);
  });
});

describe("loading the session", () => {
  /** A load the test finishes when it wants to. */
  function deferred<T>() {
    let resolve!: (value: T) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<T>((yes, no) => ((resolve = yes), (reject = no)));
    return { promise, resolve, reject };
  }

  it("reports a classifier that failed before the planner loaded, and never says it is ready", async () => {
    const planner = deferred<ScriptedPlanner>();
    const cause = new ClassifierError(
      "Tool selection cannot start: its engine, onnxruntime-node, did not load on this Mac (darwin-arm64) " +
        "(Cannot find module '../bin/napi-v6/darwin/arm64/onnxruntime_binding.node'). Delete that folder…",
    );
    let selectorLoads = 0;
    const session = new AgentSession({
      openPlanner: () => planner.promise,
      openSelector: async () => {
        selectorLoads++;
        throw cause;
      },
      backend: new RecordingBackend(),
      registry: defaultRegistry,
    });
    const phases: string[] = [];
    session.subscribe(() => phases.push(session.getSnapshot().phase));
    const outcome = session.ready().then(
      () => "ready",
      (error: unknown) => error,
    );
    // The selector has failed (and been forgotten, to be tried again) before the planner arrives.
    await new Promise((resolve) => setTimeout(resolve, 0));
    planner.resolve(new ScriptedPlanner("1. join()<END_OF_PLAN>"));
    expect(await outcome).toBe(cause);
    expect(session.getSnapshot()).toEqual({ phase: "failed", error: cause.message });
    // ↵ reports the same cause, not a raw engine error.
    await expect(session.ask("text Sid")).rejects.toBe(cause);
    expect(selectorLoads).toBe(2);
    expect(phases).not.toContain("ready");
    expect(session.getSnapshot().phase).toBe("failed");
  });

  it("says what it is loading until both are loaded", async () => {
    const planner = deferred<ScriptedPlanner>();
    const selector = deferred<ReturnType<typeof allToolsSelector>>();
    const session = new AgentSession({
      openPlanner: () => planner.promise,
      openSelector: () => selector.promise,
      backend: new RecordingBackend(),
      registry: defaultRegistry,
    });
    expect(session.getSnapshot()).toEqual({ phase: "idle" });
    const ready = session.ready();
    expect(session.getSnapshot()).toEqual({ phase: "loading", loading: "Loading the planner…" });
    planner.resolve(new ScriptedPlanner(""));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(session.getSnapshot()).toEqual({ phase: "loading", loading: "Loading tool selection…" });
    selector.resolve(allToolsSelector(defaultRegistry));
    await ready;
    expect(session.getSnapshot()).toEqual({ phase: "ready" });
  });
});

describe("step summaries and edits", () => {
  it("names references by what they stand for", () => {
    const steps = stepsOf(`1. get_email_address("Sid")
2. get_email_address("Lutfi")
3. open_and_get_file_path("Q3 deck")
4. compose_new_email(["$1", "$2"], [], "Q3 review", "see \${3}", ["$3"])
5. join()<END_OF_PLAN>`);
    const labels = referenceLabels(new Map(steps.map((step) => [step.index, step])));
    expect(steps.map((step) => summarizeStep(step, labels))).toEqual([
      "Look up Sid’s email address",
      "Look up Lutfi’s email address",
      "Find and open “Q3 deck”",
      "Email Sid and Lutfi: Q3 review",
    ]);
  });

  it("reads list, number and optional fields of the form back into typed arguments", () => {
    const event = defaultRegistry.get("create_calendar_event")!;
    const parsed = parseArgumentForm(event, {
      title: "Review",
      start_date: "2024-06-07 15:00:00",
      end_date: "2024-06-07 16:00:00",
      location: "  ",
      invitees: "sid@example.com, lutfi@example.com\n",
      notes: "",
      calendar: "Work",
    });
    expect(parsed).toEqual({
      ok: true,
      args: {
        title: "Review",
        start_date: "2024-06-07 15:00:00",
        end_date: "2024-06-07 16:00:00",
        location: null,
        invitees: ["sid@example.com", "lutfi@example.com"],
        notes: null,
        calendar: "Work",
      },
    });
    const bad = parseArgumentForm(event, {
      title: "Review",
      start_date: "Friday",
      end_date: "2024-06-07 16:00:00",
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.fieldErrors)).toEqual(["start_date"]);
  });
});
