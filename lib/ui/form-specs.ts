// The forms the operator UI renders, described from the API's schemas: callbacks (create and
// edit), one destination form per kind and the alert webhook. New schema fields appear here on
// their own.
import { alertSettingsInputSchema } from "@/lib/alerts/alert-settings";
import { callbackCreateSchema, callbackPatchSchema } from "@/lib/callbacks/callback-input";
import { defaultMaxConcurrency } from "@/lib/destinations/limits";
import { defaultFailureThreshold, destinationInputSchema, destinationPatchSchema } from "@/lib/destinations/destination-input";
import { kindDefinitions } from "@/lib/destinations/kinds";
import type { FieldSpec } from "@/lib/ui/field-spec";
import { pacingFields } from "@/lib/ui/pacing-form";
import { routingFields } from "@/lib/ui/routing-form";
import { describeFields, type FieldOptions } from "@/lib/ui/schema-fields";

const callbackLabels = {
  path: "Custom path (/api/hooks/…)",
  pathTokenHeader: "Token header for the custom path",
  rateLimitPerMinute: "Rate limit (requests per minute)",
  maxBodyBytes: "Max body (bytes)",
  retries: "Retries (QStash)",
  handshake: "Verification handshake",
  response: "Acknowledgement (instead of 202 with the JSON answer)",
};

export function callbackFormFields(mode: "create" | "edit"): FieldSpec[] {
  const schema = mode === "create" ? callbackCreateSchema : callbackPatchSchema;
  return describeFields(schema, { omit: ["destinations"], labels: callbackLabels });
}

export interface DestinationKindForm {
  kind: string;
  /** The whole destination input (name, enabled, config, …) for this kind. */
  fields: FieldSpec[];
  /** Top-level keys PATCH accepts; the edit form sends only these. */
  patchKeys: string[];
}

const destinationLabels = { failureThreshold: "Failure threshold (circuit breaker)", maxConcurrency: "Max deliveries in flight" };

/** MQTT's `auth` is a cloud sign-in beside the username/password fields, not instead of a "none". */
const kindLabels: Partial<Record<string, Record<string, string>>> = { mqtt: { "config.auth": "Cloud sign-in" } };

/** What the cloud sign-in settings mean, per kind (their secrets are sealed like every credential). */
const kindHints: Partial<Record<string, Record<string, string>>> = {
  http: {
    "config.auth.service": 'The SigV4 signing name: "iotdevicegateway" (IoT Core HTTPS publish), "execute-api" (API Gateway), "lambda" (function URLs).',
    "config.auth.sessionToken": "Only for temporary (STS) credentials.",
  },
  mqtt: {
    "config.auth":
      "AWS IoT Core over wss:// (SigV4, signed for each connection) or Azure IoT Hub over mqtts:// or wss:// (a SAS token made from the device key); leave the username and password empty.",
    "config.auth.sessionToken": "Only for temporary (STS) credentials.",
    "config.auth.deviceKey": "The device's primary or secondary key (base64), as IoT Hub shows it.",
    "config.auth.expirySeconds": "How long each SAS token is valid; a new one is made for every connection.",
  },
};

const destinationHints = {
  failureThreshold:
    `Deliveries in a row that end failed or dead (retried attempts do not count) before this destination is disabled; ` +
    `default ${defaultFailureThreshold}. Leave empty to never disable it.`,
  maxConcurrency:
    `At most this many deliveries to this destination run at once; the queue holds the rest back, so a burst ` +
    `of triggers reaches the receiver at a pace it can take. Default ${defaultMaxConcurrency}.`,
};

/** The insecureSkipVerify checkbox always carries this line. */
export const insecureSkipVerifyWarning = "Development only: the server's certificate is not checked; refused in production.";

/** Labels, hints and the warning of the `tls` object under `config`, the same on every kind. */
function tlsFieldOptions(prefix = "config.tls."): Required<Pick<FieldOptions, "labels" | "hints" | "warnings" | "monospacePaths">> {
  return {
    labels: {
      [prefix.slice(0, -1)]: "TLS",
      [`${prefix}ca`]: "CA certificates (PEM)",
      [`${prefix}cert`]: "Client certificate (PEM)",
      [`${prefix}key`]: "Client private key (PEM)",
      [`${prefix}passphrase`]: "Private key passphrase",
      [`${prefix}servername`]: "Server name (SNI)",
      [`${prefix}alpnProtocols`]: "ALPN protocols",
      [`${prefix}insecureSkipVerify`]: "Skip server certificate verification",
    },
    hints: {
      [`${prefix}ca`]: "Trust these CAs instead of the system's (a private broker CA). Leave empty for a publicly trusted server.",
      [`${prefix}cert`]: "For servers that require a client certificate (mTLS, AWS IoT Core X.509). The chain may follow the certificate.",
      [`${prefix}key`]: "The client certificate's key; stored sealed and shown as *** afterwards.",
      [`${prefix}passphrase`]: "Only for an encrypted private key; stored sealed.",
      [`${prefix}servername`]: "Sent as SNI and checked against the server's certificate; default: the host in the URL.",
      [`${prefix}alpnProtocols`]: "Comma-separated, e.g. x-amzn-mqtt-ca for AWS IoT Core on port 443.",
    },
    warnings: { [`${prefix}insecureSkipVerify`]: insecureSkipVerifyWarning },
    monospacePaths: [`${prefix}ca`, `${prefix}cert`, `${prefix}key`],
  };
}

/** Credential paths of a kind's config, rendered as password inputs. */
function configSecretPaths(kind: keyof typeof kindDefinitions, prefix = "config."): string[] {
  return kindDefinitions[kind].secretFields.filter((field) => field.kind === "value").map((field) => `${prefix}${field.path.join(".")}`);
}

export function destinationFormSpecs(): DestinationKindForm[] {
  const patchKeys = Object.keys(destinationPatchSchema.shape);
  return destinationInputSchema.options.map((option) => {
    const kind = option.shape.kind.value;
    const tls = tlsFieldOptions();
    const labels = { ...destinationLabels, ...tls.labels, ...kindLabels[kind], config: `${kind.toUpperCase()} settings` };
    // The filter and transform have editors of their own (with Test filter and Preview), after these
    // fields; so do ordering, rate and the retry schedule (with its preview).
    const fields = describeFields(option, {
      ...tls,
      omit: ["kind", ...routingFields, ...pacingFields],
      secretPaths: configSecretPaths(kind),
      labels,
      hints: { ...destinationHints, ...tls.hints, ...kindHints[kind] },
    });
    return { kind, fields, patchKeys };
  });
}

/** The alert webhook: on/off, retries and the same HTTP config form as an HTTP destination. */
export function alertSettingsFormFields(): FieldSpec[] {
  const tls = tlsFieldOptions();
  return describeFields(alertSettingsInputSchema, {
    ...tls,
    secretPaths: configSecretPaths("http"),
    labels: { ...tls.labels, enabled: "Send alerts", retries: "Retries (QStash)", config: "Alert webhook (HTTP)" },
    hints: {
      ...tls.hints,
      enabled: "Off: no alert is recorded or sent; the settings are kept.",
      retries: "How often QStash retries each alert (0–20). A failing alert never raises another alert.",
    },
  });
}
