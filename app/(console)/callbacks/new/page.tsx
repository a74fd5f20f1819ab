// GET /callbacks/new — form for a new callback; the token is shown once after creation
import Link from "next/link";
import { requirePageOperator } from "@/lib/auth/require-page-operator";
import { getEnv } from "@/lib/env";
import { callbackFormFields } from "@/lib/ui/form-specs";
import { CallbackForm } from "@/app/(console)/callbacks/callback-form";

export const metadata = { title: "New callback" };

export default async function NewCallbackPage() {
  const operator = await requirePageOperator("/callbacks/new");
  if (!operator.canWrite) {
    return (
      <section className="panel empty">
        <h1>New callback</h1>
        <p>Your role (viewer) can read but not change configuration. Ask an admin to create the callback.</p>
        <Link href="/callbacks">Back to callbacks</Link>
      </section>
    );
  }
  return (
    <>
      <h1>New callback</h1>
      <p className="muted">
        Only a name is required. You will add destinations on the next page. Templates such as <code>{"{body.id}"}</code> are used in destinations and in the acknowledgement below.
      </p>
      <section className="panel">
        <CallbackForm fields={callbackFormFields("create")} appUrl={getEnv().appUrl} />
      </section>
    </>
  );
}
