import { describe, expect, it } from "vitest";
import { DeadlineExceededError } from "@/lib/destinations/broker/support";
import { AmqpUnroutableError } from "@/lib/destinations/amqp/client";
import { classifyAmqpError } from "@/lib/destinations/amqp/errors";
import type { AmqpMessage } from "@/lib/destinations/amqp/message";
import { MqttConnectionLostError } from "@/lib/destinations/mqtt/client";
import { classifyMqttError } from "@/lib/destinations/mqtt/errors";

const withCode = (message: string, code: unknown) => Object.assign(new Error(message), { code });

describe("classifyMqttError", () => {
  it.each([
    [withCode("Connection refused: Bad username or password", 4), "connect", 4, "permanent", "bad username or password (CONNACK return code 4)"],
    [withCode("Connection refused: Not authorized", 5), "connect", 4, "permanent", "not authorised (CONNACK return code 5)"],
    [withCode("Connection refused: Server unavailable", 3), "connect", 4, "retryable", "server unavailable (CONNACK return code 3)"],
    [withCode("Connection refused: Bad User Name or Password", 0x86), "connect", 5, "permanent", "(CONNACK reason code 0x86)"],
    [withCode("Connection refused: Not authorized", 0x87), "connect", 5, "permanent", "not authorised (CONNACK reason code 0x87)"],
    [withCode("Connection refused: Bad authentication method", 0x8c), "connect", 5, "permanent", "(CONNACK reason code 0x8c)"],
    [withCode("Connection refused: Server busy", 0x89), "connect", 5, "retryable", "server busy"],
    [withCode("Publish error: Not authorized", 0x87), "publish", 5, "permanent", "Broker rejected the message: not authorised (PUBACK reason code 0x87)"],
    [withCode("Publish error: Quota exceeded", 0x97), "publish", 5, "retryable", "quota exceeded"],
    [withCode("connect ECONNREFUSED 127.0.0.1:1", "ECONNREFUSED"), "connect", 4, "retryable", "Broker unreachable: connection refused"],
    [withCode("getaddrinfo ENOTFOUND broker.invalid", "ENOTFOUND"), "connect", 4, "retryable", "Broker unreachable: DNS lookup failed"],
    [new DeadlineExceededError("publish", 500), "publish", 4, "retryable", "Timed out: publish timed out"],
    [new MqttConnectionLostError("gone"), "publish", 4, "retryable", "Connection lost: gone"],
    [new MqttConnectionLostError("gone", 0x90), "publish", 5, "permanent", "dropped the connection: topic name invalid (DISCONNECT reason code 0x90)"],
  ] as const)("%s at %s (v%s) → %s", (error, stage, version, result, text) => {
    const failure = classifyMqttError(error, stage, version);
    expect(failure.result).toBe(result);
    expect(failure.error).toContain(text);
  });
});

const message = { exchange: "orders", routingKey: "a.b" } as AmqpMessage;

describe("classifyAmqpError", () => {
  it.each([
    [
      new Error('Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused"'),
      "connect",
      "permanent",
      "403 ACCESS_REFUSED (ACCESS_REFUSED - Login was refused)",
    ],
    [withCode('Operation failed: ExchangeDeclare; 404 (NOT-FOUND) with message "NOT_FOUND - no exchange"', 404), "publish", "permanent", "404 NOT_FOUND"],
    [withCode('Connection closed: 320 (CONNECTION-FORCED) with message "CONNECTION_FORCED - shutdown"', 320), "publish", "retryable", "320"],
    [new Error("Expected ConnectionOpenOk; got <ConnectionClose channel:0>"), "connect", "permanent", "virtual host"],
    [new Error("message nacked"), "publish", "retryable", "nacked"],
    [new AmqpUnroutableError(312, "NO_ROUTE"), "publish", "permanent", 'Unroutable: no queue bound for routing key "a.b" on exchange "orders" (basic.return 312 NO_ROUTE)'],
    [withCode("connect ECONNREFUSED 127.0.0.1:5672", "ECONNREFUSED"), "connect", "retryable", "Broker unreachable: connection refused"],
    [new Error("connect ETIMEDOUT"), "connect", "retryable", "Broker unreachable: connection timed out"],
    [new Error("Socket closed abruptly during opening handshake"), "connect", "retryable", "Connection lost"],
  ] as const)("%s → %s", (error, stage, result, text) => {
    const failure = classifyAmqpError(error, stage, message);
    expect(failure.result).toBe(result);
    expect(failure.error).toContain(text);
  });
});
