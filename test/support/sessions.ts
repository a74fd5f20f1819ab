// Signing in through the API and carrying the session cookie, as a browser would.
import { randomInt, randomUUID } from "node:crypto";
import { call, type ApiResult } from "./api";
import { withEnv } from "./env-override";

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

/** A new viewer operator, created with the admin token, signed in. */
export async function signInNewViewer(baseUrl: string): Promise<Session> {
  const username = `viewer-${randomUUID().slice(0, 8)}`;
  const password = "correct horse battery staple";
  const created = await call(baseUrl, "POST", "/api/operators", { body: { username, password, role: "viewer" } });
  if (created.status !== 201) throw new Error(`creating a viewer answered ${created.status}`);
  const login = await logIn(baseUrl, username, password);
  if (!login.session) throw new Error("viewer sign-in failed");
  return login.session;
}

/**
 * A sign-in from an address of its own (as Vercel reports it), for attempts meant to fail on a
 * shared username such as the bootstrap `admin`: counted on 127.0.0.1 they would use up that
 * address's limit for every test file (and every run in the next 15 minutes) that signs in as admin.
 * Only for the in-process app, where `withEnv` reaches the server.
 */
export function logInFromElsewhere(baseUrl: string, username: string, password: string): Promise<ApiResult> {
  const address = `198.18.${randomInt(256)}.${randomInt(1, 255)}`;
  return withEnv({ VERCEL: "1" }, () => call(baseUrl, "POST", "/api/auth/login", { token: null, body: { username, password }, headers: { "x-vercel-forwarded-for": address } }));
}

/** A cookie-authenticated call; `origin` defaults to the app's own (what a browser sends). */
export function callAs<T = unknown>(baseUrl: string, session: Session, method: string, path: string, options: { body?: unknown; origin?: string | null } = {}): Promise<ApiResult<T>> {
  const origin = options.origin === undefined ? baseUrl : options.origin;
  const headers: Record<string, string> = { cookie: session.cookie, ...(origin ? { origin } : {}) };
  return call<T>(baseUrl, method, path, { token: null, body: options.body, headers });
}
