import { createCalendarEvent } from "./calendar";
import { getEmailAddress, getPhoneNumber } from "./contacts";
import { openAndGetFilePath, summarizePdf } from "./files";
import { composeNewEmail, forwardEmail, replyToEmail } from "./mail";
import { mapsOpenLocation, mapsShowDirections } from "./maps";
import { appendNoteContent, createNote, openNote } from "./notes";
import { createReminder } from "./reminders";
import { sendSms } from "./sms";
import type { AnyTool } from "./tool";
import { getZoomMeetingLink } from "./zoom";

/** The 16 tools in DESIGN §4 order, which is also the tool classifier's label order. */
export const TOOLS = [
  createCalendarEvent,
  getPhoneNumber,
  getEmailAddress,
  openAndGetFilePath,
  summarizePdf,
  composeNewEmail,
  replyToEmail,
  forwardEmail,
  mapsOpenLocation,
  mapsShowDirections,
  createNote,
  openNote,
  appendNoteContent,
  createReminder,
  sendSms,
  getZoomMeetingLink,
] as const satisfies readonly AnyTool[];

export type ToolName = (typeof TOOLS)[number]["name"];

/** A lookup over a set of tools; planning with a subset (Tool RAG) builds a registry of just those. */
export class ToolRegistry {
  private readonly byName: ReadonlyMap<string, AnyTool>;

  constructor(readonly tools: readonly AnyTool[] = TOOLS) {
    this.byName = new Map(tools.map((tool) => [tool.name, tool]));
  }

  get(name: string): AnyTool | undefined {
    return this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get names(): string[] {
    return this.tools.map((tool) => tool.name);
  }

  /** A registry with only the named tools, kept in registry order. */
  subset(names: Iterable<string>): ToolRegistry {
    const wanted = new Set(names);
    return new ToolRegistry(this.tools.filter((tool) => wanted.has(tool.name)));
  }
}

export const defaultRegistry = new ToolRegistry();
