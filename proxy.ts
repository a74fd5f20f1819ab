// Pages without a session cookie get a real 307 to /login?next=… before any rendering (a page's
// own redirect would arrive inside an already-streaming 200). The cookie itself is verified by
// each page (lib/auth/require-page-operator.ts); API routes answer 401 on their own.
// On the operator API and sign-in, a client-sent X-Forwarded-For is dropped: Next then writes the
// socket address there itself, which is what sign-in and bearer-token limits are keyed on off
// Vercel (lib/auth/client-address.ts). The hot trigger and QStash routes are not matched.
import { NextResponse, type NextRequest } from "next/server";
import { sessionCookieName } from "@/lib/auth/session-cookie";

/** The UI shows tokens once and has destructive buttons: no framing (clickjacking), no referrers. */
function harden(response: NextResponse): NextResponse {
  response.headers.set("x-frame-options", "DENY");
  response.headers.set("content-security-policy", "frame-ancestors 'none'");
  response.headers.set("referrer-policy", "same-origin");
  response.headers.set("x-content-type-options", "nosniff");
  return response;
}

function withoutClientForwardedFor(request: NextRequest): NextResponse {
  const headers = new Headers(request.headers);
  headers.delete("x-forwarded-for");
  return NextResponse.next({ request: { headers } });
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (pathname.startsWith("/api/")) return withoutClientForwardedFor(request);
  if (pathname === "/login" || request.cookies.has(sessionCookieName)) return harden(NextResponse.next());
  const login = new URL("/login", request.url);
  if (`${pathname}${search}` !== "/") login.searchParams.set("next", `${pathname}${search}`);
  return harden(NextResponse.redirect(login, 307));
}

export const config = {
  matcher: ["/((?!api/trigger/|api/hooks/|api/deliver(?!ies)|api/alerts/deliver|api/health|_next/|favicon\\.ico|robots\\.txt).*)"],
};
