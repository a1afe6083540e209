import type { NormalizeContext } from "../plan/normalize";
import type { GrammarOptions } from "../plan/grammar";
import { contactDetails, type ContactDetail } from "./channels";
import { requestDates } from "./dates";
import { personMentions, type PersonMention } from "./people";
import { requestAddresses } from "./spans";
import { oneEditApart, wordsOf } from "./typos";

/*
 * What a request allows a planner that copies from it (TinyAgent-micro) to write: the people it may look
 * up, who it sends to, the dates it means and the words it may copy. Everything here is read from the
 * request alone; the plan grammar (plan/grammar.ts) turns it into rules, and the decoding rules
 * (./rules/) check what a grammar cannot.
 */

/**
 * Everything a grammar holds to the request when a planner copies by construction: spans for names,
 * places, notes and files; the people it names for contact look-ups; with the request time, the dates it
 * can mean for date arguments.
 */
export function copiedFrom(request: string, context?: NormalizeContext): GrammarOptions {
  const mentions = personMentions(request);
  const recipients = mentions.filter((mention) => mention.recipient && mention.name.toLowerCase() !== "me");
  const people = lookupNames(request, mentions, recipients);
  const byDetail = peopleByDetail(people, mentions);
  return {
    request,
    people,
    ...(byDetail ? { peopleByDetail: byDetail } : {}),
    recipients: inGroups(recipients),
    askedAbout: recipients.filter((mention) => mention.asked).map((mention) => mention.name),
    ...reachesOf(mentions),
    wording: true,
    contactDetails:
      writesOutOnly(request, people) || reachesNobody(request, recipients)
        ? []
        : reachable(contactDetails(request), byDetail),
    ...(context ? datesOf(request, context) : {}),
  };
}

/** Who the request reaches by which channels (PersonMention.reaches), when it names any. */
function reachesOf(mentions: readonly PersonMention[]): Pick<GrammarOptions, "reaches"> {
  const reached = mentions.filter((mention) => mention.reaches !== undefined);
  if (reached.length === 0) return {};
  return { reaches: Object.fromEntries(reached.map((mention) => [mention.name, mention.reaches!])) };
}

/**
 * Whether the request writes out every address or number it sends to, naming nobody to look up: "email the
 * roster to u10parents@lists.riverfc.org". Then no contact look-up is needed, and none is offered: else a
 * look-up would copy any span ("Friday").
 */
function writesOutOnly(request: string, people: readonly string[]): boolean {
  return people.length === 0 && requestAddresses(request).length > 0;
}

/**
 * Whether the request reaches nobody: no recipient, and no word (nor a one-letter typo of one) that
 * sends, asks for contact details or brings someone along. "put the half marathon on april 27 at 7am in
 * my calendar, its at Golden Gate Park" needs no look-up; offering one, a small model looks up "Park". On
 * the dev sets no plan for such a request looks anyone up; of the 664 such requests among 3,000 synthetic
 * ones (with those that write out every address), 8 do: lower-case names beside a written address, and
 * typos of two letters ("mesae lutfi").
 */
function reachesNobody(request: string, recipients: readonly PersonMention[]): boolean {
  if (recipients.length > 0) return false;
  return !wordsOf(request).some(
    (word) => CONTACT_WORDS.has(word) || LONG_CONTACT_WORDS.some((long) => oneEditApart(word, long)),
  );
}

const CONTACT_WORDS = new Set(
  (
    "text txt sms email e-mail emial mail invite invitation send share forward fwd cc bcc call ring tell let " +
    "know number numbers address addresses contact contacts phone cell mobile zoom reply respond message msg " +
    "ping with w/ meet copy loop inform notify reach drop line whatsapp imessage facetime dm"
  ).split(" "),
);
// Typos are matched for the longer words, and "text" and "mail": one letter off a short word is often
// another word ("room", "zoom"; "all", "call").
const LONG_CONTACT_WORDS = [...CONTACT_WORDS].filter((word) => word.length >= 5).concat("text", "mail");

/** The request's contact details less those nobody may be looked up for; all of them if that is none. */
function reachable(
  details: readonly ContactDetail[],
  byDetail: GrammarOptions["peopleByDetail"],
): ContactDetail[] {
  const kept = details.filter((detail) => byDetail?.[detail]?.length !== 0);
  return kept.length > 0 ? kept : [...details];
}

/**
 * For each contact detail, the people a look-up of it may name: everyone but those the request reaches
 * by the other channel only ("email Sid the deck and text Ana": Ana's address and Sid's number are no
 * choice). Undefined when the request holds nobody to one channel.
 */
function peopleByDetail(
  people: readonly string[],
  mentions: readonly PersonMention[],
): GrammarOptions["peopleByDetail"] {
  const only = new Map(
    mentions.flatMap((m) => (m.detail ? [[m.name.toLowerCase(), m.detail] as const] : [])),
  );
  if (only.size === 0) return undefined;
  const allowed = (detail: ContactDetail) =>
    people.filter((person) => (only.get(person.toLowerCase()) ?? detail) === detail);
  return { "phone-number": allowed("phone-number"), "email-address": allowed("email-address") };
}

/** The dates line and the dates by role, from one reading of the request's dates. */
function datesOf(
  request: string,
  context: NormalizeContext,
): Pick<GrammarOptions, "dates" | "dateArguments"> {
  const { choices, arguments: byRole } = requestDates(request, context.now, context.timeZone);
  return { dates: choices, dateArguments: byRole };
}

/** Recipients' names, list by list, in the order the request names them. */
function inGroups(recipients: readonly PersonMention[]): string[][] {
  const groups = new Map<number, string[]>();
  for (const { name, group = 0 } of recipients) groups.set(group, [...(groups.get(group) ?? []), name]);
  return [...groups.values()];
}

/**
 * Whom a contact look-up may name. When the request says whom it sends to, only them: a place or a role
 * beside a name ("dinner at Zuni", "my boss Chidi") is then no choice; else everyone it mentions. The
 * person's own card ("Me") only when the request speaks of them: "text me", "email myself", or, with no
 * recipients named, "my number".
 */
function lookupNames(
  request: string,
  mentions: readonly PersonMention[],
  recipients: readonly PersonMention[],
): string[] {
  const toSelf = mentions.some((mention) => mention.recipient && mention.name.toLowerCase() === "me");
  if (recipients.length > 0 || toSelf) {
    const names = recipients.map((mention) => mention.name);
    return toSelf || SELF_OBJECT.test(request.replace(NOT_TO_SELF, " ")) ? [...names, "Me"] : names;
  }
  // "remind me", "show me": no look-up of the person's own card.
  const ownCard = SELF_OBJECT.test(request.replace(NOT_TO_SELF, " "));
  const people = mentions
    .map((mention) => mention.name)
    .filter((name) => name.toLowerCase() !== "me" || ownCard);
  const listed = people.some((person) => person.toLowerCase() === "me");
  if (people.length > 0 && !listed && SELF.test(request)) people.push("Me");
  // "email jordan.lee@gmail.com the schedule and copy myself": the person's own address, beside those written.
  if (people.length === 0 && ownCard && requestAddresses(request).length > 0) people.push("Me");
  return people;
}

// "me", "myself" or the person's own details ("text Sid my new number"); not any "my": "forward this to
// Inés and put it on my calendar" is not to self.
const SELF_OBJECT =
  /(?<![\p{L}\p{M}])(?:me|myself|my (?:(?:new|own|work|personal|home) )?(?:number|phone|cell|email|e-mail|address|contact|details))(?![\p{L}\p{M}])/iu;
// "remind me", "show me": the person is asked for nothing of their own card.
const NOT_TO_SELF =
  /(?<![\p{L}\p{M}])(?:remind|show|give|get|let|help|find|tell|call|ping) me(?![\p{L}\p{M}])/giu;
const SELF = /(?<![\p{L}\p{M}])(?:me|my|myself|mine)(?![\p{L}\p{M}])/iu;
