// The time range of a bulk replay as the form offers it — a preset ending now, or a custom
// UTC range from two datetime-local inputs — turned into the API's ISO `from`/`to`. Pure.
export const replayPresets = { "1h": 3_600_000, "24h": 86_400_000, "7d": 604_800_000, "30d": 2_592_000_000 } as const;

export type ReplayPreset = keyof typeof replayPresets;
export const defaultReplayPreset: ReplayPreset = "24h";

export type ReplayRange = { preset: ReplayPreset } | { preset: "custom"; from: string; to: string };

/** datetime-local text ("2026-01-31T12:00" or with seconds) read as UTC; null when unreadable. */
export function utcInputToIso(value: string): string | null {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2}(\.\d{1,3})?)?$/.exec(value.trim());
  if (!match) return null;
  const date = new Date(`${match[1]}${match[2] ?? ":00"}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** `to` of a preset is a second past `now`, so a delivery made this instant is included. */
export function replayBounds(range: ReplayRange, now = Date.now()): { from: string; to: string } | { error: string; field: "from" | "to" } {
  if (range.preset !== "custom") {
    return { from: new Date(now - replayPresets[range.preset]).toISOString(), to: new Date(now + 1_000).toISOString() };
  }
  const from = utcInputToIso(range.from);
  if (!from) return { error: "Enter a start time", field: "from" };
  const to = utcInputToIso(range.to);
  if (!to) return { error: "Enter an end time", field: "to" };
  if (Date.parse(from) >= Date.parse(to)) return { error: "must be later than the start", field: "to" };
  return { from, to };
}
