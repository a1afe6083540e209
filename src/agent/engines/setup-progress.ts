/** What the engine set-up reports while it runs: enough for a progress bar with bytes, % and ETA. */
export interface EngineSetupProgress {
  /** "downloading" (and checking kept tarballs), "unpacking", then one "done". */
  phase: "downloading" | "unpacking" | "done";
  /** The package that last made progress. */
  packageName?: string;
  /** Bytes of tarballs on disk so far, including those kept from an earlier attempt. */
  bytesDone: number;
  /** All tarballs together, from the manifest. */
  totalBytes: number;
  /** Of the download while downloading; of the packages while unpacking. */
  percent: number;
  /** Download speed, smoothed over the last few seconds; 0 until measured. */
  bytesPerSecond: number;
  /** Seconds left to download; absent until a speed is measured. */
  etaSeconds?: number;
  packagesDone: number;
  packagesTotal: number;
}

/**
 * Adds up the downloads that run side by side into one throttled report. A listener that throws cannot
 * break the set-up: progress is for people, the install is what matters.
 */
export class SetupProgressMeter {
  private readonly bytesByPackage = new Map<string, number>();
  private bytesDone = 0;
  private packagesDone = 0;
  private lastReport = Number.NEGATIVE_INFINITY;
  private sampleTime = performance.now();
  private sampleBytes = 0;
  private speed = 0;

  constructor(
    private readonly onProgress: ((progress: EngineSetupProgress) => void) | undefined,
    private readonly totalBytes: number,
    private readonly packagesTotal: number,
    private readonly intervalMs = 100,
  ) {}

  /** A package's tarball has `bytes` on disk (downloaded or kept). */
  downloaded(packageName: string, bytes: number): void {
    this.bytesDone += bytes - (this.bytesByPackage.get(packageName) ?? 0);
    this.bytesByPackage.set(packageName, bytes);
    this.measure();
    this.report("downloading", packageName, false);
  }

  /** Bytes that were already on disk: counted as done but not as speed. */
  kept(packageName: string, bytes: number): void {
    this.sampleBytes += bytes - (this.bytesByPackage.get(packageName) ?? 0);
    this.downloaded(packageName, bytes);
  }

  unpacked(packageName: string): void {
    this.packagesDone++;
    this.report("unpacking", packageName, this.packagesDone === this.packagesTotal);
  }

  done(): void {
    this.packagesDone = this.packagesTotal;
    this.report("done", undefined, true);
  }

  private report(phase: EngineSetupProgress["phase"], packageName: string | undefined, force: boolean): void {
    if (!this.onProgress) return;
    const now = performance.now();
    if (!force && now - this.lastReport < this.intervalMs) return;
    this.lastReport = now;
    const left = Math.max(0, this.totalBytes - this.bytesDone);
    const percent =
      phase === "unpacking"
        ? (this.packagesDone / Math.max(1, this.packagesTotal)) * 100
        : phase === "done"
          ? 100
          : (this.bytesDone / Math.max(1, this.totalBytes)) * 100;
    const progress: EngineSetupProgress = {
      phase,
      ...(packageName === undefined ? {} : { packageName }),
      bytesDone: this.bytesDone,
      totalBytes: this.totalBytes,
      percent: Math.min(100, percent),
      bytesPerSecond: Math.round(this.speed),
      ...(phase !== "downloading" ? { etaSeconds: 0 } : {}),
      ...(phase === "downloading" && this.speed > 0 ? { etaSeconds: Math.ceil(left / this.speed) } : {}),
      packagesDone: this.packagesDone,
      packagesTotal: this.packagesTotal,
    };
    try {
      this.onProgress(progress);
    } catch {
      // See the class comment.
    }
  }

  // An exponential moving average over time (about 3 s), as the model downloader measures speed.
  private measure(): void {
    const now = performance.now();
    const elapsed = now - this.sampleTime;
    if (elapsed < 200) return;
    const rate = ((this.bytesDone - this.sampleBytes) * 1000) / elapsed;
    const weight = 1 - Math.exp(-elapsed / 3000);
    this.speed = this.speed === 0 ? rate : this.speed + weight * (rate - this.speed);
    this.sampleTime = now;
    this.sampleBytes = this.bytesDone;
  }
}
