// GET /deliveries — the delivery log: filters, keyset pages (Newer/Older), optional auto-refresh
import Link from "next/link";
import { Suspense } from "react";
import { pagePath, requirePageOperator } from "@/lib/auth/require-page-operator";
import { getDb } from "@/lib/db";
import { loadDeliveryLog, timeRanges, type DeliveryLog, type LogFilters } from "@/lib/deliveries/delivery-log-page";
import { deliveryStatuses, type SearchReport } from "@/lib/deliveries/list-deliveries";
import { destinationKindNames } from "@/lib/destinations/kinds";
import { getEnv } from "@/lib/env";
import { formatAge, formatDuration, formatTime } from "@/lib/ui/format";
import { firstParam, type SearchParams } from "@/lib/ui/page-data";
import { StatusBadge } from "@/app/_ui/status-badge";
import { AutoRefresh } from "@/app/(console)/deliveries/auto-refresh";

export const metadata = { title: "Deliveries" };

const filterKeys = ["filter", "callbackId", "destinationId", "status", "kind", "range", "from", "to"] as const;

export default async function DeliveriesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  await requirePageOperator(pagePath("/deliveries", params));
  const filters: LogFilters = { live: firstParam(params, "live") === "1" };
  for (const key of [...filterKeys, "cursor", "after"] as const) filters[key] = firstParam(params, key);
  const log = await loadDeliveryLog(getDb(), filters);
  return (
    <>
      <div className="page-head">
        <h1>Deliveries</h1>
        <Suspense>
          <AutoRefresh live={filters.live} />
        </Suspense>
      </div>
      <FilterForm log={log} />
      {log.error && !searchOwns(log.errorField) ? (
        <p className="form-error" role="alert">
          {log.error}
        </p>
      ) : null}
      {log.page?.search ? <SearchReportLine report={log.page.search} /> : null}
      {log.page ? <DeliveryTable log={log} /> : null}
      <p className="muted small">
        Deliveries, their attempts and captured requests are kept for {getEnv().retentionDays} days (<code>RETENTION_DAYS</code>), then deleted by the daily retention job.
      </p>
    </>
  );
}

/** Errors in the filter language name a path inside it ("filter.body.amount"): shown under the search box. */
const searchOwns = (field: string | null) => field === "filter" || Boolean(field?.startsWith("filter."));

function FilterForm({ log }: { log: DeliveryLog }) {
  const { filters } = log;
  return (
    <section className="panel" aria-label="Filters">
      <form className="filters" method="get" action="/deliveries" aria-label="Filters">
        <SearchBox value={filters.filter} error={searchOwns(log.errorField) ? log.error : null} />
        <Select name="callbackId" label="Callback" value={filters.callbackId} options={log.callbacks.map((item) => [item.id, item.name])} />
        <Select name="destinationId" label="Destination" value={filters.destinationId} options={log.destinations.map((item) => [item.id, `${item.name} (${item.kind})`])} />
        <Select name="status" label="Status" value={filters.status} options={deliveryStatuses.map((status) => [status, status])} />
        <Select name="kind" label="Kind" value={filters.kind} options={destinationKindNames.map((kind) => [kind, kind])} />
        <Select name="range" label="Time" value={filters.range} options={Object.keys(timeRanges).map((range) => [range, `last ${range}`])} empty="any time / custom" />
        <div className="field">
          <label htmlFor="filter-from">From (UTC)</label>
          <input id="filter-from" name="from" type="datetime-local" defaultValue={filters.from} />
        </div>
        <div className="field">
          <label htmlFor="filter-to">To (UTC)</label>
          <input id="filter-to" name="to" type="datetime-local" defaultValue={filters.to} />
        </div>
        {filters.live ? <input type="hidden" name="live" value="1" /> : null}
        <p className="actions">
          <button type="submit">Apply</button>
          <Link href="/deliveries">Clear</Link>
        </p>
      </form>
    </section>
  );
}

const searchExample = '{"body": {"type": "order.created", "amount": {"numeric": [">", 100]}}}';

function SearchBox({ value, error }: { value?: string; error: string | null }) {
  return (
    <div className="field search">
      <label htmlFor="filter-search">Search (filter language, JSON)</label>
      <input
        id="filter-search"
        name="filter"
        type="text"
        spellCheck={false}
        autoComplete="off"
        defaultValue={value}
        placeholder={searchExample}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "filter-search-error" : "filter-search-hint"}
      />
      {error ? (
        <p className="field-error" id="filter-search-error" role="alert">
          {error}
        </p>
      ) : (
        <p className="hint" id="filter-search-hint">
          Matches each delivery&apos;s captured request on <code>method</code>, <code>path</code>, <code>query</code>, <code>headers</code> and <code>body</code>, as a destination filter
          does. Without a time below, it searches the last 24 hours.
        </p>
      )}
    </div>
  );
}

function Select({ name, label, value, options, empty = "all" }: { name: string; label: string; value?: string; options: string[][]; empty?: string }) {
  return (
    <div className="field">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name} defaultValue={value ?? ""}>
        <option value="">{empty}</option>
        {options.map(([optionValue, text]) => (
          <option key={optionValue} value={optionValue}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** What a search page covered: its window, and whether it stopped at the work cap (Older goes on from there). */
function SearchReportLine({ report }: { report: SearchReport }) {
  return (
    <p className="muted small" role="status" data-testid="search-report">
      Searched deliveries from {formatTime(report.from)} to {report.to ? formatTime(report.to) : "now"} · {report.examined} examined
      {report.cutShort ? " · this page stopped at the search's work limit: “Older” continues from there" : ""}
    </p>
  );
}

function pageLink(filters: LogFilters, cursor: { cursor?: string; after?: string }): string {
  const query = new URLSearchParams();
  for (const key of filterKeys) {
    const value = filters[key];
    if (value) query.set(key, value);
  }
  if (filters.live) query.set("live", "1");
  if (cursor.cursor) query.set("cursor", cursor.cursor);
  if (cursor.after) query.set("after", cursor.after);
  const text = query.toString();
  return text ? `/deliveries?${text}` : "/deliveries";
}

function DeliveryTable({ log }: { log: DeliveryLog }) {
  const page = log.page;
  if (!page) return null;
  const callbackNames = new Map(log.callbacks.map((item) => [item.id, item.name]));
  const destinationNames = new Map(log.destinations.map((item) => [item.id, item.name]));
  const paged = Boolean(log.filters.cursor || log.filters.after);
  if (page.items.length === 0) {
    return (
      <section className="panel empty">
        <p>{paged ? "No more deliveries on this side." : "No deliveries match these filters."}</p>
        <p className="muted">Deliveries appear when a trigger URL is called or when you use “Send test” on a callback&apos;s destination. Widen the time range or clear the filters.</p>
        {paged ? <Link href={pageLink(log.filters, {})}>Back to the newest</Link> : null}
      </section>
    );
  }
  return (
    <section className="panel">
      <div className="table-wrap">
        <table className="log">
          <thead>
            <tr>
              <th>Status</th>
              <th>Kind</th>
              <th>Target</th>
              <th className="num">Attempts</th>
              <th className="num">Duration</th>
              <th>Age</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((item) => (
              <tr key={item.id}>
                <td>
                  <Link href={`/deliveries/${item.id}`} className="row-link">
                    <StatusBadge status={item.status} />
                  </Link>
                  {item.replayOf ? <span className="chip">replay</span> : null}
                </td>
                <td>{item.kind}</td>
                <td className="target">
                  <Link href={`/deliveries/${item.id}`}>{item.target ?? "—"}</Link>
                  <div className="muted small">
                    {callbackNames.get(item.callbackId) ?? "deleted callback"} → {destinationNames.get(item.destinationId) ?? "deleted destination"}
                    {item.lastError ? <span className="form-error"> · {item.lastError}</span> : null}
                  </div>
                </td>
                <td className="num">{item.attempts}</td>
                <td className="num">{formatDuration(item.durationMs)}</td>
                <td title={formatTime(item.createdAt)}>{formatAge(item.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label="Pages">
        {page.prevCursor ? <Link href={pageLink(log.filters, { after: page.prevCursor })}>← Newer</Link> : paged ? <Link href={pageLink(log.filters, {})}>Newest</Link> : <span />}
        {page.nextCursor ? <Link href={pageLink(log.filters, { cursor: page.nextCursor })}>Older →</Link> : <span className="muted">end of log</span>}
      </nav>
    </section>
  );
}
