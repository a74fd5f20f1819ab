// POST /api/operators/:id/password — an admin sets an operator's password; that operator's sessions end
import { getDb } from "@/lib/db";
import { resetOperatorPassword } from "@/lib/auth/change-password";
import { passwordResetSchema } from "@/lib/auth/operator-input";
import { withOperator } from "@/lib/auth/with-operator";
import { idParam } from "@/lib/http/params";
import { readJson } from "@/lib/http/read-body";
import { json } from "@/lib/http/responses";

export const POST = withOperator<{ id: string }>(
  async ({ request, params, operator }) => {
    const id = idParam(params.id);
    const input = await readJson(request, passwordResetSchema);
    await resetOperatorPassword(getDb(), id, input.newPassword, operator);
    return json({ ok: true });
  },
  { adminOnly: true },
);
