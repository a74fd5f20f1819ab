// GET|PATCH|DELETE /api/destinations/:id — reads, changes or removes one destination
import { withOperator } from "@/lib/auth/with-operator";
import { changeDestination, deleteDestination, getDestination } from "@/lib/callbacks/callback-destinations";
import { getDb } from "@/lib/db";
import { destinationPatchSchema } from "@/lib/destinations/destination-input";
import { readJson } from "@/lib/http/read-body";
import { json, noContent } from "@/lib/http/responses";
import { idParam } from "@/lib/http/params";

type Params = { id: string };

export const GET = withOperator<Params>(async ({ params }) => json(await getDestination(getDb(), idParam(params.id))));

export const PATCH = withOperator<Params>(async ({ request, params }) => {
  const patch = await readJson(request, destinationPatchSchema);
  return json(await changeDestination(getDb(), idParam(params.id), patch));
});

export const DELETE = withOperator<Params>(async ({ params }) => {
  await deleteDestination(getDb(), idParam(params.id));
  return noContent();
});
