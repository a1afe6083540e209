import { rm, writeFile } from "node:fs/promises";
import { ToolError } from "../tool-error";
import { appleScriptText } from "./applescript-text";
import { runScript, SETTINGS } from "./osascript";

/**
 * Recording a spoken request on a Mac with nothing extra installed: an AppleScript that drives
 * AVFoundation through the Objective-C bridge (`use framework "AVFoundation"`), run by osascript. It
 * writes 16 kHz mono 16-bit PCM, what whisper.cpp reads, and stops when the person stops it (a stop file
 * appears), after a pause once they have spoken, or at a time limit. The file paths reach the script only
 * through appleScriptText, the one AppleScript encoder; numbers are checked finite and written as
 * numbers. Method names that are AppleScript words (record) are written between bars, and no variable
 * takes a name AppleScript or its scripting additions use (access, seconds).
 */

export interface RecordingOptions {
  /** The WAV file to write (replaced if it exists). */
  outputPath: string;
  /** Recording stops as soon as this file exists: how a "Stop" button ends it cleanly. */
  stopPath: string;
  /** Longest recording, in seconds. */
  maxSeconds?: number;
  /** After speech, this much quiet ends the recording; 0 turns it off. */
  silenceSeconds?: number;
  /** Level (dBFS, AVAudioRecorder's average power) below which the input counts as quiet. */
  silenceLevel?: number;
}

const DEFAULTS = { maxSeconds: 30, silenceSeconds: 2, silenceLevel: -40 };

/** Linear PCM ('lpcm'), the AudioFormatID AVAudioRecorder writes as a WAV file. */
const LINEAR_PCM = 1_819_304_813;

/** The recording script: constant but for the encoded paths and the checked numbers. */
export function recordSpeechScript(options: RecordingOptions): string {
  const { maxSeconds, silenceSeconds, silenceLevel } = { ...DEFAULTS, ...options };
  return `use AppleScript version "2.4"
use framework "Foundation"
use framework "AVFoundation"
use scripting additions

set outputPath to ${appleScriptText(options.outputPath)}
set stopPath to ${appleScriptText(options.stopPath)}
set maxSeconds to ${number(maxSeconds, 1, 600)}
set silenceSeconds to ${number(silenceSeconds, 0, 60)}
set silenceLevel to ${number(silenceLevel, -160, 0)}

-- 1 restricted, 2 denied: recording would only write silence.
set microphoneAccess to (current application's AVCaptureDevice's authorizationStatusForMediaType:"soun") as integer
if microphoneAccess is 1 or microphoneAccess is 2 then return "denied"

set formatSettings to current application's NSDictionary's dictionaryWithObjects:{${LINEAR_PCM}, 16000.0, 1, 16, false, false} forKeys:{"AVFormatIDKey", "AVSampleRateKey", "AVNumberOfChannelsKey", "AVLinearPCMBitDepthKey", "AVLinearPCMIsFloatKey", "AVLinearPCMIsBigEndianKey"}
set outputURL to current application's NSURL's fileURLWithPath:outputPath
set {recorder, failure} to current application's AVAudioRecorder's alloc()'s initWithURL:outputURL settings:formatSettings |error|:(reference)
if recorder is missing value then return "failed " & ((failure's localizedDescription()) as text)
recorder's setMeteringEnabled:true
if not ((recorder's |record|()) as boolean) then return "failed"

set fileManager to current application's NSFileManager's defaultManager()
set heard to false
set quietFor to 0
set elapsed to 0
repeat while elapsed < maxSeconds
\tdelay 0.1
\tset elapsed to elapsed + 0.1
\tif ((fileManager's fileExistsAtPath:stopPath) as boolean) then exit repeat
\trecorder's updateMeters()
\tset level to (recorder's averagePowerForChannel:0) as real
\tif level > silenceLevel then
\t\tset heard to true
\t\tset quietFor to 0
\telse if heard and silenceSeconds > 0 then
\t\tset quietFor to quietFor + 0.1
\t\tif quietFor ≥ silenceSeconds then exit repeat
\tend if
end repeat
set recordedSeconds to (recorder's currentTime()) as real
recorder's |stop|()
return "recorded " & recordedSeconds`;
}

/** A number the script may hold: finite and within bounds, else a programming error here. */
function number(value: number, min: number, max: number): string {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`recording setting ${value} is outside ${min} to ${max}`);
  }
  return String(value);
}

export interface Recording {
  path: string;
  seconds: number;
}

/**
 * Records from the microphone into `outputPath` until stopRecording(stopPath), a pause after speech, or
 * the time limit. `signal` cancels: the recording is discarded. Throws ToolError: "permission" naming
 * System Settings › Privacy & Security › Microphone when access is off.
 */
export async function recordSpeech(options: RecordingOptions & { signal: AbortSignal }): Promise<Recording> {
  const maxSeconds = options.maxSeconds ?? DEFAULTS.maxSeconds;
  await rm(options.stopPath, { force: true });
  try {
    const output = await runScript({
      app: "the microphone",
      script: recordSpeechScript(options),
      signal: options.signal,
      // The script stops itself at maxSeconds; the margin covers starting AVFoundation.
      timeoutMs: (maxSeconds + 15) * 1000,
    });
    return recordingOf(output, options.outputPath);
  } catch (error) {
    // A refused, failed or cancelled recording leaves nothing behind, not even an older file.
    await rm(options.outputPath, { force: true });
    throw error;
  } finally {
    await rm(options.stopPath, { force: true });
  }
}

/** Ends a recording that recordSpeech is making, keeping what was said. */
export async function stopRecording(stopPath: string): Promise<void> {
  await writeFile(stopPath, "");
}

/** What the script printed, as a recording or the error that says what to do. */
export function recordingOf(output: string, path: string): Recording {
  if (output === "denied") {
    throw new ToolError(
      "permission",
      `TinyAgent cannot use the microphone. Allow it for Raycast (or your terminal) in System Settings › ` +
        `${SETTINGS.microphone.name}, then try again.`,
      { settings: SETTINGS.microphone },
    );
  }
  const recorded = /^recorded ([\d.,]+)$/.exec(output);
  if (recorded) return { path, seconds: Number(recorded[1]!.replace(",", ".")) };
  const why = output.replace(/^failed\s*/, "");
  throw new ToolError(
    "failed",
    `Recording could not start${why ? ` (${why})` : ""}. Check that a microphone is connected and that ` +
      `TinyAgent may use it in System Settings › ${SETTINGS.microphone.name}.`,
    { settings: SETTINGS.microphone },
  );
}
