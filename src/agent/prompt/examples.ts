import { parsePlan } from "../plan/parse";

/** A request with the plan a good planner writes for it: the in-context examples of the prompt. */
export interface PlanExample {
  question: string;
  plan: string;
}

/**
 * A small built-in set, one or two per tool, used until retrieved examples (Tool RAG) replace them. The
 * dates assume the request was made on Monday 2024-06-03.
 */
export const BUILT_IN_EXAMPLES: readonly PlanExample[] = [
  {
    question: "Email Sid and Lutfi the Q3 deck",
    plan: [
      '1. get_email_address("Sid")',
      '2. get_email_address("Lutfi")',
      '3. open_and_get_file_path("Q3 deck")',
      '4. compose_new_email(["$1", "$2"], [], "Q3 deck", "Sharing the Q3 deck", ["$3"])',
      "5. join()<END_OF_PLAN>",
    ].join("\n"),
  },
  {
    question: "Set up a zoom call with Maya tomorrow at 3pm about the budget and put it on my calendar",
    plan: [
      '1. get_email_address("Maya")',
      '2. get_zoom_meeting_link("Budget", "2024-06-04 15:00:00", 60, ["$1"])',
      '3. create_calendar_event("Budget", "2024-06-04 15:00:00", "2024-06-04 16:00:00", "", ["$1"], "$2", None)',
      "4. join()<END_OF_PLAN>",
    ].join("\n"),
  },
  {
    question: "text mom that I'm running 10 min late",
    plan: [
      '1. get_phone_number("Mom")',
      '2. send_sms(["$1"], "Running 10 minutes late")',
      "3. join()<END_OF_PLAN>",
    ].join("\n"),
  },
  {
    question: "Summarize the lease agreement pdf and email the summary to Jon",
    plan: [
      '1. open_and_get_file_path("lease agreement")',
      '2. summarize_pdf("$1")',
      '3. get_email_address("Jon")',
      '4. compose_new_email(["$3"], [], "Lease summary", "$2", [])',
      "5. join()<END_OF_PLAN>",
    ].join("\n"),
  },
  {
    question: "Reply to this email saying I'll be there, cc Priya",
    plan: [
      '1. get_email_address("Priya")',
      '2. reply_to_email(["$1"], "I will be there", [])',
      "3. join()<END_OF_PLAN>",
    ].join("\n"),
  },
  {
    question: "forward this to ana@example.com",
    plan: ['1. forward_email(["ana@example.com"], [], "", [])', "2. join()<END_OF_PLAN>"].join("\n"),
  },
  {
    question: "How do I walk from Union Square to the Ferry Building?",
    plan: ['1. maps_show_directions("Union Square", "Ferry Building", "w")', "2. join()<END_OF_PLAN>"].join(
      "\n",
    ),
  },
  {
    question: "show me Blue Bottle Coffee on the map",
    plan: ['1. maps_open_location("Blue Bottle Coffee")', "2. join()<END_OF_PLAN>"].join("\n"),
  },
  {
    question: "Make a note called Packing list with passport, charger and socks in my Travel folder",
    plan: [
      '1. create_note("Packing list", "passport, charger, socks", "Travel")',
      "2. join()<END_OF_PLAN>",
    ].join("\n"),
  },
  {
    question: "add oat milk to my groceries note",
    plan: ['1. append_note_content("Groceries", "oat milk", None)', "2. join()<END_OF_PLAN>"].join("\n"),
  },
  {
    question: "Open my meeting notes",
    plan: ['1. open_note("Meeting notes", None)', "2. join()<END_OF_PLAN>"].join("\n"),
  },
  {
    question: "remind me to pay rent ($1,200) on Friday, high priority",
    plan: [
      '1. create_reminder("Pay rent ($1,200)", "2024-06-07 09:00:00", "", "", 1, False)',
      "2. join()<END_OF_PLAN>",
    ].join("\n"),
  },
];

/** The tools an example's plan uses. */
export function exampleTools(example: PlanExample): string[] {
  return [...new Set(parsePlan(example.plan).plan.steps.map((step) => step.tool))];
}
