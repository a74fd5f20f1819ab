// GET /alerts — the alerts log: what was raised (dead deliveries, disabled destinations) and how
// sending it to the alert webhook went; admins also see where alerts go
import Link from "next/link";
import { pagePath, requirePageOperator } from "@/lib/auth/require-page-operator";
import { readAlertSettings, type AlertSettingsView } from "@/lib/alerts/manage-alert-settings";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { loadAlertLog, type AlertLog } from "@/lib/ui/alert-log-page";
import { formatAge, formatTime } from "@/lib/ui/format";
import { firstParam, type SearchParams } from "@/lib/ui/page-data";
import { StatusBadge } from "@/app/_ui/status-badge";

export const metadata = { title: "Alerts" };

export default async function AlertsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const operator = await requirePageOperator(pagePath("/alerts", params));
  const db = getDb();
  const cursor = firstParam(params, "cursor");
  const [log, settings] = await Promise.all([loadAlertLog(db, cursor), operator.canWrite ? readAlertSettings(db, { ...operator, via: "session" }) : null]);
  return (
    <>
      <div className="page-head">
        <h1>Alerts</h1>
        {operator.canWrite ? (
          <p className="actions">
            <Link href="/settings/alerts">Alert webhook settings</Link>
          </p>
        ) : null}
      </div>
      <p className="muted">
        An alert is raised when a delivery goes <strong>dead</strong> (retries exhausted) or a destination is <strong>disabled</strong> (circuit breaker or HTTP 410), and sent to the alert
        webhook as its own job, so a slow receiver never holds up a delivery.
      </p>
      {settings ? <WebhookState settings={settings} /> : null}
      {log.error ? (
        <p className="form-error" role="alert">
          {log.error} <Link href="/alerts">Newest alerts</Link>
        </p>
      ) : (
        <AlertTable log={log} paged={Boolean(cursor)} configured={settings?.configured} />
      )}
      <p className="muted small">
        Alerts are kept for {getEnv().retentionDays} days (<code>RETENTION_DAYS</code>), like deliveries.
      </p>
    </>
  );
}

function WebhookState({ settings }: { settings: AlertSettingsView }) {
  if (!settings.configured) {
    return (
      <p className="panel warn" role="status">
        No alert webhook is configured, so no alert is recorded or sent. <Link href="/settings/alerts">Configure one</Link>.
      </p>
    );
  }
  return (
    <p className={settings.enabled ? "panel" : "panel warn"} role="status">
      {settings.enabled ? "Alerts go to " : "Alerts are switched off (nothing is recorded or sent); the webhook is "}
      <code className="break">{settings.target}</code>, retried {settings.retries} time{settings.retries === 1 ? "" : "s"}.
    </p>
  );
}

function AlertTable({ log, paged, configured }: { log: AlertLog; paged: boolean; configured: boolean | undefined }) {
  if (log.items.length === 0) {
    return (
      <section className="panel empty">
        <p>{paged ? "No older alerts." : "No alerts yet."}</p>
        <p className="muted">
          {configured === false ? "Configure an alert webhook to record and send alerts." : "Nothing has gone dead and no destination was disabled while alerts were on."}
        </p>
        {paged ? <Link href="/alerts">Back to the newest</Link> : null}
      </section>
    );
  }
  return (
    <section className="panel">
      <div className="table-wrap">
        <table className="alerts">
          <thead>
            <tr>
              <th>Alert</th>
              <th>Sent</th>
              <th className="num">Attempts</th>
              <th>Age</th>
            </tr>
          </thead>
          <tbody>
            {log.items.map((alert) => (
              <tr key={alert.id} className={alert.type === "destination.disabled" || alert.type === "destination.paused" ? "row-attention" : undefined}>
                <td className="reason">
                  <span className={`badge alert-${alert.type.replace(".", "-")}`}>{alert.type}</span> {alert.reason}
                  <div className="muted small">
                    {alert.callbackId ? <Link href={`/callbacks/${alert.callbackId}`}>{alert.destinationName ?? "destination"}</Link> : (alert.destinationName ?? "deleted destination")}
                    {alert.deliveryId ? (
                      <>
                        {" · "}
                        <Link href={`/deliveries/${alert.deliveryId}`}>delivery</Link>
                      </>
                    ) : null}
                  </div>
                </td>
                <td>
                  <StatusBadge status={alert.status} />
                  {alert.lastStatusCode ? <span className="muted small"> HTTP {alert.lastStatusCode}</span> : null}
                  {alert.lastError ? <div className="form-error">{alert.lastError}</div> : null}
                </td>
                <td className="num">{alert.attempts}</td>
                <td title={formatTime(alert.createdAt)}>{formatAge(alert.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label="Pages">
        {paged ? <Link href="/alerts">Newest</Link> : <span />}
        {log.nextCursor ? <Link href={`/alerts?cursor=${log.nextCursor}`}>Older →</Link> : <span className="muted">end of log</span>}
      </nav>
    </section>
  );
}
