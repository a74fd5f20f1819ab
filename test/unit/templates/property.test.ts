import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TemplateError, TemplateRenderError, renderTemplate, templateModes } from "@/lib/templates";
import type { TemplateContext, TemplateMode } from "@/lib/templates";
import { anyContext, anyMode, anyTemplate, hostileText, jsonTemplate, urlTemplate } from "./arbitraries";
import { makeContext } from "./context-fixture";

type Outcome = { ok: true; output: string } | { ok: false; error: unknown };

function attempt(template: string, mode: TemplateMode, context: TemplateContext): Outcome {
  try {
    return { ok: true, output: renderTemplate(template, mode, context) };
  } catch (error) {
    return { ok: false, error };
  }
}

const wellFormed = (text: string) => text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
const forbiddenInHeader = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;
const stripped = (text: string) => text.replace(new RegExp(forbiddenInHeader.source, "g"), "");

describe("renderTemplate on arbitrary input", () => {
  it("returns a string or throws only TemplateError / TemplateRenderError, and each mode's output holds its promise", () => {
    const rendered = new Map<TemplateMode, number>();
    fc.assert(
      fc.property(fc.oneof(anyTemplate, jsonTemplate, urlTemplate), anyMode, anyContext, (template, mode, context) => {
        const outcome = attempt(template, mode, context);
        if (!outcome.ok) {
          expect(outcome.error instanceof TemplateError || outcome.error instanceof TemplateRenderError).toBe(true);
          return;
        }
        expect(typeof outcome.output).toBe("string");
        rendered.set(mode, (rendered.get(mode) ?? 0) + 1);
        if (mode === "json") expect((): unknown => JSON.parse(outcome.output)).not.toThrow();
        if (mode === "header") expect(outcome.output).not.toMatch(forbiddenInHeader);
        if (mode === "url") expect(["http:", "https:"]).toContain(new URL(outcome.output).protocol);
        if (mode === "mqtt_topic") expect(outcome.output).not.toMatch(/[+#\u0000]|^\/|\/$|\/\//);
      }),
      { numRuns: 1500 },
    );
    // Guards the generators: a property that only ever sees errors proves nothing about output.
    for (const mode of templateModes) expect(rendered.get(mode) ?? 0, mode).toBeGreaterThan(10);
  });

  it("renders JSON templates built from present values, always producing parseable JSON", () => {
    fc.assert(
      fc.property(jsonTemplate, anyContext, (template, context) => {
        const output = renderTemplate(template, "json", context);
        expect((): unknown => JSON.parse(output)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});

describe("injection attempts stay data", () => {
  it("json: a value inside a string can never add or change members", () => {
    fc.assert(
      fc.property(hostileText, hostileText, (name, header) => {
        const context = makeContext({ event: { body: JSON.stringify({ a: name }), headers: { "x-a": header } } });
        const parsed: unknown = JSON.parse(renderTemplate('{"user":"{body.a}","h":"{header.x-a}","admin":false}', "json", context));
        // JSON escapes even lone surrogates reversibly, so the values come back exactly.
        expect(parsed).toEqual({ user: name, h: header, admin: false });
      }),
      { numRuns: 500 },
    );
  });

  it("header: CR, LF and other control characters never reach the output", () => {
    fc.assert(
      fc.property(hostileText, hostileText, hostileText, (header, variable, secret) => {
        const context = makeContext({ vars: { v: variable }, secrets: { S: secret }, event: { headers: { "X-A": header } } });
        const output = renderTemplate("v={header.x-a};{var.v};{secret:S}", "header", context);
        expect(output).not.toMatch(forbiddenInHeader);
        expect(output).toBe(`v=${stripped(header)};${stripped(variable)};${stripped(secret)}`);
      }),
      { numRuns: 500 },
    );
  });

  it("url: a value can never add path segments, query parameters or a fragment", () => {
    fc.assert(
      fc.property(hostileText, hostileText, (segment, query) => {
        fc.pre(segment !== "." && segment !== "..");
        const context = makeContext({ vars: { v: query }, event: { headers: { "x-a": segment } } });
        const url = new URL(renderTemplate("https://api.example.com/p/{header.x-a}/end?q={var.v}", "url", context));
        expect(url.host).toBe("api.example.com");
        expect(url.pathname.split("/")).toHaveLength(4);
        expect(decodeURIComponent(url.pathname.split("/")[2] ?? "")).toBe(wellFormed(segment));
        expect([...url.searchParams.keys()]).toEqual(["q"]);
        expect(url.searchParams.get("q")).toBe(wellFormed(query));
        expect(url.hash).toBe("");
      }),
      { numRuns: 500 },
    );
  });

  it("form: a value can never add fields", () => {
    fc.assert(
      fc.property(hostileText, hostileText, (first, second) => {
        const context = makeContext({ vars: { v: first }, event: { headers: { "x-a": second } } });
        const params = new URLSearchParams(renderTemplate("a={var.v}&b={header.x-a}", "form", context));
        expect([...params.entries()]).toEqual([
          ["a", wellFormed(first)],
          ["b", wellFormed(second)],
        ]);
      }),
      { numRuns: 500 },
    );
  });
});
