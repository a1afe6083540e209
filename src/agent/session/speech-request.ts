/**
 * Speak to TinyAgent, as a view model: get the speech model if it is missing, record, transcribe, let the
 * person correct the transcript, then hand the text to the same flow as a typed request. Raycast (or a
 * test) renders its snapshots and calls its actions; the recorder, the transcriber and the hand-off are
 * injected, so this file knows nothing of macOS, whisper.cpp or Raycast.
 */

/** The System Settings pane that fixes a refusal (the microphone), for an "Open System Settings" action. */
export interface SettingsLink {
  name: string;
  url: string;
}

export type SpeechPhase =
  | "starting"
  | "needs-model"
  | "downloading"
  | "recording"
  | "transcribing"
  | "transcript"
  | "failed"
  | "handed-off";

export interface SpeechSnapshot {
  phase: SpeechPhase;
  /** The transcript: what was heard, then what the person made of it (editable in "transcript"). */
  text: string;
  /** Length of the last recording, once made. */
  recordedSeconds?: number;
  /** While "needs-model" and "downloading": which model, and how far the download is. */
  model?: { name: string; bytes: number };
  download?: { bytesDone: number; percent?: number };
  /**
   * While "failed": what happened and what to do; the settings pane when that is the fix, and whether
   * the engines must be set up first (Ask TinyAgent's first-run set-up installs them).
   */
  error?: { message: string; settings?: SettingsLink; needsSetup?: boolean };
  /** Why "transcript" cannot be handed off yet (nothing heard). */
  notice?: string;
}

export interface SpeechServices {
  /** The speech model file; rejects with `missing: true` (and the model) when it is not downloaded. */
  speechModel(): Promise<string>;
  downloadSpeechModel(options: {
    signal: AbortSignal;
    onProgress: (progress: { bytesDone: number; percent?: number }) => void;
  }): Promise<unknown>;
  /** Records until stopRecording, a pause after speech, or a time limit. */
  record(options: { signal: AbortSignal }): Promise<{ path: string; seconds: number }>;
  stopRecording(): Promise<void>;
  transcribe(options: { path: string; modelPath: string; signal: AbortSignal }): Promise<{ text: string }>;
  /** Hands the request to Ask TinyAgent's flow (in Raycast: launches the command with it). */
  handOff(request: string): Promise<void>;
}

/** What speechModel() rejects with when the model is not downloaded yet. */
export class SpeechModelNeeded extends Error {
  override readonly name = "SpeechModelNeeded";
  constructor(
    readonly model: { name: string; bytes: number },
    message: string,
  ) {
    super(message);
  }
}

export class SpeechRequest {
  private snapshot: SpeechSnapshot = { phase: "starting", text: "" };
  private readonly listeners = new Set<() => void>();
  private controller = new AbortController();

  constructor(private readonly services: SpeechServices) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SpeechSnapshot => this.snapshot;

  /** Checks for the model, then records and transcribes. Never rejects: failures are the "failed" phase. */
  async start(): Promise<SpeechSnapshot> {
    this.controller.abort();
    const controller = new AbortController();
    this.controller = controller;
    const signal = controller.signal;
    try {
      this.update({ phase: "starting", error: undefined, notice: undefined });
      const modelPath = await this.services.speechModel();
      this.update({ phase: "recording", text: "", recordedSeconds: undefined });
      const recording = await this.services.record({ signal });
      this.update({ phase: "transcribing", recordedSeconds: recording.seconds });
      const { text } = await this.services.transcribe({ path: recording.path, modelPath, signal });
      const heard = text.trim();
      this.update({
        phase: "transcript",
        text: heard,
        notice: heard === "" ? "Nothing was heard. Type the request, or record again." : undefined,
      });
    } catch (error) {
      if (signal.aborted) return this.snapshot;
      if (error instanceof SpeechModelNeeded) this.update({ phase: "needs-model", model: error.model });
      else this.fail(error);
    }
    return this.snapshot;
  }

  /** Downloads the speech model (progress in the snapshot), then starts recording. */
  async downloadModel(): Promise<SpeechSnapshot> {
    const signal = this.controller.signal;
    this.update({ phase: "downloading", download: { bytesDone: 0, percent: 0 } });
    try {
      await this.services.downloadSpeechModel({
        signal,
        onProgress: (progress) => this.update({ download: progress }),
      });
    } catch (error) {
      if (!signal.aborted) this.fail(error);
      return this.snapshot;
    }
    return this.start();
  }

  /** Ends the recording and keeps what was said. */
  async stop(): Promise<void> {
    if (this.snapshot.phase === "recording") await this.services.stopRecording();
  }

  /** Drops whatever is under way (the recording is discarded); nothing is handed off. */
  cancel(): void {
    this.controller.abort();
  }

  /** The person's correction of the transcript. */
  edit(text: string): void {
    if (this.snapshot.phase === "transcript") this.update({ text, notice: undefined });
  }

  /** Hands the (corrected) transcript to Ask TinyAgent; refuses an empty one. */
  async submit(text: string = this.snapshot.text): Promise<SpeechSnapshot> {
    if (this.snapshot.phase !== "transcript") return this.snapshot;
    const request = text.trim();
    if (request === "") {
      this.update({ text, notice: "Say or type a request first." });
      return this.snapshot;
    }
    try {
      await this.services.handOff(request);
      this.update({ phase: "handed-off", text: request });
    } catch (error) {
      this.fail(error);
    }
    return this.snapshot;
  }

  private fail(error: unknown): void {
    const { settings, needsSetup } = (error ?? {}) as { settings?: SettingsLink; needsSetup?: boolean };
    this.update({
      phase: "failed",
      error: {
        message: error instanceof Error ? error.message : String(error),
        ...(settings ? { settings } : {}),
        ...(needsSetup === true ? { needsSetup } : {}),
      },
    });
  }

  private update(change: Partial<SpeechSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of [...this.listeners]) listener();
  }
}
