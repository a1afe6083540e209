/**
 * A small, made-up Mac: contacts, notes, files, calendars and lists that the recording backend answers
 * from, so dry runs and tests produce realistic observations. Each call of `createFixtureWorld` returns
 * a fresh copy that the run may change (a created note can be opened by a later step).
 */

export interface LabeledValue {
  label: string;
  value: string;
}

export interface Contact {
  firstName: string;
  lastName: string;
  nickname?: string;
  emails: LabeledValue[];
  phones: LabeledValue[];
}

export interface Note {
  name: string;
  folder: string;
  account: string;
  body: string;
}

export interface FixtureFile {
  path: string;
  /** Text of a PDF, for summaries. */
  text?: string;
}

export interface SelectedEmail {
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
  noteFolders: { account: string; name: string }[];
  files: FixtureFile[];
  selectedEmail: SelectedEmail | undefined;
  calendars: { name: string; writable: boolean }[];
  defaultCalendar: string;
  reminderLists: string[];
  defaultReminderList: string;
  events: CalendarEvent[];
  reminders: Reminder[];
}

const HOME = "/Users/alex";

export function createFixtureWorld(): FixtureWorld {
  return {
    home: HOME,
    contacts: [
      {
        firstName: "Sid",
        lastName: "Mehta",
        emails: [{ label: "work", value: "sid.mehta@example.com" }],
        phones: [{ label: "mobile", value: "+1 (415) 555-0142" }],
      },
      {
        firstName: "Lutfi",
        lastName: "Demir",
        emails: [{ label: "work", value: "lutfi.demir@example.com" }],
        phones: [
          { label: "mobile", value: "+1 (510) 555-0199" },
          { label: "work", value: "+1 (510) 555-0100" },
        ],
      },
      {
        firstName: "Alex",
        lastName: "Chen",
        emails: [{ label: "work", value: "alex.chen@example.com" }],
        phones: [{ label: "mobile", value: "+1 (650) 555-0123" }],
      },
      {
        firstName: "Alex",
        lastName: "Rivera",
        emails: [{ label: "home", value: "arivera@example.net" }],
        phones: [{ label: "mobile", value: "+34 612 555 019" }],
      },
      {
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
        firstName: "أميرة",
        lastName: "حداد",
        nickname: "Amira",
        emails: [{ label: "home", value: "amira.haddad@example.com" }],
        phones: [{ label: "mobile", value: "+971 50 555 0110" }],
      },
      {
        firstName: "Kenji",
        lastName: "Watanabe",
        emails: [],
        phones: [{ label: "mobile", value: "+81 90 5555 0132" }],
      },
    ],
    noteFolders: [
      { account: "iCloud", name: "Notes" },
      { account: "iCloud", name: "Recipes" },
      { account: "On My Mac", name: "Work" },
    ],
    notes: [
      { name: "Groceries", folder: "Notes", account: "iCloud", body: "milk\neggs\ncoffee beans" },
      { name: "Shakshuka", folder: "Recipes", account: "iCloud", body: "eggs, tomatoes, cumin" },
      { name: "Meeting notes", folder: "Work", account: "On My Mac", body: "Q3 review: ship the planner." },
      { name: "Meeting notes (old)", folder: "Work", account: "On My Mac", body: "Q2 review." },
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
    selectedEmail: { from: "sid.mehta@example.com", subject: "Q3 planning" },
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
