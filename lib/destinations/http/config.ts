// Configuration of an HTTP destination (DESIGN.md: url, method, headers, query, body, auth,
// timeoutMs, sign), plus body kind and redirect policy.
import { z } from "zod";
import { headersSchema, httpMethodSchema, templateTextSchema, timeoutMsSchema, urlTemplateSchema } from "@/lib/destinations/config-fields";
import { headerNameSchema, plainHeaderNameSchema } from "@/lib/http/header-name";
import type { SecretField } from "@/lib/destinations/secret-fields";
import { tlsConfigSchema, tlsSecretFields } from "@/lib/destinations/tls/config";
import { presetNameSchema } from "@/lib/destinations/presets/preset-names";

const secretText = z.string().min(1).max(4096);
const awsName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9-]+$/, "lower-case letters, digits and dashes, as AWS names them");

const httpAuthSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("none") }).strict(),
  z.object({ type: z.literal("basic"), username: z.string().max(512), password: secretText }).strict(),
  z.object({ type: z.literal("bearer"), token: secretText }).strict(),
  z
    .object({
      type: z.literal("api_key"),
      in: z.enum(["header", "query"]),
      name: z.string().min(1).max(256),
      value: secretText,
    })
    .strict()
    .refine((auth) => auth.in === "query" || headerNameSchema.safeParse(auth.name).success, {
      message: "must be a valid HTTP header name",
      path: ["name"],
    }),
  z
    .object({
      type: z.literal("oauth2_client_credentials"),
      tokenUrl: urlTemplateSchema(["https", "http"]),
      clientId: z.string().min(1).max(1024),
      clientSecret: secretText,
      scope: z.string().max(2048).optional(),
      audience: z.string().max(2048).optional(),
      /** How the client authenticates to the token endpoint (RFC 6749 §2.3.1): HTTP Basic, or form fields. */
      clientAuth: z.enum(["basic", "body"]).default("basic"),
    })
    .strict(),
  z
    .object({
      type: z.literal("aws_sigv4"),
      /** e.g. "us-east-1". */
      region: awsName,
      /** The signing name: "iotdevicegateway" (IoT Core HTTPS publish), "execute-api" (API Gateway), "lambda" (function URLs). */
      service: awsName,
      accessKeyId: z.string().min(1).max(256),
      secretAccessKey: secretText,
      /** For temporary (STS) credentials. */
      sessionToken: secretText.optional(),
    })
    .strict(),
]);
export type HttpAuth = z.infer<typeof httpAuthSchema>;

const httpBodyTypes = ["json", "text", "form", "xml"] as const;

export const httpConfigSchema = z
  .object({
    url: urlTemplateSchema(["https", "http"]),
    method: httpMethodSchema.default("POST"),
    headers: headersSchema.default({}),
    query: z.record(z.string().min(1).max(256), z.string().max(4096)).default({}),
    /** Unset: the default JSON envelope of the captured request. */
    body: templateTextSchema.optional(),
    bodyType: z.enum(httpBodyTypes).default("json"),
    auth: httpAuthSchema.default({ type: "none" }),
    timeoutMs: timeoutMsSchema.default(10_000),
    followRedirects: z.boolean().default(false),
    /** Standard Webhooks signature; the whsec_ secret is generated and shown once. */
    sign: z.boolean().default(false),
    /** Where to send the Standard Webhooks headers' signature; defaults are the standard names. */
    signatureHeader: headerNameSchema.optional(),
    /** TLS for https:// (mTLS, private CA): private CA, client certificate, SNI, ALPN. */
    tls: tlsConfigSchema.optional(),
    /** A managed service's preset (lib/destinations/presets/): its defaults were filled in, its limits are checked. */
    preset: presetNameSchema.optional(),
  })
  .strict()
  .superRefine((config, issues) => {
    // A CA or client certificate on a plain-text URL would be silently unused (the scheme is never request data).
    if (config.tls && config.url.trimStart().toLowerCase().startsWith("http:"))
      issues.addIssue({ code: "custom", path: ["tls"], message: "is used over https:// only; this URL is http://" });
  });

export type HttpConfig = z.infer<typeof httpConfigSchema>;

/**
 * What an operator may save: the header names they set are letters, digits and - (issue #11).
 * Stored configurations are read with httpConfigSchema, so destinations saved before keep delivering.
 */
export const httpConfigInputSchema = httpConfigSchema.superRefine((config, issues) => {
  const names: Array<[PropertyKey[], string]> = Object.keys(config.headers).map((name) => [["headers", name], name]);
  if (config.auth.type === "api_key" && config.auth.in === "header") names.push([["auth", "name"], config.auth.name]);
  if (config.signatureHeader !== undefined) names.push([["signatureHeader"], config.signatureHeader]);
  for (const [path, name] of names) {
    const refused = plainHeaderNameSchema.safeParse(name).error?.issues[0];
    if (refused) issues.addIssue({ code: "custom", path, message: refused.message });
  }
});

export const httpSecretFields: readonly SecretField[] = [
  { path: ["auth", "password"], kind: "value" },
  { path: ["auth", "token"], kind: "value" },
  { path: ["auth", "value"], kind: "value" },
  { path: ["auth", "clientSecret"], kind: "value" },
  { path: ["auth", "secretAccessKey"], kind: "value" },
  { path: ["auth", "sessionToken"], kind: "value" },
  { path: ["url"], kind: "url-password" },
  ...tlsSecretFields,
];
