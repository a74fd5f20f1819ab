// GET|PUT|DELETE /api/settings/alerts behind one admin check: credentials are masked on read
// and a masked credential sent back keeps the stored one, as for destinations.
import type { Database } from "@/lib/db";
import type { SettingRow } from "@/lib/db/schema";
import { deleteSetting, findSetting, upsertSetting } from "@/lib/db/queries/settings";
import { canWrite, type Operator } from "@/lib/auth/operator";
import { AppError } from "@/lib/errors";
import { httpSecretFields, type HttpConfig } from "@/lib/destinations/http-config";
import { httpKind } from "@/lib/destinations/kinds";
import { prepareDestination, readStoredSecrets } from "@/lib/destinations/manage-destinations";
import { maskSecrets } from "@/lib/destinations/secret-fields";
import { defaultMaxConcurrency } from "@/lib/destinations/limits";
import {
  alertSettingsName,
  readStoredAlertSettings,
  type AlertSettingsInput,
  type StoredAlertSettings,
} from "@/lib/alerts/alert-settings";

export type AlertSettingsView =
  | { configured: false }
  | {
      configured: true;
      enabled: boolean;
      retries: number;
      target: string;
      config: Record<string, unknown>;
      updatedAt: string;
      /** Only in the answer that generated it (config.sign turned on for the first time). */
      signingSecret?: string;
    };

function assertAdmin(operator: Operator): void {
  if (!canWrite(operator)) throw new AppError("forbidden", "Only admins may read or change the alert webhook");
}

function present(row: SettingRow | undefined, signingSecret?: string): AlertSettingsView {
  const stored = readStoredAlertSettings(row);
  if (!row || !stored) return { configured: false };
  const config = maskSecrets(stored.config, httpSecretFields, Object.keys(readStoredSecrets(row)));
  return {
    configured: true,
    enabled: stored.enabled,
    retries: stored.retries,
    target: httpKind.describeTarget(config as HttpConfig),
    config,
    updatedAt: row.updated_at.toISOString(),
    ...(signingSecret ? { signingSecret } : {}),
  };
}

export async function readAlertSettings(db: Database, operator: Operator): Promise<AlertSettingsView> {
  assertAdmin(operator);
  return present(await findSetting(db, alertSettingsName));
}

/** Replaces the settings (PUT). */
export async function saveAlertSettings(db: Database, operator: Operator, input: AlertSettingsInput): Promise<AlertSettingsView> {
  assertAdmin(operator);
  const existing = await findSetting(db, alertSettingsName);
  const previous = existing ? readStoredSecrets(existing) : {};
  const destination = { kind: "http" as const, name: "alerts", enabled: true, failureThreshold: null, maxConcurrency: defaultMaxConcurrency, config: input.config };
  const prepared = await prepareDestination(db, destination, previous, { variables: {} });
  const value: StoredAlertSettings = { enabled: input.enabled, retries: input.retries, config: prepared.config };
  const row = await upsertSetting(db, alertSettingsName, JSON.stringify(value), prepared.secretsEnc);
  return present(row, prepared.newSigningSecret);
}

export async function removeAlertSettings(db: Database, operator: Operator): Promise<void> {
  assertAdmin(operator);
  await deleteSetting(db, alertSettingsName);
}
