import { z } from "zod";
import type { ResultKind } from "./formats";

/** What running a tool does to the world; decides whether a step needs the person's confirmation. */
export type Effect = "read" | "ui" | "write";

/** Apps group tools in settings ("enabled apps") and give steps their icon. */
export const APPS = [
  "calendar",
  "contacts",
  "files",
  "mail",
  "maps",
  "notes",
  "reminders",
  "sms",
  "zoom",
] as const;
export type App = (typeof APPS)[number];

/** Argument types the plan language can express (DESIGN §4). */
export type ParamType = "str" | "list[str]" | "int" | "bool";

export interface Param {
  name: string;
  type: ParamType;
  /** `None` / `null` is accepted (the tool then uses its default). */
  nullable: boolean;
  /** The only values a string parameter accepts, when it is an enumeration. */
  values?: string[];
  description: string;
}

export interface ToolDefinition<Args extends z.ZodObject = z.ZodObject> {
  name: string;
  app: App;
  effect: Effect;
  /** One line for the planner prompt and the person: what the tool does and what it returns. */
  description: string;
  /** The positional arguments, in order. The single source of the prompt signature, grammar and validation. */
  args: Args;
  /**
   * App state the tool reads or changes, named by one of its arguments (notes by title). A plan may create
   * a note in one step and open it in the next without a `$` reference between them; the executor orders
   * such steps after the earlier write on the same state.
   */
  state?: { scope: string; key: keyof z.infer<Args> & string };
  /** What its result is, when a later step may pass it on (formats.ts ResultKind). */
  result?: ResultKind;
}

export type AnyTool = ToolDefinition;

/** Keeps the schema's static type while checking the definition's shape. */
export function defineTool<Args extends z.ZodObject>(tool: ToolDefinition<Args>): ToolDefinition<Args> {
  return tool;
}

/** The positional parameters of a tool, read from its zod schema in declaration order. */
export function toolParams(tool: AnyTool): Param[] {
  return Object.entries(tool.args.shape).map(([name, schema]) => describeParam(name, schema as z.ZodType));
}

function describeParam(name: string, schema: z.ZodType): Param {
  const description = schema.description ?? "";
  let inner = schema;
  let nullable = false;
  if (inner instanceof z.ZodNullable) {
    nullable = true;
    inner = inner.unwrap() as z.ZodType;
  }
  const values = inner instanceof z.ZodEnum ? (inner.options as string[]).map(String) : undefined;
  return {
    name,
    type: paramType(name, inner),
    nullable,
    ...(values ? { values } : {}),
    description: description || (inner.description ?? ""),
  };
}

function paramType(name: string, schema: z.ZodType): ParamType {
  if (schema instanceof z.ZodString || schema instanceof z.ZodEnum) return "str";
  if (schema instanceof z.ZodBoolean) return "bool";
  if (schema instanceof z.ZodNumber) return "int";
  if (schema instanceof z.ZodArray && schema.element instanceof z.ZodString) return "list[str]";
  throw new Error(`Parameter "${name}" uses a zod type the plan language cannot express`);
}

/** `name(arg: type, ...)` as in DESIGN §4 and the planner prompt. */
export function toolSignature(tool: AnyTool): string {
  const params = toolParams(tool).map((p) => `${p.name}: ${p.type}`);
  return `${tool.name}(${params.join(", ")})`;
}

/**
 * The reference tools accept one string where a list is expected ("the recipients can be a single email or
 * a list"); an empty string then means an empty list. Other values are returned unchanged.
 */
export function asListArgument(param: Param, value: unknown): unknown {
  if (param.type !== "list[str]" || typeof value !== "string") return value;
  return value === "" ? [] : [value];
}
