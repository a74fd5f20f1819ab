// Password sign-in. The first sign-in as "admin" with ADMIN_TOKEN as the password creates the
// admin account when none exists yet (bootstrap); every other failure reads the same.
import type { Database } from "@/lib/db";
import { findOperatorByUsername, insertOperatorIfAbsent, setBootstrapTokenHash, setOperatorPassword } from "@/lib/db/queries/operators";
import { deleteOperatorSessions } from "@/lib/db/queries/operator-sessions";
import type { OperatorRow } from "@/lib/db/schema";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { uuidv7 } from "@/lib/ids";
import { safeEqual } from "@/lib/crypto/tokens";
import { bootstrapTokenStillValid, currentAdminTokenHash } from "@/lib/auth/admin-token";
import { burnPasswordCheck, hashPassword, verifyPassword } from "@/lib/auth/passwords";
import { countLoginAttempt, forgetLoginAttempt } from "@/lib/ratelimit/login-failures";
import { createSession, endSession, type SessionOperator } from "@/lib/auth/session";

const bootstrapUsername = "admin";

export interface LoginAttempt {
  username: string;
  password: string;
  /** The trusted client address (see client-address.ts) the attempt counters are keyed on. */
  address: string;
}

export interface LoginResult {
  operator: Omit<SessionOperator, "sessionId">;
  /** The session cookie's value. */
  cookieValue: string;
}

const wrongCredentials = () => new AppError("unauthorized", "Wrong username or password");
const isAdminToken = (password: string) => safeEqual(password, getEnv().adminToken);

async function bootstrapAdmin(db: Database, password: string): Promise<OperatorRow | undefined> {
  if (!isAdminToken(password)) return undefined;
  const created = await insertOperatorIfAbsent(db, {
    id: uuidv7(),
    username: bootstrapUsername,
    password_hash: await hashPassword(password),
    role: "admin",
    bootstrap_token_hash: currentAdminTokenHash(),
  });
  if (created) return created;
  // Lost a race with a concurrent bootstrap: the row exists now, so check it like any other.
  const row = await findOperatorByUsername(db, bootstrapUsername);
  return row && (await verifyPassword(password, row.password_hash)) ? row : undefined;
}

/** ADMIN_TOKEN changed since this password came from it: the old one is void, the new one takes its place. */
async function rebindBootstrapAdmin(db: Database, row: OperatorRow, password: string): Promise<OperatorRow | undefined> {
  if (!isAdminToken(password)) return burnPasswordCheck(password).then(() => undefined);
  await setOperatorPassword(db, row.id, await hashPassword(password), currentAdminTokenHash());
  await deleteOperatorSessions(db, row.id);
  return row;
}

async function checkCredentials(db: Database, username: string, password: string): Promise<OperatorRow | undefined> {
  const row = await findOperatorByUsername(db, username);
  if (!row) {
    if (username === bootstrapUsername) return bootstrapAdmin(db, password);
    await burnPasswordCheck(password);
    return undefined;
  }
  if (!bootstrapTokenStillValid(row.bootstrap_token_hash)) return rebindBootstrapAdmin(db, row, password);
  if (!(await verifyPassword(password, row.password_hash))) return undefined;
  // An admin bootstrapped before tokens were tied to passwords: tie it now that we see the token.
  if (row.username === bootstrapUsername && row.bootstrap_token_hash === null && isAdminToken(password)) {
    await setBootstrapTokenHash(db, row.id, currentAdminTokenHash());
  }
  return row;
}

export async function logIn(db: Database, attempt: LoginAttempt): Promise<LoginResult> {
  await countLoginAttempt(attempt.username, attempt.address);
  const row = await checkCredentials(db, attempt.username, attempt.password);
  if (!row) throw wrongCredentials();
  await forgetLoginAttempt(attempt.username, attempt.address);
  return { operator: { id: row.id, username: row.username, role: row.role }, cookieValue: await createSession(db, row.id) };
}

/** Ends this browser's session on the server; `everywhere` also ends every other session of the operator. */
export async function logOut(db: Database, cookieValue: string | undefined, operator: SessionOperator | null, everywhere: boolean): Promise<void> {
  await endSession(db, cookieValue);
  if (operator && everywhere) await deleteOperatorSessions(db, operator.id);
}
