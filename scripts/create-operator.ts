// npm run operator:create -- --username ana --role viewer [--password …]
// Adds an operator to DATABASE_URL (or the embedded PGlite). Without --password it prompts,
// hiding the input on a terminal, or reads one line from standard input when piped.
import { createInterface } from "node:readline";
import { isMainModule } from "./lib/cli";
import { parseArgs } from "node:util";
import { createDbFromEnv } from "@/lib/db";
import { createOperator } from "@/lib/auth/manage-operators";
import { operatorCreateSchema } from "@/lib/auth/operator-input";
import { AppError } from "@/lib/errors";

function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const lines = createInterface({ input: stdin });
    return new Promise((resolve) => lines.once("line", (line) => (lines.close(), resolve(line))));
  }
  process.stdout.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  let text = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString("utf8")) {
        if (char === "\u0003") return reject(new Error("cancelled"));
        if (char === "\r" || char === "\n") {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off("data", onData);
          process.stdout.write("\n");
          return resolve(text);
        }
        text = char === "\u007f" ? text.slice(0, -1) : text + char;
      }
    };
    stdin.on("data", onData);
  });
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { username: { type: "string" }, role: { type: "string", default: "viewer" }, password: { type: "string" } },
  });
  const password = values.password ?? (await readHidden("Password (12+ characters): "));
  const parsed = operatorCreateSchema.safeParse({ username: values.username, role: values.role, password });
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("; "));
  }
  const handle = createDbFromEnv();
  try {
    const operator = await createOperator(handle.db, parsed.data);
    console.log(`Created ${operator.role} "${operator.username}" (${operator.id}).`);
  } finally {
    await handle.close();
  }
}

if (isMainModule(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof AppError || error instanceof Error ? `operator:create failed: ${error.message}` : error);
    process.exit(1);
  });
}
