// Operator accounts: listed, created and removed by admins (and by scripts/create-operator.ts).
import type { Database } from "@/lib/db";
import type { OperatorRole } from "@/lib/db/schema";
import { countAdmins, deleteOperatorRow, insertOperatorIfAbsent, listOperatorRows } from "@/lib/db/queries/operators";
import { AppError, notFound } from "@/lib/errors";
import { uuidv7 } from "@/lib/ids";
import { hashPassword } from "@/lib/auth/passwords";
import type { OperatorCreateInput } from "@/lib/auth/operator-input";

export interface OperatorView {
  id: string;
  username: string;
  role: OperatorRole;
  createdAt: string;
}

function present(row: { id: string; username: string; role: OperatorRole; created_at: Date }): OperatorView {
  return { id: row.id, username: row.username, role: row.role, createdAt: row.created_at.toISOString() };
}

export async function listOperators(db: Database): Promise<OperatorView[]> {
  return (await listOperatorRows(db)).map(present);
}

export async function createOperator(db: Database, input: OperatorCreateInput): Promise<OperatorView> {
  const row = await insertOperatorIfAbsent(db, {
    id: uuidv7(),
    username: input.username,
    password_hash: await hashPassword(input.password),
    role: input.role,
  });
  if (!row) throw new AppError("conflict", `An operator named "${input.username}" already exists`, { field: "username" });
  return present(row);
}

/** Removing an operator ends their sessions at once (resolveSession finds no row). */
export async function deleteOperator(db: Database, id: string, actingOperatorId: string): Promise<void> {
  if (id === actingOperatorId) throw new AppError("conflict", "You cannot remove your own account while signed in with it");
  await db.transaction().execute(async (trx) => {
    const row = await deleteOperatorRow(trx, id);
    if (!row) throw notFound("Operator");
    if (row.role === "admin" && (await countAdmins(trx)) === 0) {
      throw new AppError("conflict", "The last admin cannot be removed; add another admin first");
    }
  });
}
