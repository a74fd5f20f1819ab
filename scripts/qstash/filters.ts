// Query-string filters of the bulk endpoints (DELETE /v2/messages, GET|DELETE /v2/dlq,
// POST /v2/dlq/retry), as the SDK's buildBulkActionFilterPayload / listMessages send them.
// Repeated parameters mean "any of" and different parameters "all of", as in QStash.
import { HttpError } from "./http-utils";
import type { DlqEntry, StoredMessage } from "./types";

type Matcher = (message: StoredMessage, values: string[]) => boolean;

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "";
  }
}

const messageMatchers: Record<string, Matcher> = {
  messageId: (m, values) => values.includes(m.messageId),
  url: (m, values) => values.includes(m.url),
  host: (m, values) => values.includes(hostOf(m.url)),
  path: (m, values) => values.includes(pathOf(m.url)),
  label: (m, values) => values.some((value) => m.labels?.includes(value) ?? false),
  queueName: (m, values) => m.queueName !== undefined && values.includes(m.queueName),
  flowControlKey: (m, values) => m.flowControl !== undefined && values.includes(m.flowControl.key),
  callerIp: (m, values) => m.callerIp !== undefined && values.includes(m.callerIp),
  // This server has no URL groups or schedules, so these filters can only match nothing.
  topicName: () => false,
  scheduleId: () => false,
  fromDate: (m, values) => m.createdAt >= Number(values[0]),
  toDate: (m, values) => m.createdAt <= Number(values[0]),
};

/** Parameters that steer paging or select by id rather than filter. */
const controlParams = new Set(["count", "cursor", "messageIds", "dlqIds", "api"]);

function matchesMessage(message: StoredMessage, params: URLSearchParams, extra: Set<string>): boolean {
  for (const name of new Set(params.keys())) {
    if (controlParams.has(name) || extra.has(name)) continue;
    const matcher = messageMatchers[name];
    if (!matcher) throw new HttpError(400, `unknown filter "${name}"`);
    if (!matcher(message, params.getAll(name))) return false;
  }
  return true;
}

export function filterMessages(messages: Iterable<StoredMessage>, params: URLSearchParams): StoredMessage[] {
  const ids = params.getAll("messageIds");
  const selected = [...messages].filter((m) => ids.length === 0 || ids.includes(m.messageId));
  return selected.filter((m) => matchesMessage(m, params, new Set()));
}

export function filterDlq(entries: Iterable<DlqEntry>, params: URLSearchParams): DlqEntry[] {
  const ids = params.getAll("dlqIds");
  const statuses = params.getAll("responseStatus").map(Number);
  return [...entries].filter(
    (entry) =>
      (ids.length === 0 || ids.includes(entry.dlqId)) &&
      (statuses.length === 0 || statuses.includes(entry.result.status)) &&
      matchesMessage(entry.message, params, new Set(["responseStatus"])),
  );
}

/** Cursor = offset into the filtered list; opaque to the SDK, which only passes it back. */
export function paginate<T>(items: T[], params: URLSearchParams, defaultCount: number): { page: T[]; cursor?: string } {
  const start = Number(params.get("cursor") ?? "0");
  const count = Number(params.get("count") ?? String(defaultCount));
  if (!Number.isInteger(start) || start < 0) throw new HttpError(400, "cursor is not one this server issued");
  if (!Number.isInteger(count) || count < 1) throw new HttpError(400, "count must be a positive integer");
  const page = items.slice(start, start + count);
  const next = start + count;
  return next < items.length ? { page, cursor: String(next) } : { page };
}
