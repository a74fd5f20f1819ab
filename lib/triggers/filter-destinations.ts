// Which of a trigger's destinations its filters let through, decided in-process before anything
// is published: a destination left out gets no delivery row and no QStash message.
import type { CapturedRequest } from "@/lib/deliveries/job";
import { eventSubject, matchFilter, type FilterSubject } from "@/lib/filters/match-filter";
import type { Filter } from "@/lib/filters/filter-schema";
import type { JsonBody } from "@/lib/triggers/json-body";

/** What a filter sees of a captured request: the same as of the event row stored from it. */
export function triggerSubject(request: CapturedRequest, body: JsonBody | undefined): FilterSubject {
  return eventSubject({
    method: request.method,
    path: request.path,
    query: request.query,
    headers: request.headers,
    body: request.body,
    body_encoding: request.bodyEncoding,
    body_json: body ? body.value : null,
  });
}

export interface FilteredDestinations<D> {
  matching: D[];
  /** Ids of the destinations whose filter did not match, in the order given. */
  filtered: string[];
}

/** The subject is built only when some destination has a filter. */
export function filterDestinations<D extends { id: string; filter?: Filter | null }>(destinations: readonly D[], subjectOf: () => FilterSubject): FilteredDestinations<D> {
  const result: FilteredDestinations<D> = { matching: [], filtered: [] };
  let subject: FilterSubject | undefined;
  for (const destination of destinations) {
    if (!destination.filter) {
      result.matching.push(destination);
      continue;
    }
    subject ??= subjectOf();
    if (matchFilter(destination.filter, subject).matched) result.matching.push(destination);
    else result.filtered.push(destination.id);
  }
  return result;
}
