import type { z } from "zod";
import {
  toolResult,
  type ActionAnswer,
  type Invocation,
  type ToolBackend,
  type ToolCall,
  type ToolContext,
  type ToolResult,
} from "../backend";
import type { createCalendarEvent } from "../calendar";
import type { getEmailAddress, getPhoneNumber } from "../contacts";
import type { openAndGetFilePath, summarizePdf } from "../files";
import type { composeNewEmail, forwardEmail, replyToEmail } from "../mail";
import type { mapsOpenLocation, mapsShowDirections } from "../maps";
import type { appendNoteContent, createNote, openNote } from "../notes";
import type { ToolName } from "../registry";
import type { createReminder } from "../reminders";
import type { sendSms } from "../sms";
import { abortableSleep } from "../abortable-sleep";
import { ToolError, withInvocations } from "../tool-error";
import type { getZoomMeetingLink } from "../zoom";
import { createEvent } from "./calendar";
import { lookUpContact } from "./contacts";
import { findAndOpenFile, summarizePdfFile } from "./files";
import { createFixtureWorld, type FixtureWorld } from "./fixture-world";
import { composeDraft, forwardDraft, replyDraft } from "./mail";
import { openLocation, showDirections } from "./maps";
import { sendMessage } from "./messages";
import { appendToNote, createNoteIn, openNoteNamed } from "./notes";
import { Recorder, type RecordingPreferences } from "./recorder";
import { createReminder as addReminder } from "./reminders";
import { createZoomMeeting } from "./zoom";

export { DRY_RUN_ZOOM_TOKEN } from "./zoom";

/** One call as the recording backend saw it: what would have run on macOS, and what came back. */
export interface RecordedCall {
  tool: string;
  args: Record<string, unknown>;
  invocations: Invocation[];
  observation?: string;
  error?: { code: string; message: string };
}

export interface RecordingBackendOptions {
  world?: FixtureWorld;
  /** Simulated time each call takes, in ms, so concurrency and cancellation can be observed. */
  latencyMs?: number | ((tool: string) => number);
  /** Messages' "draft only" preference: open the conversation instead of sending. False by default. */
  messagesDraftOnly?: boolean;
  /** The person's IANA time zone (Zoom); this machine's by default. */
  timeZone?: string;
}

type Args<T extends { args: z.ZodObject }> = z.infer<T["args"]>;
type Handler = (args: never, recorder: Recorder) => ActionAnswer | Promise<ActionAnswer>;

/**
 * Stands in for macOS in tests, dry runs and on Linux. Each call records exactly the invocations the Mac
 * backend would make for it on a Mac in the fixture world's state: the same scripts, commands, URLs and
 * requests, built by the same builders in src/tools/macos, in the same order. Answers come from the
 * fixture world instead of the apps. Two things cannot be the real thing: a Zoom request is built with a
 * placeholder token (DRY_RUN_ZOOM_TOKEN; recorded requests carry no headers), and an email body is the
 * person's words as written without a local model.
 */
export class RecordingBackend implements ToolBackend {
  readonly name = "recording";
  readonly world: FixtureWorld;
  readonly calls: RecordedCall[] = [];
  private readonly latencyMs: (tool: string) => number;
  private readonly preferences: RecordingPreferences;

  constructor(options: RecordingBackendOptions = {}) {
    this.world = options.world ?? createFixtureWorld();
    const latency = options.latencyMs ?? 0;
    this.latencyMs = typeof latency === "number" ? () => latency : latency;
    this.preferences = {
      messagesDraftOnly: options.messagesDraftOnly ?? false,
      timeZone: options.timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone,
    };
  }

  async run(call: ToolCall, context: ToolContext): Promise<ToolResult> {
    const record: RecordedCall = { tool: call.tool.name, args: call.args, invocations: [] };
    this.calls.push(record);
    const recorder = new Recorder(this.world, this.preferences, context);
    try {
      await abortableSleep(this.latencyMs(call.tool.name), context.signal);
      const handler = HANDLERS[call.tool.name as ToolName] as Handler | undefined;
      if (!handler)
        throw new ToolError("unavailable", `The recording backend has no action for ${call.tool.name}.`);
      const result = toolResult(await handler(call.args as never, recorder), recorder.invocations);
      record.invocations = result.invocations;
      record.observation = result.observation;
      return result;
    } catch (error) {
      const failure = withInvocations(error, recorder.invocations);
      record.invocations = failure.invocations;
      record.error = { code: failure.code, message: failure.message };
      throw error instanceof ToolError ? failure : error;
    }
  }
}

const HANDLERS: { [Name in ToolName]: Handler } = {
  create_calendar_event: (args: Args<typeof createCalendarEvent>, r) => createEvent(r, args),
  get_phone_number: (args: Args<typeof getPhoneNumber>, r) => lookUpContact(r, args.name, "phone"),
  get_email_address: (args: Args<typeof getEmailAddress>, r) => lookUpContact(r, args.name, "email"),
  open_and_get_file_path: (args: Args<typeof openAndGetFilePath>, r) => findAndOpenFile(r, args),
  summarize_pdf: (args: Args<typeof summarizePdf>, r) => summarizePdfFile(r, args),
  compose_new_email: (args: Args<typeof composeNewEmail>, r) => composeDraft(r, args),
  reply_to_email: (args: Args<typeof replyToEmail>, r) => replyDraft(r, args),
  forward_email: (args: Args<typeof forwardEmail>, r) => forwardDraft(r, args),
  maps_open_location: (args: Args<typeof mapsOpenLocation>, r) => openLocation(r, args),
  maps_show_directions: (args: Args<typeof mapsShowDirections>, r) => showDirections(r, args),
  create_note: (args: Args<typeof createNote>, r) => createNoteIn(r, args),
  open_note: (args: Args<typeof openNote>, r) => openNoteNamed(r, args),
  append_note_content: (args: Args<typeof appendNoteContent>, r) => appendToNote(r, args),
  create_reminder: (args: Args<typeof createReminder>, r) => addReminder(r, args),
  send_sms: (args: Args<typeof sendSms>, r) => sendMessage(r, args),
  get_zoom_meeting_link: (args: Args<typeof getZoomMeetingLink>, r) => createZoomMeeting(r, args),
};
