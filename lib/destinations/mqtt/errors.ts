// Turns what mqtt.js throws into a delivery verdict. The broker saying no to these credentials,
// this client or this message is permanent; the broker being unreachable, busy or slow is
// retryable. Messages name codes and stages, never credentials.
import { DeadlineExceededError, errorMessage } from "@/lib/destinations/broker/support";
import { MqttConnectionLostError } from "@/lib/destinations/mqtt/client";
import { networkFailure } from "@/lib/destinations/broker/network-errors";
import { contentErrorPrefix } from "@/lib/destinations/types";
import { BlockedAddressError } from "@/lib/destinations/address-guard";
import { tlsFailure } from "@/lib/destinations/tls/errors";
import { InsecureTlsRefusedError } from "@/lib/destinations/tls/options";
import { WebSocketUpgradeError } from "@/lib/destinations/mqtt/transport";
import type { MqttAuth } from "@/lib/destinations/mqtt/config";

export interface MqttFailure {
  result: "retryable" | "permanent";
  error: string;
  /** The broker refused this message for its size or format: the event's doing, not the broker's. */
  cause?: "content";
}

/** MQTT 3.1.1 CONNACK return codes; 3 (server unavailable) is the only transient one. */
const v4ConnackCodes: Record<number, string> = {
  1: "unacceptable protocol version",
  2: "client identifier rejected",
  3: "server unavailable",
  4: "bad username or password",
  5: "not authorised",
};

/** MQTT 5 reason codes that mean "this will not work until the configuration changes". */
const v5PermanentCodes: Record<number, string> = {
  0x81: "malformed packet",
  0x82: "protocol error",
  0x84: "unsupported protocol version",
  0x85: "client identifier not valid",
  0x86: "bad user name or password",
  0x87: "not authorised",
  0x8a: "banned",
  0x8c: "bad authentication method",
  0x90: "topic name invalid",
  0x95: "packet too large",
  0x99: "payload format invalid",
  0x9a: "retain not supported",
  0x9b: "QoS not supported",
  0x9d: "server moved",
};

const v5TransientCodes: Record<number, string> = {
  0x80: "unspecified error",
  0x83: "implementation specific error",
  0x88: "server unavailable",
  0x89: "server busy",
  0x8b: "server shutting down",
  0x97: "quota exceeded",
  0x9c: "use another server",
  0x9f: "connection rate exceeded",
};

/** Reason codes about the message itself (its size, its payload's format), not the broker or the config. */
const v5ContentCodes: ReadonlySet<number> = new Set([0x95, 0x99]);

const hex = (code: number) => `0x${code.toString(16).padStart(2, "0")}`;

function reasonCodeFailure(code: number, protocolVersion: 4 | 5, packet: string): MqttFailure {
  if (protocolVersion === 4 && code in v4ConnackCodes) {
    const result = code === 3 ? "retryable" : "permanent";
    return { result, error: `Broker refused the connection: ${v4ConnackCodes[code]} (${packet} return code ${code})` };
  }
  const verb = packet === "CONNACK" ? "refused the connection" : packet === "DISCONNECT" ? "dropped the connection" : "rejected the message";
  if (code in v5PermanentCodes) {
    const error = `Broker ${verb}: ${v5PermanentCodes[code]} (${packet} reason code ${hex(code)})`;
    return v5ContentCodes.has(code) && packet !== "CONNACK" ? { result: "permanent", cause: "content", error: `${contentErrorPrefix}${error}` } : { result: "permanent", error };
  }
  const name = v5TransientCodes[code] ?? "unknown reason";
  return { result: "retryable", error: `Broker ${verb}: ${name} (${packet} reason code ${hex(code)})` };
}

/** CONNACK codes that mean "these credentials were refused" (3.1.1 and 5). */
const refusedCredentials: Record<4 | 5, ReadonlySet<number>> = { 4: new Set([4, 5]), 5: new Set([0x86, 0x87, 0x8c]) };

/** What a refused cloud sign-in means, for the operator who has to fix it. */
const signInHints: Record<MqttAuth["type"], string> = {
  aws_sigv4: "AWS IoT refused the SigV4 sign-in: check config.auth (region, access key, secret) and the IAM policy",
  azure_sas: "IoT Hub refused the SAS token made from config.auth.deviceKey: check deviceId and deviceKey",
};

function upgradeFailure(error: WebSocketUpgradeError, auth: MqttAuth["type"] | undefined): MqttFailure {
  const status = error.statusCode;
  if (status === 401 || status === 403) {
    const what = auth === "aws_sigv4" ? "the broker refused the signed WebSocket URL" : "the broker refused the WebSocket connection";
    return { result: "permanent", error: `${what} (HTTP ${status})` };
  }
  return { result: "retryable", error: `Broker refused the WebSocket upgrade (HTTP ${status})` };
}

/** Before CONNACK: refusals that no retry will change (address blocked, TLS, insecure TLS in production, a refused upgrade), else undefined. */
function connectRefusal(error: unknown, auth: MqttAuth["type"] | undefined): MqttFailure | undefined {
  if (error instanceof BlockedAddressError || error instanceof InsecureTlsRefusedError) return { result: "permanent", error: error.message };
  const tls = tlsFailure(error);
  if (tls) return tls;
  if (error instanceof WebSocketUpgradeError) return upgradeFailure(error, auth);
  return undefined;
}

/**
 * `stage` is where it failed: "connect" (until CONNACK) or "publish" (until PUBACK/PUBCOMP);
 * `auth` the destination's cloud sign-in, so a refusal names what to check.
 */
export function classifyMqttError(error: unknown, stage: "connect" | "publish", protocolVersion: 4 | 5, auth?: MqttAuth["type"]): MqttFailure {
  if (error instanceof DeadlineExceededError) return { result: "retryable", error: `Timed out: ${error.message}` };
  const refusal = connectRefusal(error, auth);
  if (refusal) return refusal;
  // mqtt.js's ErrorWithReasonCode (not exported) carries the CONNACK/PUBACK code as a number;
  // socket errors carry string codes.
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  if (typeof code === "number") {
    const failure = reasonCodeFailure(code, protocolVersion, stage === "connect" ? "CONNACK" : "PUBACK");
    const signIn = auth && stage === "connect" && refusedCredentials[protocolVersion].has(code);
    return signIn ? { ...failure, error: `${failure.error}: ${signInHints[auth]}` } : failure;
  }
  if (error instanceof MqttConnectionLostError) {
    if (error.reasonCode !== undefined && error.reasonCode >= 0x80) return reasonCodeFailure(error.reasonCode, 5, "DISCONNECT");
    return { result: "retryable", error: `Connection lost: ${error.message}` };
  }
  const network = networkFailure(error);
  if (network) return { result: "retryable", error: network };
  return { result: "retryable", error: `MQTT ${stage} failed: ${errorMessage(error)}` };
}
