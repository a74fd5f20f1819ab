// GET|PATCH|DELETE /api/callbacks/:id — reads, changes or removes one callback
import { withOperator } from "@/lib/auth/with-operator";
import { callbackPatchSchema } from "@/lib/callbacks/callback-input";
import { deleteCallback, getCallback, updateCallback } from "@/lib/callbacks/manage-callbacks";
import { getDb } from "@/lib/db";
import { readJson } from "@/lib/http/read-body";
import { json, noContent } from "@/lib/http/responses";
import { idParam } from "@/lib/http/params";

type Params = { id: string };

export const GET = withOperator<Params>(async ({ params }) => json(await getCallback(getDb(), idParam(params.id))));

export const PATCH = withOperator<Params>(async ({ request, params }) => {
  const patch = await readJson(request, callbackPatchSchema);
  return json(await updateCallback(getDb(), idParam(params.id), patch));
});

export const DELETE = withOperator<Params>(async ({ params }) => {
  await deleteCallback(getDb(), idParam(params.id));
  return noContent();
});
