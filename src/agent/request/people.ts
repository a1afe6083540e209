import COMMON_WORDS from "./common-words.json";
import { channelOfNoun, channelOfVerb, type ContactDetail } from "./channels";

/**
 * The people a request may name, for TinyAgent-micro: its prompt lists them on a `people:` line and its
 * grammar holds contact look-ups to them (or "Me"). A model of a few million parameters copies the next
 * item of a short list far more reliably than it finds a name among the words of a sentence.
 *
 * A candidate is a run of name-like words. A word is name-like when it is a known role ("mom", "boss",
 * "plumber"), or it is not a common word (common-words.json: the synthetic generator's template words)
 * and either starts with a capital or follows a word that introduces people ("text", "email", "with",
 * "cc", "and", ...). Titles ("Dr.", "Aunt") join the name after them. Possessives are dropped ("Ravi's" →
 * "Ravi"). In order of appearance, each once (ignoring case).
 */

const COMMON = new Set<string>(COMMON_WORDS as string[]);

// Short forms and fillers typed into a launcher that the synthetic templates do not spell this way.
const EXTRA_COMMON = new Set(
  (
    "a an the i i'm im i'll ill i've can can't cant could would should will pls plz please thx thanks ty " +
    "u ur you your yours we us our they them their he him his she her hers it its this that these those " +
    "what what's whats who whom whose when where why how hey hi hello ok okay so um uh like yeah yes no " +
    "again also just too very really asap eod eow tmrw tmr tmw tonite tonight today tomorrow yesterday mon tue " +
    "tues wed thu thur thurs fri sat sun jan feb apr jul aug sep sept oct nov dec am pm " +
    "everyone everybody someone somebody all both each team group guys folks"
  ).split(" "),
);

/** Relations and roles people keep in Contacts: candidates in any case. */
const ROLES = new Set(
  (
    "mom mum mother dad father mama papa wife husband partner sister brother son daughter grandma grandpa " +
    "nana granny grandmother grandfather cousin boss manager landlord landlady plumber " +
    "accountant dentist doctor lawyer nanny roommate trainer teacher neighbor neighbour " +
    "assistant electrician mechanic therapist tutor babysitter colleague coworker cofounder co-founder " +
    "teammate supervisor treasurer"
  ).split(" "),
);

const TITLES = new Set(
  (
    "dr. dr prof. prof professor mr. mr ms. ms mrs. mrs aunt auntie uncle coach pastor nurse officer " +
    "sergeant sgt. sgt lieutenant lt. detective captain judge rabbi reverend rev."
  ).split(" "),
);

// Words after which a lower-case word is read as a name ("text sid", "cc marcus", "w/ priya").
const INTRODUCERS = new Set(
  (
    "to with w/ w text txt texr message msg imessage sms email emial mail e-mail tell ask ping let invite " +
    "cc bcc and & + for from of remind call meet meeting forward fw fwd send reply shoot update contact"
  ).split(" "),
);

// Words after a number that make it a time or a length: "text jake 10 min".
const UNITS = /^(?:min|mins|minutes?|hrs?|hours?|am|pm|secs?|seconds?)$/;

// Lower-case words inside a capitalized name: "Aoife van der Berg".
const PARTICLES = new Set("van von der den de da del di la le bin al".split(" "));

const OPENING = /^[("“‘'«[{<]+/u;
const CLOSING = /[)"”’'»\]}>,;:!?]+$/u;
const POSSESSIVE = /(?:['’]s|s['’])$/iu;
const NAME_WORD = /^\p{L}[\p{L}\p{M}'’.-]*$/u;

interface Word {
  /** The word as a name would be written: no surrounding punctuation, no possessive. */
  text: string;
  lower: string;
  capital: boolean;
  /** Punctuation after the word ends a run of names ("Sid, Lutfi"). */
  ends: boolean;
  /** A comma after the word: a list may go on. */
  comma: boolean;
  /** Written with a possessive ("ingrid's"): someone's. */
  owner: boolean;
}

function readWords(request: string): Word[] {
  return request
    .split(/\s+/)
    .filter((raw) => raw !== "")
    .map((raw) => {
      const opened = raw.replace(OPENING, "");
      const closed = opened.replace(CLOSING, "");
      const bare = closed.replace(POSSESSIVE, (ending) => (ending.startsWith("s") ? "s" : ""));
      const title = TITLES.has(bare.toLowerCase());
      // A title's own period ("Dr.") does not end the name; a sentence's does.
      const ends = closed !== opened || (!title && /[.]$/.test(closed)) || POSSESSIVE.test(closed);
      const text = title ? bare : bare.replace(/\.+$/, "");
      return {
        text,
        lower: text.toLowerCase(),
        capital: /^\p{Lu}/u.test(text),
        ends,
        comma: /,$/.test(raw),
        owner: POSSESSIVE.test(closed),
      };
    });
}

const isCommon = (lower: string) => COMMON.has(lower) || EXTRA_COMMON.has(lower);

/** Whether `word` names (part of) a person, given the run of name words before it. */
function isNameWord(
  word: Word,
  run: readonly Word[],
  introduced: boolean,
  next: Word | undefined,
  previous?: Word,
  afterNumber?: string,
): boolean {
  const last = run[run.length - 1];
  // "Aoife van der Berg": a particle inside a capitalized name.
  if (run.length > 0 && run[0]!.capital && PARTICLES.has(word.lower))
    return next !== undefined && (next.capital || PARTICLES.has(next.lower));
  if (!NAME_WORD.test(word.text)) return false;
  if (ROLES.has(word.lower)) return true;
  if (TITLES.has(word.lower)) return word.capital || (introduced && run.length === 0);
  // A capitalized word right after a verb that reaches someone is a name, even a common one: "text Grant".
  if (isCommon(word.lower))
    return word.capital && run.length === 0 && !previous?.ends && REACHES_NEXT.has(previous?.lower ?? "");
  // A run goes on in its own case: "tane beaumont", "Mei-Ling Chen", "dr. bence".
  const goesOn =
    last !== undefined && (!run[0]!.capital || TITLES.has(last.lower) || PARTICLES.has(last.lower));
  // "send chapter 4", "email invoice 5331": a numbered thing, not a lower-case name ("text jake 10 min").
  if (
    !word.capital &&
    !word.owner &&
    next !== undefined &&
    /^\d+$/.test(next.text) &&
    !afterNumber?.match(UNITS)
  )
    return false;
  return word.capital || word.owner || introduced || goesOn;
}

/** A name the request mentions, and whether it is someone the request sends to, meets or asks about. */
export interface PersonMention {
  name: string;
  /**
   * Introduced as a recipient or invitee ("text Sid", "email my boss Chidi", "with Aroha and Tane", "cc
   * Astrid", "to Moana"), or asked about ("Ravi's number"): a plan that looks anyone up should look this
   * person up. Names that are only talked about ("reply to Sarah's email", "forward the email from Imran",
   * "dinner at Zuni", "pick up Emma at 2") are not.
   */
  recipient: boolean;
  /**
   * For a recipient: which list of recipients it was named in, counting from 1. "email Sid, Lutfi and
   * Nadia" is one list, so one message; "email Zawadi and let Mustafa know by text" names two.
   */
  group?: number;
  /**
   * Asked about: the request wants this person's contact details ("Ravi's number", "the email of Dr.
   * Osei"), so a plan looks them up even when nothing is sent to them ("put Tariq's number in my notes").
   */
  asked?: true;
  /**
   * For a recipient: the contact detail the request reaches them by, when its words say ("text Sid" a
   * phone number, "email the deck to Lutfi" an address, "Ravi's number"); absent when they do not ("tell
   * Sid", "send Ana the deck").
   */
  detail?: ContactDetail;
  /**
   * Every channel the request reaches this person by, pronouns included: "text Mr. Greene, email him the
   * photo" reaches Mr. Greene by phone and by email. Absent when its words name none.
   */
  reaches?: ContactDetail[];
}

export function personCandidates(request: string): string[] {
  return personMentions(request).map((mention) => mention.name);
}

/** The request's people in order, each once (see personCandidates), with who is a recipient. */
export function personMentions(request: string): PersonMention[] {
  const words = readWords(request);
  const out: PersonMention[] = [];
  const seen = new Map<string, PersonMention>();
  // Every list a person is named in: "invite Greta and Ollie, text Ollie the address" reaches Ollie twice.
  const groupsOf = new Map<string, number[]>();
  const add = (name: string, group: number | undefined): PersonMention | undefined => {
    const key = name.toLowerCase();
    if (name === "") return undefined;
    const known = seen.get(key);
    if (group !== undefined) groupsOf.set(key, [...(groupsOf.get(key) ?? []), group]);
    if (known) {
      if (!known.recipient && group !== undefined) Object.assign(known, { recipient: true, group });
      return known;
    }
    const mention: PersonMention = { name, recipient: group !== undefined, ...(group ? { group } : {}) };
    seen.set(key, mention);
    out.push(mention);
    return mention;
  };
  let run: Word[] = [];
  let runStart = 0;
  // Whether a name just ended with a comma: the next word may be the next name of a list
  // ("joão, lukas and avery").
  let listing = false;
  // The last list of recipients, and whether the last name was on it: "and", "&", "+" and commas carry
  // it to the next name.
  let group = 0;
  let lastRecipient = false;
  const askedGroups = new Set<number>();
  const groupDetails = new Map<number, ContactDetail>();
  const groupSends = new Set<number>();
  // The detail asked for, person by person: "Ravi's number and Lutfi's email" is one list, two details.
  const askedDetails = new Map<string, ContactDetail | undefined>();
  let askedNow: ContactDetail | undefined | null = null;
  const groupAt = (start: number, end: number): number | undefined => {
    const how = recipientAt(words, start, lastRecipient);
    let found: number | undefined;
    if (how === "listed") found = group;
    // "the recipe pdf for grandma's pierogi": whose thing it is, not whom it is for.
    else if (how === "introduced" && forSomeonesThing(words, start, end)) found = undefined;
    else if (how === "introduced") {
      found = ++group;
      const detail = channelAt(words, start, end);
      if (detail) groupDetails.set(found, detail);
      // Sent to, not only met: "text Sid", "send Thea a calendar invite", not "a zoom w/ Arjun".
      if (detail && !MEETS.has(words[introducerAt(words, start)]?.lower ?? "")) groupSends.add(found);
    }
    // "Ravi's and Inês's numbers": one question, one list.
    else if (askedAbout(words, start, end)) {
      found = lastRecipient && LIST_WORDS.has(words[start - 1]?.lower ?? "") ? group : ++group;
      askedGroups.add(found);
      askedNow = askedDetail(words, end);
    }
    lastRecipient = found !== undefined;
    return found;
  };
  // The person named last, for a pronoun after a sending verb: "text Caspar, invite him".
  let lastNamed: PersonMention | undefined;
  const pronouns: { detail: ContactDetail; to: readonly PersonMention[] }[] = [];
  // A role just added, whose name may follow: "my boss Chidi" sends to Chidi, not to "boss".
  let role: { mention: PersonMention; next: number } | undefined;
  const flush = (end: number) => {
    // A title alone ("Dr.") names nobody, nor does a name that describes a thing ("the Kessler renewal").
    if (
      run.length > 0 &&
      !(run.length === 1 && TITLES.has(run[0]!.lower)) &&
      !describesAThing(words, runStart, end)
    ) {
      let found = groupAt(runStart, end);
      if (role && role.next === runStart && role.mention.recipient) {
        found = role.mention.group;
        role.mention.recipient = false;
        delete role.mention.group;
        lastRecipient = true;
      }
      const name = run.map((word) => word.text).join(" ");
      lastNamed = add(name, found) ?? lastNamed;
      if (askedNow !== null) askedDetails.set(name.toLowerCase(), askedNow);
      askedNow = null;
      listing = run[run.length - 1]!.comma;
    }
    run = [];
  };
  words.forEach((word, i) => {
    const back = pronounReach(words, i);
    // The person a pronoun stands for: the last one sent to, else the last one named ("Coach Rivera needs
    // the roster, email it to him"); not someone named in passing ("my sister … grandma's pierogi, text her").
    const meant = back && (out.findLast((mention) => mention.recipient) ?? lastNamed);
    if (back && meant)
      pronouns.push({
        detail: back,
        // "them" reaches the whole list the last person was named in.
        to:
          word.lower === "them" && meant.group !== undefined
            ? out.filter((mention) => mention.group === meant.group)
            : [meant],
      });
    // A lower-case run does not take a capitalized word ("invte Priya" is a typo, then a name).
    if (run.length > 0 && !run[0]!.capital && !TITLES.has(run[0]!.lower) && word.capital) flush(i);
    const previous = words[i - 1];
    const introduced =
      previous !== undefined &&
      (INTRODUCERS.has(previous.lower) || (listing && previous.comma)) &&
      !(previous.lower === "to" && !word.capital && infinitiveTo(words, i - 1));
    if (!isNameWord(word, run, introduced, words[i + 1], previous, words[i + 2]?.lower)) {
      flush(i);
      // An address in a list of recipients keeps the list going ("bob@x.com, valentina and bea").
      if (word.text.includes("@")) groupAt(i, i + 1);
      if (word.text.includes("@") && word.comma) listing = true;
      else if (!["and", "&", "+"].includes(word.lower)) listing = false;
      return;
    }
    // A role stands alone: "my boss Chidi" names two candidates, the role and the person. A capitalized one
    // before a name is part of it, as a title is: "Grandpa Joe", "Father Michael".
    const next = words[i + 1];
    const titled = word.capital && !word.ends && next !== undefined && next.capital && !isCommon(next.lower);
    if (ROLES.has(word.lower) && !titled && !(run.length === 1 && TITLES.has(run[0]!.lower))) {
      flush(i);
      const mention = add(word.text, groupAt(i, i + 1));
      lastNamed = mention ?? lastNamed;
      role = mention && !word.ends ? { mention, next: i + 1 } : undefined;
      return;
    }
    // "send Ana Sid's number", "text Kofi Lena's email": the owner is someone else than the recipient.
    if (word.owner && passedOn(words, runStart, run, i)) flush(i);
    if (run.length === 0) runStart = i;
    run.push(word);
    if (word.ends || run.length >= 4) flush(i + 1);
  });
  flush(words.length);
  // Someone only talked about, then sent to by a pronoun, is a recipient: "my supplier Hector needs our
  // tax id, email it to him".
  for (const { to } of pronouns)
    for (const mention of to)
      if (!mention.recipient && mention.name.toLowerCase() !== "me")
        Object.assign(mention, { recipient: true, group: ++group });
  for (const mention of out) {
    if (mention.group !== undefined && askedGroups.has(mention.group)) mention.asked = true;
    const key = mention.name.toLowerCase();
    const details = new Set(
      (groupsOf.get(key) ?? []).map((g) =>
        askedGroups.has(g) ? askedDetails.get(key) : groupDetails.get(g),
      ),
    );
    const [detail] = details;
    // Named once by one channel, or always by the same one; a pronoun may reach anyone again ("text
    // Mr. Greene, email him the photo").
    if (mention.recipient && details.size === 1 && detail && !BACK_REFERENCE.test(request))
      mention.detail = detail;
    // A role whose name followed ("my boss Chidi") passed its list on to the name.
    const reaches = new Set(
      (mention.recipient ? (groupsOf.get(key) ?? []) : []).flatMap((g) => {
        const by = askedGroups.has(g)
          ? askedDetails.get(key)
          : groupSends.has(g)
            ? groupDetails.get(g)
            : undefined;
        return by ? [by] : [];
      }),
    );
    for (const { detail: by, to } of pronouns) if (to.includes(mention)) reaches.add(by);
    if (reaches.size > 0) mention.reaches = [...reaches];
  }
  return out;
}

// Verbs whose next word is who they reach, whatever that word means elsewhere: "text Grant", "call Will".
const REACHES_NEXT = new Set("text txt sms message msg email e-mail mail cc bcc invite call".split(" "));

// Words that follow "her" as an object ("email her the photo"), not as a possessive ("her manager").
const AFTER_OBJECT = new Set(
  (
    "the a an my our your his this that these those to about and too back once when if at on in by with " +
    "for now later tomorrow tonight today asap so saying know"
  ).split(" "),
);

// Words that bring people to a meeting rather than send them anything: a Zoom call "with Arjun" may or
// may not invite him.
const MEETS = new Set(["with", "w/", "w", "meet", "meeting"]);

// Verbs that send to the person after them, by the channel they name ("text him", "email her the photo",
// "invite them"): not "call him", which asks for no message, nor "meet her".
const SENDS_TO = new Set(
  "text txt sms message msg imessage email e-mail mail cc forward fwd invite zoom".split(" "),
);

/**
 * The channel by which a pronoun at `index` ("him", "her", "them") is sent to: a sending verb up to
 * three words before it, in the same clause ("email it to him"), unless that is something to be reminded
 * of ("remind me to text her").
 */
function pronounReach(words: readonly Word[], index: number): ContactDetail | undefined {
  const pronoun = words[index]!;
  if (!/^(?:him|her|them)$/.test(pronoun.lower)) return undefined;
  // "cc her manager Priyanka" names her manager; "email her the photo", "text her that …" reach her.
  const next = words[index + 1];
  if (pronoun.lower === "her" && !pronoun.ends && next && !next.capital && !AFTER_OBJECT.has(next.lower))
    return undefined;
  for (let i = index - 1; i >= Math.max(0, index - 3); i--) {
    const word = words[i]!;
    if (word.ends || CLAUSE_WORDS.has(word.lower)) return undefined;
    if (!SENDS_TO.has(word.lower)) continue;
    const reminded = words.slice(Math.max(0, i - 4), i).some((w) => /^remind/.test(w.lower));
    return reminded ? undefined : channelOfVerb(word.lower);
  }
  return undefined;
}

/** Whether a street address starts at `index`: "3rd Ave", "500 Howard St"; not a time ("at 3 and"). */
function streetAt(words: readonly Word[], index: number): boolean {
  const number = words[index]?.text ?? "";
  const next = words[index + 1];
  if (/^\d+(?:st|nd|rd|th)$/i.test(number)) return true;
  return /^\d+$/.test(number) && !!next?.capital && !UNITS.test(next.lower) && !isCommon(next.lower);
}

/** Whether the name from `start` to `end`, after "for", owns the thing that follows: "for grandma's pierogi". */
function forSomeonesThing(words: readonly Word[], start: number, end: number): boolean {
  const last = words[end - 1];
  const after = words[end];
  return words[introducerAt(words, start)]?.lower === "for" && !!last?.owner && !!after && !after.capital;
}

// Words after a name that go on with the sentence rather than name a thing: "the Tanakas about", "… thanking".
const GOES_ON = new Set(
  "and or to about that for with from at on in by of if when so but who is are was were will".split(" "),
);

/**
 * Whether the capitalized run from `start` to `end`, after "the", is part of what names a thing: "the
 * Kessler renewal", "the Harbor Yacht Club race committee", "the PTA president". Not "the Tanakas
 * thanking them", "the Smiths about the party".
 */
function describesAThing(words: readonly Word[], start: number, end: number): boolean {
  const last = words[end - 1];
  const after = words[end];
  const first = words[start]!;
  if (!first.capital || !last) return false;
  // "text Grace Park", "Dr. Park": a person, whatever their name's last word means.
  const reached = REACHES_NEXT.has(words[start - 1]?.lower ?? "") || TITLES.has(first.lower);
  if (end - start > 1 && PLACES.has(last.lower) && !reached && !last.owner) return true;
  if (last.ends || last.owner || !after) return false;
  // "Trattoria Lucca on 3rd Ave": a place with its address.
  if (["on", "at", "in"].includes(after.lower) && streetAt(words, end + 1)) return true;
  // "the Engineering Library", "Cougar Fields": the name of a place.
  if (after.capital && PLACES.has(after.lower)) return true;
  if (words[start - 1]?.lower !== "the" || after.capital || GOES_ON.has(after.lower)) return false;
  return !/(?:ing|ed)$/.test(after.lower);
}

// Capitalized words that end the name of a place or an organization, not a person.
const PLACES = new Set(
  (
    "library field fields club park street st avenue ave road rd boulevard blvd lane drive center centre " +
    "hall school elementary university college hospital clinic cafe café restaurant bar grill gym studio " +
    "church theater theatre museum station airport hotel inn bank market store shop building tower bridge " +
    "square plaza mall bakery pharmacy stadium arena beach lake trail garden gardens zoo"
  ).split(" "),
);

// Verbs that send something to the person after them: "send Ana …", "text Kofi …".
const SENDING = new Set("send text txt message msg sms imessage email give forward share".split(" "));

/**
 * Whether the owner at `index` starts a name of its own after a run that names a recipient: "send Ana
 * Sid's number" passes Sid's number on to Ana. A full name with a possessive after a sending verb ("text
 * Ana Lopez's number") would be texting Ana Lopez her own number, which nobody asks.
 */
function passedOn(words: readonly Word[], runStart: number, run: readonly Word[], index: number): boolean {
  if (run.length === 0 || run.some((word) => TITLES.has(word.lower))) return false;
  if (!SENDING.has(words[runStart - 1]?.lower ?? "")) return false;
  // "text Ana Lopez's number to Bo": the recipient comes later.
  if (words.slice(index + 1, index + 5).some((word) => word.lower === "to")) return false;
  return ["number", "email", "phone", "cell", "mobile", "contact", "info", "details"].includes(
    looseDetail(words[index + 1]),
  );
}

// Words after which a name is someone the request sends to, meets or invites.
const RECIPIENT_INTRODUCERS = new Set(
  (
    "with w/ w text txt texr message msg imessage sms email emial mail e-mail tell ask ping let invite " +
    "cc bcc meet meeting forward fw fwd send shoot contact call to whatsapp wahtsapp hmu notify update " +
    "loop copy copying reach rech give"
  ).split(" "),
);

// Words a recipient may sit behind: "email my sister", "text the Tanakas".
const DETERMINERS = new Set("my our the his her their".split(" "));

// "to" leads to a place after these: "directions to the dentist", "navigate to Mom's".
const PLACE_WORDS = new Set(
  "directions direction navigate route way drive driving walk walking go get head take transit".split(" "),
);

/**
 * Whether the name starting at `index` is introduced as a recipient, or goes on the list of recipients
 * before it ("listed"); undefined when neither.
 */
function recipientAt(
  words: readonly Word[],
  index: number,
  lastRecipient: boolean,
): "introduced" | "listed" | undefined {
  // Someone's message or place ("forward namian's email", "to Mom's") is not whom it goes to.
  if (words[index]!.owner) return undefined;
  let before = index - 1;
  // "email my sister", "w/ the interns Aroha and Tane", "Minjun and my sister".
  const described = describedFrom(words, before);
  if (described >= 0) before = described - 1;
  const word = words[before];
  if (word === undefined) return undefined;
  // "Sid and Lutfi", "Sid, Lutfi", "my manager, Sigrid": the list goes on as it started.
  if (LIST_WORDS.has(word.lower) || word.comma) return lastRecipient ? "listed" : undefined;
  return introducedBy(words, before) ? "introduced" : undefined;
}

const LIST_WORDS = new Set(["and", "&", "+", "n"]);

/** Whether the word at `at` introduces a recipient after it. */
function introducedBy(words: readonly Word[], at: number): boolean {
  const word = words[at]!;
  // "an invite for Thandiwe", "the phone number of Joaquín".
  if (word.lower === "for" || word.lower === "of") return contactDetailBefore(words, at);
  // "find out from Reza", "holler at Siti"; not "the email from Imran" nor "dinner at Zuni".
  if (word.lower === "from") return words[at - 1]?.lower === "out";
  if (word.lower === "at") return words[at - 1]?.lower === "holler";
  if (!RECIPIENT_INTRODUCERS.has(word.lower)) return false;
  if (word.lower !== "to") return true;
  // "directions to Tartine" is a place, "need to redirect" a verb.
  const verb = words[at - 1]?.lower ?? "";
  if (PLACE_WORDS.has(verb) || VERBS_BEFORE_TO.has(verb)) return false;
  return words[at + 1]?.capital === true || !infinitiveTo(words, at);
}

/**
 * Whether the "to" at `at` starts a verb rather than a recipient: after whom or when the request already
 * said ("remind me friday to finish the agenda", "text Bruno and Tariq to come at 8am", "a reminder to
 * sign"). Only a lower-case word after it is read so: "send it to Rosa" still names Rosa.
 */
function infinitiveTo(words: readonly Word[], at: number): boolean {
  const before = words[at - 1];
  if (before === undefined) return false;
  if (INFINITIVE_AFTER.has(before.lower) || CLOCK.test(before.lower)) return true;
  // A name just before "to" is whom the request reaches: what follows is what they should do.
  return before.capital && at - 1 > 0 && !before.ends;
}

const CLOCK = /^\d{1,2}(?::\d\d)?(?:[ap]\.?m\.?)?$/;

// Words after which "to" starts a verb: the person, a reminder, a day or time.
const INFINITIVE_AFTER = new Set(
  (
    "me us him her them reminder reminders remind time how ready supposed today tonight tomorrow tmrw tmr " +
    "before after beforehand ahead early " +
    "morning afternoon evening night noon week weekend month later first asap am pm monday tuesday " +
    "wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun"
  ).split(" "),
);

/**
 * Where a description before a name starts ("the interns", "the whole group", "my"): a determiner and
 * at most two lower-case words that are not prepositions. -1 when there is none.
 */
function describedFrom(words: readonly Word[], last: number): number {
  for (let start = last; start >= Math.max(0, last - 2); start--) {
    const word = words[start]!;
    if (DETERMINERS.has(word.lower)) return start;
    if (!/^\p{Ll}+$/u.test(word.text) || word.ends || PREPOSITIONS.has(word.lower)) return -1;
    if (RECIPIENT_INTRODUCERS.has(word.lower)) return -1;
  }
  return -1;
}

const PREPOSITIONS = new Set("at in on of about from for by into onto near via".split(" "));

// "for Sid" is a recipient only after these: "a calendar invite for Thandiwe", "the email for Dr. Osei".
const FOR_NAMES = new Set(["invite", "invitation"]);

// "need to redircet": "to" before a verb.
const VERBS_BEFORE_TO = new Set(
  "need needs nded want wants like love going have has able try trying remember forget".split(" "),
);

/** The contact detail a word names, forgiving plurals and typos ("emial", "emaail", "nmbers"); "" if none. */
function looseDetail(word: Word | undefined): string {
  if (word === undefined) return "";
  const lower = word.lower.replace(/[^\p{L}-]/gu, "");
  if (FOR_NAMES.has(lower)) return "invite";
  if (/^e-?ma+i?l/.test(lower) || /^emia?l/.test(lower)) return "email";
  if (/^n(u)?mb(e)?r/.test(lower)) return "number";
  if (/^(phone|cell|mobile|contact|info|details)/.test(lower)) return lower.replace(/s$/, "");
  if (/^addr/.test(lower)) return "address";
  if (lower === "digits" || word.text === "#") return "number";
  return "";
}

/** Whether a contact detail ends just before `index`: "the number of", "the email address for". */
function contactDetailBefore(words: readonly Word[], index: number): boolean {
  const detail = looseDetail(words[index - 1]);
  // "the address of the Ferry Building" is a place's; "the email address for Agnieszka" a person's.
  if (detail === "address") return looseDetail(words[index - 2]) === "email";
  return detail !== "";
}

/** Where the word introducing the name at `index` is: before any description ("email my sister"). */
function introducerAt(words: readonly Word[], index: number): number {
  const described = describedFrom(words, index - 1);
  return described >= 0 ? described - 1 : index - 1;
}

// Words that reach someone named before: then nobody is held to one channel. A pronoun that is what is
// sent ("email them to Sandeep": the slides) reaches nobody.
const BACK_REFERENCE =
  /(?<![\p{L}\p{M}])(?:(?:him|her|them|they|both|each|everyone|everybody)(?!\s+to\b)|the same|the professor|the doctor|the coach|the teacher)(?![\p{L}\p{M}])/iu;

const ARTICLES = new Set(
  "a an the this that my his her their our your selected seleected last latest new current".split(" "),
);

// A word that ends the search for a channel around a name: another list or clause begins.
const CLAUSE_WORDS = new Set(["and", "&", "+", "then", "also", "plus"]);

/**
 * The channel by which the request reaches the person named from `start` to `end`: the verb that
 * introduces them ("text Sid"), else a channel named right after ("send Ana a text", "let Bo know by
 * email") or before in the same clause ("email the deck to Sid", "zoom call with Ana").
 */
function channelAt(words: readonly Word[], start: number, end: number): ContactDetail | undefined {
  const at = introducerAt(words, start);
  const verb = words[at] ? channelOfVerb(words[at]!.lower) : undefined;
  if (verb) return verb;
  // "the number for Sergeant Cole", "the email of Officer Diaz": the detail asked for is the channel.
  if (words[at]?.lower === "for" || words[at]?.lower === "of") {
    const asked = DETAIL_CHANNELS[looseDetail(words[at - 1])];
    if (asked) return asked;
  }
  const last = words[end - 1];
  const closed = last !== undefined && (last.comma || (last.ends && !last.owner));
  for (let i = end; i < Math.min(words.length, closed ? end : end + 4); i++) {
    const word = words[i]!;
    if (CLAUSE_WORDS.has(word.lower)) break;
    const noun = channelOfNoun(bareWord(word));
    if (noun) return noun;
    if (word.ends || word.comma) break;
  }
  // Before the name, a verb ("forward this message to Sid") counts before a noun.
  let noun: ContactDetail | undefined;
  for (let i = at - 1; i >= Math.max(0, at - 6); i--) {
    const word = words[i]!;
    if (CLAUSE_WORDS.has(word.lower) || word.ends || word.comma) break;
    const lower = bareWord(word);
    // "a zoom call with Ana" is a meeting, invited by email.
    if (lower === "call" && ["zoom", "video", "conference"].includes(words[i - 1]?.lower ?? "")) continue;
    // "this message", "a text": after an article the word is a noun.
    const article = ARTICLES.has(words[i - 1]?.lower ?? "");
    const verb = article ? undefined : channelOfVerb(lower);
    if (verb) return verb;
    noun ??= channelOfNoun(lower);
  }
  return noun;
}

/** The channel of each contact detail looseDetail names; "address", "contact", … name none. */
const DETAIL_CHANNELS: Partial<Record<string, ContactDetail>> = {
  number: "phone-number",
  phone: "phone-number",
  cell: "phone-number",
  mobile: "phone-number",
  email: "email-address",
};

const bareWord = (word: Word) => word.lower.replace(/[^\p{L}-]/gu, "");

/** The detail asked for after an owner: "Ravi's number" a phone number, "Sid's work email" an address. */
function askedDetail(words: readonly Word[], end: number): ContactDetail | undefined {
  const found = new Set<ContactDetail | "other">();
  for (let i = end; i < Math.min(words.length, end + 6); i++) {
    const detail = looseDetail(words[i]);
    if (detail === "") {
      // "Ravi's and Inês's numbers", "Sid's work email": on to the detail; after it, only "and" goes on.
      if (found.size > 0 && !LIST_WORDS.has(words[i]!.lower)) break;
      continue;
    }
    found.add(DETAIL_CHANNELS[detail] ?? "other");
    // "Thandiwe's phone and email": both; "Ravi's number and Lutfi's email": Ravi's is the number.
    if (!(LIST_WORDS.has(words[i + 1]?.lower ?? "") && looseDetail(words[i + 2]) !== "")) break;
  }
  const [only] = found;
  return found.size === 1 && only !== "other" ? only : undefined;
}

/** "Ravi's number", "Sid's and Lutfi's emails", "mei-ling's work email": contact details, asked about. */
function askedAbout(words: readonly Word[], start: number, end: number): boolean {
  if (!words[end - 1]?.owner) return false;
  let next = end;
  // "Ravi's and Inês's numbers": the details come after the last owner of the list.
  while (
    words[next] !== undefined &&
    (LIST_WORDS.has(words[next]!.lower) || words[next]!.owner) &&
    next < end + 4
  )
    next++;
  // "work email", "personal cell".
  const details = [words[next], words[next + 1]].some((word) => looseDetail(word) !== "");
  if (!details) return false;
  // "reply to Sarah's email", "forward namian's email": the person's message, not their address.
  const before = words.slice(Math.max(0, start - 3), start).map((word) => word.lower);
  return !before.some((word) => ["reply", "respond", "forward", "fw", "fwd", "from"].includes(word));
}
