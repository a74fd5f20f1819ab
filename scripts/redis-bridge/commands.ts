// What a REST request may ask Redis to do, and how each command must be run.
import { z } from "zod";

export type RedisArg = string | Buffer;
export type RedisCommand = RedisArg[];

// The SDK keeps numbers and booleans as JSON scalars; Redis wants every argument as a string.
const argSchema = z.union([z.string(), z.number(), z.boolean()]).transform((arg) => String(arg));
export const commandSchema = z.array(argSchema).min(1, "ERR empty command");
export const commandListSchema = z.array(commandSchema);

/**
 * The bridge shares one connection between all requests, so commands that change that
 * connection's state (or never answer) would leak into other callers.
 */
const refusedCommands = new Set([
  "SUBSCRIBE",
  "PSUBSCRIBE",
  "SSUBSCRIBE",
  "UNSUBSCRIBE",
  "PUNSUBSCRIBE",
  "SUNSUBSCRIBE",
  "MONITOR",
  "MULTI",
  "EXEC",
  "DISCARD",
  "WATCH",
  "UNWATCH",
  "SELECT",
  "QUIT",
  "RESET",
  "HELLO",
  "AUTH",
  "SYNC",
  "PSYNC",
  "REPLCONF",
]);
const refusedClientSubcommands = new Set(["REPLY", "TRACKING", "CACHING", "NO-EVICT"]);

/** Upstash's REST API refuses the blocking list, sorted-set and stream reads (restapi.mdx, compatibility table). */
const restRefusedBlocking = new Set(["BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP"]);
/** These hold their connection until replicas answer, so they get a connection of their own. */
const blockingCommands = new Set(["WAIT", "WAITAOF"]);

function isBlockingStreamRead(command: RedisCommand): boolean {
  const name = commandName(command);
  const streamRead = name === "XREAD" || name === "XREADGROUP";
  return streamRead && command.some((arg) => String(arg).toUpperCase() === "BLOCK");
}

function commandName(command: RedisCommand): string {
  return String(command[0] ?? "").toUpperCase();
}

/** An error message for a command the bridge will not run, or undefined when it may run. */
export function refusalReason(command: RedisCommand): string | undefined {
  const name = commandName(command);
  const clientSub = name === "CLIENT" ? String(command[1] ?? "").toUpperCase() : "";
  if (refusedCommands.has(name) || refusedClientSubcommands.has(clientSub)) {
    return `ERR Command is not available through the REST bridge: '${String(command[0]).toLowerCase()}'`;
  }
  if (restRefusedBlocking.has(name) || isBlockingStreamRead(command)) {
    return `ERR Command is not available: '${String(command[0]).toLowerCase()}'. Blocking commands are not supported over REST`;
  }
  return undefined;
}

export function isBlocking(command: RedisCommand): boolean {
  return blockingCommands.has(commandName(command));
}
