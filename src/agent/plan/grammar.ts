import { z } from "zod";
import {
  dateKindOf,
  dateRoleOf,
  requestCopyOf,
  requestWordingOf,
  resultUseOf,
  type RequestCopy,
} from "../../tools/formats";
import { toolParams, type AnyTool, type Param } from "../../tools/tool";
import { END_OF_PLAN } from "./plan";
import type { ContactDetail } from "../request/channels";
import type { DateArguments } from "../request/dates";
import {
  addAddressRule,
  addSpanRules,
  addValuesRule,
  addWordingRules,
  type SpanOptions,
  type WordingRules,
} from "../request/spans";

export interface GrammarOptions {
  /** Most calls a plan may have before its join. Bounds generation. */
  maxSteps?: number;
  /** Longest text argument, in characters. Bounds generation even for a model that never closes a quote. */
  maxTextLength?: number;
  /** Most items in a list argument. */
  maxListItems?: number;
  /**
   * The request, for planners that copy by construction: arguments marked `fromRequest` (contact names,
   * places, existing notes and files) may then only be spans of it (request/spans.ts), or references.
   * Without it they are free text.
   */
  request?: string;
  /** Bounds of those spans. */
  spans?: SpanOptions;
  /**
   * The people the request names (request/people.ts), with `request`: a contact look-up may then only be
   * one of them, or a reference ("Me", the person's own card, only when it is in the list). Ignored when
   * empty.
   */
  people?: readonly string[];
  /**
   * With `people`: the people a look-up of each contact detail may name, when the request reaches some
   * of them by one channel only ("email Sid the deck and text Ana": Sid's phone number is no choice).
   * A detail without a list takes `people`.
   */
  peopleByDetail?: Partial<Record<ContactDetail, readonly string[]>>;
  /**
   * Each person the request reaches by a channel it names, as it writes them, with every such channel
   * ("text Mr. Greene, email him": both). The decoding rules read it; the grammar does not.
   */
  reaches?: Readonly<Record<string, readonly ContactDetail[]>>;
  /**
   * The dates the request can mean ("YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DD", see request/dates.ts): date
   * arguments may then only be one of them (a due date may also stay empty). Ignored when empty.
   */
  dates?: readonly string[];
  /**
   * The dates each date argument may take by its role (request/dates.ts dateArguments), with `request`:
   * a start and the end after it only as one of the pairs, a due date only one of `due`, or "" (never
   * None) when there is none. Takes precedence over `dates` for parameters with a role.
   */
  dateArguments?: DateArguments;
  /**
   * With `request`: free text marked `requestWording` (messages, subjects, titles, notes) may only be a
   * span of the request, template words and a span, empty where the schema allows, or a reference.
   */
  wording?: boolean;
  /**
   * The contact details the request needs (request/channels.ts): a look-up tool whose result is another
   * kind is left out of the grammar, while any other tool remains.
   */
  contactDetails?: readonly ContactDetail[];
  /**
   * Who the request sends to, meets or asks about (personMentions), in the lists it names them in, for
   * the look-up coverage rule (lookup-coverage.ts); the grammar itself does not read it.
   */
  recipients?: readonly (readonly string[])[];
  /** Whose contact details the request asks for ("Tariq's number"), for the same rule. */
  askedAbout?: readonly string[];
  /**
   * Continue a plan whose steps before this one are written: the grammar starts at step `startStep`, and
   * references may name the steps before it.
   */
  startStep?: number;
  /**
   * With `startStep`: that step must look up one of these people with one of the selected look-up tools
   * (a contact tool whose one argument is a person). Ignored when no look-up tool is selected.
   */
  lookUp?: readonly string[];
  /** With `lookUp`: the look-up tool to use ("text Mr. Greene, email him": his address is still missing). */
  lookUpWith?: string;
  /**
   * With `startStep`: that step must call this tool (one of the selected tools), its arguments as the
   * grammar allows them. Ignored when the tool is not selected, or with `lookUp`.
   */
  startWith?: string;
  /**
   * With `startStep`: that step may be any selected tool's call but this one's, or the join (a look-up
   * that would only repeat one written before). Ignored with `lookUp` or `startWith`.
   */
  startWithout?: string;
}

const DEFAULTS = { maxSteps: 12, maxTextLength: 300, maxListItems: 8 };

/** The most calls a plan under these options may have before its join. */
export function maxStepsOf(options: GrammarOptions): number {
  return options.maxSteps ?? DEFAULTS.maxSteps;
}

type Settings = typeof DEFAULTS & {
  /** The rule matching a quoted span of the request, when arguments are copied from it. */
  spanRule?: string;
  /** The rule matching one of the request's people, when contact look-ups are held to them. */
  personRule?: string;
  /** The rules for look-ups of one contact detail, where the request holds them to fewer people. */
  detailPersonRules?: Partial<Record<ContactDetail, string>>;
  /** The rule matching an address or number the request writes, when it writes any. */
  addressRule?: string;
  /** Rules matching free text worded from the request, when worded arguments are held to it. */
  wordingRules?: WordingRules;
  dateArguments?: DateArguments;
};

/**
 * A GBNF grammar, built per request from the selected tools' schemas, whose every sentence is a valid plan:
 * only those tools and join, exactly their argument count and types, `"$k"` references only to earlier
 * steps, dates that exist, at most `maxSteps` calls, ending `N. join()<END_OF_PLAN>`.
 *
 * Steps are numbered by the grammar itself (one rule per position), which is what lets a reference in step
 * k name only steps 1..k-1. Text arguments cannot contain `${` and cannot be a bare `$N`: a reference is
 * always written as a whole argument, which keeps every reference checkable here.
 */
export function planGrammar(selected: readonly AnyTool[], options: GrammarOptions = {}): string {
  const { request, spans, people, dates, startStep = 1, lookUp } = options;
  const tools = withContactDetails(selected, options.contactDetails);
  const rules = new Map<string, string>();
  const spanRule = request === undefined ? undefined : addSpanRules(rules, request, spans);
  const addressRule =
    request === undefined || spanRule === undefined ? undefined : addAddressRule(rules, request);
  const personRule =
    spanRule === undefined || people === undefined ? undefined : addValuesRule(rules, "person", people);
  const detailPersonRules =
    personRule === undefined ? undefined : addDetailRules(rules, options.peopleByDetail);
  const wordingRules =
    request === undefined || !options.wording ? undefined : addWordingRules(rules, request, spans);
  const settings: Settings = {
    maxSteps: maxStepsOf(options),
    maxTextLength: options.maxTextLength ?? DEFAULTS.maxTextLength,
    maxListItems: options.maxListItems ?? DEFAULTS.maxListItems,
    ...(spanRule ? { spanRule } : {}),
    ...(personRule ? { personRule } : {}),
    ...(detailPersonRules ? { detailPersonRules } : {}),
    ...(addressRule ? { addressRule } : {}),
    ...(wordingRules ? { wordingRules } : {}),
    ...(options.dateArguments && request !== undefined ? { dateArguments: options.dateArguments } : {}),
  };
  if (tools.length === 0) throw new Error("a plan grammar needs at least one tool");
  if (settings.maxSteps < 1) throw new Error("maxSteps must be at least 1");
  if (startStep < 1 || startStep > settings.maxSteps + 1) throw new Error("startStep is out of range");
  const next = (k: number) =>
    k === settings.maxSteps ? `"${k + 1}. " join` : `"${k + 1}. " (join | step${k + 1})`;
  for (let k = startStep; k <= settings.maxSteps; k++) {
    rules.set(`step${k}`, `call${k} "\\n" ${next(k)}`);
    rules.set(`call${k}`, tools.map((tool) => `${ruleName(tool.name)}-${k}`).join(" | "));
    if (k > 1)
      rules.set(
        `ref${k}`,
        `"\\"$" (${range(1, k - 1)
          .map((j) => `"${j}"`)
          .join(" | ")}) "\\""`,
      );
    for (const tool of tools) rules.set(`${ruleName(tool.name)}-${k}`, callRule(tool, k, settings, rules));
  }
  rules.set("join", `"join()${END_OF_PLAN}"`);
  addSharedRules(rules, settings);
  if (dates !== undefined) holdDates(rules, dates);
  // A plan with every step written can only join; a step that must look someone up comes before the rest.
  const forced =
    startStep <= settings.maxSteps &&
    lookUp !== undefined &&
    addLookUpRule(
      options.lookUpWith === undefined ? tools : tools.filter((tool) => tool.name === options.lookUpWith),
      lookUp,
      rules,
      options.peopleByDetail,
    );
  const opening = forced ? undefined : openingRule(tools, options, startStep, next(startStep));
  const first =
    startStep > settings.maxSteps
      ? "join"
      : forced
        ? `lookup "\\n" ${next(startStep)}`
        : (opening ?? `step${startStep}`);
  const lines = [
    `root ::= "${startStep}. " ${first}`,
    ...[...rules].map(([name, body]) => `${name} ::= ${body}`),
  ];
  return `${lines.join("\n")}\n`;
}

/**
 * The first step's rule when the planner asks for a certain step (GrammarOptions.startWith, startWithout):
 * a call of that tool, or any call but that tool's, or the join. Undefined when it asks for none, or for a
 * tool that is not selected.
 */
function openingRule(
  tools: readonly AnyTool[],
  options: GrammarOptions,
  step: number,
  rest: string,
): string | undefined {
  const call = (tool: AnyTool) => `${ruleName(tool.name)}-${step}`;
  if (options.startWith !== undefined) {
    const tool = tools.find((candidate) => candidate.name === options.startWith);
    return tool ? `${call(tool)} "\\n" ${rest}` : undefined;
  }
  if (options.startWithout === undefined) return undefined;
  const others = tools.filter((tool) => tool.name !== options.startWithout);
  return others.length === 0 ? "join" : `((${others.map(call).join(" | ")}) "\\n" ${rest} | join)`;
}

/**
 * The tools without the look-ups of contact details the request does not need, unless none would remain.
 * The planner asks for a look-up step only when one of these can be written.
 */
export function withContactDetails(
  tools: readonly AnyTool[],
  details: readonly ContactDetail[] | undefined,
): readonly AnyTool[] {
  if (details === undefined) return tools;
  const lookUps = new Set(lookUpTools(tools));
  const kept = tools.filter(
    (tool) =>
      !lookUps.has(tool) || tool.result === undefined || details.includes(tool.result as ContactDetail),
  );
  return kept.length > 0 ? kept : tools;
}

/** The contact look-up tools among `tools`: those whose only argument is a person copied from the request. */
export function lookUpTools(tools: readonly AnyTool[]): AnyTool[] {
  return tools.filter((tool) => {
    const params = toolParams(tool);
    return (
      params.length === 1 && requestCopyOf(tool.args.shape[params[0]!.name] as z.ZodType)?.person === true
    );
  });
}

/** The tools among `tools` that send to or invite people: a list argument copied from the request. */
export function sendingTools(tools: readonly AnyTool[]): AnyTool[] {
  return tools.filter((tool) =>
    toolParams(tool).some(
      (param) =>
        param.type === "list[str]" &&
        requestCopyOf(unwrapNullable(tool.args.shape[param.name] as z.ZodType)) !== undefined,
    ),
  );
}

/** The contact detail a sending tool's recipients take: a phone number for a message, else an address. */
export function recipientDetailOf(tool: AnyTool): ContactDetail | undefined {
  for (const param of toolParams(tool)) {
    const takes = resultUseOf(unwrapNullable(tool.args.shape[param.name] as z.ZodType))?.takes ?? [];
    const detail = takes.find((kind) => kind === "phone-number" || kind === "email-address");
    if (detail) return detail;
  }
  return undefined;
}

/**
 * The `lookup` rule (GrammarOptions.lookUp): one of `people`, looked up with a selected look-up tool, that
 * is a tool whose only argument is a person copied from the request. False when there is no such tool.
 */
function addLookUpRule(
  tools: readonly AnyTool[],
  people: readonly string[],
  rules: Map<string, string>,
  byDetail: GrammarOptions["peopleByDetail"],
): boolean {
  const choices = lookUpTools(tools).flatMap((tool) => {
    const allowed = byDetail?.[tool.result as ContactDetail];
    const names = allowed ? people.filter((person) => allowed.includes(person)) : people;
    const person = addValuesRule(rules, `lookup-person-${ruleName(tool.name)}`, names);
    return person === undefined ? [] : [`"${tool.name}(" ${person} ")"`];
  });
  if (choices.length === 0) return false;
  rules.set("lookup", choices.join(" | "));
  return true;
}

/** A person rule per contact detail that the request holds to fewer people (peopleByDetail). */
function addDetailRules(
  rules: Map<string, string>,
  byDetail: GrammarOptions["peopleByDetail"],
): Partial<Record<ContactDetail, string>> | undefined {
  if (byDetail === undefined) return undefined;
  const out: Partial<Record<ContactDetail, string>> = {};
  for (const [detail, names] of Object.entries(byDetail) as [ContactDetail, readonly string[]][]) {
    const rule = addValuesRule(rules, `person-${detail}`, names);
    if (rule) out[detail] = rule;
  }
  return out;
}

function callRule(tool: AnyTool, step: number, settings: Settings, rules: Map<string, string>): string {
  const params = toolParams(tool);
  const args: string[] = [];
  for (let i = 0; i < params.length; i++) {
    const param = params[i]!;
    const next = params[i + 1];
    // A start and the end right after it are one choice: the end is the one that goes with that start.
    if (settings.dateArguments && roleOf(tool, param) === "start" && next && roleOf(tool, next) === "end") {
      args.push(dateSpanRule(rules, settings.dateArguments));
      i++;
      continue;
    }
    args.push(argumentRule(tool, param, step, settings, rules));
  }
  return `"${tool.name}(" ${args.length === 0 ? "" : `${args.join(' ", " ')} `}")"`;
}

function roleOf(tool: AnyTool, param: Param): ReturnType<typeof dateRoleOf> {
  return dateRoleOf(tool.args.shape[param.name] as z.ZodType);
}

/** A start and its end, as two quoted arguments: one of the request's date spans. */
function dateSpanRule(rules: Map<string, string>, dates: DateArguments): string {
  rules.set("date-span", dates.spans.map(({ start, end }) => `"\\"${start}\\", \\"${end}\\""`).join(" | "));
  return "date-span";
}

/** A date argument held to its role's dates (GrammarOptions.dateArguments); undefined without a role. */
function roleDateRule(
  rules: Map<string, string>,
  dates: DateArguments,
  role: ReturnType<typeof dateRoleOf>,
): string | undefined {
  const quoted = (value: string) => `"\\"${value}\\""`;
  if (role === "start" || role === "end") {
    const name = `date-${role}`;
    const values = [...new Set(dates.spans.map((span) => span[role]))];
    rules.set(name, values.map(quoted).join(" | "));
    return name;
  }
  if (role === "due") {
    const values = dates.due.length > 0 ? dates.due.map(quoted) : [`"\\"\\""`];
    rules.set("date-due", values.join(" | "));
    return "date-due";
  }
  return undefined;
}

/** The rule for one argument; references to earlier steps are allowed where a text result fits. */
function argumentRule(
  tool: AnyTool,
  param: Param,
  step: number,
  settings: Settings,
  rules: Map<string, string>,
): string {
  const schema = unwrapNullable(tool.args.shape[param.name] as z.ZodType);
  const orNone = (rule: string) => (param.nullable ? `(${rule} | "None")` : rule);
  switch (param.type) {
    case "bool":
      return orNone(`("True" | "False")`);
    case "int": {
      const name = intRuleName(schema);
      if (!rules.has(name)) rules.set(name, intRangeRule(schema));
      return orNone(name);
    }
    case "list[str]": {
      // A list copied from the request is a recipient list: its addresses, or look-ups' results.
      if (requestCopyOf(schema) && settings.spanRule) return orNone(recipientsRule(rules, step, settings));
      return orNone(stepRule(rules, "list", step, settings));
    }
    case "str": {
      if (param.values)
        return orNone(`(${param.values.map((v) => `"\\"${escapeLiteral(v)}\\""`).join(" | ")})`);
      const kind = textKind(schema);
      // Dates are never references: a planner writes them from the request. Held to their role, a due
      // date says "no date" as "", the conventions' one way.
      if (kind === "datetime" || kind === "duedate") {
        const held = settings.dateArguments
          ? roleDateRule(rules, settings.dateArguments, roleOf(tool, param))
          : undefined;
        return held ?? orNone(kind);
      }
      const templates = requestWordingOf(tool.args.shape[param.name] as z.ZodType);
      if (settings.wordingRules && templates) {
        const wording = settings.wordingRules(templates);
        return orNone(copyRule(rules, wording, { also: [], person: false }, kind, step));
      }
      const copy = requestCopyOf(schema);
      if (copy && settings.spanRule) {
        // The people list replaces the schema's other values too: it holds "Me" when the request says so.
        if (copy.person && settings.personRule) {
          const person = settings.detailPersonRules?.[tool.result as ContactDetail] ?? settings.personRule;
          return orNone(copyRule(rules, person, { ...copy, also: [] }, kind, step));
        }
        return orNone(copyRule(rules, settings.spanRule, copy, kind, step));
      }
      return orNone(stepRule(rules, kind, step, settings));
    }
  }
}

/**
 * Per-step rules shared by every tool: text or a reference to steps before `step`, and lists of those.
 * Defining them once per step keeps the grammar small however many tools are selected.
 */
function stepRule(
  rules: Map<string, string>,
  kind: "text" | "nonempty" | "list",
  step: number,
  settings: Settings,
): string {
  const name = `${kind}${step}`;
  if (rules.has(name)) return name;
  const ref = step > 1 ? ` | ref${step}` : "";
  if (kind === "list") {
    rules.set(name, listBody(stepRule(rules, "text", step, settings), settings));
  } else {
    rules.set(name, `${kind}${ref}`);
  }
  return name;
}

/** A recipient list: the request's own addresses and numbers, or references; empty when neither fits. */
function recipientsRule(rules: Map<string, string>, step: number, settings: Settings): string {
  const items = [
    ...(settings.addressRule ? [settings.addressRule] : []),
    ...(step > 1 ? [`ref${step}`] : []),
  ];
  if (items.length === 0) return `"[]"`;
  const name = `recipient${step}`;
  rules.set(name, items.join(" | "));
  return listOf(rules, name, settings);
}

/** A list of `item`s, within the list bound; the rule is shared by every list of the same items. */
function listOf(rules: Map<string, string>, item: string, settings: Settings): string {
  const name = `list-${item}`;
  if (!rules.has(name)) rules.set(name, listBody(item, settings));
  return name;
}

function listBody(item: string, settings: Settings): string {
  const more = settings.maxListItems > 1 ? ` (", " ${item}){0,${settings.maxListItems - 1}}` : "";
  return settings.maxListItems < 1 ? `"[]"` : `"[" (${item}${more})? "]"`;
}

/**
 * An argument copied from the request: a span of it, one of the schema's other allowed values, an empty
 * string where the schema takes one, or a reference to an earlier step (a place found by an earlier step
 * is as good as one the request names). Rules with the same body are shared.
 */
/** The copy rules of each grammar under construction, by body, so equal ones are written once. */
const copyRules = new WeakMap<Map<string, string>, Map<string, string>>();

function copyRule(
  rules: Map<string, string>,
  spanRule: string,
  copy: RequestCopy,
  kind: "text" | "nonempty",
  step: number,
): string {
  const body = [
    spanRule,
    ...copy.also.map((value) => `"\\"${escapeLiteral(value)}\\""`),
    ...(kind === "text" ? [`"\\"\\""`] : []),
    ...(step > 1 ? [`ref${step}`] : []),
  ].join(" | ");
  let variants = copyRules.get(rules);
  if (!variants) copyRules.set(rules, (variants = new Map()));
  const known = variants.get(body);
  if (known) return known;
  const name = `copy${step}-${variants.size + 1}`;
  variants.set(body, name);
  rules.set(name, body);
  return name;
}

type TextKind = "text" | "nonempty" | "datetime" | "duedate";

/** Which text rule fits a string schema, read from what it accepts. */
function textKind(schema: z.ZodType): TextKind {
  const date = dateKindOf(schema);
  if (date === "due") return "duedate";
  if (date === "datetime") return "datetime";
  return schema.safeParse("").success ? "text" : "nonempty";
}

function unwrapNullable(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodNullable ? (schema.unwrap() as z.ZodType) : schema;
}

function addSharedRules(rules: Map<string, string>, settings: Settings): void {
  const n = settings.maxTextLength;
  // A character of text: anything printable but a quote, a backslash or "$", or a short escape. No
  // \u escapes: "\u0024" would spell a "$" and smuggle in a reference that the rules below keep out.
  rules.set("char", `[^"\\\\$\\x00-\\x1f] | "\\\\" ["\\\\/bfnrt]`);
  // "$" followed by anything but "{" or another "$", so "${" can never appear: "$20", "US$ 5".
  rules.set("dollar", `"$" ([^"\\\\{$\\x00-\\x1f] | "\\\\" ["\\\\/bfnrt])`);
  // Any text but a bare "$N" (which would read as a reference): it starts with a character, or "$" and
  // then no digit, or "$" and digits followed by something else. A lone "$" may end it.
  const rest = `(char | dollar){0,${Math.max(0, n - 2)}} "$"?`;
  rules.set(
    "body",
    [
      `char (char | dollar){0,${Math.max(0, n - 1)}} "$"?`,
      `"$"`,
      `"$" [^"\\\\{$0-9\\x00-\\x1f] ${rest}`,
      `"$" [0-9]{1,6} ([^"\\\\$0-9\\x00-\\x1f] | dollar) ${rest}`,
    ].join(" | "),
  );
  rules.set("text", `"\\"" body? "\\""`);
  rules.set("nonempty", `"\\"" body "\\""`);
  // Only dates that exist: months with their own lengths, February 29 only in leap years.
  rules.set("year", `"20" [0-9] [0-9]`);
  rules.set("leapyear", `"20" ([02468] [048] | [13579] [26])`);
  rules.set(
    "day",
    [
      `year "-" ("0" [13578] | "1" [02]) "-" ("0" [1-9] | [12] [0-9] | "3" [01])`,
      `year "-" ("0" [469] | "11") "-" ("0" [1-9] | [12] [0-9] | "30")`,
      `year "-02-" ("0" [1-9] | "1" [0-9] | "2" [0-8])`,
      `leapyear "-02-29"`,
    ].join(" | "),
  );
  rules.set("time", `([01] [0-9] | "2" [0-3]) ":" [0-5] [0-9] ":" [0-5] [0-9]`);
  rules.set("datetime", `"\\"" day " " time "\\""`);
  rules.set("duedate", `"\\"" (day (" " time)?)? "\\""`);
}

/**
 * The date rules held to the dates a request can mean (GrammarOptions.dates), replacing the open ones; a
 * kind none of the dates fits (no date with a time for an event) keeps its open rule.
 */
function holdDates(rules: Map<string, string>, dates: readonly string[]): void {
  const quoted = (values: readonly string[]) => values.map((value) => `"\\"${value}\\""`);
  const valid = [...new Set(dates.filter((value) => ISO_DATE.test(value)))];
  const withTime = valid.filter((value) => value.length > 10);
  if (withTime.length > 0) rules.set("datetime", `(${quoted(withTime).join(" | ")})`);
  if (valid.length > 0) rules.set("duedate", `(${[...quoted(valid), `"\\"\\""`].join(" | ")})`);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/;

function intRuleName(schema: z.ZodType): string {
  const { min, max } = intBounds(schema);
  return `int-${min}-${max}`;
}

function intBounds(schema: z.ZodType): { min: number; max: number } {
  const number = schema as z.ZodNumber;
  const min = Number.isFinite(number.minValue) ? (number.minValue as number) : 0;
  const max = Number.isFinite(number.maxValue) ? (number.maxValue as number) : 99_999;
  return { min: Math.max(0, Math.ceil(min)), max: Math.floor(max) };
}

/** A rule matching exactly the integers min..max written without leading zeros. */
function intRangeRule(schema: z.ZodType): string {
  const { min, max } = intBounds(schema);
  return numberRangeAlternatives(min, max).join(" | ");
}

/**
 * GBNF alternatives matching exactly the integers min..max written without leading zeros, each a sequence
 * of digits and digit ranges: 1..1440 → [1-9], [1-9] [0-9], [1-9] [0-9] [0-9], "1" [0-3] [0-9] [0-9], ...
 */
export function numberRangeAlternatives(min: number, max: number): string[] {
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || min > max) {
    throw new Error(`cannot write the integer range ${min}..${max} as a grammar`);
  }
  const alternatives: string[][] = [];
  // Ranges of different lengths are split at the powers of ten between them.
  for (let length = String(min).length; length <= String(max).length; length++) {
    const low = Math.max(min, length === 1 ? 0 : 10 ** (length - 1));
    const high = Math.min(max, 10 ** length - 1);
    alternatives.push(...sameLength(String(low), String(high)));
  }
  return alternatives.map((sequence) => (sequence.length === 1 ? sequence[0]! : `(${sequence.join(" ")})`));
}

/** Sequences matching low..high, two digit strings of the same length. */
function sameLength(low: string, high: string): string[][] {
  const first = digits(low[0]!, high[0]!);
  if (low.length === 1) return [[first]];
  const lowRest = low.slice(1);
  const highRest = high.slice(1);
  if (low[0] === high[0]) return sameLength(lowRest, highRest).map((rest) => [first, ...rest]);
  if (/^0*$/.test(lowRest) && /^9*$/.test(highRest)) return [[first, ...Array(lowRest.length).fill("[0-9]")]];
  const sequences: string[][] = [];
  const nines = "9".repeat(lowRest.length);
  const zeros = "0".repeat(lowRest.length);
  sequences.push(...sameLength(lowRest, nines).map((rest) => [`"${low[0]}"`, ...rest]));
  const middleLow = Number(low[0]) + 1;
  const middleHigh = Number(high[0]) - 1;
  if (middleLow <= middleHigh) {
    sequences.push([digits(String(middleLow), String(middleHigh)), ...Array(lowRest.length).fill("[0-9]")]);
  }
  sequences.push(...sameLength(zeros, highRest).map((rest) => [`"${high[0]}"`, ...rest]));
  return sequences;
}

function digits(low: string, high: string): string {
  return low === high ? `"${low}"` : `[${low}-${high}]`;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function ruleName(toolName: string): string {
  return toolName.replace(/_/g, "-");
}

function escapeLiteral(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}
