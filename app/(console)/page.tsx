// GET / — overview: the last 24 hours per callback, deliveries per hour, failing destinations first
import Link from "next/link";
import { requirePageOperator } from "@/lib/auth/require-page-operator";
import { getDb } from "@/lib/db";
import { loadOverview, type CallbackOverview, type DestinationHealth, type Overview } from "@/lib/deliveries/overview";
import { loadExpiringCertificates, type ExpiringCertificate } from "@/lib/ui/certificate-expiry";
import { formatDuration, formatPercent, formatTime } from "@/lib/ui/format";
import { DeliveryChart } from "@/app/_ui/delivery-chart";
import { EnabledBadge } from "@/app/_ui/status-badge";

export const metadata = { title: "Overview" };

export default async function OverviewPage() {
  const operator = await requirePageOperator("/");
  const [overview, expiring] = await Promise.all([loadOverview(getDb()), loadExpiringCertificates(getDb())]);
  if (overview.callbacks.length === 0) return <FirstRun canWrite={operator.canWrite} />;
  return (
    <>
      <h1>Overview</h1>
      <p className="muted">Last 24 hours. Success rate = succeeded ÷ (succeeded + failed + dead).</p>
      <Totals overview={overview} />
      <section className="panel">
        <h2>Deliveries per hour</h2>
        {overview.totals.total === 0 ? <p className="muted">No deliveries in the last 24 hours. Fire a test from a callback page to see one here.</p> : null}
        <DeliveryChart hours={overview.hours} />
      </section>
      <FailingDestinations overview={overview} canWrite={operator.canWrite} />
      <ExpiringCertificates certificates={expiring} />
      <CallbackTable callbacks={overview.callbacks} />
    </>
  );
}

function FirstRun({ canWrite }: { canWrite: boolean }) {
  return (
    <section className="panel empty">
      <h1>Welcome to Switchyard</h1>
      <p>There are no callbacks yet. A callback gives you a trigger URL; every request to it is delivered to the callback&apos;s HTTP, MQTT or AMQP destinations.</p>
      {canWrite ? (
        <p className="actions">
          <Link className="button" href="/callbacks/new">
            Create your first callback
          </Link>
        </p>
      ) : (
        <p>You are signed in as a viewer: ask an admin to create one.</p>
      )}
    </section>
  );
}

function Totals({ overview }: { overview: Overview }) {
  const { totals } = overview;
  const items = [
    ["Triggers", String(totals.triggers)],
    ["Deliveries", String(totals.total)],
    ["Succeeded", String(totals.succeeded)],
    ["Failed / dead", `${totals.failed} / ${totals.dead}`],
    ["In flight", String(totals.queued)],
    ["Success rate", formatPercent(totals.successRate)],
  ];
  return (
    <dl className="stats">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Disabled destinations first (they receive nothing until enabled); otherwise the given order. */
function disabledFirst(destinations: DestinationHealth[]): DestinationHealth[] {
  return [...destinations].sort((a, b) => Number(a.enabled) - Number(b.enabled));
}

function FailingDestinations({ overview, canWrite }: { overview: Overview; canWrite: boolean }) {
  const disabled = overview.failingDestinations.filter((destination) => !destination.enabled).length;
  if (overview.failingDestinations.length === 0) {
    return (
      <section className="panel">
        <h2>Failing destinations</h2>
        <p className="muted">None: no destination failed in the last 24 hours.</p>
      </section>
    );
  }
  return (
    <section className="panel attention">
      <h2>Failing destinations</h2>
      {disabled > 0 ? (
        <p className="form-error">{disabled === 1 ? "1 destination is disabled and receives" : `${disabled} destinations are disabled and receive`} nothing until enabled.</p>
      ) : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Destination</th>
              <th>Callback</th>
              <th>Failures (24 h)</th>
              <th>In a row</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {disabledFirst(overview.failingDestinations).map((destination) => (
              <tr key={destination.id} className={destination.enabled ? undefined : "row-attention"} data-testid="failing-destination">
                <td>
                  <Link href={`/deliveries?destinationId=${destination.id}&status=failed`}>{destination.name}</Link> <span className="muted">{destination.kind}</span>
                </td>
                <td>
                  <Link href={`/callbacks/${destination.callbackId}`}>{destination.callbackName}</Link>
                </td>
                <td>
                  {destination.failures} of {destination.total}
                </td>
                <td>{destination.consecutiveFailures}</td>
                <td>
                  <EnabledBadge enabled={destination.enabled} reason={destination.disabledReason} />
                  {destination.enabled ? null : (
                    <div className="small">
                      {destination.disabledReason ?? "turned off by an operator"} ·{" "}
                      <Link href={`/callbacks/${destination.callbackId}`}>{canWrite ? "enable on the callback page" : "callback page"}</Link>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Shown only when some client certificate has expired or expires within 30 days. */
function ExpiringCertificates({ certificates }: { certificates: ExpiringCertificate[] }) {
  if (certificates.length === 0) return null;
  return (
    <section className="panel warn" aria-labelledby="expiring-certificates">
      <h2 id="expiring-certificates">Client certificates expiring</h2>
      <p className="muted">Renew these and paste the new certificate and key into the destination; an expired one fails every TLS connection.</p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Destination</th>
              <th>Callback</th>
              <th>Certificate</th>
              <th>Expiry</th>
            </tr>
          </thead>
          <tbody>
            {certificates.map((certificate) => (
              <tr key={certificate.destinationId} className="row-attention" data-testid="expiring-certificate">
                <td>
                  <Link href={`/callbacks/${certificate.callbackId}#destination-${certificate.destinationId}`}>{certificate.destinationName}</Link>{" "}
                  <span className="muted">{certificate.kind}</span>
                </td>
                <td>
                  <Link href={`/callbacks/${certificate.callbackId}`}>{certificate.callbackName}</Link>
                </td>
                <td className="small break">{certificate.subject}</td>
                <td>
                  <span className={certificate.warning === "expired" ? "badge status-dead" : "badge status-failed"}>{certificate.expiry}</span>
                  <div className="small muted">{formatTime(certificate.expiresAt)}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function CallbackTable({ callbacks }: { callbacks: CallbackOverview[] }) {
  return (
    <section className="panel">
      <h2>Callbacks</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Callback</th>
              <th className="num">Triggers</th>
              <th>Deliveries by status</th>
              <th className="num">Success</th>
              <th className="num">p50</th>
              <th className="num">p95</th>
            </tr>
          </thead>
          <tbody>
            {callbacks.map((callback) => (
              <tr key={callback.id} className={callback.failed + callback.dead > 0 ? "row-attention" : undefined}>
                <td>
                  <Link href={`/callbacks/${callback.id}`}>{callback.name}</Link> {callback.enabled ? null : <EnabledBadge enabled={false} />}
                </td>
                <td className="num">{callback.triggers}</td>
                <td>
                  <StatusCounts callback={callback} />
                </td>
                <td className="num">{formatPercent(callback.successRate)}</td>
                <td className="num">{formatDuration(callback.p50Ms)}</td>
                <td className="num">{formatDuration(callback.p95Ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function StatusCounts({ callback }: { callback: CallbackOverview }) {
  const statuses = (["succeeded", "failed", "dead", "queued", "skipped"] as const).filter((status) => callback[status] > 0);
  if (statuses.length === 0) return <span className="muted">none</span>;
  return (
    <span className="counts">
      {statuses.map((status) => (
        <Link key={status} className={`badge status-${status}`} href={`/deliveries?callbackId=${callback.id}&status=${status}`}>
          {status} {callback[status]}
        </Link>
      ))}
    </span>
  );
}
