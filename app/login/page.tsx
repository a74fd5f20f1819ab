// GET /login — the sign-in form; an operator who is already signed in goes straight on.
import { redirect } from "next/navigation";
import { getPageOperator, safeNextPath } from "@/lib/auth/require-page-operator";
import { LoginForm } from "@/app/login/login-form";

export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = (await searchParams).next;
  const next = safeNextPath(typeof raw === "string" ? raw : undefined);
  if (await getPageOperator()) redirect(next);
  return (
    <main className="login">
      <section className="panel">
        <h1>Sign in to Switchyard</h1>
        <LoginForm next={next} />
        <p className="hint">
          First time? Sign in as <code>admin</code> with the server&apos;s <code>ADMIN_TOKEN</code> as the password; that creates the admin account.
        </p>
      </section>
    </main>
  );
}
