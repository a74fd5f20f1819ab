// POST /api/auth/login — signs an operator in with username + password and sets the session cookie
import { getDb } from "@/lib/db";
import { clientIp, logIn } from "@/lib/auth/login";
import { loginInputSchema } from "@/lib/auth/operator-input";
import { sessionCookieHeader } from "@/lib/auth/session";
import { assertNotCrossSite } from "@/lib/auth/with-operator";
import { readJson } from "@/lib/http/read-body";
import { json } from "@/lib/http/responses";
import { route } from "@/lib/http/route";

export const POST = route(async ({ request }) => {
  assertNotCrossSite(request);
  const input = await readJson(request, loginInputSchema);
  const { operator, sessionVersion } = await logIn(getDb(), { ...input, ip: clientIp(request) });
  return json({ operator }, { headers: { "set-cookie": sessionCookieHeader(operator.id, sessionVersion) } });
});
