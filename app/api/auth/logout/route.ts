// POST /api/auth/logout — clears the session cookie; {"everywhere": true} also revokes every other session
import { getDb } from "@/lib/db";
import { logOut } from "@/lib/auth/login";
import { logoutInputSchema } from "@/lib/auth/operator-input";
import { clearedSessionCookieHeader, readSessionFromRequest } from "@/lib/auth/session";
import { assertNotCrossSite } from "@/lib/auth/with-operator";
import { readJson } from "@/lib/http/read-body";
import { json } from "@/lib/http/responses";
import { route } from "@/lib/http/route";

export const POST = route(async ({ request }) => {
  assertNotCrossSite(request);
  const input = await readJson(request, logoutInputSchema);
  await logOut(getDb(), await readSessionFromRequest(request), input.everywhere);
  return json({ ok: true }, { headers: { "set-cookie": clearedSessionCookieHeader() } });
});
