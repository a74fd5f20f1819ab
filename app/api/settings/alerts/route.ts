// GET|PUT|DELETE /api/settings/alerts — the alert webhook (admin only; credentials masked on read)
import { withOperator } from "@/lib/auth/with-operator";
import { getDb } from "@/lib/db";
import { alertSettingsInputSchema } from "@/lib/alerts/alert-settings";
import { readAlertSettings, removeAlertSettings, saveAlertSettings } from "@/lib/alerts/manage-alert-settings";
import { readJson } from "@/lib/http/read-body";
import { json, noContent } from "@/lib/http/responses";

export const GET = withOperator(async ({ operator }) => json(await readAlertSettings(getDb(), operator)));

export const PUT = withOperator(async ({ request, operator }) => {
  const input = await readJson(request, alertSettingsInputSchema);
  return json(await saveAlertSettings(getDb(), operator, input));
});

export const DELETE = withOperator(async ({ operator }) => {
  await removeAlertSettings(getDb(), operator);
  return noContent();
});
