// Server-Timing for the QStash routes: where one call's time went (verify, read, send, record),
// so a slow delivery can be taken apart from outside — the benchmark reads it.
export class ServerTiming {
  private last = performance.now();
  private readonly parts: string[] = [];

  /** Closes the phase that ran since the previous mark (or since construction). */
  mark(name: string): void {
    const now = performance.now();
    this.parts.push(`${name};dur=${(now - this.last).toFixed(2)}`);
    this.last = now;
  }

  header(): string {
    return this.parts.join(", ");
  }
}

/** `verify;dur=0.52, read;dur=2.21` → { verify: 0.52, read: 2.21 } */
export function parseServerTiming(header: string | null): Record<string, number> {
  const phases: Record<string, number> = {};
  for (const entry of (header ?? "").split(",")) {
    const match = /^\s*([\w-]+);dur=([\d.]+)\s*$/.exec(entry);
    if (match?.[1] && match[2]) phases[match[1]] = Number(match[2]);
  }
  return phases;
}
