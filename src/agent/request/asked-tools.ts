import { clausesOf } from "./clauses";

/*
 * The tools a request plainly asks for, read clause by clause (clauses.ts): "remind me" or "a reminder"
 * (create_reminder); a calendar, an invite or a block of time outside a message (create_calendar_event); a
 * clause that starts with "text" (send_sms) or "email" (compose_new_email); a document to send or find ("email Sandeep the keynote
 * slides", "find roster_spring.xlsx": open_and_get_file_path); a Zoom call outside a message; a note to
 * add to or to make; directions or a place on the map; a summary. Tool RAG adds these to what its classifier
 * selects, which misses implicit needs, and the action coverage rule (rules/action-coverage.ts) holds a
 * plan to them. Only unmistakable asks count: a word that talks about an action ("move our meeting to
 * 2pm") asks for nothing.
 */

/** The file look-up: an email that attaches a document waits for it. */
export const FILE_LOOKUP = "open_and_get_file_path";

const DOCUMENT = new RegExp(
  String.raw`\b(?:pdfs?|docs?|documents?|deck|slides|form|report|roster|handbook|agenda|essay|scan|contract|draft|proposal|guide|waiver|confirmation|resume|cv|portfolio|invoice|receipt|spreadsheet|file|photos?|presentation|memo|letter|schedule)\b` +
    String.raw`|\b[\w-]+\.(?:pdf|docx?|xlsx?|pptx?|key|pages|numbers|jpe?g|png|heic|mp4|mov|zip|txt|csv)\b`,
);
const SENDS_OR_FINDS =
  /^\W*(?:pls |please )?(?:can you |could you )?(?:email|e-mail|mail|send|forward|fwd|attach|find|reply)\b|\battach(?:ed)?\b/;

const LINK_OR_ADDRESS = /\S+:\/\/\S+|\bwww\.\S+|\S+@\S+/g;

const ASKS: readonly { tool: string; asks: (clause: string, kind: string) => boolean }[] = [
  { tool: "create_reminder", asks: (clause) => /\bremind me\b|\breminders?\b/.test(clause) },
  {
    tool: "create_calendar_event",
    asks: (clause, kind) => kind === "event" && /\b(?:calendar|cal|invite|block)\b/.test(clause),
  },
  { tool: "send_sms", asks: (clause) => /^\W*(?:pls |please )?(?:text|txt|sms)\b/.test(clause) },
  {
    tool: "compose_new_email",
    asks: (clause) =>
      // "email" as a verb: not "email address for Agnieszka", "number and email pls".
      /^\W*(?:pls |please )?(?:can you |could you )?(?:email|e-mail)\b(?!\s*(?:address|addresses|addy|pls|please|and|or|of|for|too)\b|\s*[?,.!]|\s*$)/.test(
        clause,
      ) && !/\b(?:reply|respond|forward|fwd)\b/.test(clause),
  },
  // Not "remind me to join the zoom at 3": a call to be reminded of is no call to set up.
  { tool: "get_zoom_meeting_link", asks: (clause, kind) => kind === "event" && /\bzoom\b/.test(clause) },
  {
    tool: "append_note_content",
    asks: (clause) =>
      /^\W*(?:pls |please )?(?:add|append|put|jot)\b.*\b(?:to|in|into|on) (?:my|the|our) (?:[\w'-]+ ){0,3}note\b/.test(
        clause,
      ),
  },
  {
    tool: "create_note",
    asks: (clause) =>
      // Not "add a note saying …" to a message being forwarded, nor "open the note called …".
      /\b(?:make|create|start|save|put|jot|write)\b.*\b(?:a|new) note\b/.test(clause),
  },
  { tool: "maps_show_directions", asks: (clause) => /\bdirections\b|\bnavigate\b/.test(clause) },
  { tool: "maps_open_location", asks: (clause) => /\bon (?:the |a )?maps?\b/.test(clause) },
  { tool: "summarize_pdf", asks: (clause) => /\bsummari[sz]e\b/.test(clause) },
  {
    tool: FILE_LOOKUP,
    // A link or an address is no document: "photos.app.goo.gl".
    asks: (clause) => SENDS_OR_FINDS.test(clause) && DOCUMENT.test(clause.replace(LINK_OR_ADDRESS, " ")),
  },
];

/** The tools the request's clauses plainly ask for, in the order they first ask. */
export function askedTools(request: string): string[] {
  return [...askedTimes(request).keys()];
}

/**
 * How many of the request's clauses ask for each tool, in the order they first ask: "text Dana the
 * address and text Luis the code" asks for two messages, "text Dana and Luis the address" for one. A
 * clause that asks for "both", "each" or "every" asks for any number ("put both on the calendar").
 */
export function askedTimes(request: string): Map<string, number> {
  const text = request.toLowerCase().replace(/\s+/g, " ");
  const times = new Map<string, number>();
  for (const { words, kind } of clausesOf(text))
    for (const { tool, asks } of ASKS)
      if (asks(words, kind)) times.set(tool, MANY.test(words) ? Infinity : (times.get(tool) ?? 0) + 1);
  return times;
}

const MANY = /\b(?:both|each|every|all of)\b/;
