import { createHash } from "node:crypto";
import type { z } from "zod";
import {
  chooseOffered,
  type Choice,
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
import { ToolError } from "../tool-error";
import type { getZoomMeetingLink } from "../zoom";
import { parseLocalDateTime } from "../formats";
import {
  createFixtureWorld,
  fullName,
  type Contact,
  type FixtureWorld,
  type LabeledValue,
  type Note,
} from "./fixture-world";

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
}

type Args<T extends { args: z.ZodObject }> = z.infer<T["args"]>;
type Handler = (args: never, context: ToolContext) => ToolResult | Promise<ToolResult>;

/**
 * Stands in for macOS in tests, dry runs and on Linux: records every call with the exact script, URL or
 * command the Mac backend would run, and answers from a fixture world instead of the real apps.
 */
export class RecordingBackend implements ToolBackend {
  readonly name = "recording";
  readonly world: FixtureWorld;
  readonly calls: RecordedCall[] = [];
  private readonly latencyMs: (tool: string) => number;

  constructor(options: RecordingBackendOptions = {}) {
    this.world = options.world ?? createFixtureWorld();
    const latency = options.latencyMs ?? 0;
    this.latencyMs = typeof latency === "number" ? () => latency : latency;
  }

  async run(call: ToolCall, context: ToolContext): Promise<ToolResult> {
    const record: RecordedCall = { tool: call.tool.name, args: call.args, invocations: [] };
    this.calls.push(record);
    try {
      await abortableSleep(this.latencyMs(call.tool.name), context.signal);
      const handler = this.handlers[call.tool.name as ToolName] as Handler | undefined;
      if (!handler)
        throw new ToolError("unavailable", `The recording backend has no action for ${call.tool.name}.`);
      const result = await handler(call.args as never, context);
      record.invocations = result.invocations;
      record.observation = result.observation;
      return result;
    } catch (error) {
      if (error instanceof ToolError) {
        record.invocations = error.invocations;
        record.error = { code: error.code, message: error.message };
      } else {
        record.error = { code: "failed", message: error instanceof Error ? error.message : String(error) };
      }
      throw error;
    }
  }

  private readonly handlers: { [Name in ToolName]: Handler } = {
    create_calendar_event: (args: Args<typeof createCalendarEvent>) => this.createEvent(args),
    get_phone_number: (args: Args<typeof getPhoneNumber>, context) =>
      this.lookUp(args.name, "phones", context),
    get_email_address: (args: Args<typeof getEmailAddress>, context) =>
      this.lookUp(args.name, "emails", context),
    open_and_get_file_path: (args: Args<typeof openAndGetFilePath>, context) =>
      this.openFile(args.file_name, context),
    summarize_pdf: (args: Args<typeof summarizePdf>) => this.summarizePdf(args.pdf_path),
    compose_new_email: (args: Args<typeof composeNewEmail>) =>
      this.draftEmail(
        "compose_new_email",
        args.recipients,
        args.cc,
        args.subject,
        args.context,
        args.attachments,
      ),
    reply_to_email: (args: Args<typeof replyToEmail>) => {
      const selected = this.selectedEmail("reply_to_email");
      return this.draftEmail(
        "reply_to_email",
        [selected.from],
        args.cc,
        `Re: ${selected.subject}`,
        args.context,
        args.attachments,
      );
    },
    forward_email: (args: Args<typeof forwardEmail>) => {
      const selected = this.selectedEmail("forward_email");
      return this.draftEmail(
        "forward_email",
        args.recipients,
        args.cc,
        `Fwd: ${selected.subject}`,
        args.context,
        args.attachments,
      );
    },
    maps_open_location: (args: Args<typeof mapsOpenLocation>) => ({
      observation: `Showing ${args.location} in Maps.`,
      invocations: [openUrl(mapsUrl({ q: args.location }))],
    }),
    maps_show_directions: (args: Args<typeof mapsShowDirections>) => ({
      observation: `Showing ${TRANSPORT[args.transport]} directions ${args.start_location ? `from ${args.start_location} ` : ""}to ${args.end_location} in Maps.`,
      invocations: [
        openUrl(
          mapsUrl({
            ...(args.start_location ? { saddr: args.start_location } : {}),
            daddr: args.end_location,
            dirflg: args.transport,
          }),
        ),
      ],
    }),
    create_note: (args: Args<typeof createNote>) => this.createNote(args),
    open_note: (args: Args<typeof openNote>, context) => this.openNote(args, context),
    append_note_content: (args: Args<typeof appendNoteContent>, context) => this.appendNote(args, context),
    create_reminder: (args: Args<typeof createReminder>) => this.createReminder(args),
    send_sms: (args: Args<typeof sendSms>) => this.sendSms(args),
    get_zoom_meeting_link: (args: Args<typeof getZoomMeetingLink>) => this.createZoomMeeting(args),
  };

  private async lookUp(name: string, kind: "emails" | "phones", context: ToolContext): Promise<ToolResult> {
    const tool = kind === "emails" ? "get_email_address" : "get_phone_number";
    const invocations = [placeholderScript(tool, [name])];
    const contact = await this.pickContact(name, context, invocations);
    const values = contact[kind];
    const [what, several] =
      kind === "emails" ? ["email address", "email addresses"] : ["phone number", "phone numbers"];
    if (values.length === 0) {
      throw new ToolError(
        "not-found",
        `${fullName(contact)} has no ${what} in Contacts. Add one in Contacts, then try again.`,
        {
          invocations,
        },
      );
    }
    const value = await pickOne(values, context, `${fullName(contact)} has several ${several}. Which one?`);
    if (value === undefined) {
      const listed = values.map((v) => `${v.value} (${v.label})`).join(", ");
      throw new ToolError(
        "ambiguous",
        `${fullName(contact)} has several ${several}: ${listed}. Say which one to use.`,
        {
          invocations,
        },
      );
    }
    return { observation: value, invocations };
  }

  private async pickContact(name: string, context: ToolContext, invocations: Invocation[]): Promise<Contact> {
    const matches = matchContacts(this.world.contacts, name);
    if (matches.length === 0) {
      throw new ToolError(
        "not-found",
        `No contact named "${name}" in Contacts. Check the spelling, or use their email address or number.`,
        {
          invocations,
        },
      );
    }
    if (matches.length === 1) return matches[0]!;
    const chosen = await chooseOffered(context, {
      question: `Several contacts match "${name}". Which one?`,
      options: matches.map((contact, i) => ({
        label: fullName(contact),
        value: String(i),
        detail: contact.emails[0]?.value ?? contact.phones[0]?.value ?? "",
      })),
    });
    const contact = chosen === undefined ? undefined : matches[Number(chosen)];
    if (!contact) {
      throw new ToolError(
        "ambiguous",
        `Several contacts match "${name}": ${matches.map(fullName).join(", ")}. Say which one you mean.`,
        {
          invocations,
        },
      );
    }
    return contact;
  }

  private async openFile(fileName: string, context: ToolContext): Promise<ToolResult> {
    const invocations: Invocation[] = [
      { kind: "command", file: "/usr/bin/mdfind", argv: ["-name", fileName] },
    ];
    const wanted = normalizeName(stripExtension(fileName));
    const matches = this.world.files.filter((file) =>
      normalizeName(stripExtension(basename(file.path))).includes(wanted),
    );
    if (matches.length === 0) {
      throw new ToolError(
        "not-found",
        `No file matching "${fileName}" was found by Spotlight. Check the name, or give the full path.`,
        {
          invocations,
        },
      );
    }
    const exact = matches.filter((file) => normalizeName(stripExtension(basename(file.path))) === wanted);
    const candidates = exact.length === 1 ? exact : matches;
    const path =
      candidates.length === 1
        ? candidates[0]!.path
        : await chooseOffered(context, {
            question: `Several files match "${fileName}". Which one?`,
            options: candidates.map((file) => ({
              label: basename(file.path),
              value: file.path,
              detail: file.path,
            })),
          });
    if (path === undefined) {
      throw new ToolError(
        "ambiguous",
        `Several files match "${fileName}": ${candidates.map((f) => f.path).join(", ")}. Say which one.`,
        {
          invocations,
        },
      );
    }
    invocations.push({ kind: "command", file: "/usr/bin/open", argv: [path] });
    return { observation: path, invocations };
  }

  private summarizePdf(path: string): ToolResult {
    const file = this.world.files.find((candidate) => candidate.path === path);
    if (!file)
      throw new ToolError(
        "not-found",
        `There is no file at ${path}. Find it first with open_and_get_file_path.`,
      );
    if (!path.toLowerCase().endsWith(".pdf") || file.text === undefined) {
      throw new ToolError("failed", `${basename(path)} is not a PDF, so it cannot be summarized.`);
    }
    const sentences = file.text.match(/[^.!?]+[.!?]/g) ?? [file.text];
    return { observation: sentences.slice(0, 2).join("").trim(), invocations: [] };
  }

  private draftEmail(
    tool: string,
    recipients: string[],
    cc: string[],
    subject: string,
    context: string,
    attachments: string[],
  ): ToolResult {
    const invocations = [placeholderScript(tool, [recipients, cc, subject, context, attachments])];
    const missing = attachments.filter((path) => !this.world.files.some((file) => file.path === path));
    if (missing.length > 0) {
      throw new ToolError(
        "not-found",
        `Cannot attach ${missing.join(", ")}: no such file. Find it first with open_and_get_file_path.`,
        {
          invocations,
        },
      );
    }
    const to = recipients.length > 0 ? ` to ${recipients.join(", ")}` : "";
    const copy = cc.length > 0 ? `, cc ${cc.join(", ")}` : "";
    const attached = attachments.length > 0 ? `, with ${attachments.map(basename).join(", ")} attached` : "";
    return {
      observation: `Opened a draft${to}${copy} with the subject "${subject}"${attached}.`,
      invocations,
    };
  }

  private selectedEmail(tool: string): { from: string; subject: string } {
    const selected = this.world.selectedEmail;
    if (!selected) {
      throw new ToolError(
        "no-selection",
        "No email is selected in Mail. Select the message in Mail, then try again.",
        {
          invocations: [placeholderScript(tool, [])],
        },
      );
    }
    return selected;
  }

  private createEvent(args: Args<typeof createCalendarEvent>): ToolResult {
    const invocations = [placeholderScript("create_calendar_event", Object.values(args))];
    const calendarName = args.calendar || this.world.defaultCalendar;
    const calendar = this.world.calendars.find((c) => c.name.toLowerCase() === calendarName.toLowerCase());
    if (!calendar) {
      const names = this.world.calendars.filter((c) => c.writable).map((c) => c.name);
      throw new ToolError(
        "not-found",
        `There is no calendar named "${calendarName}". Calendars you can add to: ${names.join(", ")}.`,
        {
          invocations,
        },
      );
    }
    if (!calendar.writable) {
      throw new ToolError(
        "failed",
        `The calendar "${calendar.name}" is read-only. Choose another calendar.`,
        { invocations },
      );
    }
    if (sortableDate(args.end_date) < sortableDate(args.start_date)) {
      throw new ToolError(
        "failed",
        `The event would end (${args.end_date}) before it starts (${args.start_date}).`,
        { invocations },
      );
    }
    this.world.events.push({
      title: args.title,
      start: args.start_date,
      end: args.end_date,
      calendar: calendar.name,
      location: args.location ?? "",
      invitees: args.invitees,
      notes: args.notes ?? "",
    });
    const invited = args.invitees.length > 0 ? `, inviting ${args.invitees.join(", ")}` : "";
    return {
      observation: `Created the event "${args.title}" on ${args.start_date} to ${args.end_date} in the ${calendar.name} calendar${invited}.`,
      invocations,
    };
  }

  private createNote(args: Args<typeof createNote>): ToolResult {
    const invocations = [placeholderScript("create_note", [args.name, args.content, args.folder])];
    const folder = this.noteFolder(args.folder, invocations);
    this.world.notes.push({
      name: args.name,
      folder: folder.name,
      account: folder.account,
      body: args.content,
    });
    return {
      observation: `Created the note "${args.name}" in ${folder.name} (${folder.account}).`,
      invocations,
    };
  }

  private async openNote(args: Args<typeof openNote>, context: ToolContext): Promise<ToolResult> {
    const invocations = [placeholderScript("open_note", [args.name, args.folder])];
    const note = await this.findNote(args.name, args.folder, context, invocations);
    return { observation: note.body, invocations };
  }

  private async appendNote(args: Args<typeof appendNoteContent>, context: ToolContext): Promise<ToolResult> {
    const invocations = [placeholderScript("append_note_content", [args.name, args.content, args.folder])];
    const note = await this.findNote(args.name, args.folder, context, invocations);
    note.body = `${note.body}\n${args.content}`;
    return { observation: `Added the text to the note "${note.name}".`, invocations };
  }

  private noteFolder(name: string | null, invocations: Invocation[]): { account: string; name: string } {
    const wanted = name || "Notes";
    const folder = this.world.noteFolders.find((f) => f.name.toLowerCase() === wanted.toLowerCase());
    if (folder) return folder;
    const names = this.world.noteFolders.map((f) => `${f.name} (${f.account})`);
    throw new ToolError(
      "not-found",
      `There is no folder "${wanted}" in Notes. Folders: ${names.join(", ")}.`,
      { invocations },
    );
  }

  /** An exact title wins; otherwise similar titles are offered, never taken silently. */
  private async findNote(
    name: string,
    folder: string | null,
    context: ToolContext,
    invocations: Invocation[],
  ): Promise<Note> {
    // An empty folder, like None, means "any folder".
    const inFolder = folder
      ? this.world.notes.filter((n) => n.folder.toLowerCase() === folder.toLowerCase())
      : this.world.notes;
    if (folder) this.noteFolder(folder, invocations);
    const wanted = normalizeName(name);
    const exact = inFolder.filter((note) => normalizeName(note.name) === wanted);
    if (exact.length === 1) return exact[0]!;
    const candidates =
      exact.length > 1 ? exact : inFolder.filter((note) => normalizeName(note.name).includes(wanted));
    if (candidates.length === 0) {
      const where = folder ? `the folder "${folder}"` : "Notes";
      throw new ToolError(
        "not-found",
        `No note titled "${name}" in ${where}. Check the title, or create it first.`,
        { invocations },
      );
    }
    const chosen = await chooseOffered(context, {
      question: `No note is titled exactly "${name}". Did you mean one of these?`,
      options: candidates.map((note, i) => ({
        label: note.name,
        value: String(i),
        detail: `${note.folder} (${note.account})`,
      })),
    });
    const note = chosen === undefined ? undefined : candidates[Number(chosen)];
    if (!note) {
      throw new ToolError(
        "ambiguous",
        `No note is titled exactly "${name}"; similar: ${candidates.map((n) => `"${n.name}"`).join(", ")}. Say which one.`,
        {
          invocations,
        },
      );
    }
    return note;
  }

  private createReminder(args: Args<typeof createReminder>): ToolResult {
    const invocations = [placeholderScript("create_reminder", Object.values(args))];
    const listName = args.list_name || this.world.defaultReminderList;
    const list = this.world.reminderLists.find((l) => l.toLowerCase() === listName.toLowerCase());
    if (!list) {
      throw new ToolError(
        "not-found",
        `There is no Reminders list "${listName}". Lists: ${this.world.reminderLists.join(", ")}.`,
        {
          invocations,
        },
      );
    }
    this.world.reminders.push({
      name: args.name,
      list,
      due: args.due_date,
      priority: args.priority,
      allDay: args.all_day,
      notes: args.notes,
    });
    const due = args.due_date ? `, due ${args.all_day ? args.due_date.slice(0, 10) : args.due_date}` : "";
    return { observation: `Created the reminder "${args.name}" in ${list}${due}.`, invocations };
  }

  private sendSms(args: Args<typeof sendSms>): ToolResult {
    const invocations = [placeholderScript("send_sms", [args.recipients, args.message])];
    if (args.recipients.length === 0)
      throw new ToolError("failed", "The message has no recipients.", { invocations });
    const invalid = args.recipients.filter((r) => !PHONE.test(r) && !EMAIL.test(r));
    if (invalid.length > 0) {
      throw new ToolError(
        "failed",
        `${invalid.join(", ")} is not a phone number or iMessage address. Look it up with get_phone_number first.`,
        {
          invocations,
        },
      );
    }
    return { observation: `Sent the message to ${args.recipients.join(", ")}.`, invocations };
  }

  private createZoomMeeting(args: Args<typeof getZoomMeetingLink>): ToolResult {
    const body = {
      topic: args.topic,
      type: 2,
      start_time: args.start_time.replace(" ", "T"),
      duration: args.duration,
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      settings: { meeting_invitees: args.meeting_invitees.map((email) => ({ email })) },
    };
    const invocations: Invocation[] = [
      {
        kind: "http",
        method: "POST",
        url: "https://api.zoom.us/v2/users/me/meetings",
        body: JSON.stringify(body),
      },
    ];
    const digest = createHash("sha256").update(`${args.topic}\n${args.start_time}`).digest();
    const meetingId = String(8_000_000_000 + (digest.readUInt32BE(0) % 1_000_000_000));
    return { observation: `https://zoom.us/j/${meetingId}`, invocations };
  }
}

const TRANSPORT = { d: "driving", w: "walking", r: "transit" } as const;
const PHONE = /^\+?[\d\s().-]{3,}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function matchContacts(contacts: Contact[], name: string): Contact[] {
  const wanted = normalizeName(name);
  const exact = contacts.filter((contact) =>
    [fullName(contact), contact.firstName, contact.lastName, contact.nickname ?? ""].some(
      (n) => normalizeName(n) === wanted,
    ),
  );
  if (exact.length > 0) return exact;
  return contacts.filter((contact) =>
    normalizeName(`${fullName(contact)} ${contact.nickname ?? ""}`).includes(wanted),
  );
}

async function pickOne(
  values: LabeledValue[],
  context: ToolContext,
  question: string,
): Promise<string | undefined> {
  if (values.length === 1) return values[0]!.value;
  const choice: Choice = {
    question,
    options: values.map((v) => ({ label: v.value, value: v.value, detail: v.label })),
  };
  return chooseOffered(context, choice);
}

function normalizeName(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function stripExtension(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(0, dot) : name;
}

function sortableDate(text: string): string {
  const d = parseLocalDateTime(text);
  if (!d) return text;
  return [d.year, d.month, d.day, d.hour, d.minute, d.second].map((n) => String(n).padStart(4, "0")).join("");
}

/** Apple Maps URL; every value goes through URLSearchParams, never spliced into the text. */
function mapsUrl(params: Record<string, string>): string {
  const url = new URL("https://maps.apple.com/");
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

function openUrl(url: string): Invocation {
  return { kind: "url", url };
}

/**
 * Stands for the AppleScript the macOS backend will run. Arguments travel as `argv` (never spliced into
 * the script), which is how the real scripts receive them too.
 */
function placeholderScript(tool: string, args: unknown[]): Invocation {
  return {
    kind: "applescript",
    script: `on run argv\n  -- ${tool}: the macOS script is not written yet\nend run`,
    argv: args.map((arg) => (typeof arg === "string" ? arg : JSON.stringify(arg))),
  };
}
