import type { z } from "zod";
import type { ResolvedArgs } from "../executor/events";
import { dateKindOf, type DateKind } from "../../tools/formats";
import { toolParams, type AnyTool, type Param } from "../../tools/tool";

/**
 * One field of the Edit Arguments form, derived from the tool's schema. Text fields carry a placeholder:
 * the format of a date, else what the parameter holds, from its description ("Where it takes place
 * (optional)"), with "separated by commas" for lists.
 */
export type ArgumentField =
  | {
      kind: "text";
      name: string;
      title: string;
      info: string;
      placeholder: string;
      value: string;
      multiline: boolean;
    }
  | { kind: "list"; name: string; title: string; info: string; placeholder: string; value: string }
  | { kind: "number"; name: string; title: string; info: string; placeholder: string; value: string }
  | { kind: "checkbox"; name: string; title: string; info: string; value: boolean }
  | { kind: "choice"; name: string; title: string; info: string; value: string; options: string[] };

/** What a form hands back: text for text fields, a boolean for checkboxes. */
export type FormValues = Record<string, string | boolean | undefined>;

export type ParsedArguments =
  { ok: true; args: ResolvedArgs } | { ok: false; message: string; fieldErrors: Record<string, string> };

// Fields whose text is long enough that a one-line field would hide most of it.
const LONG_TEXT = new Set(["content", "context", "notes", "message"]);

/** The form for a step's resolved arguments, one field per parameter in signature order. */
export function argumentFields(tool: AnyTool, args: ResolvedArgs): ArgumentField[] {
  const shape = tool.args.shape as Record<string, z.ZodType>;
  return toolParams(tool).map((param) => fieldFor(param, args[param.name], shape[param.name]));
}

function fieldFor(param: Param, value: unknown, schema: z.ZodType | undefined): ArgumentField {
  const base = { name: param.name, title: titleOf(param.name), info: param.description };
  if (param.values)
    return { ...base, kind: "choice", value: String(value ?? param.values[0]), options: param.values };
  switch (param.type) {
    case "list[str]":
      return {
        ...base,
        kind: "list",
        placeholder: `${placeholderOf(param)}, separated by commas`,
        value: Array.isArray(value) ? value.map(String).join(", ") : "",
      };
    case "int":
      return {
        ...base,
        kind: "number",
        placeholder: placeholderOf(param),
        value: typeof value === "number" ? String(value) : "",
      };
    case "bool":
      return { ...base, kind: "checkbox", value: value === true };
    case "str":
      return {
        ...base,
        kind: "text",
        placeholder: (schema && DATE_PLACEHOLDERS[dateKindOf(schema) ?? "none"]) ?? placeholderOf(param),
        value: typeof value === "string" ? value : "",
        multiline: LONG_TEXT.has(param.name),
      };
  }
}

const DATE_PLACEHOLDERS: Record<DateKind | "none", string | undefined> = {
  datetime: "YYYY-MM-DD HH:MM:SS, such as 2024-06-07 15:00:00",
  due: "YYYY-MM-DD HH:MM:SS, or YYYY-MM-DD for all day; empty for no date",
  none: undefined,
};

/**
 * What a parameter holds, from the first part of its description (written for the model and the person:
 * "Extra notes; empty string when none"): "Extra notes (optional)", "Where to start (empty for the current
 * location)".
 */
function placeholderOf(param: Param): string {
  const [what = "", ...rest] = param.description.split("; ");
  const empty = /^empty (?:string|list)(?: or None)? (for|when) (.+)$/.exec(rest.join("; "));
  if (empty?.[1] === "for") return `${what} (empty for ${empty[2]})`;
  if (empty || param.nullable) return `${what} (optional)`;
  return what;
}

/**
 * Reads the form back into arguments and checks them with the tool's own zod schema, the same check the
 * executor applies, so an edit that would be rejected at run time is rejected in the form, per field.
 */
export function parseArgumentForm(tool: AnyTool, values: FormValues): ParsedArguments {
  const args: ResolvedArgs = {};
  const fieldErrors: Record<string, string> = {};
  for (const param of toolParams(tool)) {
    const read = readField(param, values[param.name]);
    if (read.error) fieldErrors[param.name] = read.error;
    else args[param.name] = read.value;
  }
  if (Object.keys(fieldErrors).length === 0) {
    const checked = tool.args.safeParse(args);
    if (checked.success) return { ok: true, args: checked.data as ResolvedArgs };
    for (const issue of checked.error.issues) {
      const field = String(issue.path[0] ?? "");
      fieldErrors[field] ??= issue.message;
    }
  }
  const message = Object.entries(fieldErrors)
    .map(([field, error]) => `${titleOf(field)}: ${error}`)
    .join("; ");
  return { ok: false, message, fieldErrors };
}

function readField(param: Param, raw: string | boolean | undefined): { value?: unknown; error?: string } {
  switch (param.type) {
    case "bool":
      return { value: raw === true };
    case "list[str]":
      return {
        value: String(raw ?? "")
          .split(/[,\n]/)
          .map((item) => item.trim())
          .filter((item) => item !== ""),
      };
    case "int": {
      const text = String(raw ?? "").trim();
      if (!/^-?\d+$/.test(text)) return { error: "Enter a whole number" };
      return { value: Number(text) };
    }
    case "str": {
      const text = String(raw ?? "");
      // An emptied optional field means "use the default", as None does in a plan.
      return { value: param.nullable && text.trim() === "" ? null : text };
    }
  }
}

/** "start_date" → "Start date". */
function titleOf(name: string): string {
  const words = name.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
