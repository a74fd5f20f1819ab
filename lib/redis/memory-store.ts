// In-process stand-in for Redis when development runs without a Redis server. One process
// only: `next dev` is one process, which is all it serves.
import type { KeyValueStore } from "@/lib/redis";

interface Entry {
  value: unknown;
  expiresAt: number | undefined;
}

export function createMemoryStore(): KeyValueStore & { readonly size: number } {
  const entries = new Map<string, Entry>();
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  return {
    kind: "memory",
    get size() {
      return entries.size;
    },
    async get<T>(key: string) {
      // Round-trip through JSON so callers see what Redis would give them, not shared objects.
      const entry = live(key);
      return entry ? (JSON.parse(JSON.stringify(entry.value)) as T) : null;
    },
    async set(key, value, options = {}) {
      if (options.nx && live(key)) return false;
      const expiresAt = options.exSeconds ? Date.now() + options.exSeconds * 1000 : undefined;
      entries.set(key, { value: JSON.parse(JSON.stringify(value)) as unknown, expiresAt });
      return true;
    },
    async del(...keys) {
      for (const key of keys) entries.delete(key);
    },
  };
}
