import { describe, expect, it } from "vitest";
import { classifyHttpStatus, httpFailureMessage, parseRetryAfter } from "@/lib/destinations/http/status";
import { classifySendError } from "@/lib/destinations/http/send-http";
import { BlockedAddressError } from "@/lib/destinations/address-guard";
import { RequestTimeoutError } from "@/lib/destinations/http/request";
import { RedirectError } from "@/lib/destinations/http/redirects";
import { TemplateFieldError } from "@/lib/destinations/http/render";
import { OAuth2Error } from "@/lib/destinations/http/oauth2";

describe("classifyHttpStatus", () => {
  it.each([
    [200, "succeeded"],
    [201, "succeeded"],
    [204, "succeeded"],
    [299, "succeeded"],
    [408, "retryable"],
    [429, "retryable"],
    [500, "retryable"],
    [502, "retryable"],
    [503, "retryable"],
    [599, "retryable"],
    [100, "permanent"],
    [301, "permanent"],
    [302, "permanent"],
    [304, "permanent"],
    [307, "permanent"],
    [400, "permanent"],
    [401, "permanent"],
    [403, "permanent"],
    [404, "permanent"],
    [409, "permanent"],
    [410, "permanent"],
    [422, "permanent"],
  ] as const)("HTTP %i is %s", (status, expected) => {
    expect(classifyHttpStatus(status)).toBe(expected);
  });
});

describe("httpFailureMessage", () => {
  it("tells the operator how to follow a redirect", () => {
    expect(httpFailureMessage(302, false)).toBe("HTTP 302: redirect not followed (set followRedirects)");
    expect(httpFailureMessage(304, true)).toMatch(/no usable Location/);
  });

  it("says a 410 disabled the destination", () => {
    expect(httpFailureMessage(410, false)).toMatch(/410 Gone.*disabled/);
    expect(httpFailureMessage(404, false)).toBe("HTTP 404");
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2024-01-01T00:00:00Z");
  it.each([
    ["120", 120],
    [" 5 ", 5],
    ["999999", 86_400],
    ["Mon, 01 Jan 2024 00:01:00 GMT", 60],
    ["Sun, 31 Dec 2023 23:00:00 GMT", undefined],
    ["soon", undefined],
    [undefined, undefined],
  ])("%s → %s", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe("classifySendError", () => {
  it.each([
    [new TemplateFieldError("config.url", "bad"), "permanent", /^Content error: Template error in config\.url: bad$/],
    [new BlockedAddressError("10.0.0.1", "10.0.0.1", "private/loopback (RFC 1918)"), "permanent", /blocked/],
    [new RedirectError("too many redirects (more than 5)"), "permanent", /too many redirects/],
    [new OAuth2Error("OAuth2 token request failed: 401 invalid_client", false), "permanent", /invalid_client/],
    [new OAuth2Error("OAuth2 token request failed: 503", true), "retryable", /503/],
    [new RequestTimeoutError(250), "retryable", /^Timeout: timed out after 250 ms$/],
    [Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }), "retryable", /^Network error: connect ECONNREFUSED/],
    [new TypeError('Invalid character in header content ["x"]'), "permanent", /^Content error: the rendered request cannot be sent/],
  ] as const)("%s → %s", (error, result, message) => {
    const classified = classifySendError(error);
    expect(classified.result).toBe(result);
    expect(classified.error).toMatch(message);
  });
});
