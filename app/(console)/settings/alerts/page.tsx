// GET /settings/alerts — the alert webhook (admins change it; viewers get a notice) and how long
// the logs are kept
import Link from "next/link";
import { requirePageOperator } from "@/lib/auth/require-page-operator";
import { readAlertSettings, type AlertSettingsView } from "@/lib/alerts/manage-alert-settings";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { alertSettingsFormFields } from "@/lib/ui/form-specs";
import { formatAge, formatTime } from "@/lib/ui/format";
import { AlertSettingsForm } from "@/app/(console)/settings/alerts/alert-settings-form";

export const metadata = { title: "Alert webhook" };

export default async function AlertSettingsPage() {
  const operator = await requirePageOperator("/settings/alerts");
  const settings = operator.canWrite ? await readAlertSettings(getDb(), { ...operator, via: "session" }) : null;
  return (
    <>
      <div className="page-head">
        <h1>Alert webhook {settings ? <WebhookBadge settings={settings} /> : null}</h1>
        <p className="actions">
          <Link href="/alerts">Alerts log</Link>
        </p>
      </div>
      {settings ? (
        <section className="panel">
          <p className="muted">
            When a delivery goes dead or a destination is disabled (circuit breaker or HTTP 410), Switchyard records an alert and sends it here as its own QStash job. A failing alert is
            retried, recorded in the <Link href="/alerts">alerts log</Link>, and never raises another alert.
          </p>
          {settings.configured ? (
            <p>
              Sending to <code className="break">{settings.target}</code> · saved <span title={formatTime(settings.updatedAt)}>{formatAge(settings.updatedAt)}</span>
            </p>
          ) : (
            <p className="warn" role="status">
              No alert webhook is configured: dead deliveries and disabled destinations raise no alert. Enter the receiver&apos;s URL below.
            </p>
          )}
          <AlertSettingsForm fields={alertSettingsFormFields()} settings={settings.configured ? { enabled: settings.enabled, retries: settings.retries, config: settings.config } : null} />
        </section>
      ) : (
        <section className="panel empty">
          <p>Only admins can see and change the alert webhook.</p>
          <p className="muted">
            The alerts raised so far are in the <Link href="/alerts">alerts log</Link>.
          </p>
        </section>
      )}
      <Retention />
    </>
  );
}

function WebhookBadge({ settings }: { settings: AlertSettingsView }) {
  if (!settings.configured) return <span className="badge status-skipped">not configured</span>;
  return <span className={`badge ${settings.enabled ? "status-succeeded" : "status-skipped"}`}>{settings.enabled ? "on" : "off"}</span>;
}

function Retention() {
  return (
    <section className="panel" aria-label="Retention">
      <h2>Retention</h2>
      <p>
        Deliveries, their attempts, captured requests and alerts are kept for <strong>{getEnv().retentionDays} days</strong>, then deleted by the daily retention job. Change it with{" "}
        <code>RETENTION_DAYS</code>.
      </p>
    </section>
  );
}
