// GET /callbacks/:id — one callback: trigger URL and curl, token rotation, destinations, settings
import Link from "next/link";
import { requirePageOperator } from "@/lib/auth/require-page-operator";
import { getCallback } from "@/lib/callbacks/manage-callbacks";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { idParam } from "@/lib/http/params";
import { callbackFormFields, destinationFormSpecs } from "@/lib/ui/form-specs";
import { orNotFound } from "@/lib/ui/page-data";
import { presetChoices } from "@/lib/ui/preset-choices";
import { destinationTlsStatus } from "@/lib/ui/tls-status";
import { curlForPath, curlForToken, tokenPlaceholder, type TriggerTarget } from "@/lib/ui/trigger-snippets";
import { CopyBlock } from "@/app/_ui/copy-button";
import { EnabledBadge } from "@/app/_ui/status-badge";
import { CallbackForm } from "@/app/(console)/callbacks/callback-form";
import { DeleteCallback, RotateToken } from "@/app/(console)/callbacks/[id]/callback-actions";
import { AddDestination, DestinationCard } from "@/app/(console)/callbacks/[id]/destination-card";
import { HandshakeLog } from "@/app/(console)/callbacks/[id]/handshake-log";
import { CallbackHoldBadge, CallbackHoldButton } from "@/app/(console)/callbacks/[id]/hold-controls";

export const metadata = { title: "Callback" };

export default async function CallbackPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const operator = await requirePageOperator(`/callbacks/${id}`);
  const callback = await orNotFound(() => getCallback(getDb(), idParam(id)));
  const appUrl = getEnv().appUrl;
  const target: TriggerTarget = { appUrl, methods: callback.methods, path: callback.path, pathTokenHeader: callback.pathTokenHeader };
  const forms = destinationFormSpecs();
  const presets = presetChoices();
  const pathCurl = curlForPath(target);
  return (
    <>
      <div className="page-head">
        <h1>
          {callback.name} <EnabledBadge enabled={callback.enabled} />{" "}
          <CallbackHoldBadge paused={callback.paused} destinationIds={callback.destinations.map((destination) => destination.id)} />
        </h1>
        <p className="actions">
          <Link href={`/deliveries?callbackId=${callback.id}`}>Delivery log</Link>
          {operator.canWrite ? <CallbackHoldButton callbackId={callback.id} paused={callback.paused} /> : null}
          {operator.canWrite ? <DeleteCallback callbackId={callback.id} name={callback.name} /> : null}
        </p>
      </div>
      <section className="panel">
        <h2>Trigger</h2>
        <p>
          Accepts <strong>{callback.methods.join(", ")}</strong> at <code className="break">{`${appUrl}/api/trigger/${callback.tokenPrefix}…`}</code>
          {callback.rateLimitPerMinute ? `, at most ${callback.rateLimitPerMinute} per minute` : ""}.
        </p>
        <p className="muted">
          The full token was shown once when it was issued; replace <code>{tokenPlaceholder}</code> with it, or rotate to get a new one.
        </p>
        <CopyBlock label="curl" value={curlForToken(target)} />
        {pathCurl ? <CopyBlock label={`Custom path${callback.pathTokenHeader ? ` (token in ${callback.pathTokenHeader})` : ""}`} value={pathCurl} /> : null}
        {operator.canWrite ? <RotateToken callbackId={callback.id} target={target} /> : null}
      </section>
      <section className="panel">
        <h2>Destinations</h2>
        {callback.destinations.length === 0 ? (
          <p className="muted">No destinations yet: triggers are accepted but nothing is delivered. {operator.canWrite ? "Add one below." : ""}</p>
        ) : null}
        <div className="cards">
          {callback.destinations.map((destination) => (
            <DestinationCard
              key={destination.id}
              callbackId={callback.id}
              destination={{ ...destination }}
              forms={forms}
              presets={presets}
              canWrite={operator.canWrite}
              tls={destinationTlsStatus(destination)}
              callbackRetries={callback.retries}
            />
          ))}
        </div>
        {operator.canWrite ? <AddDestination callbackId={callback.id} forms={forms} presets={presets} callbackRetries={callback.retries} /> : null}
      </section>
      <HandshakeLog callbackId={callback.id} preset={callback.handshake?.type} />
      <section className="panel">
        <h2>Settings</h2>
        {operator.canWrite ? null : <p className="muted">Read-only: your role is viewer.</p>}
        <CallbackForm fields={callbackFormFields("edit")} appUrl={appUrl} callback={{ ...callback }} disabled={!operator.canWrite} />
      </section>
    </>
  );
}
