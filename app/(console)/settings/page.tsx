// GET /settings — the only settings so far are the alert webhook's (and the retention they show).
import { redirect } from "next/navigation";

export default function SettingsPage(): never {
  redirect("/settings/alerts");
}
