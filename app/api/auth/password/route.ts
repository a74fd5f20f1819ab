// POST /api/auth/password — a signed-in operator changes their own password; their other sessions end
import { getDb } from "@/lib/db";
import { changeOwnPassword } from "@/lib/auth/change-password";
import { clientAddress } from "@/lib/auth/client-address";
import { passwordChangeSchema } from "@/lib/auth/operator-input";
import { withOperator } from "@/lib/auth/with-operator";
import { readJson } from "@/lib/http/read-body";
import { json } from "@/lib/http/responses";

// Viewers may change their own password too: it is their account, not configuration.
export const POST = withOperator(
  async ({ request, operator }) => {
    const input = await readJson(request, passwordChangeSchema);
    await changeOwnPassword(getDb(), operator, input, clientAddress(request));
    return json({ ok: true });
  },
  { write: false },
);
