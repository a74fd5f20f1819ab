// Signed, stateless session cookies for operators who sign in with a password. The payload is
// HMAC-SHA256 signed with SESSION_SECRET; session_version lets logout-everywhere revoke them.
import { createHmac } from "node:crypto";
import { z } from "zod";
import { getEnv } from "@/lib/env";
import { safeEqual } from "@/lib/crypto/tokens";
import { getDb } from "@/lib/db";
import { findOperatorById } from "@/lib/db/queries/operators";
import type { OperatorRole } from "@/lib/db/schema";
import { sessionCookieName } from "@/lib/auth/session-cookie";

export { sessionCookieName };
export const sessionMaxAgeSeconds = 12 * 60 * 60;

const sessionPayloadSchema = z.object({
  sub: z.string(),
  ver: z.number().int(),
  exp: z.number().int(),
});

export interface SessionOperator {
  id: string;
  username: string;
  role: OperatorRole;
}

function sign(payload: string): string {
  return createHmac("sha256", getEnv().sessionSecret).update(payload).digest("base64url");
}

export function createSessionValue(operatorId: string, sessionVersion: number, now = Date.now()): string {
  const payload = Buffer.from(
    JSON.stringify({ sub: operatorId, ver: sessionVersion, exp: Math.floor(now / 1000) + sessionMaxAgeSeconds }),
  ).toString("base64url");
  return `${payload}.${sign(payload)}`;
}

export function parseSessionValue(value: string, now = Date.now()): z.infer<typeof sessionPayloadSchema> | null {
  const [payload, signature] = value.split(".");
  if (!payload || !signature || !safeEqual(signature, sign(payload))) return null;
  try {
    const parsed = sessionPayloadSchema.safeParse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
    if (!parsed.success || parsed.data.exp * 1000 <= now) return null;
    return parsed.data;
  } catch {
    return null;
  }
}

export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie") ?? "";
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

export async function readSessionFromRequest(request: Request): Promise<SessionOperator | null> {
  const value = readCookie(request, sessionCookieName);
  return value ? resolveSession(value) : null;
}

/** Verifies the cookie, then checks the operator still exists with the same session version. */
export async function resolveSession(value: string): Promise<SessionOperator | null> {
  const payload = parseSessionValue(value);
  if (!payload) return null;
  const row = await findOperatorById(getDb(), payload.sub);
  if (!row || row.session_version !== payload.ver) return null;
  return { id: row.id, username: row.username, role: row.role };
}

function cookieAttributes(maxAgeSeconds: number): string {
  // Secure whenever the app is served over https; a plain-http local URL would otherwise drop it.
  const secure = getEnv().appUrl.startsWith("https:") ? "; Secure" : "";
  return `Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}

/** The Set-Cookie header value that signs an operator in. */
export function sessionCookieHeader(operatorId: string, sessionVersion: number): string {
  return `${sessionCookieName}=${createSessionValue(operatorId, sessionVersion)}; ${cookieAttributes(sessionMaxAgeSeconds)}`;
}

export function clearedSessionCookieHeader(): string {
  return `${sessionCookieName}=; ${cookieAttributes(0)}`;
}
