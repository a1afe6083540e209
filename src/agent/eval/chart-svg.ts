import type { EvalRun } from "./eval-report";
import { milliseconds, percent } from "./figures";
import { PAPER_RESULTS } from "./paper";

const WIDTH = 900;
const HEIGHT = 500;
const PLOT = { left: 80, right: 560, top: 60, bottom: 420 };
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];

interface Point {
  x: number;
  y: number;
  label: string;
  color: string;
  paper: boolean;
}

/**
 * Plan success rate against median request latency, one point per model run, with the paper's results
 * for reference: a point where the paper gives a latency, a dashed line where it gives only a success rate.
 * Latency is on a log scale: tiny test models answer in milliseconds, real ones in seconds.
 */
export function chartSvg(runs: readonly EvalRun[]): string {
  const plotted = runs.filter((run) => run.summary.totalMs.p50 !== null && run.summary.successRate !== null);
  const paperPoints = PAPER_RESULTS.filter((paper) => paper.latencyMs !== null);
  const latencies = [
    ...plotted.map((run) => run.summary.totalMs.p50!),
    ...paperPoints.map((paper) => paper.latencyMs!),
  ].map((ms) => Math.max(ms, 0.1));
  const low = Math.floor(Math.log10(Math.min(...latencies)));
  const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(...latencies))));
  const xOf = (ms: number) =>
    PLOT.left + ((Math.log10(Math.max(ms, 0.1)) - low) / (high - low)) * (PLOT.right - PLOT.left);
  const yOf = (rate: number) => PLOT.bottom - rate * (PLOT.bottom - PLOT.top);

  const points: Point[] = [
    ...plotted.map((run, i) => ({
      x: xOf(run.summary.totalMs.p50!),
      y: yOf(run.summary.successRate!),
      label: `${run.model} · ${percent(run.summary.successRate)}, ${milliseconds(run.summary.totalMs.p50)}`,
      color: COLORS[i % COLORS.length]!,
      paper: false,
    })),
    ...paperPoints.map((paper) => ({
      x: xOf(paper.latencyMs!),
      y: yOf(paper.successRate),
      label: `${paper.model} (paper) · ${percent(paper.successRate, 2)}, ${milliseconds(paper.latencyMs)}`,
      color: "#555555",
      paper: true,
    })),
  ];

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="32" font-size="20" font-weight="bold" fill="#222">Plan success rate vs. latency</text>`,
    ...yAxis(yOf),
    ...xAxis(low, high, xOf),
    ...paperLines(yOf),
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="#333" stroke-width="1"/>`,
    ...points.map(marker),
    ...legend(points),
    plotted.length < runs.length
      ? `<text x="${PLOT.left}" y="${HEIGHT - 8}" font-size="12" fill="#a00">${runs.length - plotted.length} run(s) without a latency or success rate are not plotted.</text>`
      : "",
    "</svg>",
    "",
  ];
  return parts.filter((part) => part !== "").join("\n");
}

function yAxis(yOf: (rate: number) => number): string[] {
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  return [
    ...ticks.flatMap((rate) => [
      `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${yOf(rate)}" y2="${yOf(rate)}" stroke="#e3e3e3"/>`,
      `<text x="${PLOT.left - 8}" y="${yOf(rate) + 5}" font-size="14" text-anchor="end" fill="#333">${rate * 100} %</text>`,
    ]),
    `<text transform="translate(22 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" font-size="15" text-anchor="middle" fill="#222">Plan success (DAG match)</text>`,
  ];
}

function xAxis(low: number, high: number, xOf: (ms: number) => number): string[] {
  const ticks: string[] = [];
  for (let exponent = low; exponent <= high; exponent++) {
    const ms = 10 ** exponent;
    const x = xOf(ms);
    ticks.push(
      `<line x1="${x}" x2="${x}" y1="${PLOT.top}" y2="${PLOT.bottom}" stroke="#e3e3e3"/>`,
      `<text x="${x}" y="${PLOT.bottom + 22}" font-size="14" text-anchor="middle" fill="#333">${tickLabel(exponent)}</text>`,
    );
  }
  ticks.push(
    `<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 50}" font-size="15" text-anchor="middle" fill="#222">Latency per request, median (log scale)</text>`,
  );
  return ticks;
}

/** The paper's results without a latency: a dashed line at their success rate. */
function paperLines(yOf: (rate: number) => number): string[] {
  return PAPER_RESULTS.filter((paper) => paper.latencyMs === null).flatMap((paper) => [
    `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${yOf(paper.successRate)}" y2="${yOf(paper.successRate)}" stroke="#888" stroke-dasharray="6 4"/>`,
    `<text x="${PLOT.left + 6}" y="${yOf(paper.successRate) - 5}" font-size="12" fill="#555">${escape(`${paper.model} (paper) ${percent(paper.successRate, 2)}`)}</text>`,
  ]);
}

function marker(point: Point): string {
  if (!point.paper)
    return `<circle cx="${point.x}" cy="${point.y}" r="7" fill="${point.color}" stroke="#fff" stroke-width="1.5"/>`;
  const r = 8;
  return `<path d="M ${point.x} ${point.y - r} L ${point.x + r} ${point.y} L ${point.x} ${point.y + r} L ${point.x - r} ${point.y} Z" fill="none" stroke="${point.color}" stroke-width="2.5"/>`;
}

/** A legend to the right of the plot: long model names never cover points. */
function legend(points: readonly Point[]): string[] {
  const x = PLOT.right + 20;
  return points.flatMap((point, i) => {
    const y = PLOT.top + 10 + i * 44;
    const swatch = marker({ ...point, x: x + 8, y });
    const [name = "", figures = ""] = point.label.split(" · ");
    return [
      swatch,
      `<text x="${x + 24}" y="${y + 5}" font-size="13" fill="#222">${escape(shorten(name, 36))}</text>`,
      `<text x="${x + 24}" y="${y + 22}" font-size="12" fill="#555">${escape(figures)}</text>`,
    ];
  });
}

/** 10^exponent milliseconds as a round label: "100 ms", "1 s", "10 s". */
function tickLabel(exponent: number): string {
  return exponent < 3 ? `${10 ** exponent} ms` : `${10 ** (exponent - 3)} s`;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
