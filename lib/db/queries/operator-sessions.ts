// Queries on operator_sessions: one row per signed-in browser, keyed by a hash of its cookie.
import type { Kysely } from "kysely";
import type { DB, OperatorRole } from "@/lib/db/schema";

type Executor = Kysely<DB>;

export interface SessionOperatorRow {
  id: string;
  username: string;
  role: OperatorRole;
  bootstrap_token_hash: string | null;
}

export async function insertSessionRow(db: Executor, row: { id: string; operator_id: string; expires_at: Date }): Promise<void> {
  await db.insertInto("operator_sessions").values(row).execute();
}

/** The session's operator in one indexed lookup; undefined when the session ended or expired. */
export async function findSessionOperator(db: Executor, sessionId: string, now: Date): Promise<SessionOperatorRow | undefined> {
  return db
    .selectFrom("operator_sessions as s")
    .innerJoin("operators as o", "o.id", "s.operator_id")
    .select(["o.id", "o.username", "o.role", "o.bootstrap_token_hash"])
    .where("s.id", "=", sessionId)
    .where("s.expires_at", ">", now)
    .executeTakeFirst();
}

export async function deleteSessionRow(db: Executor, sessionId: string): Promise<void> {
  await db.deleteFrom("operator_sessions").where("id", "=", sessionId).execute();
}

/** Ends every session of an operator, except `keepSessionId` when given (the caller's own). */
export async function deleteOperatorSessions(db: Executor, operatorId: string, keepSessionId?: string): Promise<void> {
  let query = db.deleteFrom("operator_sessions").where("operator_id", "=", operatorId);
  if (keepSessionId) query = query.where("id", "<>", keepSessionId);
  await query.execute();
}

/** Expired rows of one operator, removed when they sign in again, so the table stays small. */
export async function deleteExpiredSessions(db: Executor, operatorId: string, now: Date): Promise<void> {
  await db.deleteFrom("operator_sessions").where("operator_id", "=", operatorId).where("expires_at", "<=", now).execute();
}
