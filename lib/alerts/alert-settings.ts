// The alert webhook's settings: one HTTP destination config (same schema, same sealed
// credentials, same sender as HTTP destinations) kept in the settings table, plus whether it is
// on and how often QStash retries each alert.
import { z } from "zod";
import type { SettingRow } from "@/lib/db/schema";
import { httpConfigInputSchema } from "@/lib/destinations/http/config";

export const alertSettingsName = "alerts";
const defaultAlertRetries = 3;

export const alertSettingsInputSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** QStash retries of each alert (0–20); a failing alert never raises another alert. */
    retries: z.number().int().min(0).max(20).default(defaultAlertRetries),
    config: httpConfigInputSchema,
  })
  .strict();

export type AlertSettingsInput = z.infer<typeof alertSettingsInputSchema>;

/** The stored value: credentials are not in it (they are in secrets_enc). */
const storedAlertSettingsSchema = z.object({
  enabled: z.boolean(),
  retries: z.number().int().min(0).max(20),
  config: z.record(z.string(), z.unknown()),
});

export type StoredAlertSettings = z.infer<typeof storedAlertSettingsSchema>;

/** Unreadable stored settings count as absent. */
export function readStoredAlertSettings(row: SettingRow | undefined): StoredAlertSettings | null {
  const parsed = storedAlertSettingsSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : null;
}
