// Password sign-in. The first sign-in as "admin" with ADMIN_TOKEN as the password creates the
// admin account when none exists yet (bootstrap); every other failure reads the same.
import type { Database } from "@/lib/db";
import { bumpSessionVersion, findOperatorByUsername, insertOperatorIfAbsent } from "@/lib/db/queries/operators";
import type { OperatorRow } from "@/lib/db/schema";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { uuidv7 } from "@/lib/ids";
import { safeEqual } from "@/lib/crypto/tokens";
import { burnPasswordCheck, hashPassword, verifyPassword } from "@/lib/auth/passwords";
import { assertLoginAllowed, clearLoginFailures, recordLoginFailure } from "@/lib/ratelimit/login-failures";
import type { SessionOperator } from "@/lib/auth/session";

export const bootstrapUsername = "admin";

export interface LoginAttempt {
  username: string;
  password: string;
  /** The client address the failure counter is keyed on. */
  ip: string;
}

export interface LoginResult {
  operator: SessionOperator;
  sessionVersion: number;
}

const wrongCredentials = () => new AppError("unauthorized", "Wrong username or password");

/** The caller's address as the platform reports it (Vercel and most proxies set X-Forwarded-For). */
export function clientIp(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("x-real-ip")?.trim() || "unknown";
}

async function bootstrapAdmin(db: Database, password: string): Promise<OperatorRow | undefined> {
  if (!safeEqual(password, getEnv().adminToken)) return undefined;
  const created = await insertOperatorIfAbsent(db, {
    id: uuidv7(),
    username: bootstrapUsername,
    password_hash: await hashPassword(password),
    role: "admin",
  });
  if (created) return created;
  // Lost a race with a concurrent bootstrap: the row exists now, so check it like any other.
  const row = await findOperatorByUsername(db, bootstrapUsername);
  return row && (await verifyPassword(password, row.password_hash)) ? row : undefined;
}

async function checkCredentials(db: Database, username: string, password: string): Promise<OperatorRow | undefined> {
  const row = await findOperatorByUsername(db, username);
  if (!row) {
    if (username === bootstrapUsername) return bootstrapAdmin(db, password);
    await burnPasswordCheck(password);
    return undefined;
  }
  return (await verifyPassword(password, row.password_hash)) ? row : undefined;
}

export async function logIn(db: Database, attempt: LoginAttempt): Promise<LoginResult> {
  await assertLoginAllowed(attempt.username, attempt.ip);
  const row = await checkCredentials(db, attempt.username, attempt.password);
  if (!row) {
    await recordLoginFailure(attempt.username, attempt.ip);
    throw wrongCredentials();
  }
  await clearLoginFailures(attempt.username, attempt.ip);
  return { operator: { id: row.id, username: row.username, role: row.role }, sessionVersion: row.session_version };
}

/** Ends this browser's session; `everywhere` also revokes every other cookie of the operator. */
export async function logOut(db: Database, operator: SessionOperator | null, everywhere: boolean): Promise<void> {
  if (operator && everywhere) await bumpSessionVersion(db, operator.id);
}
