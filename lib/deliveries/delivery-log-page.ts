// The delivery log page: its query string → a keyset page of the log, plus the callbacks and
// destinations its filters offer. Times in the form are UTC.
import type { Database } from "@/lib/db";
import { listCallbackRows } from "@/lib/db/queries/callbacks";
import { listDestinationsOf } from "@/lib/db/queries/destinations";
import { deliveryQuerySchema, listDeliveries, type DeliveryPage } from "@/lib/deliveries/list-deliveries";

const logPageSize = 50;

export const timeRanges = { "1h": 3_600_000, "24h": 86_400_000, "7d": 604_800_000 } as const;

export interface LogFilters {
  /** The search box: the filter language as JSON text, over each delivery's captured request. */
  filter?: string;
  callbackId?: string;
  destinationId?: string;
  status?: string;
  kind?: string;
  range?: string;
  /** datetime-local text, read as UTC. */
  from?: string;
  to?: string;
  cursor?: string;
  after?: string;
  live: boolean;
}

export interface DeliveryLog {
  filters: LogFilters;
  page: DeliveryPage | null;
  error: string | null;
  /** The parameter the error names (e.g. "filter.body.amount"), so the page can show it under its field. */
  errorField: string | null;
  callbacks: Array<{ id: string; name: string }>;
  destinations: Array<{ id: string; name: string; kind: string; callbackId: string }>;
}

function localToIso(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00Z` : value;
}

function toQuery(filters: LogFilters, now: number) {
  const preset = filters.range && filters.range in timeRanges ? timeRanges[filters.range as keyof typeof timeRanges] : undefined;
  return deliveryQuerySchema.safeParse({
    filter: filters.filter,
    callbackId: filters.callbackId,
    destinationId: filters.destinationId,
    status: filters.status,
    kind: filters.kind,
    from: preset ? new Date(now - preset).toISOString() : localToIso(filters.from),
    to: preset ? undefined : localToIso(filters.to),
    cursor: filters.cursor,
    after: filters.after,
    limit: logPageSize,
  });
}

export async function loadDeliveryLog(db: Database, filters: LogFilters, now = Date.now()): Promise<DeliveryLog> {
  const callbackRows = await listCallbackRows(db);
  const destinationRows = await listDestinationsOf(
    db,
    callbackRows.map((row) => row.id),
  );
  const parsed = toQuery(filters, now);
  const base = {
    filters,
    callbacks: callbackRows.map((row) => ({ id: row.id, name: row.name })),
    destinations: destinationRows.map((row) => ({ id: row.id, name: row.name, kind: row.kind, callbackId: row.callback_id })),
  };
  if (!parsed.success) {
    // The same words as the API's 400/422 for the same query (parseListQuery).
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "query";
    return { ...base, page: null, error: `${field}: ${issue?.message ?? "invalid"}`, errorField: field };
  }
  return { ...base, page: await listDeliveries(db, parsed.data), error: null, errorField: null };
}
