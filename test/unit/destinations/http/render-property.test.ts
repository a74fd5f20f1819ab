// Hostile templates and hostile trigger requests never make the HTTP renderer or sender throw:
// the renderer gives a sendable request or a TemplateFieldError naming a field, and the sender
// always resolves to an outcome.
import { validateHeaderName, validateHeaderValue } from "node:http";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { httpConfigSchema, type HttpConfig } from "@/lib/destinations/http/config";
import { createHttpSender, prepareHttpRequest } from "@/lib/destinations/http/send-http";
import { TemplateFieldError } from "@/lib/destinations/http/render";
import { buildSendContext, renderersFor } from "@/lib/destinations/send-context";
import type { SendContext } from "@/lib/destinations/types";
import type { TemplateContext } from "@/lib/templates";
import { anyContext, anyTemplate, hostileText, jsonTemplate, urlTemplate } from "../../templates/arbitraries";
import { makeJob } from "./fixtures";

const headerName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,10}$/);
const anyAuth = fc.oneof(
  fc.constant({ type: "none" }),
  fc.record({ type: fc.constant("basic"), username: anyTemplate, password: anyTemplate }),
  fc.record({ type: fc.constant("bearer"), token: anyTemplate }),
  fc.record({ type: fc.constant("api_key"), in: fc.constantFrom("header", "query"), name: headerName, value: anyTemplate }),
  fc.record({ type: fc.constant("oauth2_client_credentials"), tokenUrl: urlTemplate, clientId: anyTemplate, clientSecret: anyTemplate }),
);

const anyConfig = fc.record({
  url: urlTemplate,
  method: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"),
  headers: fc.dictionary(headerName, fc.oneof(anyTemplate, hostileText), { maxKeys: 3 }),
  query: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), anyTemplate, { maxKeys: 3 }),
  body: fc.option(fc.oneof(anyTemplate, jsonTemplate), { nil: undefined }),
  bodyType: fc.constantFrom("json", "text", "form", "xml"),
  auth: anyAuth,
});

function contextFor(config: HttpConfig, template: TemplateContext): SendContext<HttpConfig> {
  return buildSendContext({
    config,
    job: makeJob(template.event.body),
    attempt: 1,
    renderers: renderersFor(template),
    defaultPayload: () => "{}",
    allowPrivateDestinations: false,
  });
}

describe("HTTP rendering on hostile input", () => {
  it("returns a request Node accepts, or a TemplateFieldError naming a config field", () => {
    let rendered = 0;
    fc.assert(
      fc.property(anyConfig, anyContext, (raw, template) => {
        const parsed = httpConfigSchema.safeParse(raw);
        fc.pre(parsed.success);
        if (!parsed.success) return;
        try {
          const { request } = prepareHttpRequest(contextFor(parsed.data, template));
          rendered += 1;
          expect(["http:", "https:"]).toContain(request.url.protocol);
          for (const [name, value] of Object.entries(request.headers)) {
            expect(() => validateHeaderName(name)).not.toThrow();
            expect(() => validateHeaderValue(name, value)).not.toThrow();
          }
        } catch (error) {
          expect(error).toBeInstanceOf(TemplateFieldError);
          expect((error as TemplateFieldError).field).toMatch(/^config\./);
        }
      }),
      { numRuns: 1000 },
    );
    // The generators must exercise the success path too, or the header checks prove nothing.
    expect(rendered).toBeGreaterThan(50);
  });

  it("the sender always resolves to an outcome (nothing leaves the process: every address is blocked)", async () => {
    const sender = createHttpSender({ policyFor: () => () => "blocked for this test" });
    await fc.assert(
      fc.asyncProperty(anyTemplate, fc.oneof(anyTemplate, jsonTemplate), anyContext, async (path, body, template) => {
        const parsed = httpConfigSchema.safeParse({ url: `http://127.0.0.1:9/${path.replace(/^\{/, "p{")}`, body, headers: { "X-A": path } });
        fc.pre(parsed.success);
        if (!parsed.success) return;
        const outcome = await sender(contextFor(parsed.data, template));
        expect(outcome.result).toBe("permanent");
        expect(outcome.error).toMatch(/^(Content error: Template error in config\.|destination address 127\.0\.0\.1 is blocked for this test)/);
      }),
      { numRuns: 300 },
    );
  });
});
