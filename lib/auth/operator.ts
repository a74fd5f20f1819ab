// Who is calling the operator API: the bootstrap admin token (Bearer) or a signed-in operator
// (session cookie, see session.ts).
import type { OperatorRole } from "@/lib/db/schema";
import { getEnv } from "@/lib/env";
import { safeEqual } from "@/lib/crypto/tokens";
import { readSessionFromRequest } from "@/lib/auth/session";
import { clientAddress } from "@/lib/auth/client-address";
import { assertBearerAllowed, countBearerFailure } from "@/lib/ratelimit/login-failures";

export interface Operator {
  id: string;
  username: string;
  role: OperatorRole;
  via: "token" | "session";
  /** Set for cookie sessions: the session this request came with. */
  sessionId?: string;
}

const tokenOperator: Omit<Operator, "via"> = { id: "admin-token", username: "admin", role: "admin" };

function bearerToken(request: Request): string | undefined {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * Returns the operator, or null when no valid credentials were sent (bad == absent). Wrong bearer
 * tokens are counted per client address; an address over the limit gets 429 before its token is
 * compared, so guessing stops there while the right token from elsewhere still works.
 */
export async function authenticateOperator(request: Request): Promise<Operator | null> {
  const token = bearerToken(request);
  if (token !== undefined) {
    const address = clientAddress(request);
    await assertBearerAllowed(address);
    if (safeEqual(token, getEnv().adminToken)) return { ...tokenOperator, via: "token" };
    await countBearerFailure(address);
    return null;
  }
  const session = await readSessionFromRequest(request);
  return session ? { ...session, via: "session" } : null;
}

export function canWrite(operator: Operator): boolean {
  return operator.role === "admin";
}
