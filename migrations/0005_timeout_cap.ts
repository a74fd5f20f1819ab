// Destination and alert-webhook timeouts are capped at 50 s, below the delivery function's 60 s
// maxDuration, so a slow receiver still leaves time to record the outcome. Rows saved under the
// old 60 s cap would now fail their schema when read back at delivery time: bring them down to
// the cap instead. Expand/contract: the old code reads the capped value just as well.
import { sql, type Kysely } from "kysely";

const capMs = 50_000;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update destinations set config = jsonb_set(config, '{timeoutMs}', to_jsonb(${capMs}::int))
    where jsonb_typeof(config -> 'timeoutMs') = 'number' and (config ->> 'timeoutMs')::numeric > ${capMs}`.execute(db);
  await sql`
    update settings set value = jsonb_set(value, '{config,timeoutMs}', to_jsonb(${capMs}::int))
    where jsonb_typeof(value -> 'config' -> 'timeoutMs') = 'number' and (value -> 'config' ->> 'timeoutMs')::numeric > ${capMs}`.execute(db);
}

// Nothing to undo: a capped timeout is valid under the old schema too.
export async function down(): Promise<void> {}
