// GET /callbacks — every callback with its trigger path, methods and destinations
import Link from "next/link";
import { requirePageOperator } from "@/lib/auth/require-page-operator";
import { listCallbacks } from "@/lib/callbacks/manage-callbacks";
import { getDb } from "@/lib/db";
import type { DestinationView } from "@/lib/destinations/present-destination";
import { formatAge } from "@/lib/ui/format";
import { destinationTlsStatus } from "@/lib/ui/tls-status";
import { EnabledBadge } from "@/app/_ui/status-badge";

export const metadata = { title: "Callbacks" };

export default async function CallbacksPage() {
  const operator = await requirePageOperator("/callbacks");
  const callbacks = await listCallbacks(getDb());
  return (
    <>
      <div className="page-head">
        <h1>Callbacks</h1>
        {operator.canWrite ? (
          <Link className="button" href="/callbacks/new">
            New callback
          </Link>
        ) : null}
      </div>
      {callbacks.length === 0 ? (
        <section className="panel empty">
          <p>No callbacks yet. {operator.canWrite ? "Create one to get a trigger URL." : "An admin can create one."}</p>
        </section>
      ) : (
        <div className="table-wrap panel">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>State</th>
                <th>Methods</th>
                <th>Trigger</th>
                <th>Destinations</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {callbacks.map((callback) => (
                <tr key={callback.id}>
                  <td>
                    <Link href={`/callbacks/${callback.id}`}>{callback.name}</Link>
                  </td>
                  <td>
                    <EnabledBadge enabled={callback.enabled} />
                  </td>
                  <td>{callback.methods.join(", ")}</td>
                  <td className="mono small">{callback.path ? `/api/hooks/${callback.path}` : `/api/trigger/${callback.tokenPrefix}…`}</td>
                  <td>
                    {callback.destinations.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      callback.destinations.map((destination) => <DestinationChip key={destination.id} destination={destination} />)
                    )}
                  </td>
                  <td>{formatAge(callback.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** A destination of the list, marked when its client certificate needs renewing or it skips TLS verification. */
function DestinationChip({ destination }: { destination: DestinationView }) {
  const tls = destinationTlsStatus(destination);
  const notes = [tls.certificate?.warning ? `client certificate ${tls.certificate.expiry}` : "", tls.insecureSkipVerify ? "TLS verification off" : ""].filter(Boolean);
  return (
    <span className={notes.length > 0 ? "chip warn" : "chip"} title={[destination.target, ...notes].join(" · ")}>
      {destination.kind} · {destination.name}
      {notes.length > 0 ? ` ⚠ ${notes.join(", ")}` : ""}
    </span>
  );
}
