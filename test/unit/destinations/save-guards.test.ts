// Save-time guards per field: credentials only from {secret:…} or auth, request data never in a
// URL's origin or an MQTT client id, and URL credentials that can be decoded.
import { describe, expect, it } from "vitest";
import { amqpConfigSchema } from "@/lib/destinations/amqp/config";
import { httpConfigSchema } from "@/lib/destinations/http/config";
import { httpKind, mqttKind } from "@/lib/destinations/kinds";
import { mqttConfigSchema } from "@/lib/destinations/mqtt/config";
import { maskUrlQueryCredentials, saveGuardIssues } from "@/lib/destinations/save-guards";
import { splitSecrets } from "@/lib/destinations/secret-fields";
import { AppError } from "@/lib/errors";
import { isCredentialHeaderName, isCredentialQueryName } from "@/lib/secrets/credential-names";

const httpIssues = (config: Record<string, unknown>) => saveGuardIssues(httpKind.templateFields(httpConfigSchema.parse({ url: "https://api.example.com/x", ...config })));
const mqttIssues = (config: Record<string, unknown>) => saveGuardIssues(mqttKind.templateFields(mqttConfigSchema.parse({ url: "mqtts://broker.example.com", ...config })));

describe("credential names", () => {
  it.each(["Authorization", "PROXY-AUTHORIZATION", "cookie", "X-Api-Key", "api-key", "X-Auth-Token"])("%s is a credential header", (name) => {
    expect(isCredentialHeaderName(name)).toBe(true);
  });
  it.each(["api_key", "API-KEY", "apikey", "token", "access_token", "key", "secret", "password", "sig", "signature"])("%s is a credential query name", (name) => {
    expect(isCredentialQueryName(name)).toBe(true);
  });
  it.each(["x-request-id", "content-type", "accept"])("%s is not a credential header", (name) => {
    expect(isCredentialHeaderName(name)).toBe(false);
  });
  it.each(["page", "q", "keyword", "tokens"])("%s is not a credential query name", (name) => {
    expect(isCredentialQueryName(name)).toBe(false);
  });
});

describe("literal credentials in HTTP headers and query", () => {
  it.each([
    ["a bearer token", { headers: { Authorization: "Bearer abc123" } }, "config.headers.Authorization"],
    ["a lower-case header name", { headers: { authorization: "Basic dTpw" } }, "config.headers.authorization"],
    ["a proxy credential", { headers: { "Proxy-Authorization": "Basic dTpw" } }, "config.headers.Proxy-Authorization"],
    ["a cookie", { headers: { Cookie: "sid=abc123" } }, "config.headers.Cookie"],
    ["an API key header", { headers: { "X-Api-Key": "k-123" } }, "config.headers.X-Api-Key"],
    ["a literal beside a secret", { headers: { Authorization: "Bearer abc {secret:TOKEN}" } }, "config.headers.Authorization"],
    ["a literal after a secret", { headers: { "X-Api-Key": "{secret:K}abc" } }, "config.headers.X-Api-Key"],
    ["an api_key query parameter", { query: { api_key: "k-123" } }, "config.query.api_key"],
    ["a token query parameter", { query: { token: "t" } }, "config.query.token"],
    ["a signature query parameter", { query: { SIG: "abc" } }, "config.query.SIG"],
  ])("refuses %s", (_name, config, field) => {
    const [issue] = httpIssues(config);
    expect(issue?.field).toBe(field);
    expect(issue?.message).toMatch(/credential may not be written literally here: use config\.auth .* or a \{secret:NAME\} placeholder/);
  });

  it.each([
    ["{var.…}", { headers: { Authorization: "Bearer {var.token}" } }, "var.token"],
    ["{env:…}", { query: { key: "{env:TRIGGER_VAR_KEY}" } }, "env:TRIGGER_VAR_KEY"],
  ])("refuses a credential from %s, which is kept in clear", (_name, config, variable) => {
    const [issue] = httpIssues(config);
    expect(issue).toMatchObject({ variable });
    expect(issue?.message).toMatch(/is kept in clear and cannot hold a credential here/);
  });

  it.each([
    ["a secret alone", { headers: { "X-Api-Key": "{secret:KEY}" } }],
    ["a scheme word and a secret", { headers: { Authorization: "Bearer {secret:TOKEN}" } }],
    ["cookie names and secrets", { headers: { Cookie: "sid={secret:SID}; csrf={secret:CSRF}" } }],
    ["a query secret", { query: { api_key: "{secret:KEY}" } }],
    ["the sender's own header, forwarded", { headers: { Authorization: "{header.authorization}" } }],
    ["literal values under other names", { headers: { "X-Region": "eu", Accept: "application/json" }, query: { page: "1", keyword: "x" } }],
    ["credentials in auth", { auth: { type: "bearer", token: "literal-is-sealed" } }],
  ])("accepts %s", (_name, config) => {
    expect(httpIssues(config)).toEqual([]);
  });
});

describe("credentials written into a URL's own query", () => {
  it.each([
    ["a literal api_key", "https://api.example.com/x?page=1&api_key=k-123", "api_key"],
    ["a percent-encoded name", "https://api.example.com/x?api%5Fkey=k-123", "api_key"],
    ["a token after a placeholder holding & and =", "https://api.example.com/{body.a&b=c}?token=t-1", "token"],
    ["a {var.…} signature", "https://api.example.com/x?sig={var.sig}", "sig"],
  ])("refuses %s", (_name, url, name) => {
    const [issue] = httpIssues({ url });
    expect(issue?.field).toBe("config.url");
    expect(issue?.message).toMatch(new RegExp(`^query parameter ${name}: `));
  });

  it.each([
    ["a secret", "https://api.example.com/x?api_key={secret:KEY}&page=1"],
    ["request data", "https://api.example.com/x?token={query.token}"],
    ["an empty value", "https://api.example.com/x?token="],
    ["a name that only looks like one", "https://api.example.com/x?tokens=1&keyword=k"],
    ["a fragment", "https://api.example.com/x?page=1#token=abc"],
    ["no query", "https://api.example.com/key=abc"],
  ])("accepts %s", (_name, url) => {
    expect(httpIssues({ url })).toEqual([]);
  });
});

describe("a row saved before the URL-query rule shows its literal credential masked", () => {
  it.each([
    ["a literal api_key among others", "https://api.example.com/x?page=1&api_key=k-123&b=2", "https://api.example.com/x?page=1&api_key=***&b=2"],
    ["each refused one, percent-encoded names too", "https://api.example.com/x?token=t-1&api%5Fkey=k-2", "https://api.example.com/x?token=***&api%5Fkey=***"],
    ["a {var.…} value, placeholders elsewhere untouched", "https://api.example.com/{body.a&b=c}?sig={var.sig}&q={query.q}", "https://api.example.com/{body.a&b=c}?sig=***&q={query.q}"],
  ])("masks %s", (_name, url, shown) => {
    expect(maskUrlQueryCredentials(url)).toBe(shown);
  });

  it.each([
    ["a secret", "https://api.example.com/x?api_key={secret:KEY}&page=1"],
    ["request data", "https://api.example.com/x?token={query.token}"],
    ["a fragment", "https://api.example.com/x?page=1#token=abc"],
  ])("leaves %s as written", (_name, url) => {
    expect(maskUrlQueryCredentials(url)).toBe(url);
  });
});

describe("request data cannot choose where a delivery goes", () => {
  it.each([
    ["the url's host", { url: "https://{body.host}/x" }, "config.url", "body.host"],
    ["the whole url", { url: "{body.callback_url}" }, "config.url", "body.callback_url"],
    ["the end of the url's host", { url: "https://api.example.com{query.suffix}/x" }, "config.url", "query.suffix"],
    ["the url's userinfo", { url: "https://{header.x-user}@api.example.com/x" }, "config.url", "header.x-user"],
    ["the url's scheme", { url: "{method}://api.example.com/x" }, "config.url", "method"],
    [
      "an OAuth2 token URL's host",
      { auth: { type: "oauth2_client_credentials", tokenUrl: "https://{body.idp}/token", clientId: "c", clientSecret: "s" } },
      "config.auth.tokenUrl",
      "body.idp",
    ],
  ])("refuses a request placeholder in %s", (_name, config, field, variable) => {
    const [issue] = httpIssues(config);
    expect(issue).toMatchObject({ field, variable });
    expect(issue?.message).toMatch(/is request data and may not choose the scheme, host or port of this URL/);
  });

  it.each([
    ["the path and query", { url: "https://api.example.com/orders/{body.id}?ref={query.ref}" }],
    ["a static host", { url: "https://{var.host}/orders/{body.id}" }],
    ["a static base URL", { url: "{var.base}/orders/{body.id}" }],
    ["an env host", { url: "https://{env:TRIGGER_VAR_HOST}/x" }],
  ])("accepts request data in %s and static values in the origin", (_name, config) => {
    expect(httpIssues(config)).toEqual([]);
  });

  it("refuses a request placeholder in an MQTT clientId, and accepts a static one", () => {
    const [issue] = mqttIssues({ clientId: "sy-{body.device}" });
    expect(issue).toMatchObject({ field: "config.clientId", variable: "body.device" });
    expect(issue?.message).toMatch(/is request data and may not be used here/);
    expect(mqttIssues({ clientId: "sy-{var.site}-{uuid}" })).toEqual([]);
    expect(mqttIssues({ topic: "devices/{body.device}" })).toEqual([]);
  });
});

describe("URL credentials must be valid percent-encoding", () => {
  const cases: Array<[string, { safeParse: (value: unknown) => { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } }, Record<string, unknown>]> = [
    ["amqp", amqpConfigSchema, { url: "amqp://user:%E0%A4%A@rabbit.example.com" }],
    ["mqtt password", mqttConfigSchema, { url: "mqtt://u:%zz@broker.example.com" }],
    ["mqtt username", mqttConfigSchema, { url: "mqtts://%zz:p@broker.example.com" }],
    ["https", httpConfigSchema, { url: "https://u:%@api.example.com/x" }],
    ["an https template", httpConfigSchema, { url: "https://u:%@api.example.com/{body.id}" }],
  ];

  it.each(cases)("refuses a malformed %s URL, naming config.url", (_name, schema, config) => {
    const parsed = schema.safeParse(config);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["url"], message: expect.stringMatching(/not valid percent-encoding/) });
  });

  it("accepts well-formed percent-encoding", () => {
    expect(amqpConfigSchema.safeParse({ url: "amqp://user:p%40ss%25@rabbit.example.com" }).success).toBe(true);
    expect(httpConfigSchema.safeParse({ url: "https://u:p%20w@api.example.com/{body.id}" }).success).toBe(true);
  });

  it("sealing a malformed URL password is a 422 naming the field, not a URIError", () => {
    const split = () => splitSecrets({ url: "amqp://user:%zz@host" }, [{ path: ["url"], kind: "url-password" }]);
    expect(split).toThrow(AppError);
    expect(split).toThrow(expect.objectContaining({ code: "validation_failed", field: "config.url" }));
  });
});
