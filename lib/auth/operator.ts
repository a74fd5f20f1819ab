// Who is calling the operator API: the bootstrap admin token (Bearer) or a signed-in operator
// (session cookie, see session.ts).
import type { OperatorRole } from "@/lib/db/schema";
import { getEnv } from "@/lib/env";
import { safeEqual } from "@/lib/crypto/tokens";
import { readSessionFromRequest } from "@/lib/auth/session";

export interface Operator {
  id: string;
  username: string;
  role: OperatorRole;
  via: "token" | "session";
}

export const tokenOperator: Omit<Operator, "via"> = { id: "admin-token", username: "admin", role: "admin" };

function bearerToken(request: Request): string | undefined {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Returns the operator, null when no credentials were sent, or throws nothing: bad == absent. */
export async function authenticateOperator(request: Request): Promise<Operator | null> {
  const token = bearerToken(request);
  if (token !== undefined) {
    return safeEqual(token, getEnv().adminToken) ? { ...tokenOperator, via: "token" } : null;
  }
  const session = await readSessionFromRequest(request);
  return session ? { ...session, via: "session" } : null;
}

export function canWrite(operator: Operator): boolean {
  return operator.role === "admin";
}
