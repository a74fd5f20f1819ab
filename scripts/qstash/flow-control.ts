// Flow control as QStash documents it (features/flowcontrol.mdx): limits belong to the KEY, and
// each incoming message sets them unless they are pinned; parallelism counts calls in flight,
// and the account's own parallelism (GET /v2/globalParallelism) caps them all together.
// Rate and period are recorded, not enforced.
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
}

export interface PinRequest {
  parallelism?: number;
  rate?: number;
  periodSeconds?: number;
}

export class FlowLimiter {
  private readonly keys = new Map<string, FlowKey>();
  /** Keys with messages waiting, oldest first, so a freed global slot goes round them. */
  private readonly waitingKeys = new Set<string>();
  private globalActive = 0;

  constructor(private readonly maxParallelism: number) {}

  /** An incoming message sets its key's limits, except the pinned ones. */
  configure(flow: FlowDraft): void {
    const key = this.keyOf(flow.key);
    if (key.pinned.parallelism === undefined) key.set.parallelism = flow.parallelism;
    if (key.pinned.rate === undefined) key.set = { ...key.set, rate: flow.rate, periodSeconds: flow.periodSeconds };
  }

  pin(name: string, request: PinRequest): void {
    const key = this.keyOf(name);
    key.pinned = { ...key.pinned, ...Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined)) };
  }

  unpin(name: string, which: { parallelism: boolean; rate: boolean }): void {
    const key = this.keyOf(name);
    if (which.parallelism) key.pinned = { ...key.pinned, parallelism: undefined };
    if (which.rate) key.pinned = { ...key.pinned, rate: undefined, periodSeconds: undefined };
  }

  /** GET /v2/flowControl/{key}, shaped like the SDK's FlowControlInfo; undefined when unknown. */
  info(name: string): Record<string, unknown> | undefined {
    const key = this.keys.get(name);
    if (!key) return undefined;
    return {
      flowControlKey: name,
      waitListSize: key.waiting.length,
      parallelismMax: this.limitOf(key) ?? 0,
      parallelismCount: key.active,
      rateMax: key.pinned.rate ?? key.set.rate ?? 0,
      rateCount: 0,
      ratePeriod: key.pinned.periodSeconds ?? key.set.periodSeconds ?? 0,
      ratePeriodStart: 0,
      isPaused: false,
      isPinnedParallelism: key.pinned.parallelism !== undefined,
      isPinnedRate: key.pinned.rate !== undefined,
    };
  }

  global(): { parallelismMax: number; parallelismCount: number } {
    return { parallelismMax: this.maxParallelism, parallelismCount: this.globalActive };
  }

  /** True when the message may be sent now (its slot is taken); else it waits for a release. */
  tryAcquire(message: StoredMessage): boolean {
    const name = message.flowControl?.key;
    if (name === undefined) return true;
    const key = this.keyOf(name);
    if (key.waiting.length === 0 && this.fits(key)) {
      this.take(key);
      return true;
    }
    key.waiting.push(message);
    this.waitingKeys.add(name);
    return false;
  }

  /** Frees the message's slot. */
  release(message: StoredMessage): void {
    const key = message.flowControl === undefined ? undefined : this.keys.get(message.flowControl.key);
    if (!key) return;
    key.active -= 1;
    this.globalActive -= 1;
  }

  /** Waiting messages that fit now, their slots taken; `isLive` drops cancelled ones. */
  admitWaiting(isLive: (message: StoredMessage) => boolean): StoredMessage[] {
    const admitted: StoredMessage[] = [];
    for (const name of this.waitingKeys) {
      const key = this.keys.get(name);
      while (key && key.waiting.length > 0 && this.fits(key)) {
        const next = key.waiting.shift();
        if (!next || !isLive(next)) continue;
        this.take(key);
        admitted.push(next);
      }
      if (!key || key.waiting.length === 0) this.waitingKeys.delete(name);
      if (this.globalActive >= this.maxParallelism) break;
    }
    return admitted;
  }

  clear(): void {
    this.keys.clear();
    this.waitingKeys.clear();
    this.globalActive = 0;
  }

  private keyOf(name: string): FlowKey {
    let key = this.keys.get(name);
    if (!key) {
      key = { set: {}, pinned: {}, active: 0, waiting: [] };
      this.keys.set(name, key);
    }
    return key;
  }

  private limitOf(key: FlowKey): number | undefined {
    return key.pinned.parallelism ?? key.set.parallelism;
  }

  private fits(key: FlowKey): boolean {
    const limit = this.limitOf(key);
    return this.globalActive < this.maxParallelism && (limit === undefined || key.active < limit);
  }

  private take(key: FlowKey): void {
    key.active += 1;
    this.globalActive += 1;
  }
}
