// Lets scripts written for Upstash run on open-source Redis 7, which rejects the
// `#!lua flags=allow-key-locking` shebang that @upstash/ratelimit puts on every script.
import { createHash } from "node:crypto";
import type { RedisArg } from "./commands";

export interface PreparedCommand {
  args: RedisArg[];
  /** Undoes what the rewrite changed in the reply (SCRIPT LOAD must answer the caller's sha). */
  mapReply(reply: unknown): unknown;
}

export interface LuaScriptMap {
  prepare(args: RedisArg[]): PreparedCommand;
}

/** Beyond this many distinct rewritten scripts something is generating them; start over. */
const maxMappedScripts = 10_000;

const keepReply = (reply: unknown): unknown => reply;

function sha1Hex(text: string): string {
  return createHash("sha1").update(text, "utf8").digest("hex");
}

function stripShebang(script: string): string {
  if (!script.startsWith("#!")) return script;
  const newline = script.indexOf("\n");
  return newline === -1 ? "" : script.slice(newline + 1);
}

export function createLuaScriptMap(): LuaScriptMap {
  // Callers hold the sha1 of the script they sent; Redis only knows the stripped one.
  const strippedShaByOriginal = new Map<string, string>();

  const strip = (script: string): { script: string; originalSha: string } => {
    const stripped = stripShebang(script);
    const originalSha = sha1Hex(script);
    if (stripped !== script) {
      if (strippedShaByOriginal.size >= maxMappedScripts) strippedShaByOriginal.clear();
      strippedShaByOriginal.set(originalSha, sha1Hex(stripped));
    }
    return { script: stripped, originalSha };
  };
  const mapSha = (sha: RedisArg): RedisArg => strippedShaByOriginal.get(String(sha).toLowerCase()) ?? sha;

  return {
    prepare(args) {
      const name = String(args[0] ?? "").toUpperCase();
      const sub = String(args[1] ?? "").toUpperCase();
      if ((name === "EVAL" || name === "EVAL_RO") && args.length > 1) {
        return { args: [args[0], strip(String(args[1])).script, ...args.slice(2)], mapReply: keepReply };
      }
      if ((name === "EVALSHA" || name === "EVALSHA_RO") && args.length > 1) {
        return { args: [args[0], mapSha(args[1]), ...args.slice(2)], mapReply: keepReply };
      }
      if (name === "SCRIPT" && sub === "LOAD" && args.length > 2) {
        const { script, originalSha } = strip(String(args[2]));
        return { args: [args[0], args[1], script, ...args.slice(3)], mapReply: () => originalSha };
      }
      if (name === "SCRIPT" && sub === "EXISTS") {
        return { args: [args[0], args[1], ...args.slice(2).map(mapSha)], mapReply: keepReply };
      }
      return { args, mapReply: keepReply };
    },
  };
}
