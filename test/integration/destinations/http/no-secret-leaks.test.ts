// No credential appears in a stored attempt, an API response or a log line — even when the
// receiver echoes everything it got back in its response, and with logging at debug.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { call, type ApiResult } from "../../../support/api";
import { httpDestination, waitForDelivery } from "../../../support/fixtures";
import { withEnv } from "../../../support/env-override";
import { useApp } from "../../../support/harness";
import { startSink, type Sink } from "../../../support/sink";
import { startTokenServer, type TokenServer } from "../../../support/token-server";
import { fireTrigger } from "../../../support/trigger";

const app = useApp();
const secretName = `LEAK_SECRET_${process.pid}`;
const secrets = {
  basicPassword: "leak-basic-pw-9d8e7f",
  bearer: "leak-bearer-tok-1a2b3c",
  headerKey: "leak-hdr-key-4d5e6f",
  queryKey: "leak-qry-key-7a8b9c",
  oauthSecret: "leak-oauth-cs-0f1e2d",
  named: "leak-named-secret-3c4d5e",
  inbound: "leak-inbound-5e6f7a",
};
const basicEncoded = Buffer.from(`leakuser:${secrets.basicPassword}`).toString("base64");

let echo: Sink;
let tokens: TokenServer;

beforeAll(async () => {
  // Answers 500 to every other request, echoing the request line and headers in the body.
  echo = await startSink({
    respond: (request, response, sink) => {
      const status = sink.requests.length % 2 === 0 ? 500 : 200;
      response.writeHead(status, { "content-type": "application/json", "x-echo-auth": request.headers.authorization ?? "" });
      response.end(JSON.stringify({ url: request.path, headers: request.headers }));
    },
  });
  tokens = await startTokenServer({ clientId: "leak-client", clientSecret: secrets.oauthSecret });
});
afterAll(async () => {
  await echo.close();
  await tokens.close();
});

describe("secrets stay secret", () => {
  it("appear in no stored attempt, API response or log line", async () => {
    const responses: ApiResult<unknown>[] = [];
    const api = async <T>(method: string, path: string, body?: unknown) => {
      const result = await call<T>(app.url, method, path, body === undefined ? {} : { body });
      responses.push(result);
      return result;
    };
    const lines: string[] = [];
    const capture = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    const spies = (["log", "error", "warn", "info", "debug"] as const).map((level) => vi.spyOn(console, level).mockImplementation(capture));
    let signingSecret = "";
    const deliveries: Array<{ id: string }> = [];
    try {
      await withEnv({ LOG_LEVEL: "debug" }, async () => {
        await api("POST", "/api/secrets", { name: secretName, value: secrets.named });
        const created = await call<{ id: string; triggerUrl: string; destinations: Array<{ id: string; signingSecret?: string }> }>(app.url, "POST", "/api/callbacks", {
          body: {
            name: "leaks",
            retries: 1,
            inboundAuth: { type: "hmac", secret: secrets.inbound, header: "X-Sig" },
            destinations: [
              httpDestination(`${echo.url}/basic`, { auth: { type: "basic", username: "leakuser", password: secrets.basicPassword } }),
              httpDestination(`${echo.url}/bearer`, { auth: { type: "bearer", token: secrets.bearer }, sign: true }),
              httpDestination(`${echo.url}/hkey`, { auth: { type: "api_key", in: "header", name: "X-Api-Key", value: secrets.headerKey } }),
              httpDestination(`${echo.url}/qkey`, { auth: { type: "api_key", in: "query", name: "key", value: secrets.queryKey } }),
              httpDestination(`${echo.url}/oauth`, {
                auth: { type: "oauth2_client_credentials", tokenUrl: `${tokens.url}/token`, clientId: "leak-client", clientSecret: secrets.oauthSecret },
              }),
              httpDestination(`${echo.url}/named?k={secret:${secretName}}`, {
                headers: { "X-Named": `{secret:${secretName}}` },
                body: `{"named": "{secret:${secretName}}"}`,
              }),
            ],
          },
        });
        expect(created.status, created.text).toBe(201);
        signingSecret = created.body.destinations.find((destination) => destination.signingSecret)?.signingSecret ?? "";
        expect(signingSecret).toMatch(/^whsec_/);
        const payload = JSON.stringify({ hello: "world" });
        const answer = await fireTrigger(created.body.triggerUrl, {
          raw: payload,
          headers: { "content-type": "application/json", "x-sig": createHmac("sha256", secrets.inbound).update(payload).digest("hex") },
        });
        expect(answer.status, answer.text).toBe(202);
        for (const delivery of answer.deliveries) {
          await waitForDelivery(app.url, delivery.id, ["succeeded", "dead", "failed"]);
          deliveries.push(delivery);
        }
        for (const delivery of deliveries) await api("GET", `/api/deliveries/${delivery.id}`);
        await api("GET", `/api/callbacks/${created.body.id}`);
        await api("GET", "/api/callbacks");
        await api("GET", `/api/deliveries?callbackId=${created.body.id}`);
        for (const destination of created.body.destinations) {
          await api("GET", `/api/destinations/${destination.id}`);
          await api("POST", `/api/destinations/${destination.id}/preview`, { sample: { body: { hello: "world" } } });
        }
      });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }

    expect(echo.requests.length).toBeGreaterThanOrEqual(6);
    expect(tokens.valid.size).toBeGreaterThan(0);
    const attempts = responses.filter((result) => result.text.includes('"attemptsLog"'));
    expect(attempts).toHaveLength(6);
    // The echo server put every credential it received into its response: the net must have caught them.
    expect(attempts.map((result) => result.text).join("\n")).toContain("x-echo-auth");
    // The log channel was live: each attempt left a debug line.
    expect(lines.filter((line) => line.includes('"msg":"http attempt"')).length).toBeGreaterThanOrEqual(6);
    const everything = [...Object.values(secrets), basicEncoded, ...tokens.valid, signingSecret.slice("whsec_".length)];
    const haystacks = { "API responses": responses.map((result) => result.text).join("\n"), "log lines": lines.join("\n") };
    for (const [where, text] of Object.entries(haystacks)) {
      for (const secret of everything) expect(text.includes(secret), `${secret} found in ${where}`).toBe(false);
    }
  });
});
