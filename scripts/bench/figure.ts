/** One measured figure of the benchmark, with its budget (DESIGN §8) and the paper's value where there are. */
export interface Figure {
  /** Stable key for --json consumers: "overhead.total.p50". */
  key: string;
  label: string;
  value: number | null;
  unit: "ms" | "tokens" | "tokens/s" | "%" | "MB" | "x";
  /** The budget as text ("< 20 ms") and whether the value keeps it; absent where no budget exists. */
  budget?: { text: string; pass: boolean };
  /** The paper's figure for the same thing, as text. */
  paper?: string;
  note?: string;
}

export function figure(
  key: string,
  label: string,
  value: number | null,
  unit: Figure["unit"],
  extra: Omit<Figure, "key" | "label" | "value" | "unit"> = {},
): Figure {
  return { key, label, value, unit, ...extra };
}

/** A budget "value below limit": a missing value fails it. */
export function below(value: number | null, limit: number, unit: string): { text: string; pass: boolean } {
  return { text: `< ${limit.toLocaleString("en-US")} ${unit}`, pass: value !== null && value < limit };
}

export function formatValue(figure: Figure): string {
  if (figure.value === null) return "—";
  const v = figure.value;
  switch (figure.unit) {
    case "ms":
      return v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(v >= 10 ? 1 : 2)} ms`;
    case "tokens":
      return `${Math.round(v).toLocaleString("en-US")} tokens`;
    case "tokens/s":
      return `${Math.round(v).toLocaleString("en-US")} tokens/s`;
    case "%":
      return `${v.toFixed(1)} %`;
    case "MB":
      return `${Math.round(v)} MB`;
    case "x":
      return `${v.toFixed(3)}x`;
  }
}

export function verdict(figure: Figure): string {
  if (!figure.budget) return "";
  return figure.budget.pass ? "PASS" : "FAIL";
}
