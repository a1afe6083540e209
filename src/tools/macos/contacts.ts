import type { z } from "zod";
import { chooseOffered, type ActionAnswer, type Choice } from "../backend";
import type * as tools from "../contacts";
import { ToolError } from "../tool-error";
import { appleScriptText } from "./applescript-text";
import type { MacContext } from "./mac-context";
import { parseRecords, SETTINGS } from "./osascript";

/** Which of a person's labelled values a lookup returns. */
export type ContactField = "email" | "phone";

export interface LabeledValue {
  /** As a person reads it: "work", "mobile", "iPhone"; empty when Contacts has none. */
  label: string;
  value: string;
}

/** One person as the lookup script reports them. */
export interface ContactRecord {
  id: string;
  /** Contacts' display name: "First Last", or the company for a company card. */
  name: string;
  firstName: string;
  lastName: string;
  nickname: string;
  values: LabeledValue[];
}

const WORDS = {
  email: { one: "email address", several: "email addresses", property: "emails" },
  phone: { one: "phone number", several: "phone numbers", property: "phones" },
} as const;

/** More candidates than this are not offered one by one: the person is asked for more of the name. */
export const MAX_CANDIDATES = 30;

/**
 * The name as it goes to Contacts: trimmed, runs of white space made one space. Leading or trailing space
 * would otherwise make `name contains` miss ("Sid " is not in "Sid Mehta").
 */
export function contactQuery(name: string): string {
  return name.replace(/\s+/gu, " ").trim();
}

/**
 * Finds every person whose display name or nickname contains `name`, or whose first or last name is
 * `name`, and prints one record per person: id, display name, first, last, nickname, then label and value
 * of each email (or phone). Contacts filters coarsely; which match wins is decided in TypeScript.
 * `ignoring case and diacriticals` asks Contacts to compare as a person would ("jose" finds "José").
 */
export function findContactsScript(name: string, field: ContactField): string {
  const property = WORDS[field].property;
  return `set wanted to ${appleScriptText(name)}
set fieldSeparator to character id 31
set recordSeparator to character id 30
set output to ""
tell application "Contacts"
  ignoring case and diacriticals
    set found to every person whose name contains wanted or nickname contains wanted or first name is wanted or last name is wanted
  end ignoring
  repeat with personRef in found
    set p to contents of personRef
    set output to output & my textOf(id of p) & fieldSeparator & my textOf(name of p) & fieldSeparator & my textOf(first name of p) & fieldSeparator & my textOf(last name of p) & fieldSeparator & my textOf(nickname of p)
    repeat with itemRef in ${property} of p
      set output to output & fieldSeparator & my textOf(label of itemRef) & fieldSeparator & my textOf(value of itemRef)
    end repeat
    set output to output & recordSeparator
  end repeat
end tell
return output

on textOf(theValue)
  if theValue is missing value then return ""
  return theValue as text
end textOf`;
}

/** Reads the lookup script's output (see findContactsScript). Malformed records are skipped. */
export function parseContactRecords(output: string): ContactRecord[] {
  const contacts: ContactRecord[] = [];
  for (const fields of parseRecords(output)) {
    const [id, name, firstName, lastName, nickname, ...pairs] = fields;
    if (id === undefined || nickname === undefined || name === undefined) continue;
    const values: LabeledValue[] = [];
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const value = pairs[i + 1]!.trim();
      if (value !== "") values.push({ label: cleanLabel(pairs[i]!), value });
    }
    contacts.push({ id, name, firstName: firstName ?? "", lastName: lastName ?? "", nickname, values });
  }
  return contacts;
}

/** Contacts stores its built-in labels as "_$!<Work>!$_"; custom labels ("iPhone", "Gym") come as typed. */
export function cleanLabel(label: string): string {
  const builtIn = /^_\$!<(.*)>!\$_$/u.exec(label)?.[1];
  if (builtIn === undefined) return label;
  const spelled: Record<string, string> = {
    HomeFAX: "home fax",
    WorkFAX: "work fax",
    OtherFAX: "other fax",
    HomePage: "home page",
  };
  return spelled[builtIn] ?? builtIn.toLowerCase();
}

/** Case, accent and spacing do not matter when comparing names ("jose" is "José"). */
export function foldName(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/gu, " ").trim();
}

/** The people a query means, and whether they only begin with it (then the person is asked). */
export interface ContactMatch {
  people: ContactRecord[];
  /** No name equals the query nor holds it as whole words: "Sid" for "Sidney Park". */
  partial: boolean;
}

/**
 * The people the query means, best kind of match first: a name equal to it (full name, first, last or
 * nickname); else a name holding it as whole words ("Ann" in "Mary Ann Smith"); else a name with a word
 * that begins with it ("Sid" in "Sidney Park"), which is only a guess, so the person is asked even when it
 * is the one candidate. A query inside a word ("Ana" in "Watanabe", "Tan" in "Stanley") matches nobody: it
 * would send to a stranger. An exact "Sid" beats "Sidney"; two exact Sids are both returned, to choose.
 */
export function matchContacts(contacts: readonly ContactRecord[], query: string): ContactMatch {
  const wanted = foldName(query);
  if (wanted === "") return { people: [], partial: false };
  const names = (c: ContactRecord) =>
    [
      c.name,
      c.firstName,
      c.lastName,
      c.nickname,
      `${c.firstName} ${c.lastName}`,
      `${c.lastName} ${c.firstName}`,
    ]
      .map(foldName)
      .filter((name) => name !== "");
  const tiers = [
    (name: string) => name === wanted,
    (name: string) => ` ${wordsOf(name)} `.includes(` ${wordsOf(wanted)} `),
    (name: string) => ` ${wordsOf(name)}`.includes(` ${wordsOf(wanted)}`),
  ];
  for (const [tier, fits] of tiers.entries()) {
    const people = contacts.filter((c) => names(c).some(fits));
    if (people.length > 0) return { people: withoutDuplicates(people), partial: tier === 2 };
  }
  return { people: [], partial: false };
}

/** A name as words: hyphens and apostrophes split it like spaces ("Mei-Ling" has the word "ling"). */
function wordsOf(name: string): string {
  return name
    .replace(/[-'’.]/gu, " ")
    .replace(/\s+/gu, " ")
    .trim();
}

/** How a backend asks the person and fails (the Mac's chooser, or the recording backend's). */
export interface PersonChoice {
  choose: (choice: Choice) => Promise<string | undefined>;
  fail: (code: "not-found" | "ambiguous", message: string) => Error;
}

/**
 * The one person a look-up means: the only whole match, or the one the person picks. Several matches, or
 * any partial one, are a question; without an answer the look-up fails naming the candidates, never
 * guessing.
 */
export async function pickPerson(
  match: ContactMatch,
  query: string,
  field: ContactField,
  how: PersonChoice,
): Promise<ContactRecord> {
  const { people, partial } = match;
  if (people.length === 1 && !partial) return people[0]!;
  if (people.length === 0) {
    const giveInstead = field === "email" ? "their email address" : "their phone number";
    throw how.fail(
      "not-found",
      `No contact named "${query}" in Contacts. Check the spelling, or give ${giveInstead}.`,
    );
  }
  if (people.length > MAX_CANDIDATES) {
    throw how.fail(
      "ambiguous",
      `${people.length} contacts match "${query}", for example ${listNames(people)}. Give more of the name.`,
    );
  }
  const question =
    people.length === 1
      ? `No contact is named "${query}". Did you mean ${people[0]!.name}?`
      : partial
        ? `No contact is named "${query}" exactly. Which one?`
        : `Several contacts match "${query}". Which one?`;
  const chosen = await how.choose({
    question,
    options: people.map((c) => ({
      label: c.name,
      value: c.id,
      detail: c.values[0]?.value ?? `no ${WORDS[field].one}`,
    })),
  });
  const person = people.find((c) => c.id === chosen);
  if (person) return person;
  if (people.length === 1)
    throw how.fail(
      "ambiguous",
      `No contact is named "${query}"; the closest is ${people[0]!.name}. Give the full name to use it.`,
    );
  throw how.fail(
    "ambiguous",
    `Several contacts match "${query}": ${listNames(people)}. Say which one you mean.`,
  );
}

/**
 * The same person can come back twice (cards linked from two accounts). Cards with the same name and the
 * same values are one answer, so the person is not asked to choose between identical entries.
 */
function withoutDuplicates(contacts: ContactRecord[]): ContactRecord[] {
  const seen = new Set<string>();
  return contacts.filter((c) => {
    const key = JSON.stringify([foldName(c.name), c.values.map((v) => v.value).sort()]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A value a look-up found, and whose it is (see describeContactValue). */
export type LookedUp = Exclude<ActionAnswer, string>;

/** get_email_address: the one email address of the person named, asking when there is a choice. */
export async function getEmailAddress(
  args: z.infer<typeof tools.getEmailAddress.args>,
  ctx: MacContext,
): Promise<LookedUp> {
  return lookUp(args.name, "email", ctx);
}

/** get_phone_number: the one phone number of the person named, asking when there is a choice. */
export async function getPhoneNumber(
  args: z.infer<typeof tools.getPhoneNumber.args>,
  ctx: MacContext,
): Promise<LookedUp> {
  return lookUp(args.name, "phone", ctx);
}

/**
 * Whose value a look-up found, as the confirmation of a later step shows it: the matched contact's full
 * name (not the words the plan looked up) and the value's label. "Sid Patel's mobile number, from
 * Contacts"; "Ana Lima's work email, from Contacts"; "Kenji Watanabe's phone number, from Contacts".
 */
export function describeContactValue(person: ContactRecord, value: string, field: ContactField): LookedUp {
  const label = distinctValues(person.values, field).find((v) => v.value === value)?.label ?? "";
  const what = label === "" ? WORDS[field].one : `${label} ${field === "phone" ? "number" : "email"}`;
  return { observation: value, about: `${person.name}'s ${what}, from Contacts` };
}

async function lookUp(name: string, field: ContactField, ctx: MacContext): Promise<LookedUp> {
  const query = contactQuery(name);
  if (query === "") {
    throw new ToolError("failed", "No name was given to look up in Contacts. Say whose details to find.");
  }
  const output = await runLookup(findContactsScript(query, field), ctx);
  const person = await pickPerson(matchContacts(parseContactRecords(output), query), query, field, {
    choose: (choice) => chooseOffered(ctx, choice),
    fail: (code, message) => new ToolError(code, message),
  });
  return describeContactValue(person, await pickValue(person, field, ctx), field);
}

/** Runs the lookup; a refusal to read contacts becomes a message naming the setting to change. */
async function runLookup(script: string, ctx: MacContext): Promise<string> {
  try {
    return await ctx.system.runScript("Contacts", script, ctx.signal);
  } catch (error) {
    throw contactsAccessError(error) ?? error;
  }
}

/**
 * Contacts can refuse in two ways: Automation consent for controlling the app is missing (-1743, already a
 * permission error naming Automation), or the app refuses its data ("Contacts got an error: Access not
 * allowed."), which is fixed in Privacy & Security › Contacts. Both messages mention both panes, since
 * macOS may ask for either.
 */
export function contactsAccessError(error: unknown): ToolError | undefined {
  if (!(error instanceof ToolError)) return undefined;
  const deniedData = /access not allowed|not allowed to access/iu.test(error.message);
  if (error.code !== "permission" && !deniedData) return undefined;
  if (error.code === "permission" && error.settings !== SETTINGS.automation) return undefined;
  const settings = deniedData ? SETTINGS.contacts : SETTINGS.automation;
  const other = deniedData ? SETTINGS.automation : SETTINGS.contacts;
  return new ToolError(
    "permission",
    `TinyAgent may not read your contacts. Allow Raycast (or your terminal) in System Settings › ${settings.name}, and check ${other.name} too, then try again.`,
    { invocations: error.invocations, cause: error, settings },
  );
}

function listNames(contacts: ContactRecord[]): string {
  const shown = contacts.slice(0, 10).map((c) => c.name);
  const more = contacts.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
}

async function pickValue(person: ContactRecord, field: ContactField, ctx: MacContext): Promise<string> {
  const words = WORDS[field];
  const values = distinctValues(person.values, field);
  if (values.length === 0) {
    throw new ToolError(
      "not-found",
      `${person.name} has no ${words.one} in Contacts. Add one in Contacts, or give the ${words.one} directly.`,
    );
  }
  if (values.length === 1) return values[0]!.value;
  const chosen = await chooseOffered(ctx, {
    question: `${person.name} has several ${words.several}. Which one?`,
    options: values.map((v) => ({ label: v.value, value: v.value, ...(v.label ? { detail: v.label } : {}) })),
  });
  if (chosen === undefined) {
    const listed = values.map((v) => (v.label ? `${v.value} (${v.label})` : v.value)).join(", ");
    throw new ToolError(
      "ambiguous",
      `${person.name} has several ${words.several}: ${listed}. Say which one to use.`,
    );
  }
  return chosen;
}

/**
 * A number saved twice with different formatting ("+1 415 555 0142", "+14155550142") or an address in
 * another case is one choice, not two; the first spelling and label are kept.
 */
export function distinctValues(values: LabeledValue[], field: ContactField): LabeledValue[] {
  const key = (v: LabeledValue) =>
    field === "phone" ? v.value.replace(/[^\d+]/gu, "") : v.value.toLowerCase();
  const seen = new Set<string>();
  return values.filter((v) => {
    if (seen.has(key(v))) return false;
    seen.add(key(v));
    return true;
  });
}
