// DELETE /api/operators/:id — an admin removes an operator (their sessions end at once)
import { withOperator } from "@/lib/auth/with-operator";
import { deleteOperator } from "@/lib/auth/manage-operators";
import { getDb } from "@/lib/db";
import { idParam } from "@/lib/http/params";
import { noContent } from "@/lib/http/responses";

export const DELETE = withOperator<{ id: string }>(
  async ({ params, operator }) => {
    await deleteOperator(getDb(), idParam(params.id), operator.id);
    return noContent();
  },
  { adminOnly: true },
);
