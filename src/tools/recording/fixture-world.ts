/**
 * A small, made-up Mac: contacts, notes, files, calendars and lists that the recording backend answers
 * from, so dry runs and tests produce realistic observations. Each call of `createFixtureWorld` returns
 * a fresh copy that the run may change (a created note can be opened by a later step).
 *
 * The ids (contacts, notes, folders, the selected email) are what the Mac's apps would report for these
 * items, because the real scripts the recording backend shows name items by id: a dry run then shows the
 * very script that would run. Items added without an id (tests add some) get a made-up one when first
 * used; the order of `calendars` and `reminderLists` is the apps' own order, whose 1-based positions the
 * scripts use.
 */

export interface LabeledValue {
  label: string;
  value: string;
}

export interface Contact {
  /** Contacts' id for the person ("<UUID>:ABPerson"). */
  id?: string;
  firstName: string;
  lastName: string;
  nickname?: string;
  emails: LabeledValue[];
  phones: LabeledValue[];
}

export interface Note {
  /** Notes' id for the note ("x-coredata://<store>/ICNote/p<N>"). */
  id?: string;
  /** The title: the first line of the note. */
  name: string;
  folder: string;
  account: string;
  body: string;
}

export interface FixtureFile {
  path: string;
  /** Text of a PDF, for summaries. */
  text?: string;
  /** Permission bits as `stat` reports them; 0o644 (a document) unless given. */
  permissions?: number;
  /** What `stat` calls it without following links: "Regular File" unless given ("Symbolic Link"). */
  kind?: string;
}

export interface NoteFolder {
  /** Notes' id for the folder ("x-coredata://<store>/ICFolder/p<N>"). */
  id?: string;
  account: string;
  name: string;
}

export interface SelectedEmail {
  /** Mail's numeric id for the message. */
  id?: string;
  from: string;
  subject: string;
}

export interface CalendarEvent {
  title: string;
  start: string;
  end: string;
  calendar: string;
  location: string;
  invitees: string[];
  notes: string;
}

export interface Reminder {
  name: string;
  list: string;
  due: string | null;
  priority: number;
  allDay: boolean;
  notes: string;
}

export interface FixtureWorld {
  home: string;
  contacts: Contact[];
  notes: Note[];
  noteFolders: NoteFolder[];
  /** Notes' default account; its "Notes" folder is where notes go when no folder is named. */
  defaultNoteAccount?: string;
  files: FixtureFile[];
  selectedEmail: SelectedEmail | undefined;
  /** In Calendar's order. */
  calendars: { name: string; writable: boolean }[];
  /**
   * Where an event goes when no calendar is named: the first writable calendar, which is what the Mac
   * backend picks (Calendar's scripting has no default calendar).
   */
  defaultCalendar: string;
  /** In Reminders' order. */
  reminderLists: string[];
  /** Reminders' own default list, used when no list is named. */
  defaultReminderList: string;
  events: CalendarEvent[];
  reminders: Reminder[];
}

const HOME = "/Users/alex";
/** The Notes stores of the two accounts: iCloud, and On My Mac. */
const ICLOUD_NOTES = "x-coredata://6F1C2A3E-4B5D-4E6F-8A9B-0C1D2E3F4A5B";
const LOCAL_NOTES = "x-coredata://9A8B7C6D-5E4F-4A3B-8C1D-0E9F8A7B6C5D";

function personId(n: number): string {
  return `4B3F2E1D-0C9B-4A87-9654-${String(n).padStart(12, "0")}:ABPerson`;
}

export function createFixtureWorld(): FixtureWorld {
  return {
    home: HOME,
    contacts: [
      {
        id: personId(1),
        firstName: "Sid",
        lastName: "Mehta",
        emails: [{ label: "work", value: "sid.mehta@example.com" }],
        phones: [{ label: "mobile", value: "+1 (415) 555-0142" }],
      },
      {
        id: personId(2),
        firstName: "Lutfi",
        lastName: "Demir",
        emails: [{ label: "work", value: "lutfi.demir@example.com" }],
        phones: [
          { label: "mobile", value: "+1 (510) 555-0199" },
          { label: "work", value: "+1 (510) 555-0100" },
        ],
      },
      {
        id: personId(3),
        firstName: "Alex",
        lastName: "Chen",
        emails: [{ label: "work", value: "alex.chen@example.com" }],
        phones: [{ label: "mobile", value: "+1 (650) 555-0123" }],
      },
      {
        id: personId(4),
        firstName: "Alex",
        lastName: "Rivera",
        emails: [{ label: "home", value: "arivera@example.net" }],
        phones: [{ label: "mobile", value: "+34 612 555 019" }],
      },
      {
        id: personId(5),
        firstName: "Margaret",
        lastName: "O'Brien",
        nickname: "Maggie",
        emails: [
          { label: "work", value: "maggie.obrien@example.com" },
          { label: "home", value: "maggie@obrien.example.org" },
        ],
        phones: [{ label: "iPhone", value: "+353 85 555 0147" }],
      },
      {
        id: personId(6),
        firstName: "أميرة",
        lastName: "حداد",
        nickname: "Amira",
        emails: [{ label: "home", value: "amira.haddad@example.com" }],
        phones: [{ label: "mobile", value: "+971 50 555 0110" }],
      },
      {
        id: personId(7),
        firstName: "Kenji",
        lastName: "Watanabe",
        emails: [],
        phones: [{ label: "mobile", value: "+81 90 5555 0132" }],
      },
    ],
    noteFolders: [
      { id: `${ICLOUD_NOTES}/ICFolder/p1`, account: "iCloud", name: "Notes" },
      { id: `${ICLOUD_NOTES}/ICFolder/p2`, account: "iCloud", name: "Recipes" },
      { id: `${LOCAL_NOTES}/ICFolder/p3`, account: "On My Mac", name: "Work" },
    ],
    defaultNoteAccount: "iCloud",
    notes: [
      {
        id: `${ICLOUD_NOTES}/ICNote/p10`,
        name: "Groceries",
        folder: "Notes",
        account: "iCloud",
        body: "milk\neggs\ncoffee beans",
      },
      {
        id: `${ICLOUD_NOTES}/ICNote/p11`,
        name: "Shakshuka",
        folder: "Recipes",
        account: "iCloud",
        body: "eggs, tomatoes, cumin",
      },
      {
        id: `${LOCAL_NOTES}/ICNote/p12`,
        name: "Meeting notes",
        folder: "Work",
        account: "On My Mac",
        body: "Q3 review: ship the planner.",
      },
      {
        id: `${LOCAL_NOTES}/ICNote/p13`,
        name: "Meeting notes (old)",
        folder: "Work",
        account: "On My Mac",
        body: "Q2 review.",
      },
    ],
    files: [
      {
        path: `${HOME}/Documents/Q3 Deck.pdf`,
        text:
          "Q3 results. Revenue grew 18 percent quarter over quarter. The on-device planner shipped to beta users. " +
          "Next quarter we focus on latency and the Raycast extension.",
      },
      {
        path: `${HOME}/Documents/Project Report.pdf`,
        text: "Project report. The prototype runs fully offline. Tool selection cut prompt size in half.",
      },
      {
        path: `${HOME}/Downloads/Project Report (1).pdf`,
        text: "Draft of the project report. Sections two and three are unfinished.",
      },
      { path: `${HOME}/Desktop/receipt.png` },
      { path: `${HOME}/Documents/Lease "final" v2.pdf`, text: "Lease agreement. Rent is $1,200 per month." },
    ],
    selectedEmail: { id: "41872", from: "sid.mehta@example.com", subject: "Q3 planning" },
    calendars: [
      { name: "Home", writable: true },
      { name: "Work", writable: true },
      { name: "Holidays", writable: false },
    ],
    defaultCalendar: "Home",
    reminderLists: ["Reminders", "Groceries", "Work"],
    defaultReminderList: "Reminders",
    events: [],
    reminders: [],
  };
}

export function fullName(contact: Contact): string {
  return `${contact.firstName} ${contact.lastName}`.trim();
}
