// Finds deliveries whose captured request matches a filter, with bounded work: SQL narrows the
// candidates (see search-conditions.ts), matchFilter decides on each one, and at most
// `maxExamined` candidates are read per call. Stopping there is reported with the last id
// examined, so the next call continues exactly where this one stopped.
import type { Database } from "@/lib/db";
import type { DeliveryRow } from "@/lib/db/schema";
import { listSearchCandidates, planWithoutParallelWorkers, type SearchBounds } from "@/lib/db/queries/deliveries-search";
import type { Filter } from "@/lib/filters/filter-schema";
import { eventSubject, matchFilter } from "@/lib/filters/match-filter";
import { searchCondition } from "@/lib/deliveries/search-conditions";

/** Candidates one page of search may examine: bounds the rows read and the filters evaluated. */
const maxExaminedPerSearch = 5_000;
const maxBatch = 1_000;

export interface SearchScope extends Omit<SearchBounds, "condition" | "limit"> {
  filter: Filter;
  /** Matches wanted. */
  limit: number;
  maxExamined?: number;
}

export interface SearchOutcome {
  matches: DeliveryRow[];
  examined: number;
  /** Set when the cap stopped the scan before `limit` matches or the end of the range. */
  cutShortAt: string | null;
}

export async function searchDeliveries(db: Database, scope: SearchScope): Promise<SearchOutcome> {
  return db.transaction().execute(async (trx) => {
    await planWithoutParallelWorkers(trx);
    return scanCandidates(trx, scope);
  });
}

async function scanCandidates(db: Database, scope: SearchScope): Promise<SearchOutcome> {
  const { filter, limit, maxExamined = maxExaminedPerSearch, ...bounds } = scope;
  const condition = searchCondition(filter);
  const matches: DeliveryRow[] = [];
  let examined = 0;
  let lastId: string | undefined;
  // The first batch assumes SQL did most of the work; later ones grow when it did not.
  let batch = Math.min(limit, maxExamined);
  while (matches.length < limit && examined < maxExamined) {
    const size = Math.min(batch, maxExamined - examined);
    const keyset = lastId === undefined ? {} : bounds.ascending ? { aboveId: lastId } : { belowId: lastId };
    const candidates = await listSearchCandidates(db, { ...bounds, ...keyset, condition, limit: size });
    for (const candidate of candidates) {
      examined += 1;
      lastId = candidate.delivery.id;
      if (matchFilter(filter, eventSubject(candidate.event)).matched) {
        matches.push(candidate.delivery);
        if (matches.length === limit) return { matches, examined, cutShortAt: null };
      }
    }
    if (candidates.length < size) return { matches, examined, cutShortAt: null };
    batch = Math.min(batch * 4, maxBatch);
  }
  return { matches, examined, cutShortAt: matches.length < limit ? (lastId ?? null) : null };
}
