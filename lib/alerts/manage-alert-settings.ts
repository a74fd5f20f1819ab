// GET|PUT|DELETE /api/settings/alerts behind one admin check: credentials are masked on read
// and a masked credential sent back keeps the stored one, as for destinations. The URL's path
// counts as a credential here (alert-url-path.ts): Slack and Discord keep their secret there.
import type { Database } from "@/lib/db";
import type { SettingRow } from "@/lib/db/schema";
import { deleteSetting, findSetting, upsertSetting } from "@/lib/db/queries/settings";
import { canWrite, type Operator } from "@/lib/auth/operator";
import { decryptJson, encryptJson } from "@/lib/crypto/encryption";
import { AppError } from "@/lib/errors";
import { httpSecretFields, type HttpConfig } from "@/lib/destinations/http/config";
import { httpKind } from "@/lib/destinations/kinds";
import { prepareDestination, readStoredSecrets } from "@/lib/destinations/manage-destinations";
import { maskSecrets } from "@/lib/destinations/secret-fields";
import { defaultDeliveryOptions } from "@/lib/destinations/lanes/delivery-options";
import { defaultMaxConcurrency } from "@/lib/destinations/limits";
import { alertSettingsName, readStoredAlertSettings, type AlertSettingsInput, type StoredAlertSettings } from "@/lib/alerts/alert-settings";
import { maskUrlPath, resolveMaskedUrl, splitUrlPath, urlPathKey } from "@/lib/alerts/alert-url-path";

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

/** The stored origin and path: the sealed path, or (settings saved before paths were sealed) the one in the stored URL. */
function storedUrl(row: SettingRow | undefined): { origin: string; path: string; sealed: Record<string, string> } | undefined {
  const stored = readStoredAlertSettings(row);
  if (!row || !stored || typeof stored.config.url !== "string") return undefined;
  const sealed = readStoredSecrets(row);
  const { origin, path } = splitUrlPath(stored.config.url);
  return { origin, path: sealed[urlPathKey] ?? path, sealed };
}

function present(row: SettingRow | undefined, signingSecret?: string): AlertSettingsView {
  const stored = readStoredAlertSettings(row);
  const url = storedUrl(row);
  if (!row || !stored || !url) return { configured: false };
  const secretKeys = Object.keys(url.sealed).filter((key) => key !== urlPathKey);
  const masked = maskSecrets({ ...stored.config, url: url.origin }, httpSecretFields, secretKeys);
  const config = { ...masked, url: maskUrlPath(String(masked.url), url.path !== "") };
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

/** Moves the URL's path out of the stored config and into the sealed secrets. */
function sealUrlPath(config: Record<string, unknown>, secretsEnc: string | null): { config: Record<string, unknown>; secretsEnc: string | null } {
  const { origin, path } = splitUrlPath(String(config.url));
  if (!path) return { config, secretsEnc };
  const secrets = secretsEnc ? (decryptJson(secretsEnc) as Record<string, string>) : {};
  return { config: { ...config, url: origin }, secretsEnc: encryptJson({ ...secrets, [urlPathKey]: path }) };
}

/** Replaces the settings (PUT). */
export async function saveAlertSettings(db: Database, operator: Operator, input: AlertSettingsInput): Promise<AlertSettingsView> {
  assertAdmin(operator);
  const existing = await findSetting(db, alertSettingsName);
  const previous = storedUrl(existing);
  const config = { ...input.config, url: resolveMaskedUrl(input.config.url, previous) };
  const destination = { ...defaultDeliveryOptions, kind: "http" as const, name: "alerts", enabled: true, failureThreshold: null, maxConcurrency: defaultMaxConcurrency, config };
  const prepared = await prepareDestination(db, destination, previous?.sealed ?? {}, { variables: {}, urlPathSealed: true });
  const sealed = sealUrlPath(prepared.config, prepared.secretsEnc);
  const value: StoredAlertSettings = { enabled: input.enabled, retries: input.retries, config: sealed.config };
  const row = await upsertSetting(db, alertSettingsName, JSON.stringify(value), sealed.secretsEnc);
  return present(row, prepared.newSigningSecret);
}

export async function removeAlertSettings(db: Database, operator: Operator): Promise<void> {
  assertAdmin(operator);
  await deleteSetting(db, alertSettingsName);
}
