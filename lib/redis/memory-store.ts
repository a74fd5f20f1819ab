// In-process stand-in for Redis when development runs without a Redis server. One process
// only: `next dev` is one process, which is all it serves.
//
// Bounded: a flood of random trigger tokens writes one short-lived miss entry each, so writes
// sweep expired entries (at most once per sweep interval) and a hard cap evicts the oldest
// entries, as Redis itself would under a maxmemory policy.
import type { KeyValueStore } from "@/lib/redis";

interface Entry {
  value: unknown;
  expiresAt: number | undefined;
}

export interface MemoryStoreOptions {
  /** Entries kept at most; the oldest written go first. */
  maxEntries?: number;
  /** A write sweeps expired entries when the last sweep is at least this old. */
  sweepIntervalMs?: number;
}

const defaultMaxMemoryEntries = 50_000;
const defaultSweepIntervalMs = 1_000;

const copyOf = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

export function createMemoryStore(options: MemoryStoreOptions = {}): KeyValueStore & { readonly size: number } {
  const maxEntries = options.maxEntries ?? defaultMaxMemoryEntries;
  const sweepIntervalMs = options.sweepIntervalMs ?? defaultSweepIntervalMs;
  const entries = new Map<string, Entry>();
  let lastSweep = Date.now();
  const expired = (entry: Entry, now: number) => entry.expiresAt !== undefined && entry.expiresAt <= now;
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && expired(entry, Date.now())) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweep = () => {
    const now = Date.now();
    if (now - lastSweep < sweepIntervalMs) return;
    lastSweep = now;
    for (const [key, entry] of entries) if (expired(entry, now)) entries.delete(key);
  };
  // A tenth at a time: walking the Map from its start on every write would cost O(holes) each.
  const evictOldest = (count: number) => {
    let left = count;
    for (const oldest of entries.keys()) {
      if (left-- <= 0) break;
      entries.delete(oldest);
    }
  };
  const store = (key: string, entry: Entry) => {
    // Re-inserting moves the key to the end of the Map's order, so eviction takes the stalest.
    entries.delete(key);
    sweep();
    if (entries.size >= maxEntries) evictOldest(Math.max(1, Math.ceil(maxEntries / 10)));
    entries.set(key, entry);
  };
  return {
    kind: "memory",
    get size() {
      return entries.size;
    },
    async get<T>(key: string) {
      // Round-trip through JSON so callers see what Redis would give them, not shared objects.
      const entry = live(key);
      return entry ? (copyOf(entry.value) as T) : null;
    },
    async getMany<T>(...keys: string[]) {
      return keys.map((key) => {
        const entry = live(key);
        return entry ? (copyOf(entry.value) as T) : null;
      });
    },
    async set(key, value, setOptions = {}) {
      if (setOptions.nx && live(key)) return false;
      const expiresAt = setOptions.exSeconds ? Date.now() + setOptions.exSeconds * 1000 : undefined;
      store(key, { value: copyOf(value), expiresAt });
      return true;
    },
    async del(...keys) {
      for (const key of keys) entries.delete(key);
    },
  };
}
