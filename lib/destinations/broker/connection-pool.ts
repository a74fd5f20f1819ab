// A small cache of broker connections for a warm function instance (destinations with
// `reuseConnection`). Entries are keyed by a hash, so a password never appears in a key that
// could be logged; idle entries close on an unref'd timer, so the cache never keeps a process
// alive; an entry the broker dropped is replaced on the next acquire.
import { createHash } from "node:crypto";

export interface PoolAdapter<T> {
  /** Connected and not closing: safe to publish on. */
  isUsable(connection: T): boolean;
  close(connection: T): Promise<void>;
}

export interface Acquired<T> {
  connection: T;
  /** true: the connection was opened for an earlier delivery. */
  reused: boolean;
}

interface Entry<T> {
  connection: T;
  users: number;
  idleTimer?: NodeJS.Timeout;
}

const defaultIdleMs = 30_000;

/** A stable, non-reversible pool key from everything that identifies a connection (URL, credentials…). */
export function poolKey(parts: ReadonlyArray<string | number | undefined>): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

export class ConnectionPool<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly opening = new Map<string, Promise<T>>();

  constructor(
    private readonly adapter: PoolAdapter<T>,
    private readonly idleMs = defaultIdleMs,
  ) {}

  /** A usable pooled connection, or a new one from `open`; concurrent callers share one open. */
  async acquire(key: string, open: () => Promise<T>): Promise<Acquired<T>> {
    const entry = this.entries.get(key);
    if (entry && this.adapter.isUsable(entry.connection)) {
      this.hold(entry);
      return { connection: entry.connection, reused: true };
    }
    if (entry) await this.discard(key, entry.connection);
    const pending = this.opening.get(key);
    if (pending) {
      await pending;
      return this.acquire(key, open);
    }
    const opened = open();
    this.opening.set(key, opened);
    try {
      const connection = await opened;
      const fresh: Entry<T> = { connection, users: 0 };
      this.entries.set(key, fresh);
      this.hold(fresh);
      return { connection, reused: false };
    } finally {
      this.opening.delete(key);
    }
  }

  /** The delivery is done with it: start the idle clock once nobody else uses it. */
  release(key: string, connection: T): void {
    const entry = this.entries.get(key);
    if (!entry || entry.connection !== connection) return;
    entry.users = Math.max(0, entry.users - 1);
    if (entry.users > 0) return;
    entry.idleTimer = setTimeout(() => void this.discard(key, connection), this.idleMs);
    entry.idleTimer.unref();
  }

  /** Forget and close it (dropped by the broker, broken, or idle). */
  async discard(key: string, connection: T): Promise<void> {
    const entry = this.entries.get(key);
    if (entry?.connection === connection) {
      clearTimeout(entry.idleTimer);
      this.entries.delete(key);
    }
    await this.adapter.close(connection).catch(() => undefined);
  }

  size(): number {
    return this.entries.size;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.entries].map(([key, entry]) => this.discard(key, entry.connection)));
  }

  private hold(entry: Entry<T>): void {
    clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
    entry.users += 1;
  }
}
