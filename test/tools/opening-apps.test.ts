import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Confirmation, ConfirmationRequest, ExecuteOptions } from "../../src/agent/executor/executor";
import { executePlan } from "../../src/agent/executor/executor";
import { MDFIND, OPEN, STAT } from "../../src/tools/macos/files";
import { MacBackend } from "../../src/tools/macos/mac-backend";
import { needsFileMode, openingRisk } from "../../src/tools/macos/opening-risk";
import { createFixtureWorld, type FixtureFile } from "../../src/tools/recording/fixture-world";
import { RecordingBackend } from "../../src/tools/recording/recording-backend";
import { EventLog, outcome, settlesWithin, stepsOf } from "../executor/helpers";
import { FakeSystem } from "../macos/fake-system";

/*
 * open_and_get_file_path finds a file without asking, and opens a document at once; opening an app, a
 * script, an installer, a link or an executable waits for the person's approval of the file's full path
 * (issue 17, item 2). Both backends run under the real executor: the recording backend over a fixture Mac,
 * the Mac backend over a FakeSystem answering mdfind and stat (files need no osascript).
 */

const HOME = "/Users/alex";

beforeAll(() => {
  // The Mac backend searches the home folder of whoever runs it: the fixture Mac's.
  vi.stubEnv("HOME", HOME);
});
afterAll(() => {
  vi.unstubAllEnvs();
});

const RISKY: FixtureFile[] = [
  { path: `${HOME}/Applications/Budget Helper.app` },
  { path: `${HOME}/Downloads/cleanup.command` },
  { path: `${HOME}/Downloads/Printer Driver.pkg` },
  { path: `${HOME}/Downloads/Zoom Installer.dmg` },
  { path: `${HOME}/Documents/Rename photos.workflow` },
  { path: `${HOME}/bin/sync-photos`, permissions: 0o755 },
  { path: `${HOME}/Downloads/backup.run`, permissions: 0o755 },
  { path: `${HOME}/Desktop/shared invoices`, kind: "Symbolic Link", permissions: 0o755 },
];

function recording(files: FixtureFile[] = RISKY) {
  const world = createFixtureWorld();
  world.files.push(...files);
  return new RecordingBackend({ world });
}

/** A confirm callback that records every request and answers with `answer`. */
function asking(answer: (request: ConfirmationRequest) => Confirmation = () => ({ decision: "approve" })) {
  const requests: ConfirmationRequest[] = [];
  const confirm = async (request: ConfirmationRequest) => {
    requests.push(request);
    return answer(request);
  };
  return { requests, confirm };
}

const opened = (backend: RecordingBackend) =>
  backend.calls.flatMap((call) => call.invocations).filter((i) => i.kind === "command" && i.file === OPEN);

async function openFile(
  name: string,
  options: Omit<ExecuteOptions, "backend"> & { backend: ExecuteOptions["backend"] },
) {
  return settlesWithin(
    executePlan(stepsOf(`1. open_and_get_file_path(${JSON.stringify(name)})\n2. join()`), options),
    5000,
  );
}

describe("classifying what opening a file does", () => {
  it("names apps, scripts, installers, workflows, links and executables; documents and folders open freely", () => {
    for (const name of ["A.app", "x.command", "x.sh", "x.tool", "x.pkg", "x.dmg", "x.workflow", "x.webloc"]) {
      expect(openingRisk(`/Users/alex/${name}`), name).toMatch(
        new RegExp(`^${name.replace(".", "\\.")} is `),
      );
    }
    expect(openingRisk("/Users/alex/Setup.APP/")).toBe("Setup.APP is an app: opening it starts it.");
    const file = (permissions: number) => ({ permissions, kind: "Regular File" });
    expect(openingRisk("/Users/alex/run", file(0o755))).toMatch(/no file extension/);
    expect(openingRisk("/Users/alex/alias to Mail", file(0o644))).toMatch(/alias/);
    expect(openingRisk("/Users/alex/x.run", file(0o700))).toMatch(/executable/);
    expect(openingRisk("/Users/alex/x.data", file(0o644))).toBeUndefined();
    expect(openingRisk("/Users/alex/link.data", { permissions: 0o755, kind: "Symbolic Link" })).toMatch(
      /link/,
    );
    expect(openingRisk("/Users/alex/Projects", { permissions: 0o755, kind: "Directory" })).toBeUndefined();
    // Common documents open in their viewer whatever their mode, so their mode is not even looked at.
    expect(needsFileMode("/Users/alex/Q3 Deck.pdf")).toBe(false);
    expect(needsFileMode("/Users/alex/cleanup.command")).toBe(false);
    expect(needsFileMode("/Users/alex/sync-photos")).toBe(true);
    expect(openingRisk("/Users/alex/Q3 Deck.pdf")).toBeUndefined();
  });
});

describe("open_and_get_file_path on the recording backend, under the executor", () => {
  it("never opens an app, a script, an installer, a link or an executable without approval", async () => {
    // Failed before: each was opened at once and the step reported done.
    for (const file of RISKY) {
      const backend = recording();
      const name = file.path.slice(file.path.lastIndexOf("/") + 1);
      const result = await openFile(name, { backend });
      const step = outcome(result, 1);
      expect(step.status, name).toBe("skipped");
      expect(step.status === "skipped" && step.cause).toBe("declined");
      expect(step.status === "skipped" && step.reason, name).toContain(name);
      expect(opened(backend), name).toEqual([]);
    }
  });

  it("asks with the file's full path and why, then opens exactly that file", async () => {
    const backend = recording();
    const { requests, confirm } = asking();
    const events = new EventLog();
    const result = await openFile("cleanup", { backend, confirm, onEvent: events.listener });
    const path = `${HOME}/Downloads/cleanup.command`;
    expect(requests).toHaveLength(1);
    expect(requests[0]!.tool.name).toBe("open_and_get_file_path");
    expect(requests[0]!.args).toEqual({ file_name: path });
    expect(requests[0]!.reason).toBe("cleanup.command is a shell script: opening it runs it in Terminal.");
    expect(outcome(result, 1)).toMatchObject({ status: "done", observation: path });
    expect(opened(backend)).toEqual([{ kind: "command", file: OPEN, argv: [path] }]);
    // Found while running, shown for approval, then running again with what was approved.
    expect(events.events.filter((e) => e.step.index === 1).map((e) => e.type)).toEqual([
      "queued",
      "running",
      "awaiting-confirmation",
      "running",
      "done",
    ]);
  });

  it("declined: nothing is opened, and a step using its path is skipped", async () => {
    const backend = recording();
    const { confirm } = asking(() => ({ decision: "decline", reason: "not that one" }));
    const steps = stepsOf('1. open_and_get_file_path("Printer Driver")\n2. summarize_pdf("$1")\n3. join()');
    const result = await settlesWithin(executePlan(steps, { backend, confirm }), 5000);
    expect(outcome(result, 1)).toMatchObject({
      status: "skipped",
      cause: "declined",
      reason: "not that one",
    });
    expect(outcome(result, 2)).toMatchObject({ status: "skipped", cause: "dependency" });
    expect(opened(backend)).toEqual([]);
  });

  it("opens documents at once, without asking, even when they are marked executable", async () => {
    const backend = recording([
      { path: `${HOME}/Downloads/scan.pdf`, permissions: 0o777 },
      { path: `${HOME}/Documents/notes.data` },
    ]);
    const { requests, confirm } = asking();
    for (const name of ["Q3 Deck", "scan", "notes.data"]) {
      const result = await openFile(name, { backend, confirm });
      expect(outcome(result, 1).status, name).toBe("done");
    }
    expect(requests).toEqual([]);
    expect(opened(backend).map((i) => (i as { argv: string[] }).argv[0])).toEqual([
      `${HOME}/Documents/Q3 Deck.pdf`,
      `${HOME}/Downloads/scan.pdf`,
      `${HOME}/Documents/notes.data`,
    ]);
  });

  it("an edited path opens the file the person named, if it exists; else nothing opens", async () => {
    const backend = recording();
    const other = `${HOME}/Documents/Q3 Deck.pdf`;
    const edit = (file_name: string) => asking(() => ({ decision: "edit", args: { file_name } })).confirm;
    const result = await openFile("Budget Helper", { backend, confirm: edit("~/Documents/Q3 Deck.pdf") });
    expect(outcome(result, 1)).toMatchObject({ status: "done", observation: other });
    expect(opened(backend)).toEqual([{ kind: "command", file: OPEN, argv: [other] }]);

    const missing = recording();
    const failed = await openFile("Budget Helper", { backend: missing, confirm: edit("/nowhere/else.app") });
    expect(outcome(failed, 1)).toMatchObject({ status: "failed", error: { code: "not-found" } });
    expect(opened(missing)).toEqual([]);
  });
});

describe("open_and_get_file_path on the Mac backend, under the executor", () => {
  /** A Mac whose Spotlight finds `found` by name, and whose stat prints `modes` ("755 Regular File"). */
  function mac(found: string, modes: Record<string, string> = {}) {
    return new FakeSystem({
      exec: (file, argv) => {
        if (file === MDFIND) return argv[3]!.startsWith("kMDItemFSName") ? `${found}\0` : "";
        if (file === STAT) {
          const mode = modes[argv.at(-1)!];
          if (mode === undefined) throw new Error(`stat: ${argv.at(-1)}: No such file or directory`);
          return `${mode}\n`;
        }
        return "";
      },
    });
  }
  const preferences = { messagesDraftOnly: false, timeZone: "Europe/Paris" };
  const opens = (system: FakeSystem) => system.commands.filter((c) => c.file === OPEN);

  it("asks before opening a script Spotlight found, and runs open only once approved", async () => {
    const path = `${HOME}/Downloads/cleanup.command`;
    const declined = mac(path);
    const refused = await openFile("cleanup", {
      backend: new MacBackend({ system: declined, preferences }),
      confirm: async () => ({ decision: "decline" }),
    });
    expect(outcome(refused, 1)).toMatchObject({ status: "skipped", cause: "declined" });
    expect(opens(declined)).toEqual([]);

    const approved = mac(path);
    const { requests, confirm } = asking();
    const result = await openFile("cleanup", {
      backend: new MacBackend({ system: approved, preferences }),
      confirm,
    });
    expect(requests.map((r) => r.args)).toEqual([{ file_name: path }]);
    expect(outcome(result, 1)).toMatchObject({ status: "done", observation: path });
    expect(opens(approved)).toEqual([{ file: OPEN, argv: [path] }]);
  });

  it("looks at a file's mode when its name does not say: executables and links ask, other files open", async () => {
    const cases: [path: string, mode: string, asks: boolean][] = [
      [`${HOME}/bin/sync-photos`, "755 Regular File", true],
      [`${HOME}/Downloads/backup.run`, "700 Regular File", true],
      [`${HOME}/Desktop/shared invoices`, "755 Symbolic Link", true],
      [`${HOME}/Documents/notes.data`, "644 Regular File", false],
      [`${HOME}/Projects`, "755 Directory", false],
    ];
    for (const [path, mode, asks] of cases) {
      const system = mac(path, { [path]: mode });
      const { requests, confirm } = asking(() => ({ decision: "decline" }));
      const name = path.slice(path.lastIndexOf("/") + 1);
      const result = await openFile(name, { backend: new MacBackend({ system, preferences }), confirm });
      expect(requests.length, path).toBe(asks ? 1 : 0);
      expect(outcome(result, 1).status, path).toBe(asks ? "skipped" : "done");
      expect(opens(system).length, path).toBe(asks ? 0 : 1);
      expect(system.commands.find((c) => c.file === STAT)?.argv, path).toEqual(["-f", "%Lp %HT", "--", path]);
    }
  });

  it("a file Spotlight found that is gone is not opened", async () => {
    const system = mac(`${HOME}/bin/sync-photos`);
    const result = await openFile("sync-photos", {
      backend: new MacBackend({ system, preferences }),
      confirm: asking().confirm,
    });
    expect(outcome(result, 1)).toMatchObject({ status: "failed", error: { code: "not-found" } });
    expect(opens(system)).toEqual([]);
  });

  it("the step's time limit stops while the person decides", async () => {
    const path = `${HOME}/Applications/Budget Helper.app`;
    const system = mac(path);
    const result = await openFile("Budget Helper", {
      backend: new MacBackend({ system, preferences }),
      stepTimeoutMs: 50,
      confirm: () => new Promise((resolve) => setTimeout(() => resolve({ decision: "approve" }), 150)),
    });
    expect(outcome(result, 1)).toMatchObject({ status: "done", observation: path });
    expect(opens(system)).toEqual([{ file: OPEN, argv: [path] }]);
  });
});
