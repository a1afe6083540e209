import { toolParams, type AnyTool } from "../../tools/tool";
import { END_OF_PLAN } from "../plan/plan";
import { BUILT_IN_EXAMPLES, exampleTools, type PlanExample } from "./examples";

export interface PromptOptions {
  /** The selected tools, in registry order. */
  tools: readonly AnyTool[];
  request: string;
  /** When the request is made; the prompt states it so relative dates resolve. */
  now: Date;
  /** IANA time zone of the person, e.g. "Europe/Paris". */
  timeZone: string;
  /** The person's own instructions, added after the rules. */
  customInstructions?: string;
  /** In-context examples; by default the built-in ones that use only selected tools. */
  examples?: readonly PlanExample[];
  /** How many examples at most. */
  maxExamples?: number;
}

/** The two parts of a planner prompt, before a model's template wraps them. */
export interface PlannerPrompt {
  system: string;
  user: string;
}

/**
 * The prompt layout the fine-tuned TinyAgent models were trained on (DESIGN §5), for the selected tools
 * only: the actions, join, guidelines, rules with today's date, rules for the tools present, the person's
 * instructions, then examples. The question goes in the user part.
 */
export function buildPrompt(options: PromptOptions): PlannerPrompt {
  if (options.tools.length === 0) throw new Error("a planner prompt needs at least one tool");
  const sections = [
    actionsSection(options.tools),
    GUIDELINES,
    rulesSection(options.now, options.timeZone),
    toolRulesSection(options.tools),
    customSection(options.customInstructions),
    examplesSection(selectExamples(options)),
  ].filter((section) => section !== "");
  return { system: sections.join("\n\n"), user: `Question: ${options.request.trim()}` };
}

function actionsSection(tools: readonly AnyTool[]): string {
  const count = tools.length + 1;
  const opening = `Write a plan that answers the question with as many actions running in parallel as possible. Every step of the plan is one action of the following ${count} types:`;
  const blocks = tools.map((tool, i) => toolBlock(tool, i + 1));
  blocks.push(
    [
      `${count}. join()`,
      " - Marks the end of the plan; it runs nothing.",
      ` - Always the last action, written right after the last call and followed by ${END_OF_PLAN}.`,
    ].join("\n"),
  );
  return [opening, ...blocks].join("\n\n");
}

/** A tool's signature and bullets, all derived from its schema. */
export function toolBlock(tool: AnyTool, number: number): string {
  const params = toolParams(tool);
  const signature = `${number}. ${tool.name}(${params.map((p) => `${p.name}: ${p.type}`).join(", ")}) -> str`;
  const bullets = [` - ${tool.description}`, ...params.map((p) => ` - ${p.name}: ${p.description}`)];
  return [signature, ...bullets].join("\n");
}

const GUIDELINES = [
  "Guidelines:",
  " - Each action above lists the types of its arguments; follow them strictly.",
  " - Number the actions with unique IDs that increase by one: 1, 2, 3.",
  ' - To use what an earlier action returned, write its ID with a dollar sign as the argument, such as "$1".',
  ` - End the plan with join() followed immediately by ${END_OF_PLAN}.`,
  " - Write only the plan, with no comments or explanations.",
  " - Use only the actions listed above; never invent new ones.",
].join("\n");

function rulesSection(now: Date, timeZone: string): string {
  return [
    "Rules:",
    ' - Start the plan with "1."',
    ` - Today's date is ${formatToday(now, timeZone)}.`,
    " - A meeting lasts 60 minutes unless the question says otherwise.",
    " - Write arguments by position, never by name.",
    ' - Fill in every argument; use "", [] or None for one that does not apply.',
    ' - Write dates as "YYYY-MM-DD HH:MM:SS".',
    ' - Refer to an earlier result only as a whole argument, such as "$2".',
    " - join() comes once, at the very end.",
  ].join("\n");
}

/** "Monday 2024-06-03 14:05" in the person's time zone, computed for each request. */
export function formatToday(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "long",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("weekday")} ${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}`;
}

/** Rules that only make sense when the tools they talk about are in the prompt. */
function toolRulesSection(tools: readonly AnyTool[]): string {
  const has = (name: string) => tools.some((tool) => tool.name === name);
  const rules: string[] = [];
  const needsAddresses = [
    "compose_new_email",
    "reply_to_email",
    "forward_email",
    "create_calendar_event",
    "get_zoom_meeting_link",
  ];
  if (has("get_email_address") && needsAddresses.some(has)) {
    rules.push(
      " - Look up email addresses with get_email_address before emailing or inviting someone, unless the question gives the address.",
    );
  }
  if (has("get_phone_number") && has("send_sms")) {
    rules.push(
      " - Look up phone numbers with get_phone_number before texting someone, unless the question gives the number.",
    );
  }
  if (has("get_zoom_meeting_link")) {
    rules.push(
      " - Create Zoom links only with get_zoom_meeting_link; share one by passing its $ID to an event's notes or an email's context.",
    );
  }
  if (has("summarize_pdf") && has("open_and_get_file_path")) {
    rules.push(" - summarize_pdf needs the path that open_and_get_file_path returns.");
  }
  if (has("append_note_content")) rules.push(" - append_note_content does not need open_note first.");
  if (has("maps_show_directions"))
    rules.push(" - maps_show_directions does not need maps_open_location first.");
  return rules.length === 0 ? "" : ["Rules for these actions:", ...rules].join("\n");
}

function customSection(instructions: string | undefined): string {
  const text = instructions?.trim();
  return text ? `Instructions from the person:\n${text}` : "";
}

function selectExamples(options: PromptOptions): PlanExample[] {
  const selected = new Set(options.tools.map((tool) => tool.name));
  const pool =
    options.examples ??
    BUILT_IN_EXAMPLES.filter((example) => exampleTools(example).every((t) => selected.has(t)));
  return pool.slice(0, options.maxExamples ?? 4);
}

function examplesSection(examples: readonly PlanExample[]): string {
  if (examples.length === 0) return "";
  const blocks = examples.map((example) => `Question: ${example.question}\n${example.plan}\n###`);
  return ["Here are some examples:", ...blocks].join("\n");
}
