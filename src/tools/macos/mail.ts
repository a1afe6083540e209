import { homedir } from "node:os";
import type { z } from "zod";
import { chooseOffered, type Choice } from "../backend";
import type { composeNewEmail, forwardEmail, replyToEmail } from "../mail";
import { isEmailAddress } from "../formats";
import { ToolError } from "../tool-error";
import { appleScriptList, appleScriptText } from "./applescript-text";
import { basename, expandPath, fileKind } from "./files";
import type { MacContext, TextWriter } from "./mac-context";
import { FIELD, parseRecords } from "./osascript";

/**
 * Mail: new, reply and forward drafts. Every action opens a visible draft and stops there: nothing is
 * ever sent, the person reviews and sends it. Reply and forward act on the email selected in Mail.
 * Text enters the scripts only through appleScriptText / appleScriptList.
 */

const APP = "Mail";

// ---------------------------------------------------------------------------------------------------------
// Script builders: exactly what runs, pure so a dry run can show the same scripts.

/** Removes the record and field separators from a text the script returns (subjects come from strangers). */
const CLEAN_HANDLER = `on clean(theText)
  if theText is missing value then return ""
  set AppleScript's text item delimiters to {character id 30, character id 31}
  set theParts to text items of (theText as text)
  set AppleScript's text item delimiters to " "
  set theText to theParts as text
  set AppleScript's text item delimiters to ""
  return theText
end clean`;

/** The original email quoted line by line, as mail clients do. */
const QUOTE_HANDLER = `on quotedLines(theText)
  set theQuote to ""
  repeat with theLine in paragraphs of theText
    set theQuote to theQuote & "> " & theLine & linefeed
  end repeat
  return theQuote
end quotedLines`;

/**
 * Files become aliases before Mail is told anything: `as alias` fails for a path that does not exist, so a
 * file removed since it was checked stops the script before a half-made draft appears.
 */
function filesBlock(attachments: readonly string[]): string {
  return `set theFiles to {}
repeat with thePath in ${appleScriptList(attachments)}
  set end of theFiles to (POSIX file (contents of thePath)) as alias
end repeat`;
}

function recipientsBlock(kind: "to" | "cc", addresses: readonly string[]): string {
  return `    repeat with theAddress in ${appleScriptList(addresses)}
      make new ${kind} recipient at end of ${kind} recipients with properties {address:(contents of theAddress)}
    end repeat`;
}

const ATTACH_FILES = `  repeat with theFile in theFiles
    tell content of theDraft to make new attachment with properties {file name:(contents of theFile)} at after the last paragraph
  end repeat`;

/** What reply and forward scripts return: a status, the draft's To addresses and its subject. */
const DRAFT_SUMMARY = `  set theRecipients to {}
  repeat with theRecipient in to recipients of theDraft
    set end of theRecipients to address of theRecipient
  end repeat
  set AppleScript's text item delimiters to ", "
  set theTo to theRecipients as text
  set AppleScript's text item delimiters to ""
  return theStatus & (character id 31) & my clean(theTo) & (character id 31) & my clean(subject of theDraft)`;

/**
 * Finds the chosen email among those still selected, by Mail's id for it. Selection can change between
 * the question and the answer; then the script says "changed" rather than acting on another email.
 */
function originalBlock(messageId: string): string {
  return `  set theOriginal to missing value
  repeat with theCandidate in (get selection)
    if ((id of theCandidate) as text) is ${appleScriptText(messageId)} then set theOriginal to contents of theCandidate
  end repeat
  if theOriginal is missing value then return "changed"`;
}

export interface NewDraft {
  recipients: readonly string[];
  cc: readonly string[];
  subject: string;
  body: string;
  attachments: readonly string[];
}

/** A new visible draft with recipients, subject, body and attachments. */
export function composeEmailScript(draft: NewDraft): string {
  return `${filesBlock(draft.attachments)}
tell application "Mail"
  set theDraft to make new outgoing message with properties {subject:${appleScriptText(draft.subject)}, content:${appleScriptText(draft.body)}, visible:true}
  tell theDraft
${recipientsBlock("to", draft.recipients)}
${recipientsBlock("cc", draft.cc)}
  end tell
${ATTACH_FILES}
  activate
end tell`;
}

/** The emails selected in Mail: id, sender and subject of each. */
export function selectedEmailsScript(): string {
  return `${CLEAN_HANDLER}

tell application "Mail"
  set theOutput to ""
  repeat with theMessage in (get selection)
    set theOutput to theOutput & ((id of theMessage) as text) & (character id 31) & my clean(sender of theMessage) & (character id 31) & my clean(subject of theMessage) & (character id 30)
  end repeat
  return theOutput
end tell`;
}

export interface ReplyDraft {
  /** Mail's id of the selected email, from selectedEmailsScript. */
  messageId: string;
  cc: readonly string[];
  body: string;
  attachments: readonly string[];
}

/**
 * A reply draft to the selected email. Setting a reply's content replaces the quoted original Mail puts
 * there, so when there is a body the script writes it followed by the original, quoted, itself. Mail
 * fills a reply in only once its window is open: the script waits a second before changing it.
 */
export function replyEmailScript(reply: ReplyDraft): string {
  return `${CLEAN_HANDLER}

${QUOTE_HANDLER}

set theBody to ${appleScriptText(reply.body)}
${filesBlock(reply.attachments)}
tell application "Mail"
${originalBlock(reply.messageId)}
  set theDraft to reply theOriginal opening window yes
  delay 1
  if theBody is not "" then
    set theHeader to "On " & ((date received of theOriginal) as text) & ", " & (sender of theOriginal) & " wrote:"
    set content of theDraft to theBody & linefeed & linefeed & theHeader & linefeed & my quotedLines((content of theOriginal) as text)
  end if
  tell theDraft
${recipientsBlock("cc", reply.cc)}
  end tell
${ATTACH_FILES}
  activate
  set theStatus to "done"
${DRAFT_SUMMARY}
end tell`;
}

export interface ForwardDraft extends ReplyDraft {
  recipients: readonly string[];
}

/**
 * A forward draft of the selected email. A note above the forwarded text replaces the draft's content,
 * which would drop the forwarded email's own attachments; so the note is written only when the email has
 * none, and the script says "kept" otherwise (the action then tells the person to type the note in).
 */
export function forwardEmailScript(forward: ForwardDraft): string {
  return `${CLEAN_HANDLER}

set theBody to ${appleScriptText(forward.body)}
${filesBlock(forward.attachments)}
tell application "Mail"
${originalBlock(forward.messageId)}
  set theDraft to forward theOriginal opening window yes
  delay 1
  set theStatus to "done"
  if theBody is not "" then
    if (count of mail attachments of theOriginal) is 0 then
      set theHeader to "Begin forwarded message:" & linefeed & linefeed & "From: " & (sender of theOriginal) & linefeed & "Subject: " & (subject of theOriginal) & linefeed & "Date: " & ((date received of theOriginal) as text)
      set content of theDraft to theBody & linefeed & linefeed & theHeader & linefeed & linefeed & ((content of theOriginal) as text)
    else
      set theStatus to "kept"
    end if
  end if
  tell theDraft
${recipientsBlock("to", forward.recipients)}
${recipientsBlock("cc", forward.cc)}
  end tell
${ATTACH_FILES}
  activate
${DRAFT_SUMMARY}
end tell`;
}

/** What the local model is told when it writes a body: the facts of the draft and the person's words. */
export function emailWriterInput(facts: Record<string, string>, context: string): string {
  const lines = Object.entries(facts)
    .filter(([, value]) => value !== "")
    .map(([label, value]) => `${label}: ${value}`);
  return [...lines, `What to say: ${context}`].join("\n");
}

// ---------------------------------------------------------------------------------------------------------
// Actions

type ComposeArgs = z.infer<typeof composeNewEmail.args>;
type ReplyArgs = z.infer<typeof replyToEmail.args>;
type ForwardArgs = z.infer<typeof forwardEmail.args>;

/** compose_new_email: a new draft, visible in Mail, not sent. */
export async function draftNewEmail(args: ComposeArgs, ctx: MacContext, home = homedir()): Promise<string> {
  const recipients = addresses(args.recipients);
  const cc = addresses(args.cc, "cc");
  const attachments = await checkAttachments(args.attachments, ctx, home);
  const facts = { To: recipients.join(", "), Cc: cc.join(", "), Subject: args.subject };
  const body = await writeBody(ctx, "email-body", facts, args.context);
  await ctx.system.runScript(
    APP,
    composeEmailScript({ recipients, cc, subject: args.subject, body, attachments }),
    ctx.signal,
  );
  return draftObservation(recipients, cc, args.subject, attachments);
}

/** reply_to_email: a reply draft to the email selected in Mail, not sent. */
export async function draftReply(args: ReplyArgs, ctx: MacContext, home = homedir()): Promise<string> {
  const cc = addresses(args.cc, "cc");
  const attachments = await checkAttachments(args.attachments, ctx, home);
  const original = await selectedEmail(ctx, "reply to");
  const facts = { "Replying to": original.sender, Subject: original.subject, Cc: cc.join(", ") };
  const body = await writeBody(ctx, "reply-body", facts, args.context);
  const script = replyEmailScript({ messageId: original.id, cc, body, attachments });
  const draft = readDraft(await ctx.system.runScript(APP, script, ctx.signal), ctx);
  const to = draft.to === "" ? [original.sender] : draft.to.split(", ");
  return draftObservation(to, cc, draft.subject || `Re: ${original.subject}`, attachments);
}

/** forward_email: a draft forwarding the email selected in Mail, not sent. */
export async function draftForward(args: ForwardArgs, ctx: MacContext, home = homedir()): Promise<string> {
  const recipients = addresses(args.recipients);
  const cc = addresses(args.cc, "cc");
  const attachments = await checkAttachments(args.attachments, ctx, home);
  const original = await selectedEmail(ctx, "forward");
  const facts = {
    Forwarding: `the email from ${original.sender} with the subject "${original.subject}"`,
    To: recipients.join(", "),
    Cc: cc.join(", "),
  };
  const body = await writeBody(ctx, "email-body", facts, args.context);
  const script = forwardEmailScript({ messageId: original.id, recipients, cc, body, attachments });
  const draft = readDraft(await ctx.system.runScript(APP, script, ctx.signal), ctx);
  const observation = draftObservation(
    recipients,
    cc,
    draft.subject || `Fwd: ${original.subject}`,
    attachments,
  );
  if (draft.status !== "kept") return observation;
  return `${observation} Your note was not added, to keep the forwarded email's attachments: type it above the forwarded text. It read: "${body}"`;
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

/** Addresses as given, without the empty items a planner sometimes writes. */
/**
 * The email addresses of a recipient list, blanks dropped. Anything else (a name such as "Sid", a file path,
 * a meeting link) fails before Mail is touched: a draft to "Sid" would look made, and go nowhere or to
 * whoever Mail guesses. Calendar invitees and Zoom invitees are held to the same rule (checkInvitees).
 */
export function addresses(list: readonly string[], field = "recipients"): string[] {
  const kept = list.map((address) => address.trim()).filter((address) => address !== "");
  const invalid = kept.filter((address) => !isEmailAddress(address));
  if (invalid.length === 0) return kept;
  const listed = invalid.map((text) => `"${text}"`).join(", ");
  const verb = invalid.length === 1 ? "is not an email address" : "are not email addresses";
  throw new ToolError(
    "wrong-kind",
    `${listed} ${verb} (${field}). Look people up with get_email_address first, or write their address. No draft was made.`,
  );
}

/**
 * Full paths of the files to attach, each checked to be an existing file before Mail is touched, so a
 * wrong path fails with a clear message instead of a draft missing its attachment.
 */
export async function checkAttachments(
  paths: readonly string[],
  ctx: MacContext,
  home: string,
): Promise<string[]> {
  const wanted = paths.map((path) => path.trim()).filter((path) => path !== "");
  const relative = wanted.filter((path) => !expandPath(path, home).startsWith("/"));
  if (relative.length > 0) {
    throw new ToolError(
      "not-found",
      `Cannot attach ${relative.map((path) => `"${path}"`).join(", ")}: not a full path. Find the file first with open_and_get_file_path.`,
      { invocations: [...ctx.invocations] },
    );
  }
  const expanded = wanted.map((path) => expandPath(path, home));
  const kinds = await Promise.all(expanded.map((path) => fileKind(path, ctx)));
  const missing = expanded.filter((_, index) => kinds[index] === "missing");
  if (missing.length > 0) {
    throw new ToolError(
      "not-found",
      `Cannot attach ${missing.join(", ")}: no such file. Find it first with open_and_get_file_path.`,
      { invocations: [...ctx.invocations] },
    );
  }
  const folders = expanded.filter((_, index) => kinds[index] === "folder");
  if (folders.length > 0) {
    throw new ToolError(
      "failed",
      `Cannot attach ${folders.join(", ")}: it is a folder. Attach the files inside it, or compress the folder first.`,
      { invocations: [...ctx.invocations] },
    );
  }
  return expanded;
}

/**
 * The body: written from the person's words by the planner's model when it is one that can write (the
 * writer; none for TinyAgent-micro), else those words, tidied. A model that fails or writes nothing falls back to the person's words: the draft is reviewed
 * before sending anyway. No words, no body: the model is not asked to invent one.
 */
async function writeBody(
  ctx: MacContext,
  task: Parameters<TextWriter["write"]>[0],
  facts: Record<string, string>,
  context: string,
): Promise<string> {
  const words = tidyText(context);
  if (words === "" || !ctx.writer) return words;
  try {
    const written = tidyText(await ctx.writer.write(task, emailWriterInput(facts, words), ctx.signal));
    return written === "" ? words : written;
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return words;
  }
}

/** Unix line breaks, no trailing spaces, at most one blank line in a row, no blank edges. */
export function tidyText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/[ \t]+$/, ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

interface SelectedEmail {
  id: string;
  sender: string;
  subject: string;
}

/** The one email selected in Mail; with several selected, the person picks which. */
async function selectedEmail(ctx: MacContext, verb: string): Promise<SelectedEmail> {
  const output = await ctx.system.runScript(APP, selectedEmailsScript(), ctx.signal);
  const selected = parseSelectedEmails(output);
  if (selected.length === 0) {
    throw new ToolError(
      "no-selection",
      "No email is selected in Mail. Select the message in Mail, then try again.",
      {
        invocations: [...ctx.invocations],
      },
    );
  }
  if (selected.length === 1) return selected[0]!;
  const choice: Choice = {
    question: `${selected.length} emails are selected in Mail. Which one should I ${verb}?`,
    options: selected.map((email) => ({
      label: email.subject || "(no subject)",
      value: email.id,
      detail: email.sender,
    })),
  };
  const picked = await chooseOffered(ctx, choice);
  const email = selected.find((candidate) => candidate.id === picked);
  if (email) return email;
  const listed = selected.map((e) => `"${e.subject || "(no subject)"}" from ${e.sender}`).join("; ");
  throw new ToolError(
    "ambiguous",
    `${selected.length} emails are selected in Mail: ${listed}. Select only the one to ${verb}, then try again.`,
    { invocations: [...ctx.invocations] },
  );
}

/** Records of id, sender, subject; records that are not that shape (never expected) are left out. */
export function parseSelectedEmails(output: string): SelectedEmail[] {
  return parseRecords(output.replace(/\n$/, ""))
    .filter((fields) => fields.length === 3 && /^\d+$/.test(fields[0]!))
    .map(([id, sender, subject]) => ({ id: id!, sender: sender!, subject: subject! }));
}

/** The reply / forward script's answer: "changed" when the selection moved, else status, To, subject. */
function readDraft(output: string, ctx: MacContext): { status: string; to: string; subject: string } {
  const trimmed = output.replace(/\n$/, "");
  if (trimmed === "changed") {
    throw new ToolError(
      "no-selection",
      "The email selected in Mail changed before the draft was made. Select the message again, then try again.",
      { invocations: [...ctx.invocations] },
    );
  }
  const [status = "", to = "", ...subject] = parseRecords(trimmed)[0] ?? [];
  return { status, to, subject: subject.join(FIELD) };
}

function draftObservation(
  to: readonly string[],
  cc: readonly string[],
  subject: string,
  files: readonly string[],
): string {
  const toPart = to.length > 0 ? ` to ${to.join(", ")}` : "";
  const ccPart = cc.length > 0 ? `, cc ${cc.join(", ")}` : "";
  const subjectPart = subject === "" ? " with no subject" : ` with the subject "${subject}"`;
  const attached = files.length > 0 ? `, with ${files.map(basename).join(", ")} attached` : "";
  return `Opened a draft${toPart}${ccPart}${subjectPart}${attached}. It is not sent: review it in Mail, then send it.`;
}
