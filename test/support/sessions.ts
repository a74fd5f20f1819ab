// Signing in through the API and carrying the session cookie, as a browser would.
import { call, type ApiResult } from "./api";

export interface Session {
  cookie: string;
  setCookie: string;
}

export async function logIn(baseUrl: string, username: string, password: string): Promise<ApiResult & { session?: Session }> {
  const result = await call(baseUrl, "POST", "/api/auth/login", { token: null, body: { username, password } });
  const setCookie = result.headers.get("set-cookie") ?? "";
  const cookie = setCookie.split(";")[0] ?? "";
  return result.status === 200 ? { ...result, session: { cookie, setCookie } } : result;
}

/** A cookie-authenticated call; `origin` defaults to the app's own (what a browser sends). */
export function callAs<T = unknown>(baseUrl: string, session: Session, method: string, path: string, options: { body?: unknown; origin?: string | null } = {}): Promise<ApiResult<T>> {
  const origin = options.origin === undefined ? baseUrl : options.origin;
  const headers: Record<string, string> = { cookie: session.cookie, ...(origin ? { origin } : {}) };
  return call<T>(baseUrl, method, path, { token: null, body: options.body, headers });
}
