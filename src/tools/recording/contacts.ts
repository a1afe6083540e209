import {
  contactQuery,
  findContactsScript,
  foldName,
  matchContacts,
  MAX_CANDIDATES,
  type ContactField,
  type ContactRecord,
  distinctValues,
} from "../macos/contacts";
import { ToolError } from "../tool-error";
import { fullName, type Contact, type FixtureWorld } from "./fixture-world";
import type { Recorder } from "./recorder";

/*
 * get_email_address / get_phone_number, as src/tools/macos/contacts.ts does them: one lookup script
 * (findContactsScript), then the same matching (matchContacts) over what Contacts would print.
 */

const WORDS = {
  email: { one: "email address", several: "email addresses" },
  phone: { one: "phone number", several: "phone numbers" },
} as const;

export async function lookUpContact(recorder: Recorder, name: string, field: ContactField): Promise<string> {
  const query = contactQuery(name);
  if (query === "") {
    throw new ToolError("failed", "No name was given to look up in Contacts. Say whose details to find.");
  }
  recorder.script(findContactsScript(query, field));
  const found = contactsFound(recorder.world, query, field);
  const person = await pickPerson(recorder, matchContacts(found, query), query, field);
  return pickValue(recorder, person, field);
}

/**
 * What the lookup script prints for the fixture: the people Contacts' own filter keeps (name or nickname
 * containing the query, or first or last name equal to it, ignoring case and diacriticals), with the
 * email addresses or phone numbers asked for.
 */
export function contactsFound(world: FixtureWorld, query: string, field: ContactField): ContactRecord[] {
  const wanted = foldName(query);
  return world.contacts
    .map((contact, i) => contactRecord(contact, i, field))
    .filter(
      (c) =>
        foldName(c.name).includes(wanted) ||
        (c.nickname !== "" && foldName(c.nickname).includes(wanted)) ||
        foldName(c.firstName) === wanted ||
        foldName(c.lastName) === wanted,
    );
}

function contactRecord(contact: Contact, index: number, field: ContactField): ContactRecord {
  return {
    id: contact.id ?? `fixture-person-${index + 1}:ABPerson`,
    name: fullName(contact),
    firstName: contact.firstName,
    lastName: contact.lastName,
    nickname: contact.nickname ?? "",
    values: field === "email" ? contact.emails : contact.phones,
  };
}

async function pickPerson(
  recorder: Recorder,
  matches: ContactRecord[],
  query: string,
  field: ContactField,
): Promise<ContactRecord> {
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw recorder.error(
      "not-found",
      `No contact named "${query}" in Contacts. Check the spelling, or use their email address or number.`,
    );
  }
  const names = matches.map((c) => c.name);
  if (matches.length > MAX_CANDIDATES) {
    throw recorder.error(
      "ambiguous",
      `${matches.length} contacts match "${query}", for example ${names.slice(0, 10).join(", ")}. Give more of the name.`,
    );
  }
  const chosen = await recorder.choose({
    question: `Several contacts match "${query}". Which one?`,
    options: matches.map((c) => ({
      label: c.name,
      value: c.id,
      detail: c.values[0]?.value ?? `no ${WORDS[field].one}`,
    })),
  });
  const person = matches.find((c) => c.id === chosen);
  if (!person) {
    throw recorder.error(
      "ambiguous",
      `Several contacts match "${query}": ${names.join(", ")}. Say which one you mean.`,
    );
  }
  return person;
}

async function pickValue(recorder: Recorder, person: ContactRecord, field: ContactField): Promise<string> {
  const words = WORDS[field];
  const values = distinctValues(person.values, field);
  if (values.length === 0) {
    throw recorder.error(
      "not-found",
      `${person.name} has no ${words.one} in Contacts. Add one in Contacts, then try again.`,
    );
  }
  if (values.length === 1) return values[0]!.value;
  const chosen = await recorder.choose({
    question: `${person.name} has several ${words.several}. Which one?`,
    options: values.map((v) => ({ label: v.value, value: v.value, ...(v.label ? { detail: v.label } : {}) })),
  });
  if (chosen === undefined) {
    const listed = values.map((v) => (v.label ? `${v.value} (${v.label})` : v.value)).join(", ");
    throw recorder.error(
      "ambiguous",
      `${person.name} has several ${words.several}: ${listed}. Say which one to use.`,
    );
  }
  return chosen;
}
