import {
  describeContactValue,
  contactQuery,
  findContactsScript,
  foldName,
  matchContacts,
  pickPerson,
  type ContactField,
  type ContactRecord,
  distinctValues,
  type LookedUp,
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

export async function lookUpContact(
  recorder: Recorder,
  name: string,
  field: ContactField,
): Promise<LookedUp> {
  const query = contactQuery(name);
  if (query === "") {
    throw new ToolError("failed", "No name was given to look up in Contacts. Say whose details to find.");
  }
  recorder.script(findContactsScript(query, field));
  const found = contactsFound(recorder.world, query, field);
  const person = await pickPerson(matchContacts(found, query), query, field, {
    choose: (choice) => recorder.choose(choice),
    fail: (code, message) => recorder.error(code, message),
  });
  return describeContactValue(person, await pickValue(recorder, person, field), field);
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
