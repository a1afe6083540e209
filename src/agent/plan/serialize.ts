import { END_OF_PLAN, type Plan, type Value } from "./plan";

/**
 * Writes a plan as canonical text in the layout the fine-tuned planners were trained on: Python literals,
 * double-quoted strings, one call per line. `parsePlan(serializePlan(plan))` gives back the same plan.
 */
export function serializePlan(plan: Plan): string {
  const lines: string[] = [];
  for (const step of plan.steps) {
    lines.push(...thoughtLines(step.thought));
    lines.push(`${step.index}. ${step.tool}(${step.args.map(serializeValue).join(", ")})`);
  }
  if (plan.join) {
    lines.push(...thoughtLines(plan.join.thought));
    lines.push(`${plan.join.index}. join()${plan.ended ? END_OF_PLAN : ""}`);
  } else if (plan.ended) {
    lines.push(END_OF_PLAN);
  }
  return lines.join("\n");
}

function thoughtLines(thought: string | undefined): string[] {
  return thought === undefined ? [] : thought.split("\n").map((line) => `Thought: ${line}`);
}

/** One value as a Python literal. */
export function serializeValue(value: Value): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "string") return quote(value);
  if (Array.isArray(value)) return `[${value.map(serializeValue).join(", ")}]`;
  const entries = Object.entries(value).map(([key, item]) => `${quote(key)}: ${serializeValue(item)}`);
  return `{${entries.join(", ")}}`;
}

function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const code = c.charCodeAt(0);
    if (c === '"') out += '\\"';
    else if (c === "\\") out += "\\\\";
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f || (code >= 0x2028 && code <= 0x2029) || isLoneSurrogate(text, i)) {
      out += `\\u${code.toString(16).padStart(4, "0")}`;
    } else out += c;
  }
  return out + '"';
}

function isLoneSurrogate(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code >= 0xd800 && code <= 0xdbff) {
    const next = text.charCodeAt(i + 1);
    return !(next >= 0xdc00 && next <= 0xdfff);
  }
  if (code >= 0xdc00 && code <= 0xdfff) {
    const previous = text.charCodeAt(i - 1);
    return !(previous >= 0xd800 && previous <= 0xdbff);
  }
  return false;
}
