"use client";
// One destination of a callback: what it targets, its circuit breaker, a template preview, and
// (for admins) enable, edit, test, bulk replay, delete.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { DestinationKindForm } from "@/lib/ui/form-specs";
import type { FormValue } from "@/lib/ui/field-spec";
import type { PresetChoice } from "@/lib/ui/preset-form";
import type { TlsStatus } from "@/lib/ui/tls-status";
import type { PausedReason } from "@/lib/ui/hold-status";
import { apiCall } from "@/app/_ui/api-client";
import { EnabledBadge } from "@/app/_ui/status-badge";
import { BreakerStatus } from "@/app/(console)/callbacks/[id]/breaker-status";
import { BulkReplayForm } from "@/app/(console)/callbacks/[id]/bulk-replay-form";
import { DestinationForm } from "@/app/(console)/callbacks/[id]/destination-form";
import { DestinationHold } from "@/app/(console)/callbacks/[id]/hold-controls";
import { TemplatePreview } from "@/app/(console)/callbacks/[id]/template-preview";
import { TestRun } from "@/app/(console)/callbacks/[id]/test-run";

export interface DestinationSummary extends FormValue {
  id: string;
  kind: string;
  name: string;
  enabled: boolean;
  target: string;
  consecutiveFailures: number;
  failureThreshold: number | null;
  disabledReason: string | null;
  paused?: boolean;
  pausedReason?: PausedReason | null;
  pausedAt?: string | null;
}

interface Props {
  callbackId: string;
  destination: DestinationSummary;
  forms: DestinationKindForm[];
  presets: PresetChoice[];
  canWrite: boolean;
  tls: TlsStatus;
  callbackRetries: number;
}

export function DestinationCard({ callbackId, destination, forms, presets, canWrite, tls, callbackRetries }: Props) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [replaying, setReplaying] = useState(false);

  const remove = async () => {
    if (!window.confirm(`Delete the destination "${destination.name}"? Its delivery history stays readable.`)) return;
    const result = await apiCall("DELETE", `/api/destinations/${destination.id}`);
    if (result.ok) router.refresh();
    else window.alert(result.error.message);
  };

  return (
    <article id={`destination-${destination.id}`} className={destination.enabled ? "card" : "card card-disabled"} aria-label={`Destination ${destination.name}`}>
      <header className="card-head">
        <h3>
          {destination.name} <span className="chip">{destination.kind}</span>
        </h3>
        <EnabledBadge enabled={destination.enabled} reason={destination.disabledReason} />
      </header>
      <p className="mono small break">{destination.target}</p>
      <TlsSummary tls={tls} />
      <RoutingSummary filter={destination.filter} transform={destination.transform} />
      <BreakerStatus
        destinationId={destination.id}
        enabled={destination.enabled}
        consecutiveFailures={destination.consecutiveFailures}
        failureThreshold={destination.failureThreshold}
        disabledReason={destination.disabledReason}
        canWrite={canWrite}
      />
      <DestinationHold
        destinationId={destination.id}
        paused={destination.paused === true}
        pausedReason={destination.pausedReason ?? null}
        pausedAt={destination.pausedAt ?? null}
        canWrite={canWrite}
      />
      {/* A div, not a p: the test run inside renders block elements (a p would break hydration). */}
      <div className="actions">
        <Link href={`/deliveries?destinationId=${destination.id}`}>Deliveries</Link>
        {canWrite ? (
          <>
            <TestRun callbackId={callbackId} destinationId={destination.id} />
            <button type="button" className="secondary" onClick={() => setReplaying(!replaying)} aria-expanded={replaying}>
              Replay dead/failed…
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(!editing)} aria-expanded={editing}>
              {editing ? "Close editor" : "Edit"}
            </button>
            <button type="button" className="danger" onClick={remove}>
              Delete
            </button>
          </>
        ) : null}
      </div>
      {replaying ? <BulkReplayForm destinationId={destination.id} enabled={destination.enabled} onClose={() => setReplaying(false)} /> : null}
      <TemplatePreview destinationId={destination.id} />
      {editing ? (
        <DestinationForm callbackId={callbackId} forms={forms} presets={presets} destination={destination} onDone={() => setEditing(false)} callbackRetries={callbackRetries} />
      ) : null}
    </article>
  );
}

/** Whether triggers are filtered and messages transformed here, in one line (the editor has the whole text). */
function RoutingSummary({ filter, transform }: { filter: unknown; transform: unknown }) {
  const filterText = filter === undefined || filter === null ? null : JSON.stringify(filter);
  const lines = typeof transform === "string" && transform !== "" ? transform.split("\n").length : 0;
  if (!filterText && lines === 0) return null;
  return (
    <p className="small routing-summary" data-testid="routing-summary">
      {filterText ? (
        <>
          Filter <code title={filterText}>{filterText.length > 120 ? `${filterText.slice(0, 119)}…` : filterText}</code>
        </>
      ) : null}
      {filterText && lines > 0 ? " · " : null}
      {lines > 0 ? `Transform (${lines} ${lines === 1 ? "line" : "lines"})` : null}
    </p>
  );
}

/** The client certificate's subject and expiry, and warnings for an expiring one or unchecked server certificates. */
function TlsSummary({ tls }: { tls: TlsStatus }) {
  const { certificate } = tls;
  if (!certificate && !tls.insecureSkipVerify) return null;
  return (
    <div className="small" data-testid="tls-status">
      {certificate ? (
        <p>
          Client certificate <span className="break">{certificate.subject}</span> · {certificate.warning ? null : `${certificate.expiry} · `}
          <span title={certificate.expiresAt}>until {certificate.expiresAt.slice(0, 10)}</span>{" "}
          {certificate.warning ? (
            <span className={certificate.warning === "expired" ? "badge status-dead" : "badge status-failed"} role="status">
              certificate {certificate.expiry}
            </span>
          ) : null}
        </p>
      ) : null}
      {tls.insecureSkipVerify ? (
        <p>
          <span className="badge warn" role="status">
            ⚠ TLS verification off
          </span>{" "}
          <span className="warn">the server&apos;s certificate is not checked (development only; refused in production)</span>
        </p>
      ) : null}
    </div>
  );
}

export function AddDestination({ callbackId, forms, presets, callbackRetries }: { callbackId: string; forms: DestinationKindForm[]; presets: PresetChoice[]; callbackRetries: number }) {
  const [open, setOpen] = useState(false);
  return open ? (
    <section className="card">
      <h3>New destination</h3>
      <DestinationForm callbackId={callbackId} forms={forms} presets={presets} onDone={() => setOpen(false)} callbackRetries={callbackRetries} />
    </section>
  ) : (
    <button type="button" onClick={() => setOpen(true)}>
      Add destination
    </button>
  );
}
