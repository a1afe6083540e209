import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

/**
 * Ask TinyAgent as Raycast runs it, with nothing replaced but @raycast/api: the engines are installed in
 * the support folder (this checkout's packages, with the install marker set-up writes), except that
 * onnxruntime-node has no native library for the machine, as on every Intel Mac with onnxruntime-node
 * 1.30 when it is loaded there. The planner is a server, so no model loads. The command must say that
 * tool selection cannot start, why and what to do, and offer nothing to run (issue 16, item 3).
 */
const ROOT = join(import.meta.dirname, "..", "..");
const folders = vi.hoisted(() => ({ supportPath: "", assetsPath: "" }));

vi.mock("@raycast/api", async () => ({
  ...(await import("./raycast-stub")).raycastStub,
  environment: folders,
  getPreferenceValues: () => ({ plannerModel: "server", serverUrl: "http://127.0.0.1:9" }),
  LocalStorage: new (await import("./helpers")).MemoryStorage(),
}));

const { default: AskTinyAgent } = await import("../../src/commands/ask-tinyagent");
const { actionTitles, describeList, emptyView, host, list, render, runAction, until } =
  await import("./render-view");
const { engineManifestSchema, enginePackagesFor, enginePlatform } =
  await import("../../src/agent/engines/engine-manifest");
const { writeInstallMarker } = await import("../../src/agent/engines/install-marker");
const { onnxRuntimeRunsOn } = await import("../../src/agent/engines/onnxruntime");
const manifest = engineManifestSchema.parse(
  (await import("../../src/agent/engines/engine-packages.json")).default,
);
const { act } = await import("react-test-renderer");

let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "tinyagent-no-classifier-engine-"));
  folders.supportPath = join(root, "support");
  folders.assetsPath = join(ROOT, "assets");
  const runtime = join(folders.supportPath, "engines", "runtime");
  const platform = enginePlatform(process.platform, process.arch);
  const packages = enginePackagesFor(manifest, platform);
  // Every engine package from this checkout, as set-up would have unpacked it…
  const tops = new Set(packages.map((entry) => /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(entry.path)![1]!));
  for (const name of tops) {
    if (name === "onnxruntime-node") continue;
    mkdirSync(join(runtime, "node_modules", name, ".."), { recursive: true });
    symlinkSync(join(ROOT, "node_modules", name), join(runtime, "node_modules", name));
  }
  // …but onnxruntime-node without this machine's library, as unpacked on an Intel Mac.
  const onnx = join(runtime, "node_modules", "onnxruntime-node");
  cpSync(join(ROOT, "node_modules", "onnxruntime-node", "package.json"), join(onnx, "package.json"));
  cpSync(join(ROOT, "node_modules", "onnxruntime-node", "dist"), join(onnx, "dist"), { recursive: true });
  await writeInstallMarker(runtime, platform, packages);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("Ask TinyAgent when the classifier's engine cannot load", () => {
  it.skipIf(!onnxRuntimeRunsOn())(
    "says that tool selection cannot start, why and what to do, and offers nothing to run",
    async () => {
      const view = await render(<AskTinyAgent arguments={{}} launchType={"userInitiated" as never} />);
      await until(view, (v) => emptyView(v)?.props.title === "TinyAgent could not load", describeList);
      const failure = emptyView(view)!;
      expect(failure.props.description).toMatch(
        /^Tool selection cannot start: its engine, onnxruntime-node, did not load on this .* \(Cannot find module '\.\.\/bin\/napi-v6\/.*onnxruntime_binding\.node'\)\. Its files in .*runtime are incomplete or damaged: delete that folder and open TinyAgent again to set the engines up anew\.$/,
      );
      expect(list(view).props.isLoading).toBeFalsy();
      // Nothing claims to be ready: no request row, no "What should TinyAgent do?".
      expect(view.root.findAll(host("List.Item"))).toEqual([]);
      expect(actionTitles(failure)).toEqual(["Try Again", "Open Extension Preferences"]);
      // Trying again loads again, and fails again the same clear way.
      await runAction(failure, "Try Again");
      await until(view, (v) => emptyView(v)?.props.title === "TinyAgent could not load", describeList);
      expect(emptyView(view)!.props.description).toContain("onnxruntime-node, did not load");
      await act(async () => view.unmount());
    },
  );
});
