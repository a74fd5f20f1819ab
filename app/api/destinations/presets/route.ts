// GET /api/destinations/presets — the managed-service presets: what each fills in and refuses, per kind
import { withOperator } from "@/lib/auth/with-operator";
import { listPresets } from "@/lib/destinations/presets/presets";
import { json } from "@/lib/http/responses";

export const GET = withOperator(async () => json({ presets: listPresets() }));
