import { describe, expect, it } from "vitest";
import { call } from "../../support/api";
import { useApp } from "../../support/harness";

const app = useApp();

const password = "pw-Distinctive-7f3a91";
const bearer = "bearer-Distinctive-55c2e0";
const brokerPassword = "broker-Distinctive-0b71d4";
const secretValue = "secret-Distinctive-c49e12";

describe("credentials are encrypted at rest and never returned", () => {
  it("keeps every credential out of the row's readable columns and out of every API response", async () => {
    const responses: string[] = [];
    const created = await call<{ id: string; destinations: Array<{ id: string; config: Record<string, unknown> }> }>(app.url, "POST", "/api/callbacks", {
      body: {
        name: "creds",
        destinations: [
          { kind: "http", name: "basic", config: { url: "https://api.example.com/a", auth: { type: "basic", username: "u", password } } },
          { kind: "http", name: "bearer", config: { url: "https://api.example.com/b", auth: { type: "bearer", token: bearer } } },
          { kind: "amqp", name: "broker", config: { url: `amqp://guest:${brokerPassword}@127.0.0.1:5672/` } },
        ],
      },
    });
    expect(created.status).toBe(201);
    responses.push(created.text);
    const basic = created.body.destinations[0];
    expect(basic?.config).toMatchObject({ auth: { type: "basic", username: "u", password: "***" } });
    expect(created.body.destinations[2]?.config.url).toBe("amqp://guest:***@127.0.0.1:5672/");

    responses.push((await call(app.url, "POST", "/api/secrets", { body: { name: "CRED_TEST", value: secretValue } })).text);
    responses.push((await call(app.url, "GET", "/api/secrets")).text);
    responses.push((await call(app.url, "GET", `/api/callbacks/${created.body.id}`)).text);
    responses.push((await call(app.url, "GET", "/api/callbacks")).text);
    for (const destination of created.body.destinations) {
      responses.push((await call(app.url, "GET", `/api/destinations/${destination.id}`)).text);
    }
    // Sending the mask back keeps the stored value; changing another field must not reveal it.
    const patched = await call(app.url, "PATCH", `/api/destinations/${basic?.id}`, { body: { config: { timeoutMs: 5000 } } });
    expect(patched.status).toBe(200);
    responses.push(patched.text);

    for (const text of responses) {
      for (const value of [password, bearer, brokerPassword, secretValue]) expect(text).not.toContain(value);
    }

    const rows = await app.db.selectFrom("destinations").selectAll().where("callback_id", "=", created.body.id).execute();
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.secrets_enc).toMatch(/^v1\.[\w-]{8}\./);
      const readable = JSON.stringify({ ...row, secrets_enc: undefined });
      for (const value of [password, bearer, brokerPassword]) expect(readable).not.toContain(value);
      expect(row.secrets_enc).not.toContain(password);
    }
    const secretRow = await app.db.selectFrom("secrets").selectAll().where("name", "=", "CRED_TEST").executeTakeFirstOrThrow();
    expect(secretRow.ciphertext).not.toContain(secretValue);
  });

  it("refuses a masked credential when nothing is stored behind it", async () => {
    const result = await call<{ error: { field: string } }>(app.url, "POST", "/api/callbacks", {
      body: { name: "mask", destinations: [{ kind: "http", name: "b", config: { url: "https://x.example", auth: { type: "bearer", token: "***" } } }] },
    });
    expect(result.status).toBe(422);
    expect(result.body.error.field).toBe("destinations.0.config.auth.token");
  });
});
