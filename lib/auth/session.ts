// Operator sessions are rows in operator_sessions, so signing out, a password change or a new
// ADMIN_TOKEN ends them on the server at once. The cookie carries a random token signed with
// SESSION_SECRET (forged cookies are refused without a database read); the row is keyed by the
// token's hash, so reading the table hands out no usable cookie. Checking a session is one
// indexed join, the same single query the earlier signed cookies needed for the operator row.
import { createHash, createHmac, randomBytes } from "node:crypto";
import type { Database } from "@/lib/db";
import { getDb } from "@/lib/db";
import { deleteExpiredSessions, deleteSessionRow, findSessionOperator, insertSessionRow } from "@/lib/db/queries/operator-sessions";
import type { OperatorRole } from "@/lib/db/schema";
import { getEnv } from "@/lib/env";
import { safeEqual } from "@/lib/crypto/tokens";
import { bootstrapTokenStillValid } from "@/lib/auth/admin-token";
import { sessionCookieName } from "@/lib/auth/session-cookie";

export { sessionCookieName };
const sessionMaxAgeSeconds = 12 * 60 * 60;

export interface SessionOperator {
  id: string;
  username: string;
  role: OperatorRole;
  /** The session this request came with, so "end my other sessions" can keep it. */
  sessionId: string;
}

function sign(token: string): string {
  return createHmac("sha256", getEnv().sessionSecret).update(token).digest("base64url");
}

const sessionIdOf = (token: string) => createHash("sha256").update(token).digest("base64url");

/** The session id inside a cookie value whose signature holds; null otherwise. */
function sessionIdFromCookie(value: string): string | null {
  const [token, signature, extra] = value.split(".");
  if (!token || !signature || extra !== undefined || !safeEqual(signature, sign(token))) return null;
  return sessionIdOf(token);
}

/** Starts a session and returns the cookie value that carries it. */
export async function createSession(db: Database, operatorId: string, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await deleteExpiredSessions(db, operatorId, now);
  await insertSessionRow(db, { id: sessionIdOf(token), operator_id: operatorId, expires_at: new Date(now.getTime() + sessionMaxAgeSeconds * 1000) });
  return `${token}.${sign(token)}`;
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

/** The signed-in operator, or null when the cookie is forged, ended, expired or its ADMIN_TOKEN changed. */
export async function resolveSession(value: string): Promise<SessionOperator | null> {
  const sessionId = sessionIdFromCookie(value);
  if (!sessionId) return null;
  const row = await findSessionOperator(getDb(), sessionId, new Date());
  if (!row || !bootstrapTokenStillValid(row.bootstrap_token_hash)) return null;
  return { id: row.id, username: row.username, role: row.role, sessionId };
}

/** Signing out: the cookie's session ends on the server, whatever the browser keeps. */
export async function endSession(db: Database, value: string | undefined): Promise<void> {
  const sessionId = value ? sessionIdFromCookie(value) : null;
  if (sessionId) await deleteSessionRow(db, sessionId);
}

function cookieAttributes(maxAgeSeconds: number): string {
  // Secure whenever the app is served over https; a plain-http local URL would otherwise drop it.
  const secure = getEnv().appUrl.startsWith("https:") ? "; Secure" : "";
  return `Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}

/** The Set-Cookie header value that carries a session created by createSession. */
export function sessionCookieHeader(cookieValue: string): string {
  return `${sessionCookieName}=${cookieValue}; ${cookieAttributes(sessionMaxAgeSeconds)}`;
}

export function clearedSessionCookieHeader(): string {
  return `${sessionCookieName}=; ${cookieAttributes(0)}`;
}
