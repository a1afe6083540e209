import { stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import { CATALOG, DEFAULT_MODEL_ID, findBundledModel, type CatalogModel } from "../agent/model/catalog";
import {
  formatBytes,
  hashFile,
  ModelDownloadError,
  partPath,
  type DownloadProgress,
  type DownloadResult,
} from "../agent/model/download";
import {
  catalogModel,
  downloadCatalogModel,
  downloadCommand,
  listModels,
  ModelMissingError,
  modelPath,
  resolveModel,
  verifyModel,
  type ModelEntry,
  type ModelStoreOptions,
} from "../agent/model/model-store";
import { modelsFolder } from "../agent/model/models-folder";
import {
  downloadSpeechModel,
  findSpeechModel,
  listSpeechModels,
  speechModelPath,
  type SpeechModel,
} from "../agent/speech/speech-models";
import { terminalOutput, type OutputStream } from "./terminal-output";
import { MODEL_USAGE } from "./usage";
import { UsageError } from "./usage-error";

/** Where the command writes; a terminal gets a progress bar redrawn in place. */
export type { OutputStream };

export interface ModelCommandContext {
  env: NodeJS.ProcessEnv;
  stdout: OutputStream;
  stderr: OutputStream;
  /** The models the command offers (tests pass their own). */
  catalog: readonly CatalogModel[];
  /** Stops a download like Ctrl-C does (tests use it; the command also listens for SIGINT). */
  signal?: AbortSignal;
}

/** `tinyagent model list | download [ID] | verify [ID] | path [ID]`; returns the exit status. */
export async function modelCommand(
  args: string[],
  context: Partial<ModelCommandContext> = {},
): Promise<number> {
  const io: ModelCommandContext = {
    env: context.env ?? process.env,
    stdout: terminalOutput(context.stdout ?? process.stdout),
    stderr: terminalOutput(context.stderr ?? process.stderr),
    catalog: context.catalog ?? CATALOG,
    signal: context.signal,
  };
  try {
    return await dispatch(args, io);
  } catch (error) {
    return report(error, io);
  }
}

async function dispatch(args: string[], io: ModelCommandContext): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      force: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (sub === undefined || sub === "help" || sub === "--help" || sub === "-h" || values.help) {
    io.stdout.write(`${MODEL_USAGE}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (positionals.length > 1)
    throw new UsageError(`expected at most one model id, got ${positionals.length}`);
  const id = positionals[0] ?? DEFAULT_MODEL_ID;
  const store: ModelStoreOptions = { env: io.env, catalog: io.catalog };
  if (values.force && sub !== "download") throw new UsageError(`--force only applies to "model download"`);
  if (values.json && sub === "download") throw new UsageError(`--json does not apply to "model download"`);
  const speech = sub === "list" ? undefined : findSpeechModel(id);
  if (speech) return speechModelCommand(sub, speech, values.force, io);
  const bundled = sub === "list" ? undefined : findBundledModel(id);
  if (bundled) {
    // Nothing to fetch or check against a download: say where it is instead of "unknown model".
    io.stderr.write(`${bundled.displayName} ships with TinyAgent; nothing to download.\n`);
    return sub === "download" ? 0 : pathOfBundled(bundled.id, store, io);
  }
  switch (sub) {
    case "list":
      if (positionals.length > 0) throw new UsageError(`"model list" takes no model id`);
      return listCommand(store, values.json, io);
    case "download":
      return downloadCommandRun(id, store, values.force, io);
    case "verify":
      return verifyCommand(id, store, values.json, io);
    case "path":
      return pathCommand(id, store, values.json, io);
    default:
      throw new UsageError(`unknown model command "${sub}" (expected list, download, verify or path)`);
  }
}

/**
 * A speech model (speech-models.ts): downloaded by the same downloader as the planners, to the same
 * folder, and checked by its published size and sha256; `path` and `verify` as for a planner.
 */
async function speechModelCommand(
  sub: string | undefined,
  model: SpeechModel,
  force: boolean,
  io: ModelCommandContext,
): Promise<number> {
  const store = { env: io.env };
  const path = speechModelPath(model, store);
  switch (sub) {
    case "download":
      return downloadWithProgress(
        model.displayName,
        io,
        (hooks) => downloadSpeechModel(model.id, { ...store, force, ...hooks }),
        async () => `Download stopped; run "${downloadCommand(model.id)}" to resume.`,
      );
    case "path":
      io.stdout.write(`${path}\n`);
      return (await stat(path).then(
        () => true,
        () => false,
      ))
        ? 0
        : 1;
    case "verify": {
      const info = await stat(path).catch(() => undefined);
      if (!info) {
        io.stderr.write(`${model.displayName} is not downloaded yet. Run: ${downloadCommand(model.id)}\n`);
        return 1;
      }
      const { sha256 } = await hashFile(path, { signal: io.signal });
      if (info.size === model.sizeBytes && sha256 === model.sha256) {
        io.stdout.write(`${model.displayName} is intact: size and sha256 match the published ones.\n`);
        return 0;
      }
      io.stderr.write(
        `${model.displayName} is damaged or was replaced (${info.size} bytes, sha256 ${sha256}; expected ` +
          `${model.sizeBytes} bytes, ${model.sha256}). Run: ${downloadCommand(model.id)} --force\n`,
      );
      return 1;
    }
    default:
      throw new UsageError(
        `unknown model command "${sub}" (expected download, verify or path for ${model.id})`,
      );
  }
}

/** Prints a failure as one clear message; returns 2 for a mistake in the command, 1 for anything else. */
function report(error: unknown, io: ModelCommandContext): number {
  if (error instanceof UsageError || isParseArgsError(error)) {
    io.stderr.write(
      `tinyagent model: ${(error as Error).message}\nRun "tinyagent model --help" for usage.\n`,
    );
    return 2;
  }
  if (error instanceof ModelMissingError && error.code === "UNKNOWN_MODEL") {
    io.stderr.write(`tinyagent: ${error.message}\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`tinyagent: ${message}\n`);
  return 1;
}

// ---------------------------------------------------------------------------------------------------
// list

async function listCommand(
  store: ModelStoreOptions,
  json: boolean,
  io: ModelCommandContext,
): Promise<number> {
  const folder = modelsFolder({ env: io.env });
  const models = await listModels(store);
  // Speech models are downloaded into the same folder, but are never a planner (speech-models.ts).
  const speech = await listSpeechModels({ dir: folder });
  if (json) {
    const defaultId = models.find((model) => model.isDefault)?.id;
    terminalOutput(io.stdout).json({ folder, defaultId, models, speech }, 2);
    return 0;
  }
  const rows = models.map((m) => [
    `${m.isDefault ? "*" : " "} ${m.id}`,
    m.displayName,
    sizeLabel(m),
    statusLabel(m),
  ]);
  const speechRows = speech.map((m) => [
    `  ${m.id}`,
    m.displayName,
    formatBytes(m.bytes),
    m.installed ? "downloaded (speech)" : "not downloaded (speech)",
  ]);
  io.stdout.write(`Models folder: ${folder}\n`);
  io.stdout.write(`${table([["  ID", "MODEL", "SIZE", "STATUS"], ...rows, ...speechRows])}\n`);
  io.stdout.write(`* default. Download a model with: ${downloadCommand("ID")}\n`);
  return 0;
}

async function pathOfBundled(id: string, store: ModelStoreOptions, io: ModelCommandContext): Promise<number> {
  const entry = (await listModels(store)).find((model) => model.id === id);
  if (!entry) return 1;
  io.stdout.write(`${entry.path}\n`);
  return entry.installed ? 0 : 1;
}

function sizeLabel(entry: ModelEntry): string {
  const bytes = entry.bytes ?? entry.expectedBytes;
  return bytes === undefined ? `~${formatBytes(entry.approxBytes)}` : formatBytes(bytes);
}

function statusLabel(entry: ModelEntry): string {
  if (entry.bundled) return entry.installed ? "installed (bundled)" : "missing from this installation";
  if (entry.installed) return "downloaded";
  if (entry.partialBytes === undefined) return "not downloaded";
  const total = entry.expectedBytes ?? entry.approxBytes;
  const percent = Math.min(99.9, (entry.partialBytes / total) * 100).toFixed(1);
  return `interrupted at ~${percent}% (download again to resume)`;
}

function table(rows: string[][]): string {
  const widths = rows.reduce<number[]>(
    (acc, row) => row.map((cell, i) => Math.max(acc[i] ?? 0, cell.length)),
    [],
  );
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

// ---------------------------------------------------------------------------------------------------
// download

async function downloadCommandRun(
  id: string,
  store: ModelStoreOptions,
  force: boolean,
  io: ModelCommandContext,
): Promise<number> {
  const model = catalogModel(id, store);
  return downloadWithProgress(
    model.displayName,
    io,
    (hooks) => downloadCatalogModel(model.id, { ...store, force, ...hooks }),
    () => stoppedMessage(model, store, force),
  );
}

/**
 * Runs a download (a planner's or a speech model's) with a progress line and Ctrl-C to stop it; prints
 * what came of it and returns the exit status (130 when stopped, with `stopped()` saying how to resume).
 */
async function downloadWithProgress(
  displayName: string,
  io: ModelCommandContext,
  download: (hooks: {
    signal: AbortSignal;
    onProgress: (progress: DownloadProgress) => void;
    retries: number;
  }) => Promise<{ path: string; alreadyPresent: boolean; result?: DownloadResult }>,
  stopped: () => Promise<string>,
): Promise<number> {
  const interrupt = listenForInterrupt(io);
  const view = new ProgressView(io.stderr, displayName);
  try {
    const outcome = await download({
      signal: interrupt.signal,
      onProgress: (progress) => view.update(progress),
      // A long download over a flaky connection should survive a few hiccups on its own.
      retries: 3,
    });
    view.end();
    io.stderr.write(
      outcome.alreadyPresent
        ? `${displayName} is already downloaded (--force downloads it again).\n`
        : `Downloaded ${displayName} (${formatBytes(outcome.result?.bytes ?? 0)}): ${hashNote(outcome.result)}\n`,
    );
    io.stdout.write(`${outcome.path}\n`);
    return 0;
  } catch (error) {
    view.end();
    if (error instanceof ModelDownloadError && error.code === "ABORTED") {
      io.stderr.write(`${await stopped()}\n`);
      return 130;
    }
    throw error;
  } finally {
    interrupt.dispose();
  }
}

async function stoppedMessage(
  model: CatalogModel,
  store: ModelStoreOptions,
  force: boolean,
): Promise<string> {
  const part = partPath(modelPath(model.id, store));
  const kept = await stat(part).then(
    (info) => info.size,
    () => 0,
  );
  if (kept === 0) return "Download stopped before anything arrived.";
  return (
    `Download stopped. The ${formatBytes(kept)} that arrived are kept in ${part}; ` +
    `run "${downloadCommand(model.id)}${force ? " --force" : ""}" to resume from there.`
  );
}

function hashNote(result: { sha256: string; hashVerified: boolean } | undefined): string {
  if (!result) return "";
  if (result.hashVerified) return "sha256 verified.";
  return `sha256 ${result.sha256} recorded (no published hash to check it against).`;
}

/** Ctrl-C (or the context's signal) aborts the download; a second Ctrl-C quits at once. */
function listenForInterrupt(io: ModelCommandContext): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  const signal = io.signal ? AbortSignal.any([io.signal, controller.signal]) : controller.signal;
  return { signal, dispose: () => process.off("SIGINT", onSigint) };
}

/**
 * Download progress on standard error: on a terminal one line redrawn in place, otherwise a plain line
 * every tenth of the way (logs stay short).
 */
class ProgressView {
  private drawn = false;
  private lastTenth = -1;

  constructor(
    private readonly stream: OutputStream,
    private readonly label: string,
  ) {}

  update(progress: DownloadProgress): void {
    const line = progressLine(this.label, progress);
    if (this.stream.isTTY) {
      // Wider than the terminal, the line would wrap and \r would no longer redraw it.
      const columns = this.stream.columns ?? 0;
      const fitted = columns > 20 ? line.slice(0, columns - 1) : line;
      terminalOutput(this.stream).redraw(fitted);
      this.drawn = true;
      return;
    }
    // Every tenth of the way, or every 100 MB when the size is unknown.
    const tenth =
      progress.percent === undefined
        ? Math.floor(progress.bytesDone / 1e8)
        : Math.floor(progress.percent / 10);
    if (tenth <= this.lastTenth) return;
    this.lastTenth = tenth;
    this.stream.write(`${line}\n`);
  }

  /** Ends the redrawn line so what follows starts on its own line. */
  end(): void {
    if (!this.drawn) return;
    this.stream.write("\n");
    this.drawn = false;
  }
}

/** `TinyAgent-1.1B  312.4 MB / 668.0 MB  46.8%  12.3 MB/s  ETA 29s` */
export function progressLine(label: string, progress: DownloadProgress): string {
  const parts = [label];
  if (progress.phase === "checking") parts.push("checking the part already downloaded");
  const total = progress.totalBytes;
  parts.push(
    total === undefined
      ? formatBytes(progress.bytesDone)
      : `${formatBytes(progress.bytesDone)} / ${formatBytes(total)}`,
  );
  if (progress.percent !== undefined) parts.push(`${progress.percent.toFixed(1)}%`);
  if (progress.phase === "downloading" && progress.bytesPerSecond > 0) {
    parts.push(`${formatBytes(progress.bytesPerSecond)}/s`);
  }
  if (progress.phase === "downloading" && progress.etaSeconds !== undefined && progress.percent !== 100) {
    parts.push(`ETA ${formatDuration(progress.etaSeconds)}`);
  }
  return parts.join("  ");
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, "0")}s`;
  const minutes = Math.floor(seconds / 60);
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}

// ---------------------------------------------------------------------------------------------------
// verify and path

async function verifyCommand(
  id: string,
  store: ModelStoreOptions,
  json: boolean,
  io: ModelCommandContext,
): Promise<number> {
  const model = catalogModel(id, store);
  const interrupt = listenForInterrupt(io);
  // Hashing gigabytes takes a while: show it on a terminal, stay quiet in logs and JSON.
  const view = io.stderr.isTTY && !json ? new ProgressView(io.stderr, model.displayName) : undefined;
  try {
    const result = await verifyModel(model.id, {
      ...store,
      signal: interrupt.signal,
      onProgress: view ? (progress) => view.update(progress) : undefined,
    });
    view?.end();
    if (json) terminalOutput(io.stdout).json(result, 2);
    else io.stdout.write(`${result.message}\n`);
    return result.status === "mismatch" ? 1 : 0;
  } catch (error) {
    view?.end();
    if (interrupt.signal.aborted) {
      io.stderr.write("Verification stopped.\n");
      return 130;
    }
    throw error;
  } finally {
    interrupt.dispose();
  }
}

async function pathCommand(
  id: string,
  store: ModelStoreOptions,
  json: boolean,
  io: ModelCommandContext,
): Promise<number> {
  const path = modelPath(id, store);
  const missing = await resolveModel(id, store).then(
    () => undefined,
    (error: unknown) => {
      if (error instanceof ModelMissingError && error.code === "NOT_DOWNLOADED") return error;
      throw error;
    },
  );
  if (json) terminalOutput(io.stdout).json({ id: catalogModel(id, store).id, path, installed: !missing });
  else io.stdout.write(`${path}\n`);
  if (!missing) return 0;
  io.stderr.write(`tinyagent: ${missing.message}\n`);
  return 1;
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}
