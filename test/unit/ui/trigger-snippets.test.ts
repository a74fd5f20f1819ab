// The console's copy-paste curl commands, run through a real POSIX shell with curl replaced by
// a function that prints its arguments: what curl would receive must be exactly the values
// shown, whatever quotes, dollars, backticks or spaces they hold; nothing runs on the way.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { curlForPath, curlForToken, shellQuote, tokenPlaceholder, type TriggerTarget } from "@/lib/ui/trigger-snippets";

/** The argv curl would get, one entry per argument. */
function curlArguments(snippet: string, env: Record<string, string> = {}): string[] {
  const script = `curl() { for arg in "$@"; do printf '%s\\0' "$arg"; done; }\n${snippet}\n`;
  const output = execFileSync("/bin/sh", ["-c", script], { env: { ...process.env, ...env }, encoding: "utf8" });
  return output.split("\0").slice(0, -1);
}

const hostile = 'it\'s $HOME `echo pwned` $(echo pwned) "q" \\n';
const target: TriggerTarget = {
  appUrl: `https://example.test/base ${hostile}`,
  methods: ["PUT", "GET"],
  path: `orders/${hostile}`,
  pathTokenHeader: `X-Token'${hostile}`,
};

describe("shellQuote", () => {
  it.each(["", "plain", "it's", "'", "''", "$HOME", "`id`", "a b\tc", "$(id)", "\\", "\n"])("round-trips %j through sh", (value) => {
    expect(curlArguments(`curl ${shellQuote(value)}`)).toEqual([value]);
  });
});

describe("curl snippets", () => {
  it("passes the trigger URL with a given token to curl verbatim", () => {
    const token = `tok'en $X \`y\` z`;
    expect(curlArguments(curlForToken(target, token))).toEqual([
      "-X",
      "PUT",
      `https://example.test/base ${hostile}/api/trigger/${token}`,
      "-H",
      "content-type: application/json",
      "-d",
      '{"hello":"world"}',
    ]);
  });

  it("passes the custom path and the token header verbatim", () => {
    const token = "t'o k$en";
    expect(curlArguments(curlForPath(target, token) ?? "")).toEqual([
      "-X",
      "PUT",
      `https://example.test/base ${hostile}/api/hooks/orders/${hostile}`,
      "-H",
      `X-Token'${hostile}: ${token}`,
      "-H",
      "content-type: application/json",
      "-d",
      '{"hello":"world"}',
    ]);
  });

  it("leaves the token placeholder as a variable the shell fills in", () => {
    const args = curlArguments(curlForToken({ ...target, methods: ["GET"] }), { SWITCHYARD_TOKEN: "from-env 'quoted'" });
    expect(args).toEqual(["-X", "GET", `https://example.test/base ${hostile}/api/trigger/from-env 'quoted'`]);
    expect(curlForToken(target)).toContain(tokenPlaceholder);
  });
});
