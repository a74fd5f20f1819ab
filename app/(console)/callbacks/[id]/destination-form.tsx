"use client";
// Add or edit a destination: one form per kind, fields from the kind's config schema, then the
// filter and transform editors; the API's validation error (e.g. config.url, filter.body.amount,
// transform) is shown under the field it names.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { FormValue } from "@/lib/ui/field-spec";
import type { DestinationKindForm } from "@/lib/ui/form-specs";
import { formPlacesError, readFormPayload, toRawForm, type RawForm } from "@/lib/ui/form-values";
import { applyPreset, presetsForKind, withoutPresetField, type PresetChoice } from "@/lib/ui/preset-form";
import { routingOwns, routingPayload, toRoutingText, type RoutingText } from "@/lib/ui/routing-form";
import { pacingPayload, pacingSlotFor, toPacingText, type PacingText } from "@/lib/ui/pacing-form";
import { FormError } from "@/app/_ui/field-error";
import { apiCall, type ApiError } from "@/app/_ui/api-client";
import { SchemaFields } from "@/app/_ui/schema-fields";
import { CopyBlock } from "@/app/_ui/copy-button";
import { FilterEditor } from "@/app/(console)/callbacks/[id]/filter-editor";
import { TransformEditor } from "@/app/(console)/callbacks/[id]/transform-editor";
import { DeliveryPacingFields } from "@/app/(console)/callbacks/[id]/delivery-pacing-fields";

interface Props {
  callbackId: string;
  forms: DestinationKindForm[];
  presets: PresetChoice[];
  /** Absent: a new destination. */
  destination?: FormValue & { id: string; kind: string };
  onDone?: () => void;
  /** The callback's retries: the retry preview's count while the destination does not override it. */
  callbackRetries: number;
}

export function DestinationForm({ callbackId, forms, presets, destination, onDone, callbackRetries }: Props) {
  const router = useRouter();
  const [kind, setKind] = useState(destination?.kind ?? forms[0]?.kind ?? "http");
  const form = forms.find((item) => item.kind === kind);
  const [raws, setRaws] = useState<Record<string, RawForm>>(() =>
    Object.fromEntries(forms.map((item) => [item.kind, toRawForm(item.fields, item.kind === destination?.kind ? destination : {})])),
  );
  const [routing, setRouting] = useState<RoutingText>(() => toRoutingText(destination));
  const [pacing, setPacing] = useState<PacingText>(() => toPacingText(destination));
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [signingSecret, setSigningSecret] = useState<string | null>(null);
  if (!form) return null;
  const idPrefix = destination ? `dst-${destination.id.slice(-8)}` : "dst-new";

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const payload = readFormPayload(form.fields, raws[kind] ?? {}, destination ? "edit" : "create");
    if (!payload.ok) return setError(payload.error);
    const routed = routingPayload(routing, destination ? "edit" : "create");
    if (!routed.ok) return setError(routed.error);
    const paced = pacingPayload(pacing, destination ? "edit" : "create");
    if (!paced.ok) return setError(paced.error);
    const body = payload.body;
    setBusy(true);
    const result = destination
      ? await apiCall<{ signingSecret?: string }>("PATCH", `/api/destinations/${destination.id}`, { ...pick(body, form.patchKeys), ...routed.body, ...paced.body })
      : await apiCall<{ signingSecret?: string }>("POST", `/api/callbacks/${callbackId}/destinations`, { kind, ...body, ...routed.body, ...paced.body });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    router.refresh();
    if (result.data.signingSecret) setSigningSecret(result.data.signingSecret);
    else onDone?.();
  };

  if (signingSecret) {
    return (
      <div className="reveal" role="status">
        <p>
          <strong>Signing secret — shown once.</strong> Receivers verify the webhook-signature header with it (Standard Webhooks).
        </p>
        <CopyBlock label="Signing secret" value={signingSecret} />
        <button type="button" onClick={() => onDone?.()}>
          Done
        </button>
      </div>
    );
  }
  return (
    <form className="stack form-grid" onSubmit={submit} aria-label={destination ? "Edit destination" : "New destination"}>
      {destination ? null : (
        <div className="field">
          <label htmlFor={`${idPrefix}-kind`}>Kind</label>
          <select id={`${idPrefix}-kind`} value={kind} onChange={(event) => setKind(event.target.value)}>
            {forms.map((item) => (
              <option key={item.kind} value={item.kind}>
                {item.kind.toUpperCase()}
              </option>
            ))}
          </select>
        </div>
      )}
      <PresetPicker id={`${idPrefix}-${kind}-preset`} form={form} presets={presets} raw={raws[kind] ?? {}} onChange={(next) => setRaws({ ...raws, [kind]: next })} />
      <SchemaFields
        fields={withoutPresetField(form.fields)}
        value={raws[kind] ?? {}}
        onChange={(next) => setRaws({ ...raws, [kind]: next })}
        error={error}
        idPrefix={`${idPrefix}-${kind}`}
      />
      <FilterEditor id={`${idPrefix}-filter`} destinationId={destination?.id} text={routing.filter} onChange={(filter) => setRouting({ ...routing, filter })} error={error} />
      <TransformEditor
        id={`${idPrefix}-transform`}
        kind={kind}
        destinationId={destination?.id}
        text={routing.transform}
        onChange={(transform) => setRouting({ ...routing, transform })}
        error={error}
      />
      <DeliveryPacingFields idPrefix={`${idPrefix}-pacing`} value={pacing} onChange={setPacing} error={error} callbackRetries={callbackRetries} />
      <p className="hint">
        Text fields accept templates such as <code>{"{body.order.id}"}</code>, <code>{"{header.x-request-id}"}</code> or <code>{"{secret:NAME}"}</code>. Stored credentials show as{" "}
        <code>***</code>; leave them to keep the stored value.
      </p>
      <FormError
        error={error}
        shownAtField={(field) => formPlacesError(withoutPresetField(form.fields), field) || routingOwns(field) !== undefined || pacingSlotFor(field, pacing) !== undefined}
      />
      <p className="actions">
        <button type="submit" disabled={busy}>
          {busy ? "Saving…" : destination ? "Save destination" : "Add destination"}
        </button>
        {onDone ? (
          <button type="button" className="secondary" onClick={onDone}>
            Cancel
          </button>
        ) : null}
      </p>
    </form>
  );
}

interface PickerProps {
  id: string;
  form: DestinationKindForm;
  presets: PresetChoice[];
  raw: RawForm;
  onChange: (next: RawForm) => void;
}

/** Choosing a managed service fills in its defaults for this kind and lists what it will refuse at save. */
function PresetPicker({ id, form, presets, raw, onChange }: PickerProps) {
  const choices = presetsForKind(presets, form.kind);
  if (choices.length === 0) return null;
  const config = (raw.config ?? {}) as RawForm;
  const chosen = typeof config.preset === "string" ? config.preset : "";
  const preset = choices.find((item) => item.id === chosen);
  const shown = preset ? applyPreset(form.fields, {}, preset, form.kind) : undefined;
  const rules = preset?.rules[form.kind] ?? [];
  return (
    <div className="field preset">
      <label htmlFor={id}>Preset</label>
      <select
        id={id}
        value={chosen}
        aria-describedby={preset ? `${id}-hint` : undefined}
        onChange={(event) =>
          onChange(
            applyPreset(
              form.fields,
              raw,
              choices.find((item) => item.id === event.target.value),
              form.kind,
            ).raw,
          )
        }
      >
        <option value="">none (any broker or endpoint)</option>
        {choices.map((item) => (
          <option key={item.id} value={item.id}>
            {item.label}
          </option>
        ))}
      </select>
      {preset && shown ? (
        <div className="hint" id={`${id}-hint`} data-testid="preset-hint">
          <p>
            {preset.description}
            {preset.docsUrl ? (
              <>
                {" "}
                <a href={preset.docsUrl} target="_blank" rel="noreferrer">
                  Docs
                </a>
              </>
            ) : null}
          </p>
          {shown.filled.length > 0 ? <p>Filled in: {shown.filled.join(", ")}.</p> : null}
          {shown.notes.length > 0 ? <p>Also: {shown.notes.join("; ")}.</p> : null}
          {rules.length > 0 ? (
            <ul>
              {rules.map((rule) => (
                <li key={`${rule.field}-${rule.text}`}>
                  <code>{rule.field}</code>: {rule.text}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function pick(body: FormValue, keys: readonly string[]): FormValue {
  return Object.fromEntries(Object.entries(body).filter(([key]) => keys.includes(key)));
}
