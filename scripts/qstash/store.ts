// In-memory state of the local QStash: pending messages, deduplication ids and the DLQ.
import { createHash, randomBytes } from "node:crypto";
import type { AttemptResult, DlqEntry, MessageDraft, StoredMessage } from "./types";

const dedupWindowMs = 10 * 60_000;

export function newMessageId(): string {
  return `msg_${randomBytes(16).toString("base64url")}`;
}

/** Deduplication key of a draft, or undefined when it asked for none. */
export function dedupKeyOf(draft: MessageDraft): string | undefined {
  if (draft.deduplicationId !== undefined) return `id:${draft.deduplicationId}`;
  if (!draft.contentBasedDeduplication) return undefined;
  const hash = createHash("sha256");
  hash.update(`${draft.method} ${draft.url}\n`);
  for (const name of Object.keys(draft.header).sort()) hash.update(`${name}: ${draft.header[name].join(",")}\n`);
  hash.update(draft.body);
  return `content:${hash.digest("hex")}`;
}

export class MessageStore {
  readonly messages = new Map<string, StoredMessage>();
  readonly dlq = new Map<string, DlqEntry>();
  private readonly dedup = new Map<string, { messageId: string; expiresAt: number }>();
  private dlqSequence = 0;
  private lastPruneAt = 0;

  findDuplicate(key: string, now: number): string | undefined {
    const entry = this.dedup.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > now) return entry.messageId;
    this.dedup.delete(key);
    return undefined;
  }

  rememberDedup(key: string, messageId: string, now: number): void {
    this.pruneDedup(now);
    this.dedup.set(key, { messageId, expiresAt: now + dedupWindowMs });
  }

  addToDlq(message: StoredMessage, result: AttemptResult, now: number): DlqEntry {
    // QStash's dlqIds are Redis stream ids ("<ms>-<seq>"); mimic the shape, not the source.
    this.dlqSequence += 1;
    const entry: DlqEntry = { dlqId: `${now}-${this.dlqSequence}`, message, result, failedAt: now };
    this.dlq.set(entry.dlqId, entry);
    return entry;
  }

  clear(): void {
    this.messages.clear();
    this.dlq.clear();
    this.dedup.clear();
  }

  private pruneDedup(now: number): void {
    // A full sweep per publish would make a long benchmark quadratic; once a minute is enough.
    if (now - this.lastPruneAt < 60_000) return;
    this.lastPruneAt = now;
    for (const [key, entry] of this.dedup) {
      if (entry.expiresAt <= now) this.dedup.delete(key);
    }
  }
}
