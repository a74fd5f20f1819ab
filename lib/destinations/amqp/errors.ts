// Turns what amqplib throws into a delivery verdict. Refused credentials or vhost, a missing
// exchange, an unroutable mandatory message are permanent; an unreachable, busy or closing
// broker and a nack are retryable. Messages keep the broker's reply text (it holds no secrets).
import { BlockedAddressError } from "@/lib/destinations/address-guard";
import { DeadlineExceededError, errorMessage } from "@/lib/destinations/broker/support";
import { AmqpUnroutableError } from "@/lib/destinations/amqp/client";
import type { AmqpMessage } from "@/lib/destinations/amqp/message";
import { networkFailure } from "@/lib/destinations/broker/network-errors";
import { contentErrorPrefix } from "@/lib/destinations/types";
import { tlsFailure } from "@/lib/destinations/tls/errors";
import { InsecureTlsRefusedError } from "@/lib/destinations/tls/options";

export interface AmqpFailure {
  result: "retryable" | "permanent";
  error: string;
  /** The message itself cannot be sent (too large, headers too big to encode): the event's doing. */
  cause?: "content";
}

/** AMQP 0-9-1 reply codes that will not go away by trying again. */
const permanentReplyCodes: Record<number, string> = {
  311: "CONTENT_TOO_LARGE",
  402: "INVALID_PATH",
  403: "ACCESS_REFUSED",
  404: "NOT_FOUND",
  406: "PRECONDITION_FAILED",
  501: "FRAME_ERROR",
  502: "SYNTAX_ERROR",
  503: "COMMAND_INVALID",
  504: "CHANNEL_ERROR",
  505: "UNEXPECTED_FRAME",
  530: "NOT_ALLOWED",
  540: "NOT_IMPLEMENTED",
};

/** amqplib writes reply codes into messages as `403 (ACCESS-REFUSED) with message "…"`. */
function replyCodeOf(error: Error): number | undefined {
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === "number") return code;
  const match = /\b([3-5]\d\d) \([A-Z-]+\)/.exec(error.message);
  return match?.[1] ? Number(match[1]) : undefined;
}

const contentTooLarge = 311;

function replyText(error: Error): string {
  return /with message "([^"]*)"/.exec(error.message)?.[1] ?? error.message;
}

function replyFailure(code: number, error: Error, stage: "connect" | "publish"): AmqpFailure {
  const text = replyText(error);
  const where = stage === "connect" ? "refused the connection" : "refused the publish";
  if (code === contentTooLarge) return { result: "permanent", cause: "content", error: `${contentErrorPrefix}Broker ${where}: ${code} ${permanentReplyCodes[code]} (${text})` };
  if (code in permanentReplyCodes) return { result: "permanent", error: `Broker ${where}: ${code} ${permanentReplyCodes[code]} (${text})` };
  return { result: "retryable", error: `Broker ${where}: ${code} (${text})` };
}

function describeUnroutable(error: AmqpUnroutableError, message: AmqpMessage): string {
  const exchange = message.exchange === "" ? "the default exchange" : `exchange "${message.exchange}"`;
  return `Unroutable: no queue bound for routing key "${message.routingKey}" on ${exchange} (basic.return ${error.replyCode} ${error.replyText})`;
}

function classifyKnownMessage(error: Error): AmqpFailure | undefined {
  const text = error.message;
  // RabbitMQ answers connection.open for a missing or forbidden vhost with connection.close.
  if (/Expected ConnectionOpenOk; got <ConnectionClose/.test(text)) {
    return { result: "permanent", error: "Broker refused the virtual host (it does not exist or the user may not use it)" };
  }
  if (text === "message nacked") return { result: "retryable", error: "Broker nacked the message (publisher confirm negative)" };
  if (text === "connect ETIMEDOUT") return { result: "retryable", error: "Broker unreachable: connection timed out" };
  if (/Socket closed abruptly|Unexpected close|Connection closed|Channel closed|channel closed/i.test(text)) {
    return { result: "retryable", error: `Connection lost: ${text}` };
  }
  return undefined;
}

export function classifyAmqpError(error: unknown, stage: "connect" | "publish", message: AmqpMessage): AmqpFailure {
  // First: a refused certificate also reaches amqplib as a socket error (reset, closed).
  const tls = tlsFailure(error);
  if (tls) return tls;
  if (error instanceof InsecureTlsRefusedError) return { result: "permanent", error: `TLS: ${error.message}` };
  if (error instanceof DeadlineExceededError) return { result: "retryable", error: `Timed out: ${error.message}` };
  if (error instanceof AmqpUnroutableError) return { result: "permanent", error: describeUnroutable(error, message) };
  if (error instanceof BlockedAddressError) return { result: "permanent", error: error.message };
  // amqplib encodes a message's properties into a fixed buffer and throws RangeError when headers
  // rendered from the event do not fit: sending it again cannot help.
  if (error instanceof RangeError) return { result: "permanent", cause: "content", error: `${contentErrorPrefix}the message cannot be encoded: ${error.message}` };
  const network = networkFailure(error);
  if (network) return { result: "retryable", error: network };
  if (!(error instanceof Error)) return { result: "retryable", error: `AMQP ${stage} failed: ${errorMessage(error)}` };
  const code = replyCodeOf(error);
  if (code !== undefined) return replyFailure(code, error, stage);
  return classifyKnownMessage(error) ?? { result: "retryable", error: `AMQP ${stage} failed: ${error.message}` };
}
