// The client address that sign-in and bearer-token limits are keyed on. Only a value the
// platform itself wrote counts: a client may send any X-Forwarded-For it likes, so its first
// entry is never believed.
import { getEnv } from "@/lib/env";

const firstEntry = (value: string | null) => value?.split(",")[0]?.trim() || undefined;
const lastEntry = (value: string | null) => value?.split(",").at(-1)?.trim() || undefined;

/**
 * On Vercel: `x-vercel-forwarded-for`, which Vercel's edge sets to the connecting client (it
 * overwrites X-Forwarded-For too, but a proxy in front of Vercel may rewrite that one).
 * Elsewhere (`next start`, `next dev`): the socket address, which Next writes into
 * X-Forwarded-For when the request has none; proxy.ts drops a client-sent one on the routes
 * that count failures, and the last entry is the hop nearest this server in any case.
 */
export function clientAddress(request: Request): string {
  const headers = request.headers;
  const address = getEnv().onVercel ? firstEntry(headers.get("x-vercel-forwarded-for")) : lastEntry(headers.get("x-forwarded-for"));
  return address ?? "unknown";
}
