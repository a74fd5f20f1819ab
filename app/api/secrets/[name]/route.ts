// DELETE /api/secrets/:name — removes a secret
import { withOperator } from "@/lib/auth/with-operator";
import { getDb } from "@/lib/db";
import { noContent } from "@/lib/http/responses";
import { removeSecret } from "@/lib/secrets/manage-secrets";

export const DELETE = withOperator<{ name: string }>(async ({ params }) => {
  await removeSecret(getDb(), params.name);
  return noContent();
});
