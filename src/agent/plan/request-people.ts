import COMMON_WORDS from "./common-words.json";

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
    "again also just too very really asap eod eow tmrw tmr tmw tonite tonight today tomorrow mon tue " +
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
    "assistant electrician mechanic therapist tutor babysitter"
  ).split(" "),
);

const TITLES = new Set(
  "dr. dr prof. prof professor mr. mr ms. ms mrs. mrs aunt auntie uncle coach pastor".split(" "),
);

// Words after which a lower-case word is read as a name ("text sid", "cc marcus", "w/ priya").
const INTRODUCERS = new Set(
  (
    "to with w/ w text txt texr message msg imessage sms email emial mail e-mail tell ask ping let invite " +
    "cc bcc and & + for from of remind call meet meeting forward fw fwd send reply shoot update contact"
  ).split(" "),
);

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
function isNameWord(word: Word, run: readonly Word[], introduced: boolean, next: Word | undefined): boolean {
  const last = run[run.length - 1];
  // "Aoife van der Berg": a particle inside a capitalized name.
  if (run.length > 0 && run[0]!.capital && PARTICLES.has(word.lower))
    return next !== undefined && (next.capital || PARTICLES.has(next.lower));
  if (!NAME_WORD.test(word.text)) return false;
  if (ROLES.has(word.lower)) return true;
  if (TITLES.has(word.lower)) return word.capital || (introduced && run.length === 0);
  if (isCommon(word.lower)) return false;
  // A run goes on in its own case: "tane beaumont", "Mei-Ling Chen", "dr. bence".
  const goesOn =
    last !== undefined && (!run[0]!.capital || TITLES.has(last.lower) || PARTICLES.has(last.lower));
  return word.capital || word.owner || introduced || goesOn;
}

export function personCandidates(request: string): string[] {
  const words = readWords(request);
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (name: string) => {
    const key = name.toLowerCase();
    if (name === "" || seen.has(key)) return;
    seen.add(key);
    out.push(name);
  };
  let run: Word[] = [];
  // Whether a name just ended with a comma: the next word may be the next name of a list
  // ("joão, lukas and avery").
  let listing = false;
  const flush = () => {
    // A title alone ("Dr.") names nobody.
    if (run.length > 0 && !(run.length === 1 && TITLES.has(run[0]!.lower))) {
      add(run.map((word) => word.text).join(" "));
      listing = run[run.length - 1]!.comma;
    }
    run = [];
  };
  words.forEach((word, i) => {
    // A lower-case run does not take a capitalized word ("invte Priya" is a typo, then a name).
    if (run.length > 0 && !run[0]!.capital && !TITLES.has(run[0]!.lower) && word.capital) flush();
    const previous = words[i - 1];
    const introduced =
      previous !== undefined && (INTRODUCERS.has(previous.lower) || (listing && previous.comma));
    if (!isNameWord(word, run, introduced, words[i + 1])) {
      flush();
      // An address in a list of recipients keeps the list going ("bob@x.com, valentina and bea").
      if (word.text.includes("@") && word.comma) listing = true;
      else if (!["and", "&", "+"].includes(word.lower)) listing = false;
      return;
    }
    // A role stands alone: "my boss Chidi" names two candidates, the role and the person.
    if (ROLES.has(word.lower) && !(run.length === 1 && TITLES.has(run[0]!.lower))) {
      flush();
      add(word.text);
      return;
    }
    run.push(word);
    if (word.ends || run.length >= 4) flush();
  });
  flush();
  return out;
}
