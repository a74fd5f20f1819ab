// What sending one alert needs: the alert webhook's config with its credentials opened and the
// `{secret:…}` values its templates reference.
import type { Database } from "@/lib/db";
import { findSetting } from "@/lib/db/queries/settings";
import { httpConfigSchema, httpSecretFields, type HttpConfig } from "@/lib/destinations/http/config";
import { httpKind } from "@/lib/destinations/kinds";
import { readStoredSecrets, signingSecretKey } from "@/lib/destinations/manage-destinations";
import { joinSecrets } from "@/lib/destinations/secret-fields";
import { loadSecretValues } from "@/lib/secrets/manage-secrets";
import { referencedSecrets } from "@/lib/templates";
import { alertSettingsName, readStoredAlertSettings } from "@/lib/alerts/alert-settings";
import { joinUrlPath, maskUrlPath, urlPathKey } from "@/lib/alerts/alert-url-path";

export interface AlertReceiver {
  config: HttpConfig;
  /** `config` with the URL's path (and query) as "***": what an attempt's record is rendered from. */
  recordedConfig: HttpConfig;
  target: string;
  signingSecret?: string;
  secrets: Record<string, string>;
  /** Every credential value in play, for masking what gets stored. */
  credentialValues: string[];
}

export type ReceiverLoad = { status: "none"; reason: string } | { status: "invalid"; reason: string } | { status: "ready"; receiver: AlertReceiver };

function secretsOf(source: string): string[] {
  try {
    return referencedSecrets(source);
  } catch {
    return [];
  }
}

export async function loadAlertReceiver(db: Database): Promise<ReceiverLoad> {
  const row = await findSetting(db, alertSettingsName);
  const stored = readStoredAlertSettings(row);
  if (!row || !stored) return { status: "none", reason: "No alert webhook is configured" };
  if (!stored.enabled) return { status: "none", reason: "The alert webhook is disabled" };
  const sealed = readStoredSecrets(row);
  const joined = joinSecrets(stored.config, httpSecretFields, sealed);
  const parsed = httpConfigSchema.safeParse({ ...joined, url: joinUrlPath(String(joined.url), sealed[urlPathKey]) });
  if (!parsed.success) return { status: "invalid", reason: `Stored alert webhook is invalid: ${parsed.error.issues[0]?.message ?? "unknown"}` };
  const names = [...new Set(httpKind.templateFields(parsed.data).flatMap((field) => secretsOf(field.source)))];
  const secrets = await loadSecretValues(db, names);
  const missing = names.filter((name) => !(name in secrets));
  if (missing.length > 0) return { status: "invalid", reason: `Secret(s) not found: ${missing.join(", ")}` };
  // The URL's path is a credential (Slack, Discord): what gets recorded shows it masked.
  const recordedConfig = { ...parsed.data, url: maskUrlPath(String(stored.config.url), urlPathKey in sealed) };
  return {
    status: "ready",
    receiver: {
      config: parsed.data,
      recordedConfig,
      target: httpKind.describeTarget(recordedConfig),
      signingSecret: sealed[signingSecretKey],
      secrets,
      credentialValues: [...Object.values(sealed), ...Object.values(secrets)],
    },
  };
}
