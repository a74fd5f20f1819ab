// Sessions end when they should: sign-out, password changes and a new ADMIN_TOKEN end them on
// the server, so the same cookie sent again is refused.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { call, type ErrorBody } from "../../support/api";
import { withEnv } from "../../support/env-override";
import { useApp } from "../../support/harness";
import { testAdminToken } from "../../support/ports";
import { callAs, logIn, logInFromElsewhere, type Session } from "../../support/sessions";

const app = useApp();

const password = "correct horse battery staple";

async function signIn(username: string, secret: string): Promise<Session> {
  const result = await logIn(app.url, username, secret);
  if (!result.session) throw new Error(`sign-in failed: ${result.status} ${result.text}`);
  return result.session;
}

async function createOperator(role: "admin" | "viewer") {
  const username = `${role}-${randomUUID().slice(0, 8)}`;
  const created = await call<{ id: string }>(app.url, "POST", "/api/operators", { body: { username, password, role } });
  expect(created.status).toBe(201);
  return { id: created.body.id, username };
}

const whoAmI = (session: Session) => callAs(app.url, session, "GET", "/api/auth/session");

describe("sign-out", () => {
  it("ends the session on the server: the same cookie sent again gets 401", async () => {
    const { username } = await createOperator("viewer");
    const session = await signIn(username, password);
    const other = await signIn(username, password);
    expect((await whoAmI(session)).status).toBe(200);
    const out = await callAs(app.url, session, "POST", "/api/auth/logout", { body: {} });
    expect(out.status).toBe(200);
    expect((await whoAmI(session)).status).toBe(401);
    expect((await callAs(app.url, session, "GET", "/api/callbacks")).status).toBe(401);
    // Only that browser signed out.
    expect((await whoAmI(other)).status).toBe(200);
    const rows = await app.db.selectFrom("operator_sessions").select("id").execute();
    expect(JSON.stringify(rows)).not.toContain(session.cookie.split("=")[1]?.split(".")[0]);
  });
});

describe("changing your own password", () => {
  it("needs the current password, then ends every other session but this one", async () => {
    const { username } = await createOperator("viewer");
    const mine = await signIn(username, password);
    const elsewhere = await signIn(username, password);
    const wrong = await callAs<ErrorBody>(app.url, mine, "POST", "/api/auth/password", {
      body: { currentPassword: "not my password", newPassword: "a brand new passphrase" },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toMatchObject({ code: "wrong_password", field: "currentPassword" });
    const changed = await callAs(app.url, mine, "POST", "/api/auth/password", { body: { currentPassword: password, newPassword: "a brand new passphrase" } });
    expect(changed.status).toBe(200);
    expect((await whoAmI(mine)).status).toBe(200);
    expect((await whoAmI(elsewhere)).status).toBe(401);
    expect((await logIn(app.url, username, password)).status).toBe(401);
    expect((await logIn(app.url, username, "a brand new passphrase")).status).toBe(200);
  });

  it("answers bad input with 422 naming the field, a cross-site form with 403, and the bearer token with 403", async () => {
    const { username } = await createOperator("viewer");
    const session = await signIn(username, password);
    const short = await callAs<ErrorBody>(app.url, session, "POST", "/api/auth/password", { body: { currentPassword: password, newPassword: "short" } });
    expect(short.status).toBe(422);
    expect(short.body.error.field).toBe("newPassword");
    const missing = await callAs<ErrorBody>(app.url, session, "POST", "/api/auth/password", { body: { newPassword: "long enough passphrase" } });
    expect(missing.status).toBe(422);
    expect(missing.body.error.field).toBe("currentPassword");
    const crossSite = await callAs(app.url, session, "POST", "/api/auth/password", {
      body: { currentPassword: password, newPassword: "long enough passphrase" },
      origin: "https://evil.example",
    });
    expect(crossSite.status).toBe(403);
    const bearer = await call<ErrorBody>(app.url, "POST", "/api/auth/password", { body: { currentPassword: testAdminToken, newPassword: "long enough passphrase" } });
    expect(bearer.status).toBe(403);
    expect((await logIn(app.url, username, password)).status).toBe(200);
  });
});

describe("an admin resetting another operator's password", () => {
  it("sets it and ends all of that operator's sessions; viewers may not", async () => {
    const viewer = await createOperator("viewer");
    const viewerSession = await signIn(viewer.username, password);
    const admin = await createOperator("admin");
    const adminSession = await signIn(admin.username, password);
    const refused = await callAs(app.url, viewerSession, "POST", `/api/operators/${admin.id}/password`, { body: { newPassword: "viewer takes over" } });
    expect(refused.status).toBe(403);
    const reset = await callAs(app.url, adminSession, "POST", `/api/operators/${viewer.id}/password`, { body: { newPassword: "reset by the admin" } });
    expect(reset.status).toBe(200);
    expect((await whoAmI(viewerSession)).status).toBe(401);
    expect((await whoAmI(adminSession)).status).toBe(200);
    expect((await logIn(app.url, viewer.username, password)).status).toBe(401);
    expect((await logIn(app.url, viewer.username, "reset by the admin")).status).toBe(200);
  });

  it("answers 422 for a short password and 404 for an unknown operator", async () => {
    const viewer = await createOperator("viewer");
    const short = await call<ErrorBody>(app.url, "POST", `/api/operators/${viewer.id}/password`, { body: { newPassword: "tiny" } });
    expect(short.status).toBe(422);
    expect(short.body.error.field).toBe("newPassword");
    expect((await call(app.url, "POST", `/api/operators/${randomUUID()}/password`, { body: { newPassword: "long enough passphrase" } })).status).toBe(404);
  });
});

describe("changing ADMIN_TOKEN", () => {
  it("revokes the bootstrap admin's old password and sessions, not those of admins with their own password", async () => {
    const before = await signIn("admin", testAdminToken);
    expect((await whoAmI(before)).status).toBe(200);
    const otherAdmin = await createOperator("admin");
    const otherSession = await signIn(otherAdmin.username, password);
    const newToken = `rotated-admin-token-${randomUUID()}`;
    await withEnv({ ADMIN_TOKEN: newToken }, async () => {
      expect((await whoAmI(before)).status).toBe(401);
      expect((await whoAmI(otherSession)).status).toBe(200);
      expect((await logInFromElsewhere(app.url, "admin", testAdminToken)).status).toBe(401);
      const after = await signIn("admin", newToken);
      expect((await whoAmI(after)).status).toBe(200);
    });
    // Back to the first token: it takes the password's place again, and the sessions of the other token end.
    const again = await signIn("admin", testAdminToken);
    expect((await whoAmI(again)).status).toBe(200);
  });
});
