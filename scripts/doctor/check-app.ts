// APP_URL reaches this app: a request signed exactly as QStash signs a delivery to
// APP_URL/api/doctor, which the app verifies with the same Receiver and URL claim as
// /api/deliver. A wrong APP_URL (either side) or mismatched signing keys fail it.
import { doctorAnswer } from "@/lib/doctor/doctor-route";
import type { AppProbe } from "./app-probe";
import { describeError, fail, pass, type CheckResult } from "./report";

const name = "app";
const sameSettingsFix = "give the deployment the same APP_URL and QSTASH_*_SIGNING_KEY as this environment, then redeploy";

function judge(url: string, status: number, text: string, location: string | null): CheckResult {
  if (status === 200 && text.includes(`"service":"${doctorAnswer.service}"`)) return pass(name, `${url} verified a QStash-signed call`);
  if (status >= 300 && status < 400) {
    return fail(name, `${url} redirects to ${location ?? "elsewhere"}; QStash signs the exact URL and does not follow redirects`, "set APP_URL to the final URL (scheme and host)");
  }
  if (status === 401 && text.includes("invalid_signature")) {
    return fail(name, `the app at ${url} refused the signature: its APP_URL or signing keys differ from these`, sameSettingsFix);
  }
  if (status === 401 || status === 403) {
    return fail(
      name,
      `${url} answered ${status} before the app (Vercel Deployment Protection?)`,
      "set VERCEL_AUTOMATION_BYPASS_SECRET (Protection Bypass for Automation) here and in the deployment",
    );
  }
  if (status === 404) return fail(name, `${url} answered 404: not this app, or a deployment older than the doctor route`, "point APP_URL at this app's deployment and redeploy");
  return fail(name, `${url} answered ${status}: ${text.slice(0, 160)}`, "read the deployment's function logs for /api/doctor");
}

export async function checkApp(probe: AppProbe): Promise<CheckResult> {
  const outcome = await probe.call();
  if ("error" in outcome) {
    return fail(name, `APP_URL did not answer at ${probe.url}: ${describeError(outcome.error)}`, "set APP_URL to the deployment's public URL (locally: start npm run dev first)");
  }
  return judge(probe.url, outcome.status, outcome.text, outcome.location);
}
