// POST /api/auth/logout — ends this session on the server and clears the cookie; {"everywhere": true} ends every session
import { getDb } from "@/lib/db";
import { logOut } from "@/lib/auth/login";
import { logoutInputSchema } from "@/lib/auth/operator-input";
import { clearedSessionCookieHeader, readCookie, resolveSession, sessionCookieName } from "@/lib/auth/session";
import { assertNotCrossSite } from "@/lib/auth/with-operator";
import { readJson } from "@/lib/http/read-body";
import { json } from "@/lib/http/responses";
import { route } from "@/lib/http/route";

export const POST = route(async ({ request }) => {
  assertNotCrossSite(request);
  const input = await readJson(request, logoutInputSchema);
  const cookieValue = readCookie(request, sessionCookieName);
  const operator = cookieValue ? await resolveSession(cookieValue) : null;
  await logOut(getDb(), cookieValue, operator, input.everywhere);
  return json({ ok: true }, { headers: { "set-cookie": clearedSessionCookieHeader() } });
});
