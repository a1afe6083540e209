import { join } from "node:path";
import { environment, getPreferenceValues } from "@raycast/api";
import { enginesFolder } from "../agent/engines/engines-folder";
import { engineRuntimeDir, installedEngines, provisionEngines } from "../agent/engines/provision-engines";
import { loadRetrievalExamples, ToolClassifier } from "../agent/toolrag/classifier";
import { ToolRag } from "../agent/toolrag/tool-rag";
import { catalogModel, downloadCatalogModel, listModels, resolveModel } from "../agent/model/model-store";
import { LlamaPlanner } from "../agent/planner/llama-planner";
import type { Planner } from "../agent/planner/planner";
import { ServerPlanner } from "../agent/planner/server-planner";
import { AgentSession } from "../agent/session/agent-session";
import type { ProvisionEngines, SetupOptions } from "../agent/session/first-run-setup";
import {
  readSettings,
  type AgentSettings,
  type RawPreferences,
  type SettingsResult,
} from "../agent/session/settings";
import { modelTextWriter } from "../agent/text-writer";
import { MacBackend } from "../tools/macos/mac-backend";
import type { TextWriter } from "../tools/macos/mac-context";
import { defaultRegistry } from "../tools/registry";
import { raycastZoomAuth } from "./zoom-auth";

/** The engine provisioner behind set-up's small interface: its progress events as set-up shows them. */
const provision: ProvisionEngines = async ({ targetDir, onProgress, signal }) => {
  const { runtimeDir } = await provisionEngines({
    targetDir,
    ...(signal ? { signal } : {}),
    onProgress: (progress) =>
      onProgress?.({
        package: progress.phase === "unpacking" ? "Unpacking" : (progress.packageName ?? "Downloading"),
        bytesDone: progress.bytesDone,
        bytesTotal: progress.totalBytes,
        percent: progress.percent,
        ...(progress.etaSeconds === undefined ? {} : { etaSeconds: progress.etaSeconds }),
      }),
  });
  return { runtimeDir };
};

/** The preferences, read and checked. */
export function agentSettings(): SettingsResult {
  return readSettings(getPreferenceValues<RawPreferences>());
}

/** Where provisioned engines live: native addons cannot be bundled, so they are installed here (DESIGN §7). */
function enginesDir(): string {
  return enginesFolder({ supportPath: environment.supportPath });
}

/** What must be fetched before the first request: the engines, the chosen catalog model. */
export async function setupOptions(settings: AgentSettings): Promise<SetupOptions> {
  const options: SetupOptions = {};
  if (!(await installedEngines({ targetDir: enginesDir() }))) {
    options.engines = { provision, targetDir: enginesDir() };
  }
  if (settings.planner.kind === "catalog") {
    const id = settings.planner.modelId;
    const store = { supportPath: environment.supportPath };
    const entry = (await listModels(store)).find((model) => model.id === id);
    if (!entry?.installed) {
      const model = catalogModel(id, store);
      options.model = {
        title: `${model.displayName} planner model`,
        download: ({ signal, onProgress }) => downloadCatalogModel(id, { ...store, signal, onProgress }),
      };
    }
  }
  return options;
}

/** The session for the preferences: planner, Tool RAG over the shipped classifier, the Mac backend. */
export function createAgentSession(settings: AgentSettings): AgentSession {
  const runtimeDir = engineRuntimeDir(enginesDir());
  let planner: Planner | undefined;
  // Email bodies and summaries are written by the local model once it is loaded; with a server planner
  // there is none and actions use the person's own words.
  const writer: TextWriter = {
    write: async (task, input, signal) => {
      if (!(planner instanceof LlamaPlanner)) throw new Error("no local model to write with");
      return modelTextWriter(planner).write(task, input, signal);
    },
  };
  const zoomAuth = raycastZoomAuth(settings.zoomClientId);
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return new AgentSession({
    registry: defaultRegistry,
    timeZone,
    ...(settings.customInstructions ? { customInstructions: settings.customInstructions } : {}),
    backend: new MacBackend({
      preferences: { messagesDraftOnly: settings.messagesDraftOnly, timeZone },
      writer,
      ...(zoomAuth ? { zoomAuth } : {}),
    }),
    openPlanner: async () => {
      planner = await openPlanner(settings, runtimeDir);
      return planner;
    },
    openSelector: async () => {
      const dir = classifierDir();
      const classifier = await ToolClassifier.load({ dir, runtimeDir });
      return new ToolRag({
        classifier,
        registry: defaultRegistry,
        disabledApps: settings.disabledApps,
        examples: await loadRetrievalExamples(dir),
      });
    },
  });
}

/** The classifier ships in the extension's assets (a copy of the repository's models folder). */
function classifierDir(): string {
  return join(environment.assetsPath, "toolrag");
}

async function openPlanner(settings: AgentSettings, runtimeDir: string): Promise<Planner> {
  const choice = settings.planner;
  if (choice.kind === "server") {
    return new ServerPlanner({ baseUrl: choice.url, ...(choice.model ? { model: choice.model } : {}) });
  }
  const model = await resolveModel(choice.kind === "custom" ? choice.path : choice.modelId, {
    supportPath: environment.supportPath,
  });
  return LlamaPlanner.load({
    modelPath: model.path,
    template: model.profile.template,
    contextSize: model.profile.contextSize,
    verified: model.verified,
    runtimeDir,
  });
}
