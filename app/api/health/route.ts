// GET /api/health — unauthenticated liveness and dependency check, without secrets
import { checkHealth } from "@/lib/health";
import { json } from "@/lib/http/responses";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route(async () => {
  const health = await checkHealth();
  return json(health, { status: health.ok ? 200 : 503 });
});
