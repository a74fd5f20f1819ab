// Next runs register() once as a server process (or a Vercel function instance) starts. An
// invalid environment, such as a production ADMIN_TOKEN, SESSION_SECRET or CRON_SECRET under 32
// characters, stops the process here with the variable's name: Next itself would log the error
// and go on serving, every request that reads the configuration failing with a 500.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { EnvError, getEnv } = await import("@/lib/env");
  try {
    getEnv();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    process.stderr.write(`switchyard cannot start: ${error.message}\n`);
    process.exit(1);
  }
}
