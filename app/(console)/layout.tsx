// Layout of every signed-in page: navigation and who is signed in. Each page checks the session
// itself (requirePageOperator) so that it can send the visitor back to it after sign-in.
import type { ReactNode } from "react";
import Link from "next/link";
import { getPageOperator } from "@/lib/auth/require-page-operator";
import { LogoutButton } from "@/app/_ui/logout-button";
import { NavLinks } from "@/app/_ui/nav-links";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const operator = await getPageOperator();
  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/" className="brand">
          Switchyard
        </Link>
        <NavLinks showOperators={operator?.canWrite ?? false} />
        {operator ? (
          <div className="who">
            <span>
              {operator.username} <span className="role">{operator.role}</span>
            </span>
            <LogoutButton />
          </div>
        ) : null}
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
