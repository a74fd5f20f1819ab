// The headline table of `npm run bench`: each target next to what was measured, ratios first.
export interface SummaryRow {
  metric: string;
  measured: string;
  baseline: string;
  /** measured ÷ baseline, or a difference where the target is stated as one. */
  comparison: string;
  target: string;
  met: boolean | null;
}

export function formatSummary(rows: readonly SummaryRow[]): string {
  const header = ["metric", "measured", "baseline", "ratio / delta", "target", "met"];
  const cells = rows.map((row) => [row.metric, row.measured, row.baseline, row.comparison, row.target, row.met === null ? "-" : row.met ? "yes" : "NO"]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => (line[column] ?? "").length)));
  const line = (values: string[]) => `| ${values.map((value, column) => value.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...cells.map(line)].join("\n");
}

export const ms = (value: number) => `${value.toFixed(2)} ms`;
