import { clausesOf } from "./clauses";
import { hasWordOrTypo } from "./typos";

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
  {
    tool: "send_sms",
    asks: (clause) =>
      /^\W*(?:pls |please )?(?:text|txt|sms)\b/.test(clause) ||
      // "send a text to 415-555-0199", "send my husband a text that it's done"
      /^\W*(?:pls |please )?(?:can you |could you )?(?:send|shoot) (?:[\w'-]+ ){0,3}an? (?:text|sms)\b/.test(
        clause,
      ),
  },
  {
    tool: "compose_new_email",
    asks: (clause) =>
      // "email" as a verb: not "email address for Agnieszka", "number and email pls".
      (/^\W*(?:pls |please )?(?:can you |could you )?(?:email|e-mail)\b(?!\s*(?:address|addresses|addy|pls|please|and|or|of|for|too)\b|\s*[?,.!]|\s*$)/.test(
        clause,
      ) &&
        !/\b(?:reply|respond|forward|fwd)\b/.test(clause)) ||
      // "draft an email to Dr. Okafor", "send Lutfi an email"
      /^\W*(?:pls |please )?(?:can you |could you )?(?:draft|write|compose|send|shoot) (?:[\w'-]+ ){0,3}an (?:email|e-mail)\b/.test(
        clause,
      ),
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
  {
    tool: "maps_open_location",
    asks: (clause) => /\bon (?:the |a )?maps?\b|\bshow me where\b/.test(clause),
  },
  { tool: "summarize_pdf", asks: (clause) => /\bsummari[sz]e\b/.test(clause) },
  {
    tool: FILE_LOOKUP,
    // A link or an address is no document: "photos.app.goo.gl".
    asks: (clause) => SENDS_OR_FINDS.test(clause) && DOCUMENT.test(clause.replace(LINK_OR_ADDRESS, " ")),
  },
];

/** The tools the request's clauses plainly ask for, in the order they first ask. */
export function askedTools(request: string): string[] {
  return toolsAskedAndRuledOut(request).asked;
}

/** The tools the request's words rule out: asked for at most 0 times (askedTimes). */
export function ruledOutTools(request: string): string[] {
  return toolsAskedAndRuledOut(request).ruledOut;
}

/** Both of the above from one reading of the request, as Tool RAG needs them. */
export function toolsAskedAndRuledOut(request: string): { asked: string[]; ruledOut: string[] } {
  const times = [...askedTimes(request)];
  return {
    asked: times.filter(([, asked]) => asked.least > 0).map(([tool]) => tool),
    ruledOut: times.filter(([, asked]) => asked.most === 0).map(([tool]) => tool),
  };
}

/**
 * How often the request asks for one tool: at least `least` steps of it, and at most `most`. A tool the
 * request rules out (an event, when it asks for a Zoom call only) has both 0.
 */
export interface AskedTimes {
  least: number;
  most: number;
}

/**
 * How often the request asks for each tool it plainly asks for, in the order it first asks. At least once,
 * or as often as a reminder clause lists things ("remind me to call Ana and to buy a card", "… and again
 * tomorrow at 8am"). At most as often as clauses ask for it or its word comes up, whichever is more: "text
 * Dana the address and text Luis the code" asks for two messages, "text Dana and Luis the address" for
 * one. Any number for "both", "each" or "every" ("put both on the calendar"), and for reminders and file
 * look-ups and summaries, of which one clause often asks for two ("email the roster and the snack schedule").
 */
export function askedTimes(request: string): Map<string, AskedTimes> {
  const text = request.toLowerCase().replace(/\s+/g, " ");
  const times = new Map<string, AskedTimes>();
  for (const { words, kind } of clausesOf(text))
    for (const { tool, asks } of ASKS) {
      if (!asks(words, kind)) continue;
      const known = times.get(tool) ?? { least: 0, most: 0 };
      times.set(tool, {
        least: tool === "create_reminder" ? known.least + listedIn(words) : 1,
        most: MANY.test(words) || UNCOUNTED.has(tool) ? Infinity : known.most + 1,
      });
    }
  for (const [tool, asked] of times) asked.most = Math.max(asked.most, mentions(tool, text));
  if (onlyACall(text, times)) times.set("create_calendar_event", { least: 0, most: 0 });
  for (const [tool, words] of Object.entries(NEEDS_WORDS))
    if (!words.test(text) && !hasWordOrTypo(text, TYPED_VERBS[tool] ?? []))
      times.set(tool, { least: 0, most: 0 });
  return times;
}

/**
 * Words without which a request asks for no step of a tool: a meeting link nobody mentions is none to make
 * ("set up a 1:1 with Agnieszka monday 2pm on my calendar"), an email nobody forwards or answers is no
 * forward or reply, a note nobody reads, finds or passes on is none to open, and a request with no word of
 * reminding sets no reminder. Typos count ("zom", "repy"). On the dev sets no plan for a request without
 * them calls the tool; on 3,000 synthetic requests, three forwards do, each for two typos ("resirect this
 * eamil"), one note and one reminder.
 */
// The verbs of NEEDS_WORDS that are also taken one letter off ("oepn my trip note", "tetx Renata my note").
const TYPED_VERBS: Record<string, readonly string[]> = {
  open_note: ["open", "show", "find", "read", "look", "view", "send", "share", "text", "display", "search"],
  forward_email: ["forward", "share", "redirect"],
  reply_to_email: ["reply", "respond", "answer"],
  create_reminder: ["remind", "reminder", "todo", "nudge", "ping"],
};

const NEEDS_WORDS: Record<string, RegExp> = {
  get_zoom_meeting_link: /\bz+o+m+\w*|\b(?:video|link|links|virtual|online|remote)\b/,
  forward_email:
    /forw|fwd|\bfw\b|\bpass|send (?:this|that|it)\b|share (?:this|that)\b|\bloop|along|frwd|foward|fowrard|redirect|copy of|\b(?:this|that|the) (?:e-?mail|message|mail|thread)\b/,
  reply_to_email: /repl|respond|repsond|\bresp|answer|write back|get back|back to|rply|repy|\brsvp/,
  // A reminder is asked for in words like these: "add my daughter's recital to my calendar" sets none.
  create_reminder:
    /remi|rmind|remnd|todo|to do|to-do|forget|remember|list|timer|alarm|nudge|ping me|alert|task|\bdue\b|deadline|make sure|buy|pick up|\bpay|renew|call|errand/,
  // A note is opened to be read, found or passed on; "save a note …", "stick this at the end of my ideas
  // note" open none.
  open_note:
    /open|opne|\bopn|show|find|read|pull|what|\bwats?\b|which|where|check|look|\bsee\b|view|bring|send|share|mail|emial|text|txt|forward|fwd|message|msg|content|is there|do i have|did i|\bget|search|display|launch|copy|paste|tell|go to|\bhave\b|continue/,
};

// Words that make a Zoom call an event too: "schedule Sync with Lorenzo thursday 9 with a zoom link".
const EVENT_WORDS = /\b(?:calendar|cal|event|invite|hold|block|appointment|appt)\b|\bwith a zoom\b/;
const SCHEDULING =
  /\b(?:schedule|sched|book|set up|setup|arrange|make|create|start|plan|put|add)\b((?:\s+\S+){0,4})/g;

/**
 * Whether the request asks for a Zoom call and nothing to put on a calendar: "schedule a zoom with Whitney
 * at 2 tomorrow and email her the link" is no event. Every word that schedules something schedules the
 * call, and no word names an event. On the dev sets and 3,000 synthetic requests, no such request's plan
 * has an event.
 */
function onlyACall(text: string, times: ReadonlyMap<string, AskedTimes>): boolean {
  if (!times.has("get_zoom_meeting_link") || times.has("create_calendar_event") || EVENT_WORDS.test(text))
    return false;
  for (const [, after] of text.matchAll(SCHEDULING))
    // "make that 2:30" moves the call; it schedules nothing else.
    if (!/\b(?:zoom|call|video)\b|^ (?:that|it)\b/.test(after!)) return false;
  return true;
}

// Tools one clause often asks for more than once.
const UNCOUNTED = new Set(["create_reminder", FILE_LOOKUP, "summarize_pdf"]);
const MANY = /\b(?:both|each|every|all of)\b/;

/** The things a reminder clause lists: "remind me to call Ana and to buy a card" asks for two. */
function listedIn(clause: string): number {
  return 1 + (clause.match(/\band (?:to|again)\b/g)?.length ?? 0);
}

// The words that name each counted action, however the clauses split.
const WORDS: Record<string, RegExp> = {
  send_sms: /\b(?:text|txt|sms|message|msg)\b/g,
  compose_new_email: /\b(?:e-?mail|mail)\b/g,
  create_calendar_event: /\b(?:calendar|cal|invite)\b/g,
  get_zoom_meeting_link: /\bzoom\b/g,
};

function mentions(tool: string, text: string): number {
  const words = WORDS[tool];
  return words ? (text.match(words)?.length ?? 0) : 0;
}
