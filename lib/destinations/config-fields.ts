// Field schemas shared by the per-kind destination configs. Every string here may hold
// `{…}` templates; the template engine checks their variables at save time.
import { z } from "zod";
import { headerNameSchema } from "@/lib/http/header-name";

const httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
export const httpMethodSchema = z.enum(httpMethods);

const headerValueSchema = z
  .string()
  .max(8192)
  .refine((value) => !/[\r\n\0]/.test(value), "must not contain CR, LF or NUL");

export const headersSchema = z.record(headerNameSchema, headerValueSchema);

export const templateTextSchema = z.string().max(262_144);

/**
 * A send may take this long and still leave the delivery function (maxDuration in vercel.json)
 * time to record its outcome; test/unit/vercel-config.test.ts holds the two together.
 */
export const maxTimeoutMs = 50_000;

export const timeoutMsSchema = z.number().int().min(100).max(maxTimeoutMs);

const hasTemplate = (value: string) => /\{[A-Za-z_]/.test(value);

/** An absolute URL with one of `protocols` and a host. */
function isUrlWith(value: string, protocols: readonly string[]): boolean {
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol.replace(/:$/, "")) && url.hostname !== "";
  } catch {
    return false;
  }
}

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/** The URL parser keeps "%zz" as written; decoding it later, to use or seal the credential, would throw. */
function hasDecodableUserinfo(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return true; // reported by the URL check
  }
  return decodes(url.username) && decodes(url.password);
}

const userinfoMessage = "has a username or password that is not valid percent-encoding: write a literal % as %25";

function urlTextSchema(protocols: readonly string[]) {
  const names = protocols.map((protocol) => `${protocol}://`).join(", ");
  return { schema: z.string().trim().min(1).max(2048), message: `must be a valid URL starting with ${names}` };
}

/** A URL with one of `protocols`, or a template that starts with a placeholder for its base. */
export function urlTemplateSchema(protocols: readonly string[]) {
  const { schema, message } = urlTextSchema(protocols);
  const withStandIns = (value: string) => (hasTemplate(value) ? value.replace(/\{[^}]*\}/g, "x") : value);
  return schema
    .refine((value) => (value.startsWith("{") && hasTemplate(value)) || isUrlWith(withStandIns(value), protocols), message)
    .refine((value) => hasDecodableUserinfo(withStandIns(value)), userinfoMessage);
}

/**
 * A broker URL is not a template: it is opened before any rendering, and its credentials are
 * sealed as a whole. Use the username/password fields for `{secret:…}` references.
 */
export function brokerUrlSchema(protocols: readonly string[]) {
  const { schema, message } = urlTextSchema(protocols);
  return schema
    .refine((value) => !value.includes("{"), "is not a template: put credentials in the username/password fields or the URL itself")
    .refine((value) => isUrlWith(value, protocols), message)
    .refine(hasDecodableUserinfo, userinfoMessage);
}
