// AMQP 0-9-1 destination: one attempt = connect, open a confirm channel, declare or check the
// exchange, publish, wait for the publisher confirm (and any basic.return), close — all under
// the destination's one timeout. With `reuseConnection` a warm instance pools the connection.
import type { AmqpConfig } from "@/lib/destinations/amqp/config";
import type { DeliveryOutcome, Sender } from "@/lib/destinations/types";
import { amqpKind } from "@/lib/destinations/kinds";
import { brokerOutcome, publishOnce, publishPooledWithRetry, prepareBrokerSend, startDeadline, type Deadline, type PublishRun, type PublishStage } from "@/lib/destinations/broker/support";
import { ConnectionPool, poolKey } from "@/lib/destinations/broker/connection-pool";
import { closeAmqpConnection, openAmqpConnection, publishAmqp, type AmqpConnection } from "@/lib/destinations/amqp/client";
import { classifyAmqpError } from "@/lib/destinations/amqp/errors";
import { describeAmqpMessage, describeAmqpTarget, recordedAmqpMessage, renderAmqpMessage, type AmqpMessage } from "@/lib/destinations/amqp/message";
import { getEnv } from "@/lib/env";
import type { TlsConfig } from "@/lib/destinations/tls/config";
import { recordedTls, tlsConnectOptions } from "@/lib/destinations/tls/options";

type Stage = PublishStage;

/** Pooled connections of this instance (reuseConnection: true); tests count and close them. */
export const amqpConnectionPool = new ConnectionPool<AmqpConnection>({
  isUsable: (connection) => !connection.closed,
  close: (connection) => closeAmqpConnection(connection),
});

const newRun = (): PublishRun => ({ timings: { connectMs: 0, publishMs: 0 }, connection: "new" });

interface Attempt {
  message: AmqpMessage;
  deadline: Deadline;
  allowPrivate: boolean;
  tls: TlsConfig | undefined;
  deferClose?: (closing: Promise<void>) => void;
}

// tlsConnectOptions throws for insecureSkipVerify in production: a connect failure, classified permanent.
const open = async (attempt: Attempt) => openAmqpConnection(attempt.message.connectUrl, attempt.deadline, attempt.allowPrivate, tlsConnectOptions(attempt.tls, getEnv().production));

function publishShortLived(attempt: Attempt): Promise<PublishRun> {
  return publishOnce(
    {
      open: () => open(attempt),
      publish: (connection) => publishAmqp(connection, attempt.message, attempt.deadline, false),
      close: (connection) => closeAmqpConnection(connection),
    },
    attempt.deferClose,
  );
}

function publishPooled(attempt: Attempt): Promise<PublishRun> {
  // Another CA or client certificate is another connection; poolKey hashes the parts.
  const key = poolKey(["amqp", attempt.message.connectUrl, attempt.tls ? JSON.stringify(attempt.tls) : undefined]);
  const run = newRun();
  const retryable = (failure: { error: unknown; stage: Stage }) => classifyAmqpError(failure.error, failure.stage, attempt.message).result === "retryable";
  return publishPooledWithRetry(
    amqpConnectionPool,
    key,
    run,
    {
      open: () => open(attempt),
      publish: (connection) => publishAmqp(connection, attempt.message, attempt.deadline, true),
      // A channel-level refusal (404, 406, basic.return) leaves the connection healthy.
      healthy: (connection) => !connection.closed,
    },
    retryable,
  );
}

/** `recorded` is the message as the log shows it (recordedAmqpMessage); `forms` the credentials' forms. */
function toOutcome(recorded: AmqpMessage, forms: readonly string[], run: PublishRun, config: AmqpConfig, durationMs: number): DeliveryOutcome {
  const request = describeRequest(recorded, config, forms);
  const classify = (failure: { error: unknown; stage: Stage }) => classifyAmqpError(failure.error, failure.stage, recorded);
  return brokerOutcome(run, { target: describeAmqpTarget(recorded), request, ack: { ack: "publisher confirm" }, durationMs }, classify);
}

/** The recorded request, with the TLS settings (never the key or passphrase) when the destination has any. */
function describeRequest(recorded: AmqpMessage, config: AmqpConfig, forms: readonly string[]): Record<string, unknown> {
  return { ...describeAmqpMessage(recorded, config.reuseConnection, forms), ...(config.tls ? { tls: recordedTls(config.tls) } : {}) };
}

export const sendAmqp: Sender<AmqpConfig> = async (context) => {
  const { config } = context;
  const prepared = prepareBrokerSend(context, amqpKind.describeTarget(config), renderAmqpMessage, recordedAmqpMessage);
  if ("failure" in prepared) return prepared.failure;
  const { message, recorded, forms, started } = prepared;
  // The address guard runs at connect time (the connection's own lookup), so a blocked host is a
  // permanent connect failure and the name is resolved once.
  const attempt: Attempt = { message, deadline: startDeadline(config.timeoutMs), allowPrivate: context.allowPrivateDestinations, tls: config.tls, deferClose: context.deferClose };
  const run = config.reuseConnection ? await publishPooled(attempt) : await publishShortLived(attempt);
  return toOutcome(recorded, forms, run, config, Math.round(performance.now() - started));
};
