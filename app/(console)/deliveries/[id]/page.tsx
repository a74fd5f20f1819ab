// GET /deliveries/:id — one delivery: the captured request, every attempt as a timeline, Replay
import Link from "next/link";
import { Suspense } from "react";
import { requirePageOperator } from "@/lib/auth/require-page-operator";
import { getDb } from "@/lib/db";
import { loadDeliveryDetailPage, type DeliveryDetail, type DeliveryDetailPage, type EventDeliveryItem } from "@/lib/deliveries/delivery-detail-page";
import { idParam } from "@/lib/http/params";
import { formatAge, formatBody, formatDuration, formatTime, prettyJson } from "@/lib/ui/format";
import { orNotFound } from "@/lib/ui/page-data";
import { skipsVerification } from "@/lib/ui/tls-status";
import { StatusBadge } from "@/app/_ui/status-badge";
import { AutoRefresh } from "@/app/(console)/deliveries/auto-refresh";
import { AttemptRecord } from "@/app/(console)/deliveries/[id]/attempt-record";
import { ReplayButton } from "@/app/(console)/deliveries/[id]/replay-button";

export const metadata = { title: "Delivery" };

export default async function DeliveryPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | undefined>> }) {
  const { id } = await params;
  const operator = await requirePageOperator(`/deliveries/${id}`);
  const { delivery, callbackName, destinationName, filteredDestinations, eventDeliveries } = await orNotFound(() => loadDeliveryDetailPage(getDb(), idParam(id)));
  const live = (await searchParams).live === "1";
  return (
    <>
      <div className="page-head">
        <h1>
          Delivery <StatusBadge status={delivery.status} />
        </h1>
        <p className="actions">
          {delivery.status === "queued" ? (
            <Suspense>
              <AutoRefresh live={live} />
            </Suspense>
          ) : null}
          {operator.canWrite ? <ReplayButton deliveryId={delivery.id} /> : null}
        </p>
      </div>
      <Summary delivery={delivery} callbackName={callbackName} destinationName={destinationName} />
      <EventDeliveries current={delivery.id} deliveries={eventDeliveries} filtered={filteredDestinations} />
      <section className="panel">
        <h2>Attempts</h2>
        {delivery.attemptsLog.length === 0 ? <p className="muted">No attempt recorded yet: the job is waiting in the queue. Turn on auto-refresh to follow it.</p> : null}
        <ol className="timeline">
          {delivery.attemptsLog.map((attempt) => (
            <li key={attempt.id} className={`attempt outcome-${attempt.outcome}`}>
              <h3>
                Attempt {attempt.attempt} · <span className={`badge outcome-${attempt.outcome}`}>{attempt.outcome}</span> · {formatDuration(attempt.durationMs)}
              </h3>
              <p className="muted small">
                {formatTime(attempt.startedAt)}
                {attempt.qstashRetried !== null ? ` · QStash retry ${attempt.qstashRetried}` : ""}
              </p>
              {attempt.error ? <p className="form-error">{attempt.error}</p> : null}
              {skipsVerification(attempt.request) ? (
                <p className="small">
                  <span className="badge warn" role="status">
                    ⚠ TLS verification off
                  </span>{" "}
                  <span className="warn">this attempt was set not to check the server&apos;s certificate (insecureSkipVerify; development only, refused in production)</span>
                </p>
              ) : null}
              <AttemptRecord summary="Request sent (credentials masked)" record={attempt.request} part="request" open={attempt.attempt === delivery.attempts} />
              <AttemptRecord summary="Response / broker acknowledgement" record={attempt.response} part="response" open={attempt.attempt === delivery.attempts} />
            </li>
          ))}
        </ol>
      </section>
      <CapturedRequest event={delivery.event} />
    </>
  );
}

function Summary({ delivery, callbackName, destinationName }: { delivery: DeliveryDetail; callbackName: string | null; destinationName: string | null }) {
  return (
    <section className="panel">
      <dl className="facts">
        <dt>Target</dt>
        <dd className="mono break">{delivery.target ?? "—"}</dd>
        <dt>Callback</dt>
        <dd>{callbackName ? <Link href={`/callbacks/${delivery.callbackId}`}>{callbackName}</Link> : "deleted"}</dd>
        <dt>Destination</dt>
        <dd>
          {destinationName ?? "deleted"} <span className="chip">{delivery.kind}</span>
        </dd>
        <dt>Created</dt>
        <dd>
          {formatTime(delivery.createdAt)} ({formatAge(delivery.createdAt)})
        </dd>
        <dt>Attempts</dt>
        <dd>
          {delivery.attempts} · last {formatDuration(delivery.durationMs)}
          {delivery.lastStatusCode ? ` · HTTP ${delivery.lastStatusCode}` : ""}
        </dd>
        {delivery.lastError ? (
          <>
            <dt>Last error</dt>
            <dd className="form-error">{delivery.lastError}</dd>
          </>
        ) : null}
        {delivery.replayOf ? (
          <>
            <dt>Replay of</dt>
            <dd>
              <Link href={`/deliveries/${delivery.replayOf}`}>{delivery.replayOf}</Link>
            </dd>
          </>
        ) : null}
        <dt>IDs</dt>
        <dd className="mono small">
          delivery {delivery.id} · event {delivery.eventId}
          {delivery.qstashMessageId ? ` · QStash ${delivery.qstashMessageId}` : ""}
        </dd>
      </dl>
    </section>
  );
}

interface EventDeliveriesProps {
  current: string;
  deliveries: EventDeliveryItem[];
  filtered: DeliveryDetailPage["filteredDestinations"];
}

/** Where the event went: each delivery it made, and each destination whose filter left it out (no message was sent there). */
function EventDeliveries({ current, deliveries, filtered }: EventDeliveriesProps) {
  return (
    <section className="panel" aria-label="This event's destinations">
      <h2>This event&apos;s destinations</h2>
      <ul className="event-deliveries">
        {deliveries.map((item) => (
          <li key={item.id}>
            <StatusBadge status={item.status} />{" "}
            {item.id === current ? (
              <strong>{item.destinationName ?? "deleted destination"}</strong>
            ) : (
              <Link href={`/deliveries/${item.id}`}>{item.destinationName ?? "deleted destination"}</Link>
            )}{" "}
            <span className="chip">{item.kind}</span>
            {item.replayOf ? <span className="chip">replay</span> : null}
            {item.id === current ? <span className="muted small"> this delivery</span> : null}
          </li>
        ))}
        {filtered.map((item) => (
          <li key={item.id} data-testid="filtered-destination">
            <span className="badge status-skipped">filtered out</span> {item.name ?? "deleted destination"}{" "}
            <span className="muted small">its filter did not match this event: nothing was sent there</span>
          </li>
        ))}
      </ul>
      {filtered.length === 0 ? <p className="muted small">No destination filtered this event out.</p> : null}
    </section>
  );
}

function CapturedRequest({ event }: { event: DeliveryDetail["event"] }) {
  return (
    <section className="panel">
      <h2>Captured inbound request</h2>
      {event ? (
        <>
          <p className="mono break">
            {event.method} {event.path} · {event.bodyBytes} bytes · received {formatTime(event.receivedAt)}
          </p>
          <details>
            <summary>Query and headers</summary>
            <pre>{prettyJson({ query: event.query, headers: event.headers })}</pre>
          </details>
          <h3>Body</h3>
          <pre>{event.body === "" ? "(empty)" : formatBody(event.body, event.bodyEncoding)}</pre>
        </>
      ) : (
        <p className="muted">The event is no longer retained (older than the retention period), so it cannot be shown or replayed.</p>
      )}
    </section>
  );
}
