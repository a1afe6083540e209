/**
 * First-run set-up: what must be on disk before Ask TinyAgent can plan (the native engines, the planner
 * model), fetched with visible progress. Both fetchers resume: the engine provisioner keeps verified
 * tarballs, the model download keeps its .part file, so running set-up again continues where it stopped.
 */

/** Progress of the engine provisioner (src/agent/engines/provision*.ts). */
export interface EngineProgress {
  /** Downloading (and checking) the tarballs, then unpacking them. */
  phase: "downloading" | "unpacking";
  /** Bytes of the download. */
  bytesDone: number;
  bytesTotal: number;
  /** Of the download while downloading; of the packages while unpacking. */
  percent: number;
  etaSeconds?: number;
  /** While unpacking: packages unpacked so far, of how many. */
  packagesDone?: number;
  packagesTotal?: number;
}

/** The engine provisioner, injected: it downloads, verifies and unpacks node-llama-cpp and onnxruntime-node. */
export type ProvisionEngines = (options: {
  targetDir: string;
  onProgress?: (progress: EngineProgress) => void;
  signal?: AbortSignal;
}) => Promise<{ runtimeDir: string }>;

/** Progress of the model download, as `downloadCatalogModel` reports it. */
export interface ModelProgress {
  bytesDone: number;
  totalBytes?: number;
  percent?: number;
  etaSeconds?: number;
  phase: "checking" | "downloading";
}

export type DownloadPlannerModel = (options: {
  signal: AbortSignal;
  onProgress: (progress: ModelProgress) => void;
}) => Promise<unknown>;

export type SetupTaskId = "engines" | "model";

/** What a running task is doing: each has its own progress line (describeTask). */
export type SetupStep = "downloading" | "checking" | "unpacking";

export interface SetupTask {
  id: SetupTaskId;
  title: string;
  status: "pending" | "running" | "done" | "failed";
  /** While running: downloading, checking the part downloaded before, or unpacking. */
  step?: SetupStep;
  /** While unpacking: packages unpacked so far, of how many. */
  packagesDone?: number;
  packagesTotal?: number;
  bytesDone: number;
  bytesTotal?: number;
  percent?: number;
  etaSeconds?: number;
  error?: string;
}

export interface SetupSnapshot {
  phase: "idle" | "running" | "done" | "failed" | "cancelled";
  tasks: SetupTask[];
  runtimeDir?: string;
}

export interface SetupOptions {
  /** Absent when the engines are already in place (or load normally, outside Raycast). */
  engines?: { provision: ProvisionEngines; targetDir: string };
  /** Absent when the model is already downloaded (or is a custom file or a server). */
  model?: { title: string; download: DownloadPlannerModel };
}

/** Runs the set-up tasks one after the other and reports each one's bytes, percent and time left. */
export class FirstRunSetup {
  private snapshot: SetupSnapshot;
  private readonly listeners = new Set<() => void>();
  private controller = new AbortController();

  constructor(private readonly options: SetupOptions) {
    const tasks: SetupTask[] = [];
    if (options.engines)
      tasks.push({
        id: "engines",
        title: "Engines (llama.cpp, ONNX Runtime)",
        status: "pending",
        bytesDone: 0,
      });
    if (options.model)
      tasks.push({ id: "model", title: options.model.title, status: "pending", bytesDone: 0 });
    this.snapshot = { phase: tasks.length === 0 ? "done" : "idle", tasks };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SetupSnapshot => this.snapshot;

  /** Runs (or resumes) the tasks not done yet. Resolves with the final snapshot; never rejects. */
  async start(): Promise<SetupSnapshot> {
    if (this.snapshot.phase === "running" || this.snapshot.phase === "done") return this.snapshot;
    this.controller = new AbortController();
    const { signal } = this.controller;
    this.set({ phase: "running" });
    try {
      await this.runTask("engines", async () => {
        const engines = this.options.engines!;
        const { runtimeDir } = await engines.provision({
          targetDir: engines.targetDir,
          signal,
          onProgress: (progress) =>
            this.updateTask("engines", {
              step: progress.phase,
              bytesDone: progress.bytesDone,
              bytesTotal: progress.bytesTotal,
              percent: progress.percent,
              etaSeconds: progress.etaSeconds,
              packagesDone: progress.packagesDone,
              packagesTotal: progress.packagesTotal,
            }),
        });
        this.set({ runtimeDir });
      });
      await this.runTask("model", async () => {
        await this.options.model!.download({
          signal,
          onProgress: (progress) =>
            this.updateTask("model", {
              step: progress.phase,
              bytesDone: progress.bytesDone,
              ...(progress.totalBytes === undefined ? {} : { bytesTotal: progress.totalBytes }),
              ...(progress.percent === undefined ? {} : { percent: progress.percent }),
              ...(progress.etaSeconds === undefined ? {} : { etaSeconds: progress.etaSeconds }),
            }),
        });
      });
      this.set({ phase: "done" });
    } catch {
      this.set({ phase: signal.aborted ? "cancelled" : "failed" });
    }
    return this.snapshot;
  }

  /** Stops the running download; what was fetched is kept for the next start. */
  cancel(): void {
    this.controller.abort();
  }

  private async runTask(id: SetupTaskId, work: () => Promise<void>): Promise<void> {
    const task = this.snapshot.tasks.find((candidate) => candidate.id === id);
    if (!task || task.status === "done") return;
    this.updateTask(id, { status: "running", error: undefined });
    try {
      await work();
      this.updateTask(id, { status: "done", step: undefined, etaSeconds: undefined });
    } catch (error) {
      const message = this.controller.signal.aborted
        ? "Stopped. Start set-up again to continue where it stopped."
        : error instanceof Error
          ? error.message
          : String(error);
      this.updateTask(id, { status: "failed", error: message });
      throw error;
    }
  }

  private updateTask(id: SetupTaskId, change: Partial<SetupTask>): void {
    const tasks = this.snapshot.tasks.map((task) =>
      task.id === id ? withoutUndefined({ ...task, ...change }) : task,
    );
    this.set({ tasks });
  }

  private set(change: Partial<SetupSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of [...this.listeners]) listener();
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

/**
 * A task's line in the set-up list, one kind per step, never mixed: "Downloading · 1.2 GB of 4.9 GB · 27% ·
 * about 3 min left", "Checking the part downloaded before · 334 MB of 668 MB", "Unpacking · 40 of 138
 * packages"; its error when it failed; nothing while pending or once done (its tag says so).
 */
export function describeTask(task: SetupTask): string {
  if (task.error) return task.error;
  if (task.status !== "running") return "";
  switch (task.step) {
    case "unpacking":
      return task.packagesTotal
        ? `Unpacking · ${task.packagesDone ?? 0} of ${task.packagesTotal} packages`
        : "Unpacking";
    case "checking":
      return `Checking the part downloaded before · ${describeBytes(task)}`;
    case "downloading":
    case undefined:
      return `Downloading · ${describeProgress(task)}`;
  }
}

function describeBytes(task: SetupTask): string {
  return task.bytesTotal
    ? `${formatSize(task.bytesDone)} of ${formatSize(task.bytesTotal)}`
    : formatSize(task.bytesDone);
}

/** "1.2 GB of 4.9 GB · 27% · about 3 min left", for a download in progress. */
function describeProgress(task: SetupTask): string {
  const parts = [describeBytes(task)];
  if (task.percent !== undefined) parts.push(`${Math.floor(task.percent)}%`);
  if (task.etaSeconds !== undefined && task.etaSeconds > 0)
    parts.push(`about ${formatDuration(task.etaSeconds)} left`);
  return parts.join(" · ");
}

export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.ceil(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.ceil((seconds % 3600) / 60)} min`;
}
