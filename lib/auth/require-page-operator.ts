// Server-side guard for pages: resolves the session cookie once per request and sends anonymous
// visitors to /login?next=… . Pages call it first, so no page renders data without a session.
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { resolveSession, sessionCookieName, type SessionOperator } from "@/lib/auth/session";
import { safeNextPath } from "@/lib/auth/safe-next-path";

export { safeNextPath };

export interface PageOperator extends SessionOperator {
  canWrite: boolean;
}

/** The page's own URL (path + query) for the `next` parameter. */
export function pagePath(pathname: string, searchParams: Record<string, string | string[] | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(searchParams)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) query.append(key, item);
  }
  const text = query.toString();
  return text ? `${pathname}?${text}` : pathname;
}

/** React's cache: the layout and the page share one lookup per request. */
export const getPageOperator = cache(async (): Promise<PageOperator | null> => {
  const value = (await cookies()).get(sessionCookieName)?.value;
  const session = value ? await resolveSession(value) : null;
  return session ? { ...session, canWrite: session.role === "admin" } : null;
});

export async function requirePageOperator(nextPath: string): Promise<PageOperator> {
  const operator = await getPageOperator();
  if (!operator) redirect(`/login?next=${encodeURIComponent(safeNextPath(nextPath))}`);
  return operator;
}
