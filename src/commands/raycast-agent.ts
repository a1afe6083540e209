import { join } from "node:path";
import { environment, getPreferenceValues } from "@raycast/api";
import { engineRegistry } from "../agent/engines/engine-manifest";
import { enginesFolder } from "../agent/engines/engines-folder";
import { engineRuntimeDir, installedEngines, provisionEngines } from "../agent/engines/provision-engines";
import { loadRetrievalExamples, ToolClassifier } from "../agent/toolrag/classifier";
import { ToolRag } from "../agent/toolrag/tool-rag";
import type { ToolSelector } from "../agent/agent";
import { DEFAULT_MODEL_ID, MICRO_MODEL } from "../agent/model/catalog";
import {
  catalogModel,
  downloadCatalogModel,
  listModels,
  resolveModel,
  type ModelStoreOptions,
} from "../agent/model/model-store";
import { modelsFolder } from "../agent/model/models-folder";
import { ChildProcessPlanner } from "../agent/planner/child-process-planner";
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
import { textWriterFor } from "../agent/text-writer";
import { MacBackend } from "../tools/macos/mac-backend";
import type { TextWriter } from "../tools/macos/mac-context";
import { defaultRegistry } from "../tools/registry";
import { raycastZoomAuth } from "./zoom-auth";

/** The engine provisioner behind set-up's small interface: its progress events as set-up shows them. */
const provision: ProvisionEngines = async ({ targetDir, onProgress, signal }) => {
  const { runtimeDir } = await provisionEngines({
    targetDir,
    registry: engineRegistry(),
    ...(signal ? { signal } : {}),
    onProgress: (progress) =>
      onProgress?.({
        phase: progress.phase === "unpacking" ? "unpacking" : "downloading",
        bytesDone: progress.bytesDone,
        bytesTotal: progress.totalBytes,
        percent: progress.percent,
        ...(progress.etaSeconds === undefined ? {} : { etaSeconds: progress.etaSeconds }),
        packagesDone: progress.packagesDone,
        packagesTotal: progress.packagesTotal,
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

/** Downloaded models live under Raycast's support path; the bundled ones in the extension's assets. */
function modelStore(): ModelStoreOptions {
  return { supportPath: environment.supportPath, bundledDir: classifierDir() };
}

/** Which planner the preferences come to now, and whether it is the bundled fast one. */
export interface PlannerInUse {
  /** The model id to load, for a catalog or bundled choice. */
  modelId?: string;
  /** TinyAgent-micro is planning: the UI says so ("Fast offline planner"). */
  fast: boolean;
  /** The TinyAgent model chosen in the preferences but not downloaded yet, offered as a download. */
  toDownload?: string;
}

/**
 * A chosen TinyAgent model that is not downloaded yet gives way to the bundled micro planner, so Ask
 * TinyAgent plans from the first run; the download is offered as an action instead of blocking set-up.
 * Once downloaded, the chosen model is used.
 */
export async function plannerInUse(settings: AgentSettings): Promise<PlannerInUse> {
  if (settings.planner.kind !== "catalog") return { fast: false };
  const id = settings.planner.modelId;
  const models = await listModels(modelStore());
  const micro = models.find((model) => model.id === MICRO_MODEL.id);
  if (id === MICRO_MODEL.id) return { modelId: id, fast: true };
  if (models.find((model) => model.id === id)?.installed || !micro?.installed)
    return { modelId: id, fast: false };
  return { modelId: MICRO_MODEL.id, fast: true, toDownload: id };
}

/** What must be fetched before the first request: the engines, and the chosen model if nothing can stand in. */
export async function setupOptions(settings: AgentSettings): Promise<SetupOptions> {
  const options: SetupOptions = {};
  if (!(await installedEngines({ targetDir: enginesDir() }))) {
    options.engines = { provision, targetDir: enginesDir() };
  }
  const planner = await plannerInUse(settings);
  const entry = (await listModels(modelStore())).find((model) => model.id === planner.modelId);
  if (planner.modelId && !entry?.bundled && !entry?.installed) options.model = modelDownload(planner.modelId);
  return options;
}

/** The download of a catalog model as a set-up task (first run, or "Download TinyAgent-1.1B"). */
export function modelDownload(id: string = DEFAULT_MODEL_ID): NonNullable<SetupOptions["model"]> {
  const store = modelStore();
  const model = catalogModel(id, store);
  return {
    title: `${model.displayName} planner model`,
    download: ({ signal, onProgress }) => downloadCatalogModel(id, { ...store, signal, onProgress }),
  };
}

/** The session for the preferences: planner, Tool RAG over the shipped classifier, the Mac backend. */
export function createAgentSession(settings: AgentSettings, planner?: PlannerInUse): AgentSession {
  const runtimeDir = engineRuntimeDir(enginesDir());
  let loaded: Planner | undefined;
  // Email bodies and summaries are written by the planner's model once it is loaded, if it is one that
  // can write (a TinyAgent model, a server); else actions use the person's own words and extractive
  // summaries (TinyAgent-micro).
  const writer: TextWriter = {
    write: async (task, input, signal) => {
      const written = loaded ? textWriterFor(loaded) : undefined;
      if (!written) throw new Error("the planner's model does not write text");
      return written.write(task, input, signal);
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
      loaded = await openPlanner(settings, runtimeDir, planner?.modelId);
      return loaded;
    },
    openSelector: async () => {
      const dir = classifierDir();
      const classifier = await ToolClassifier.load({ dir, runtimeDir });
      const rag = new ToolRag({
        classifier,
        registry: defaultRegistry,
        disabledApps: settings.disabledApps,
        examples: await loadRetrievalExamples(dir),
      });
      // The session owns the classifier: closing the command releases its onnxruntime session.
      const selector: ToolSelector = {
        select: (request, options) => rag.select(request, options),
        examplesFor: (request, tools) => rag.examplesFor(request, tools),
        dispose: () => classifier.dispose(),
      };
      return selector;
    },
  });
}

/** The classifier and TinyAgent-micro ship in the extension's assets: real copies of models/ (scripts/package-assets.ts). */
function classifierDir(): string {
  return join(environment.assetsPath, "toolrag");
}

async function openPlanner(settings: AgentSettings, runtimeDir: string, modelId?: string): Promise<Planner> {
  const choice = settings.planner;
  if (choice.kind === "server") {
    return new ServerPlanner({ baseUrl: choice.url, ...(choice.model ? { model: choice.model } : {}) });
  }
  const model = await resolveModel(
    choice.kind === "custom" ? choice.path : (modelId ?? choice.modelId),
    modelStore(),
  );
  // The model runs in a process of its own: a command closed while llama.cpp works cannot abort Raycast's
  // shared process (see ChildProcessPlanner). A passed probe is remembered beside the downloaded models:
  // opening again with the same file skips it.
  return ChildProcessPlanner.forModel(model, {
    script: join(environment.assetsPath, "planner-process.cjs"),
    runtimeDir,
    probeCacheDir: modelsFolder({ supportPath: environment.supportPath }),
  });
}
