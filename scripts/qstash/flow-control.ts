// Flow control as QStash documents it (features/flowcontrol.mdx; openapi.yaml /v2/flowControl*):
// limits belong to the KEY, and each incoming message sets them unless they are pinned.
// Parallelism counts calls in flight; the account's own parallelism (GET /v2/globalParallelism)
// caps them all together. A rate allows `rate` calls to start per period (default 1 s); the
// period starts with the first call after the previous one ended, and a reset starts a new one
// now. A paused key sends nothing: its due messages wait in the wait list, and resume releases
// them oldest first. Every attempt, retries included, is a call.
import type { FlowControl as FlowDraft, StoredMessage } from "./types";

interface Limits {
  parallelism?: number;
  rate?: number;
  periodSeconds?: number;
}

interface FlowKey {
  set: Limits;
  pinned: Limits;
  active: number;
  waiting: StoredMessage[];
  paused: boolean;
  rateCount: number;
  /** Unset until a call starts a period (and again after a pin). */
  ratePeriodStartMs?: number;
  wake?: NodeJS.Timeout;
}

export class FlowLimiter {
  private readonly keys = new Map<string, FlowKey>();
  /** Keys with messages waiting, oldest first, so a freed global slot goes round them. */
  private readonly waitingKeys = new Set<string>();
  private globalActive = 0;

  /** `onWake` runs when a rate period ends while messages wait for it. */
  constructor(
    private readonly maxParallelism: number,
    private readonly onWake: () => void,
  ) {}

  /** An incoming message sets its key's limits, except the pinned ones. */
  configure(flow: FlowDraft): void {
    const key = this.keyOf(flow.key);
    if (key.pinned.parallelism === undefined) key.set.parallelism = flow.parallelism;
    if (key.pinned.rate === undefined) key.set = { ...key.set, rate: flow.rate, periodSeconds: flow.periodSeconds };
  }

  /** openapi.yaml: "Pinning a configuration resets the current state (rate count and period)". */
  pin(name: string, request: Limits): void {
    const key = this.keyOf(name);
    key.pinned = { ...key.pinned, ...Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined)) };
    key.rateCount = 0;
    key.ratePeriodStartMs = undefined;
  }

  unpin(name: string, which: { parallelism: boolean; rate: boolean }): void {
    const key = this.keyOf(name);
    // "Message delivery will initially continue using the last pinned configuration."
    if (which.parallelism && key.pinned.parallelism !== undefined) key.set.parallelism = key.pinned.parallelism;
    if (which.rate && key.pinned.rate !== undefined) key.set = { ...key.set, rate: key.pinned.rate, periodSeconds: key.pinned.periodSeconds };
    if (which.parallelism) key.pinned = { ...key.pinned, parallelism: undefined };
    if (which.rate) key.pinned = { ...key.pinned, rate: undefined, periodSeconds: undefined };
  }

  /** A key not seen yet is created paused, so an app can pause before its first message. */
  setPaused(name: string, paused: boolean): void {
    this.keyOf(name).paused = paused;
  }

  /** False when the key is unknown. */
  resetRate(name: string, now: number): boolean {
    const key = this.keys.get(name);
    if (!key) return false;
    key.rateCount = 0;
    key.ratePeriodStartMs = now;
    return true;
  }

  /** GET /v2/flowControl/{key}, shaped like the SDK's FlowControlInfo; undefined when unknown. */
  info(name: string, now: number): Record<string, unknown> | undefined {
    const key = this.keys.get(name);
    if (!key) return undefined;
    this.rollPeriod(key, now);
    return {
      flowControlKey: name,
      waitListSize: key.waiting.length,
      parallelismMax: this.parallelismOf(key) ?? 0,
      parallelismCount: key.active,
      rateMax: this.rateOf(key) ?? 0,
      rateCount: key.rateCount,
      ratePeriod: this.rateOf(key) === undefined ? 0 : this.periodMsOf(key) / 1_000,
      ratePeriodStart: key.ratePeriodStartMs === undefined ? 0 : Math.floor(key.ratePeriodStartMs / 1_000),
      isPaused: key.paused,
      isPinnedParallelism: key.pinned.parallelism !== undefined,
      isPinnedRate: key.pinned.rate !== undefined,
    };
  }

  /** GET /v2/flowControl; `search` (changelog, February 2026) keeps the names containing it. */
  list(now: number, search?: string): Array<Record<string, unknown>> {
    const names = [...this.keys.keys()].filter((name) => search === undefined || name.includes(search));
    return names.sort().flatMap((name) => {
      const info = this.info(name, now);
      return info === undefined ? [] : [info];
    });
  }

  global(): { parallelismMax: number; parallelismCount: number } {
    return { parallelismMax: this.maxParallelism, parallelismCount: this.globalActive };
  }

  /**
   * A due message joins its key's wait list behind any older ones; what may start now is
   * returned, slots taken, oldest first. A message without a key starts at once.
   */
  enter(message: StoredMessage, now: number): StoredMessage[] {
    const name = message.flowControl?.key;
    if (name === undefined) return [message];
    this.keyOf(name).waiting.push(message);
    this.waitingKeys.add(name);
    return this.admitWaiting(now);
  }

  /** Frees the message's slot. */
  release(message: StoredMessage): void {
    const key = message.flowControl === undefined ? undefined : this.keys.get(message.flowControl.key);
    if (!key) return;
    key.active -= 1;
    this.globalActive -= 1;
  }

  /** A cancelled message leaves the wait list, so waitListSize stays true. */
  forget(message: StoredMessage): void {
    const key = message.flowControl === undefined ? undefined : this.keys.get(message.flowControl.key);
    if (key) key.waiting = key.waiting.filter((waiting) => waiting !== message);
  }

  /** Waiting messages that may start now, their slots taken. */
  admitWaiting(now: number): StoredMessage[] {
    const admitted: StoredMessage[] = [];
    for (const name of this.waitingKeys) {
      const key = this.keys.get(name);
      if (!key) continue;
      for (let next = key.waiting[0]; next !== undefined && this.fits(key, now); next = key.waiting[0]) {
        key.waiting.shift();
        this.take(key, now);
        admitted.push(next);
      }
      if (key.waiting.length === 0) this.waitingKeys.delete(name);
      else this.armWake(key, now);
      if (this.globalActive >= this.maxParallelism) break;
    }
    return admitted;
  }

  clear(): void {
    for (const key of this.keys.values()) clearTimeout(key.wake);
    this.keys.clear();
    this.waitingKeys.clear();
    this.globalActive = 0;
  }

  private keyOf(name: string): FlowKey {
    let key = this.keys.get(name);
    if (!key) {
      key = { set: {}, pinned: {}, active: 0, waiting: [], paused: false, rateCount: 0 };
      this.keys.set(name, key);
    }
    return key;
  }

  private parallelismOf(key: FlowKey): number | undefined {
    return key.pinned.parallelism ?? key.set.parallelism;
  }

  private rateOf(key: FlowKey): number | undefined {
    return key.pinned.rate ?? key.set.rate;
  }

  private periodMsOf(key: FlowKey): number {
    const periodSeconds = key.pinned.rate !== undefined ? key.pinned.periodSeconds : key.set.periodSeconds;
    return (periodSeconds ?? 1) * 1_000;
  }

  /** A period that has run its length is over; the next call starts a new one. */
  private rollPeriod(key: FlowKey, now: number): void {
    if (key.ratePeriodStartMs !== undefined && now >= key.ratePeriodStartMs + this.periodMsOf(key)) {
      key.ratePeriodStartMs = undefined;
      key.rateCount = 0;
    }
  }

  private rateAllows(key: FlowKey, now: number): boolean {
    const rate = this.rateOf(key);
    if (rate === undefined) return true;
    this.rollPeriod(key, now);
    return key.rateCount < rate;
  }

  private fits(key: FlowKey, now: number): boolean {
    const limit = this.parallelismOf(key);
    if (key.paused || this.globalActive >= this.maxParallelism) return false;
    return (limit === undefined || key.active < limit) && this.rateAllows(key, now);
  }

  private take(key: FlowKey, now: number): void {
    key.active += 1;
    this.globalActive += 1;
    if (this.rateOf(key) === undefined) return;
    key.ratePeriodStartMs ??= now;
    key.rateCount += 1;
  }

  /** Messages held back by the rate alone go when the period ends. */
  private armWake(key: FlowKey, now: number): void {
    if (key.wake !== undefined || key.paused || this.rateAllows(key, now) || key.ratePeriodStartMs === undefined) return;
    key.wake = setTimeout(
      () => {
        key.wake = undefined;
        this.onWake();
      },
      key.ratePeriodStartMs + this.periodMsOf(key) - now,
    );
    key.wake.unref();
  }
}
