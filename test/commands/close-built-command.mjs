/**
 * Closing Ask TinyAgent as Raycast does, with the BUILT command (dist/ask-tinyagent.js), in a process of its
 * own so that an abort is reported instead of taking the test runner down (close-built-command.test.ts
 * runs it and reads its output).
 *
 * Main thread, `node close-built-command.mjs '<json options>'`: `runs` times, a worker thread opens the
 * command, which plans and asks for confirmation; the worker confirms, closes (unmounts) the command and
 * says so, and this thread terminates it at once. One JSON line per run, then a last line listing the
 * planner processes still alive (each must dispose its engine and exit once its worker is gone).
 *
 * Worker thread: loads the bundle with a stand-in for @raycast/api, renders it with react-test-renderer
 * as Raycast renders it (outside act()), runs first-run set-up when the command shows it, and posts
 * { closed, setUp, steps, toasts } after unmounting, or { failed }.
 */
import { execFileSync } from "node:child_process";
import { createRequire, Module } from "node:module";
import { join } from "node:path";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

if (isMainThread) {
  await runAll(JSON.parse(process.argv[2]));
} else {
  await openConfirmAndClose(workerData).catch((error) =>
    parentPort.postMessage({ failed: String(error?.stack ?? error) }),
  );
}

async function runAll(options) {
  for (let run = 0; run < options.runs; run++) {
    const started = Date.now();
    const worker = new Worker(new URL(import.meta.url), { workerData: options });
    const outcome = await new Promise((resolve) => {
      worker.once("message", (message) => {
        // The command is closed: Raycast ends its worker at once, whatever is still under way in it.
        void worker.terminate();
        resolve(message);
      });
      worker.once("error", (error) => resolve({ failed: String(error?.stack ?? error) }));
      worker.once("exit", (code) =>
        resolve({ failed: `the worker ended (exit code ${code}) before closing` }),
      );
    });
    console.log(JSON.stringify({ run, ms: Date.now() - started, ...outcome }));
  }
  const deadline = Date.now() + 20_000;
  let alive = plannerProcesses();
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    alive = plannerProcesses();
  }
  console.log(JSON.stringify({ plannerProcessesLeft: alive }));
}

/** Children of this process running the planner process, not counting those that have ended. */
function plannerProcesses() {
  const table = execFileSync("ps", ["-A", "-o", "pid=,ppid=,stat=,args="], { encoding: "utf8" });
  return table
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(
      ([, ppid, stat, ...args]) =>
        Number(ppid) === process.pid && !stat?.startsWith("Z") && args.join(" ").includes("planner-process"),
    )
    .map(([pid, , , ...args]) => `${pid} ${args.join(" ")}`);
}

async function openConfirmAndClose({
  root,
  bundle,
  supportPath,
  assetsPath,
  request,
  preferences,
  setUpLimitMs,
}) {
  const fromRoot = createRequire(join(root, "package.json"));
  const React = fromRoot("react");
  const toasts = [];
  useRaycastStandIn(fromRoot, React, { supportPath, assetsPath, preferences, toasts });
  const { create } = fromRoot("react-test-renderer");
  const Command = createRequire(bundle)(bundle).default;

  const view = create(React.createElement(Command, { arguments: { request }, launchType: "userInitiated" }));
  // Outside act(), the first render commits a moment after create(): until then there is no root.
  const rendered = () => (view.toJSON() === null ? undefined : view.root);
  const items = () => rendered()?.findAll((node) => node.type === "List.Item") ?? [];
  const toConfirm = () => items().find((item) => findAction(item.props.actions, "Confirm and Run"));
  // First-run set-up, when the engines are not installed yet: start it as a person would (↵ on its row)
  // and wait for it to download, check and unpack them before the request is planned.
  const setUpAction = () =>
    items()
      .map((item) => findAction(item.props.actions, "Start Set-Up"))
      .find(Boolean);
  let setUp = false;
  let deadline = Date.now() + 60_000;
  while (!toConfirm()) {
    const start = setUp ? undefined : setUpAction();
    if (start) {
      start.props.onAction();
      setUp = true;
      deadline = Date.now() + setUpLimitMs;
    }
    if (Date.now() > deadline) {
      const empty = rendered()?.findAll((node) => node.type === "List.EmptyView")[0];
      const shown = { empty: empty?.props.title, description: empty?.props.description, toasts };
      throw new Error(`no step to confirm; the list shows ${JSON.stringify({ ...shown, items: titles() })}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  findAction(toConfirm().props.actions, "Confirm and Run").props.onAction();
  const steps = titles();
  // The person closes the command: Raycast unmounts it.
  view.unmount();
  parentPort.postMessage({ closed: true, setUp, steps, toasts });

  function titles() {
    return items().map((item) => item.props.title);
  }
}

/**
 * The bundle requires @raycast/api (Raycast provides it) and React (external, as in Raycast): the first
 * resolves to a stand-in whose components render as host elements named after them (as raycast-stub.tsx),
 * the second to this checkout's React, the one react-test-renderer uses.
 */
function useRaycastStandIn(fromRoot, React, { supportPath, assetsPath, preferences, toasts }) {
  const host = (name) => {
    const component = (props) => React.createElement(name, props, props.children);
    component.displayName = name;
    return component;
  };
  const names = new Proxy({}, { get: (_, key) => String(key) });
  const Metadata = Object.assign(host("Metadata"), { Label: host("Metadata.Label") });
  const storage = new Map();
  const api = {
    List: Object.assign(host("List"), {
      Item: Object.assign(host("List.Item"), {
        Detail: Object.assign(host("List.Item.Detail"), { Metadata }),
      }),
      Section: host("List.Section"),
      EmptyView: host("List.EmptyView"),
    }),
    Action: Object.assign(host("Action"), {
      Push: host("Action.Push"),
      CopyToClipboard: host("Action.CopyToClipboard"),
      Open: host("Action.Open"),
      OpenInBrowser: host("Action.OpenInBrowser"),
      SubmitForm: host("Action.SubmitForm"),
      Style: { Regular: "regular", Destructive: "destructive" },
    }),
    ActionPanel: Object.assign(host("ActionPanel"), { Section: host("ActionPanel.Section") }),
    Form: Object.assign(host("Form"), {
      TextField: host("Form.TextField"),
      TextArea: host("Form.TextArea"),
      Checkbox: host("Form.Checkbox"),
      Dropdown: Object.assign(host("Form.Dropdown"), { Item: host("Form.Dropdown.Item") }),
      Description: host("Form.Description"),
    }),
    Detail: host("Detail"),
    Icon: names,
    Color: names,
    Keyboard: { Shortcut: { Common: { Copy: {}, Remove: {}, RemoveAll: {} } } },
    Toast: { Style: { Success: "success", Failure: "failure", Animated: "animated" } },
    showToast: async (options) => {
      toasts.push(options.title);
      return { hide: async () => undefined };
    },
    useNavigation: () => ({ pop: () => undefined, push: () => undefined }),
    openExtensionPreferences: async () => undefined,
    environment: { supportPath, assetsPath, extensionName: "tinyagent", commandName: "ask-tinyagent" },
    getPreferenceValues: () => preferences,
    LocalStorage: {
      getItem: async (key) => storage.get(key),
      setItem: async (key, value) => void storage.set(key, value),
      removeItem: async (key) => void storage.delete(key),
    },
  };
  const id = join(supportPath, "@raycast-api-stand-in.js");
  const standIn = new Module(id);
  standIn.filename = id;
  standIn.loaded = true;
  standIn.exports = api;
  Module._cache[id] = standIn;
  const shared = {
    react: fromRoot.resolve("react"),
    "react/jsx-runtime": fromRoot.resolve("react/jsx-runtime"),
  };
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (name, ...rest) {
    if (name === "@raycast/api") return id;
    return shared[name] ?? resolveFilename.call(this, name, ...rest);
  };
}

/** The action whose title begins with `title` in an actions panel, looking into our own components. */
function findAction(node, title) {
  if (node === null || node === undefined || typeof node === "boolean") return undefined;
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findAction(child, title);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof node.type === "function" && !("displayName" in node.type))
    return findAction(node.type(node.props), title);
  const own = node.props?.title;
  if (typeof own === "string" && own.startsWith(title) && typeof node.props.onAction === "function")
    return node;
  return findAction(node.props?.children, title);
}
