// POST /api/auth/login — signs an operator in with username + password and sets the session cookie
import { getDb } from "@/lib/db";
import { clientAddress } from "@/lib/auth/client-address";
import { logIn } from "@/lib/auth/login";
import { loginInputSchema } from "@/lib/auth/operator-input";
import { sessionCookieHeader } from "@/lib/auth/session";
import { assertNotCrossSite } from "@/lib/auth/with-operator";
import { readJson } from "@/lib/http/read-body";
import { json } from "@/lib/http/responses";
import { route } from "@/lib/http/route";

export const POST = route(async ({ request }) => {
  assertNotCrossSite(request);
  const input = await readJson(request, loginInputSchema);
  const { operator, cookieValue } = await logIn(getDb(), { ...input, address: clientAddress(request) });
  return json({ operator }, { headers: { "set-cookie": sessionCookieHeader(cookieValue) } });
});
