import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { call, type ErrorBody } from "../../support/api";
import { useApp } from "../../support/harness";
import { testAdminToken } from "../../support/ports";
import { callAs, logIn, logInFromElsewhere, type Session } from "../../support/sessions";

const app = useApp();

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const password = "correct horse battery staple";

async function adminSession(): Promise<Session> {
  const result = await logIn(app.url, "admin", testAdminToken);
  expect(result.status).toBe(200);
  if (!result.session) throw new Error("no session cookie");
  return result.session;
}

async function createOperator(role: "admin" | "viewer") {
  const username = unique(role);
  const created = await call<{ id: string }>(app.url, "POST", "/api/operators", { body: { username, password, role } });
  expect(created.status).toBe(201);
  const login = await logIn(app.url, username, password);
  if (!login.session) throw new Error(`login failed: ${login.text}`);
  return { id: created.body.id, username, session: login.session };
}

describe("sign-in", () => {
  it("bootstraps the admin account from ADMIN_TOKEN and sets a hardened session cookie", async () => {
    const session = await adminSession();
    expect(session.setCookie).toMatch(/^sy_session=[\w-]+\.[\w-]+;/);
    expect(session.setCookie).toContain("HttpOnly");
    expect(session.setCookie).toContain("SameSite=Lax");
    expect(session.setCookie).toContain("Path=/");
    // APP_URL is plain http in tests; Secure would make the browser drop the cookie.
    expect(session.setCookie).not.toContain("Secure");
    const row = await app.db.selectFrom("operators").selectAll().where("username", "=", "admin").executeTakeFirstOrThrow();
    expect(row.role).toBe("admin");
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(testAdminToken);
    const me = await callAs<{ operator: { username: string; role: string } }>(app.url, session, "GET", "/api/auth/session");
    expect(me.body.operator).toMatchObject({ username: "admin", role: "admin" });
  });

  it("answers an unknown user and a wrong password identically", async () => {
    const viewer = await createOperator("viewer");
    const wrong = await logIn(app.url, viewer.username, "not the password at all");
    const unknown = await logIn(app.url, unique("nobody"), "not the password at all");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.headers.get("set-cookie")).toBeNull();
  });

  it("does not create the admin from a wrong token, and refuses a foreign Origin", async () => {
    expect((await logInFromElsewhere(app.url, "admin", "guess")).status).toBe(401);
    const foreign = await call(app.url, "POST", "/api/auth/login", {
      token: null,
      body: { username: "admin", password: testAdminToken },
      headers: { origin: "https://evil.example" },
    });
    expect(foreign.status).toBe(403);
  });

  it("locks a username+address after 5 failures, even for the right password; other names are unaffected", async () => {
    const viewer = await createOperator("viewer");
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await logIn(app.url, viewer.username, "wrong-password")).status).toBe(401);
    const locked = await logIn(app.url, viewer.username, password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    const other = await createOperator("viewer");
    expect(other.session.cookie).toMatch(/^sy_session=/);
  });

  it("refuses a tampered or anonymous session with 401", async () => {
    const session = await adminSession();
    const tampered = { ...session, cookie: `${session.cookie.slice(0, -2)}xx` };
    expect((await callAs(app.url, tampered, "GET", "/api/callbacks")).status).toBe(401);
    expect((await call(app.url, "GET", "/api/callbacks", { token: null })).status).toBe(401);
  });
});

describe("sign-out", () => {
  it("clears the cookie; everywhere=true revokes every earlier session", async () => {
    const operator = await createOperator("admin");
    const second = await logIn(app.url, operator.username, password);
    if (!second.session) throw new Error("second login failed");
    const plain = await callAs(app.url, operator.session, "POST", "/api/auth/logout", { body: {} });
    expect(plain.status).toBe(200);
    expect(plain.headers.get("set-cookie")).toMatch(/^sy_session=;.*Max-Age=0/);
    expect((await callAs(app.url, second.session, "GET", "/api/auth/session")).status).toBe(200);
    await callAs(app.url, second.session, "POST", "/api/auth/logout", { body: { everywhere: true } });
    expect((await callAs(app.url, second.session, "GET", "/api/auth/session")).status).toBe(401);
    expect((await callAs(app.url, operator.session, "GET", "/api/auth/session")).status).toBe(401);
  });
});

describe("roles and CSRF", () => {
  it("lets a viewer read but refuses every write with 403", async () => {
    const viewer = await createOperator("viewer");
    expect((await callAs(app.url, viewer.session, "GET", "/api/callbacks")).status).toBe(200);
    expect((await callAs(app.url, viewer.session, "GET", "/api/deliveries")).status).toBe(200);
    const write = await callAs<ErrorBody>(app.url, viewer.session, "POST", "/api/callbacks", { body: { name: "viewer-made" } });
    expect(write.status).toBe(403);
    expect(write.body.error.code).toBe("forbidden");
    expect((await callAs(app.url, viewer.session, "POST", "/api/secrets", { body: { name: "X", value: "y" } })).status).toBe(403);
    expect((await callAs(app.url, viewer.session, "GET", "/api/operators")).status).toBe(403);
  });

  it("refuses a viewer pause, resume, enable, bulk replay and test fire, and changes nothing; preview, filter test and the handshake log send and change nothing, so viewers may use them", async () => {
    const viewer = await createOperator("viewer");
    const created = await call<{ id: string; destinations: Array<{ id: string }> }>(app.url, "POST", "/api/callbacks", {
      body: { name: unique("viewer-target"), destinations: [{ kind: "http", name: "d", config: { url: "https://receiver.example/hook" } }] },
    });
    expect(created.status, created.text).toBe(201);
    const callbackId = created.body.id;
    const destinationId = created.body.destinations[0]?.id ?? "";
    const range = { from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" };
    const writes: Array<[string, unknown?]> = [
      [`/api/callbacks/${callbackId}/pause`],
      [`/api/callbacks/${callbackId}/resume`],
      [`/api/destinations/${destinationId}/pause`],
      [`/api/destinations/${destinationId}/resume`],
      [`/api/destinations/${destinationId}/enable`],
      [`/api/destinations/${destinationId}/replay`, range],
      [`/api/callbacks/${callbackId}/test`, { body: { n: 1 } }],
    ];
    for (const [path, body] of writes) {
      const refused = await callAs<ErrorBody>(app.url, viewer.session, "POST", path, { body: body ?? {} });
      expect([path, refused.status, refused.body.error.code]).toEqual([path, 403, "forbidden"]);
    }
    const after = await call<{ paused: boolean; destinations: Array<{ paused: boolean }> }>(app.url, "GET", `/api/callbacks/${callbackId}`);
    expect([after.body.paused, after.body.destinations[0]?.paused]).toEqual([false, false]);

    expect((await callAs(app.url, viewer.session, "GET", `/api/callbacks/${callbackId}/handshakes`)).status).toBe(200);
    expect((await callAs(app.url, viewer.session, "POST", `/api/destinations/${destinationId}/preview`, { body: { sample: { body: { n: 1 } } } })).status).toBe(200);
    const tried = await callAs<{ matched: boolean }>(app.url, viewer.session, "POST", `/api/destinations/${destinationId}/filter-test`, {
      body: { filter: { body: { n: 1 } }, sample: { body: { n: 1 } } },
    });
    expect([tried.status, tried.body.matched]).toEqual([200, true]);
  });

  it("refuses a cookie-authenticated write without a same-origin Origin", async () => {
    const session = await adminSession();
    const missing = await callAs<ErrorBody>(app.url, session, "POST", "/api/callbacks", { body: { name: "csrf" }, origin: null });
    expect(missing.status).toBe(403);
    expect(missing.body.error.message).toMatch(/Origin/);
    expect((await callAs(app.url, session, "POST", "/api/callbacks", { body: { name: "csrf" }, origin: "https://evil.example" })).status).toBe(403);
    expect((await callAs(app.url, session, "POST", "/api/callbacks", { body: { name: "same-origin" } })).status).toBe(201);
    // A bearer token cannot be sent by a forged cross-site request, so it needs no Origin.
    expect((await call(app.url, "POST", "/api/callbacks", { body: { name: "bearer" } })).status).toBe(201);
  });
});

describe("operators API", () => {
  it("lists operators for admins without password hashes", async () => {
    const viewer = await createOperator("viewer");
    const list = await callAs<{ items: Array<{ username: string; role: string }> }>(app.url, await adminSession(), "GET", "/api/operators");
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual(expect.objectContaining({ username: viewer.username, role: "viewer" }));
    expect(list.text).not.toMatch(/scrypt|password/i);
  });

  it("validates new operators: short password 422, duplicate name 409", async () => {
    const short = await call<ErrorBody>(app.url, "POST", "/api/operators", { body: { username: unique("x"), password: "short" } });
    expect(short.status).toBe(422);
    expect(short.body.error.field).toBe("password");
    const viewer = await createOperator("viewer");
    const duplicate = await call<ErrorBody>(app.url, "POST", "/api/operators", { body: { username: viewer.username, password } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.field).toBe("username");
  });

  it("deletes an operator and ends their sessions; an admin cannot delete themselves", async () => {
    const admin = await createOperator("admin");
    const viewer = await createOperator("viewer");
    expect((await callAs(app.url, admin.session, "DELETE", `/api/operators/${admin.id}`)).status).toBe(409);
    expect((await callAs(app.url, admin.session, "DELETE", `/api/operators/${viewer.id}`)).status).toBe(204);
    expect((await callAs(app.url, viewer.session, "GET", "/api/auth/session")).status).toBe(401);
    expect((await call(app.url, "DELETE", `/api/operators/${viewer.id}`)).status).toBe(404);
  });
});
