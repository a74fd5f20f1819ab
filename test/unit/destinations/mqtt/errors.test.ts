// classifyMqttError for what connecting through the guarded stream, TLS and cloud sign-in adds:
// refusals no retry changes are permanent and say what to fix; a slow handshake stays retryable.
import { describe, expect, it } from "vitest";
import { BlockedAddressError } from "@/lib/destinations/address-guard";
import { DeadlineExceededError } from "@/lib/destinations/broker/support";
import { classifyMqttError } from "@/lib/destinations/mqtt/errors";
import { WebSocketUpgradeError } from "@/lib/destinations/mqtt/transport";
import { InsecureTlsRefusedError } from "@/lib/destinations/tls/options";

const withCode = (message: string, code: unknown) => Object.assign(new Error(message), { code });

describe("classifyMqttError: connect-time refusals", () => {
  it("a blocked address is permanent, with the guard's own message", () => {
    const failure = classifyMqttError(new BlockedAddressError("127.0.0.1", "broker.example", "private/loopback"), "connect", 4);
    expect(failure).toEqual({
      result: "permanent",
      error: "destination address 127.0.0.1 (resolved from broker.example) is private/loopback; blocked (set ALLOW_PRIVATE_DESTINATIONS=true to allow)",
    });
  });

  it("insecureSkipVerify refused in production is permanent and says so", () => {
    const failure = classifyMqttError(new InsecureTlsRefusedError(), "connect", 4);
    expect(failure.result).toBe("permanent");
    expect(failure.error).toMatch(/^tls\.insecureSkipVerify is refused in production/);
  });

  it("a TLS verification failure is classified by tlsFailure first, not as a network error", () => {
    const failure = classifyMqttError(withCode("self-signed certificate in certificate chain", "SELF_SIGNED_CERT_IN_CHAIN"), "connect", 4);
    expect(failure.result).toBe("permanent");
    expect(failure.error).toMatch(/^TLS: the server's certificate is not trusted/);
  });

  it("a TLS handshake that runs out of time stays retryable", () => {
    expect(classifyMqttError(new DeadlineExceededError("connect", 500), "connect", 4)).toEqual({ result: "retryable", error: "Timed out: connect timed out (overall timeout 500 ms)" });
  });

  it.each([
    [403, "aws_sigv4", "permanent", "the broker refused the signed WebSocket URL (HTTP 403)"],
    [401, "aws_sigv4", "permanent", "the broker refused the signed WebSocket URL (HTTP 401)"],
    [403, undefined, "permanent", "the broker refused the WebSocket connection (HTTP 403)"],
    [502, "aws_sigv4", "retryable", "Broker refused the WebSocket upgrade (HTTP 502)"],
    [404, undefined, "retryable", "Broker refused the WebSocket upgrade (HTTP 404)"],
  ] as const)("a WebSocket upgrade answered %s (auth %s) is %s", (status, auth, result, error) => {
    expect(classifyMqttError(new WebSocketUpgradeError(status), "connect", 4, auth)).toEqual({ result, error });
  });

  it.each([
    [4, 4, "azure_sas", "IoT Hub refused the SAS token made from config.auth.deviceKey"],
    [5, 4, "azure_sas", "IoT Hub refused the SAS token"],
    [0x86, 5, "azure_sas", "IoT Hub refused the SAS token"],
    [5, 4, "aws_sigv4", "AWS IoT refused the SigV4 sign-in"],
  ] as const)("CONNACK %s (v%s) with auth %s names the sign-in as the cause", (code, version, auth, hint) => {
    const failure = classifyMqttError(withCode("Connection refused", code), "connect", version, auth);
    expect(failure.result).toBe("permanent");
    expect(failure.error).toContain("Broker refused the connection");
    expect(failure.error).toContain(hint);
  });

  it("CONNACK 'server unavailable' with a cloud sign-in stays retryable and blames no credential", () => {
    const failure = classifyMqttError(withCode("Connection refused: Server unavailable", 3), "connect", 4, "azure_sas");
    expect(failure).toEqual({ result: "retryable", error: "Broker refused the connection: server unavailable (CONNACK return code 3)" });
  });
});
