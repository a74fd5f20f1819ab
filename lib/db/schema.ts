// Table types for the one Kysely<DB> instance. Timestamps come back as Date; int8 would come
// back as string (none is used). jsonb columns are typed at the edges by zod schemas.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type TimestampDefault = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;
type JsonNullable = ColumnType<unknown, string | null | undefined, string | null>;

export interface CallbacksTable {
  id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  path: string | null;
  path_token_header: string | null;
  methods: string[];
  rate_limit_per_minute: number | null;
  max_body_bytes: Generated<number>;
  idempotency_header: string | null;
  inbound_auth: JsonNullable;
  inbound_secret_enc: string | null;
  /** Verification handshake preset ({type}); its secret is sealed in handshake_secret_enc. Null: none. */
  handshake: JsonNullable;
  handshake_secret_enc: ColumnType<string | null, string | null | undefined, string | null>;
  /** Custom acknowledgement ({status, headers?, body?}); null: 202 with the JSON answer. */
  response: JsonNullable;
  variables: ColumnType<unknown, string | undefined, string>;
  retries: Generated<number>;
  enabled: Generated<boolean>;
  /** Holds every destination of the callback in QStash (issue #16). */
  paused: Generated<boolean>;
  paused_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: TimestampDefault;
  updated_at: TimestampDefault;
}

export type DestinationKind = "http" | "mqtt" | "amqp";

export interface DestinationsTable {
  id: string;
  callback_id: string;
  kind: DestinationKind;
  name: string;
  config: Json;
  secrets_enc: string | null;
  enabled: Generated<boolean>;
  consecutive_failures: Generated<number>;
  disabled_reason: string | null;
  /** Consecutive failed deliveries that disable the destination; null: never. */
  failure_threshold: ColumnType<number | null, number | null | undefined, number | null>;
  max_concurrency: Generated<number>;
  /** The filter language (lib/filters): only events that match are delivered here; null: every event. */
  filter: JsonNullable;
  /** JavaScript `function transform(event)` run in the sandbox at delivery time; null: none. */
  transform: ColumnType<string | null, string | null | undefined, string | null>;
  /** Issue #16 (lib/destinations/lanes/delivery-options.ts): how deliveries are held, ordered and paced. */
  ordering: Generated<"none" | "fifo">;
  ordering_key: ColumnType<string | null, string | null | undefined, string | null>;
  /** Queues a keyed FIFO destination's key values are hashed into (migration 0009); read only with ordering_key. */
  ordering_partitions: ColumnType<number, number | undefined, number>;
  rate_limit: JsonNullable;
  retries: ColumnType<number | null, number | null | undefined, number | null>;
  retry_delay: JsonNullable;
  breaker_action: Generated<"disable" | "pause">;
  paused: Generated<boolean>;
  paused_reason: ColumnType<"operator" | "breaker" | null, "operator" | "breaker" | null | undefined, "operator" | "breaker" | null>;
  paused_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: TimestampDefault;
  updated_at: TimestampDefault;
}

export interface EventsTable {
  id: string;
  callback_id: string;
  received_at: Timestamp;
  method: string;
  path: string;
  query: Json;
  headers: Json;
  body: string;
  body_encoding: "utf8" | "base64";
  body_bytes: number;
  idempotency_key: string | null;
  /** Destinations whose filter did not match this event (JSON array of ids). */
  filtered_destination_ids: ColumnType<unknown, string | undefined, string>;
  /** The body parsed at accept time when it is JSON, for search (GIN-indexed); null otherwise. */
  body_json: JsonNullable;
  /** "handshake": a verification request answered at the trigger, never fanned out. */
  kind: ColumnType<EventKind, EventKind | undefined, EventKind>;
  created_at: TimestampDefault;
}

export type EventKind = "trigger" | "handshake";

export type DeliveryStatus = "queued" | "succeeded" | "failed" | "dead" | "skipped";

/** How far the sending got: an alert is sent through QStash the way a delivery is, and records the same. */
interface SendProgressColumns {
  status: DeliveryStatus;
  attempts: Generated<number>;
  target: string | null;
  last_error: string | null;
  last_status_code: number | null;
  last_duration_ms: number | null;
  qstash_message_id: string | null;
  created_at: TimestampDefault;
  updated_at: TimestampDefault;
  completed_at: Timestamp | null;
}

export interface DeliveriesTable extends SendProgressColumns {
  id: string;
  event_id: string;
  callback_id: string;
  destination_id: string;
  kind: string;
  replay_of: string | null;
}

export type AttemptOutcome = "succeeded" | "retryable" | "permanent" | "skipped";

export interface DeliveryAttemptsTable {
  id: string;
  delivery_id: string;
  attempt: number;
  started_at: Timestamp;
  duration_ms: number;
  outcome: AttemptOutcome;
  request: Json;
  response: JsonNullable;
  error: string | null;
  qstash_message_id: string | null;
  qstash_retried: number | null;
}

export interface SecretsTable {
  name: string;
  ciphertext: string;
  created_at: TimestampDefault;
  updated_at: TimestampDefault;
}

export type OperatorRole = "admin" | "viewer";

export interface OperatorsTable {
  id: string;
  username: string;
  password_hash: string;
  role: OperatorRole;
  session_version: Generated<number>;
  /** Hash of the ADMIN_TOKEN the bootstrap admin's password came from; null once it is changed. */
  bootstrap_token_hash: string | null;
  created_at: TimestampDefault;
  updated_at: TimestampDefault;
}

export interface OperatorSessionsTable {
  /** Hash of the session cookie's token. */
  id: string;
  operator_id: string;
  created_at: TimestampDefault;
  expires_at: Date;
}

export interface SettingsTable {
  name: string;
  value: Json;
  secrets_enc: string | null;
  updated_at: TimestampDefault;
}

export type AlertType = "delivery.dead" | "destination.disabled" | "destination.paused";

export interface AlertsTable extends SendProgressColumns {
  id: string;
  type: AlertType;
  callback_id: string | null;
  destination_id: string | null;
  delivery_id: string | null;
  payload: Json;
}

export interface DB {
  callbacks: CallbacksTable;
  destinations: DestinationsTable;
  events: EventsTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
  secrets: SecretsTable;
  operators: OperatorsTable;
  operator_sessions: OperatorSessionsTable;
  settings: SettingsTable;
  alerts: AlertsTable;
}

export type CallbackRow = Selectable<CallbacksTable>;
export type NewCallbackRow = Insertable<CallbacksTable>;
export type CallbackUpdate = Updateable<CallbacksTable>;
export type DestinationRow = Selectable<DestinationsTable>;
export type NewDestinationRow = Insertable<DestinationsTable>;
export type DestinationUpdate = Updateable<DestinationsTable>;
export type EventRow = Selectable<EventsTable>;
export type NewEventRow = Insertable<EventsTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
export type NewDeliveryRow = Insertable<DeliveriesTable>;
export type DeliveryUpdate = Updateable<DeliveriesTable>;
export type DeliveryAttemptRow = Selectable<DeliveryAttemptsTable>;
export type NewDeliveryAttemptRow = Insertable<DeliveryAttemptsTable>;
export type SecretRow = Selectable<SecretsTable>;
export type OperatorRow = Selectable<OperatorsTable>;
export type SettingRow = Selectable<SettingsTable>;
export type AlertRow = Selectable<AlertsTable>;
export type NewAlertRow = Insertable<AlertsTable>;
