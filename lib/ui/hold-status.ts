// What the console says about a paused destination or callback: who paused it, how many
// deliveries QStash holds for it, and whether "Resume" here would release them. Pure: the card,
// the callback header and unit tests share it.

export type PausedReason = "operator" | "breaker" | "callback";

export interface HoldState {
  paused: boolean;
  pausedReason: PausedReason | null;
  /** From GET /api/destinations/:id only; null when QStash could not be read; undefined while not read yet. */
  heldDeliveries?: number | null;
}

const pausedBy: Record<PausedReason, string> = {
  operator: "paused by an operator",
  breaker: "paused by the circuit breaker",
  callback: "paused with its callback",
};

/** "paused by the circuit breaker"; an unknown or missing reason reads as a plain "paused". */
export function describePausedBy(reason: PausedReason | null | undefined): string {
  return reason && reason in pausedBy ? pausedBy[reason] : "paused";
}

/** "50 held", "1 held"; null: QStash did not answer; undefined: not read yet. */
export function describeHeld(held: number | null | undefined): string {
  if (held === undefined) return "counting held…";
  if (held === null) return "held count unavailable";
  return `${held} held`;
}

/** The badge's text: "paused · 50 held". */
export function holdBadgeText(state: HoldState): string | null {
  if (!state.paused) return null;
  return `paused · ${describeHeld(state.heldDeliveries)}`;
}

/**
 * A destination paused through its callback stays paused until the callback resumes (its own
 * resume would not release the backlog), so its card offers no Resume of its own.
 */
export function canResumeHere(state: HoldState): boolean {
  return state.paused && state.pausedReason !== "callback";
}

/** A callback's held count: the sum over its destinations, null when any of them could not be read. */
export function sumHeld(counts: ReadonlyArray<number | null | undefined>): number | null | undefined {
  if (counts.some((count) => count === null)) return null;
  if (counts.some((count) => count === undefined)) return undefined;
  return counts.reduce<number>((total, count) => total + (count ?? 0), 0);
}

/** The sentence under the badge, saying what happens to new triggers and what Resume does. */
export function holdExplanation(state: HoldState, scope: "destination" | "callback"): string {
  if (!state.paused) return "";
  const who = scope === "callback" ? "paused" : describePausedBy(state.pausedReason);
  const resume = scope === "destination" && state.pausedReason === "callback" ? "Resume the callback to release them." : "Resume releases them, oldest first.";
  return `${capitalize(who)}: triggers are still accepted and their deliveries wait in QStash (status queued); nothing is sent, skipped or lost. ${resume}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
