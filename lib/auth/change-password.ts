// Password changes: an operator changes their own (proving the current one), or an admin sets
// another's. Either way the operator's other sessions end, and a password set here is no longer
// tied to ADMIN_TOKEN.
import type { Database } from "@/lib/db";
import { findOperatorByUsername, setOperatorPassword } from "@/lib/db/queries/operators";
import { deleteOperatorSessions } from "@/lib/db/queries/operator-sessions";
import { AppError, notFound } from "@/lib/errors";
import { hashPassword, verifyPassword } from "@/lib/auth/passwords";
import type { PasswordChangeInput } from "@/lib/auth/operator-input";
import type { Operator } from "@/lib/auth/operator";
import { countLoginAttempt, forgetLoginAttempt } from "@/lib/ratelimit/login-failures";

/** Guesses at the current password are counted like sign-ins, so a stolen cookie cannot try many. */
export async function changeOwnPassword(db: Database, operator: Operator, input: PasswordChangeInput, address: string): Promise<void> {
  if (operator.via !== "session" || !operator.sessionId) {
    throw new AppError("forbidden", "The ADMIN_TOKEN bearer has no password to change: sign in with a password first");
  }
  await countLoginAttempt(operator.username, address);
  const row = await findOperatorByUsername(db, operator.username);
  if (!row || row.id !== operator.id || !(await verifyPassword(input.currentPassword, row.password_hash))) {
    throw new AppError("wrong_password", "currentPassword: the current password is wrong", { field: "currentPassword" });
  }
  await forgetLoginAttempt(operator.username, address);
  await setOperatorPassword(db, row.id, await hashPassword(input.newPassword), null);
  await deleteOperatorSessions(db, row.id, operator.sessionId);
}

/** An admin sets an operator's password; all of that operator's sessions end (the admin's own current one excepted). */
export async function resetOperatorPassword(db: Database, id: string, newPassword: string, acting: Operator): Promise<void> {
  if (!(await setOperatorPassword(db, id, await hashPassword(newPassword), null))) throw notFound("Operator");
  await deleteOperatorSessions(db, id, id === acting.id ? acting.sessionId : undefined);
}
