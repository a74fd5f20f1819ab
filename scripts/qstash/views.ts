// Wire shapes: what GET /v2/messages/:id, GET /v2/dlq and callback bodies contain. Field names
// follow @upstash/qstash 2.12's `Message`, `DlqMessage` and QStash's documented callback body.
import { isUtf8 } from "node:buffer";
import type { AttemptResult, DlqEntry, StoredMessage } from "./types";

/** QStash sends `body` when it is UTF-8 and `bodyBase64` otherwise; never both. */
function bodyFields(body: Buffer, textKey: string, base64Key: string): Record<string, string> {
  if (body.length === 0) return {};
  return isUtf8(body) ? { [textKey]: body.toString("utf8") } : { [base64Key]: body.toString("base64") };
}

export function toMessageView(message: StoredMessage): Record<string, unknown> {
  return {
    messageId: message.messageId,
    url: message.url,
    method: message.method,
    header: message.header,
    ...bodyFields(message.body, "body", "bodyBase64"),
    maxRetries: message.maxRetries,
    retryDelayExpression: message.retryDelayExpression,
    notBefore: message.notBefore,
    createdAt: message.createdAt,
    callback: message.callback,
    failureCallback: message.failureCallback,
    queueName: message.queueName,
    callerIp: message.callerIp,
    flowControlKey: message.flowControl?.key,
    parallelism: message.flowControl?.parallelism,
    rate: message.flowControl?.rate,
    period: message.flowControl?.periodSeconds,
    label: message.labels?.[0],
    labels: message.labels,
  };
}

export function toDlqView(entry: DlqEntry): Record<string, unknown> {
  return {
    ...toMessageView(entry.message),
    dlqId: entry.dlqId,
    responseStatus: entry.result.status,
    responseHeader: entry.result.header,
    ...bodyFields(entry.result.body, "responseBody", "responseBodyBase64"),
  };
}

/**
 * The JSON QStash POSTs to Upstash-Callback / Upstash-Failure-Callback. Bodies are base64 even
 * when they are text; `dlqId` is only present on failure callbacks.
 */
export function toCallbackBody(message: StoredMessage, result: AttemptResult, dlqId?: string): Record<string, unknown> {
  return {
    status: result.status,
    header: result.header,
    body: result.body.toString("base64"),
    retried: message.retried,
    maxRetries: message.maxRetries,
    sourceMessageId: message.messageId,
    url: message.url,
    method: message.method,
    sourceHeader: message.header,
    sourceBody: message.body.toString("base64"),
    notBefore: message.notBefore,
    createdAt: message.createdAt,
    ...(message.queueName === undefined ? {} : { queueName: message.queueName }),
    ...(message.callerIp === undefined ? {} : { callerIP: message.callerIp }),
    ...(dlqId === undefined ? {} : { dlqId }),
  };
}
