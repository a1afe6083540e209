import {
  toolResult,
  type ActionAnswer,
  type Invocation,
  type ToolBackend,
  type ToolCall,
  type ToolContext,
  type ToolResult,
} from "../backend";
import type { ToolName } from "../registry";
import { ToolError, withInvocations } from "../tool-error";
import { addCalendarEvent } from "./calendar";
import { getEmailAddress, getPhoneNumber } from "./contacts";
import { findAndOpenFile, summarizePdfFile } from "./files";
import type { MacContext, MacPreferences, MacSystem, TextWriter } from "./mac-context";
import { createMacSystem, loggedSystem } from "./mac-system";
import { draftForward, draftNewEmail, draftReply } from "./mail";
import { mapsOpenLocation, mapsShowDirections } from "./maps";
import { sendSms } from "./messages";
import { appendNoteContent, createNote, openNote } from "./notes";
import { addReminder } from "./reminders";
import { createZoomAction, type ZoomAuth } from "./zoom";

type Action = (args: never, ctx: MacContext) => Promise<ActionAnswer>;

export interface MacBackendOptions {
  /** The Mac itself by default; tests pass a fake. */
  system?: MacSystem;
  preferences: MacPreferences;
  /** Writes email bodies and PDF summaries when a local model is loaded. */
  writer?: TextWriter;
  /** Where Zoom tokens come from (Raycast OAuth, or server-to-server credentials for the command line). */
  zoomAuth?: ZoomAuth;
}

/**
 * Runs tools on macOS: AppleScript for the apps, Spotlight and `open` as argument lists, Maps URLs and the
 * Zoom API. Each call's result carries every script, command, URL and request it made, in order.
 */
export class MacBackend implements ToolBackend {
  readonly name = "macos";
  private readonly system: MacSystem;
  private readonly actions: Record<ToolName, Action>;

  constructor(private readonly options: MacBackendOptions) {
    this.system = options.system ?? createMacSystem();
    // Built once, so a Zoom token is cached across the steps of a run and across runs.
    const zoom = createZoomAction(options.zoomAuth);
    this.actions = {
      create_calendar_event: addCalendarEvent,
      get_phone_number: getPhoneNumber,
      get_email_address: getEmailAddress,
      open_and_get_file_path: (args, ctx) => findAndOpenFile(args, ctx),
      summarize_pdf: (args, ctx) => summarizePdfFile(args, ctx),
      compose_new_email: (args, ctx) => draftNewEmail(args, ctx),
      reply_to_email: (args, ctx) => draftReply(args, ctx),
      forward_email: (args, ctx) => draftForward(args, ctx),
      maps_open_location: mapsOpenLocation,
      maps_show_directions: mapsShowDirections,
      create_note: createNote,
      open_note: openNote,
      append_note_content: appendNoteContent,
      create_reminder: addReminder,
      send_sms: sendSms,
      get_zoom_meeting_link: zoom,
    } satisfies Record<ToolName, Action>;
  }

  async run(call: ToolCall, context: ToolContext): Promise<ToolResult> {
    const invocations: Invocation[] = [];
    const action = this.actions[call.tool.name as ToolName];
    if (!action) throw new ToolError("unavailable", `${call.tool.name} has no macOS action.`);
    const ctx: MacContext = {
      system: loggedSystem(this.system, invocations),
      signal: context.signal,
      choose: (choice) => context.choose(choice),
      ...(context.confirm ? { confirm: (request) => context.confirm!(request) } : {}),
      preferences: this.options.preferences,
      ...(this.options.writer ? { writer: this.options.writer } : {}),
      invocations,
    };
    try {
      return toolResult(await action(call.args as never, ctx), invocations);
    } catch (error) {
      throw withInvocations(error, invocations);
    }
  }
}
