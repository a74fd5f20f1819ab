"use client";
// A trigger token is shown exactly once: right after creation or rotation, only in this
// browser's memory (never in server-rendered HTML).
import { curlForPath, curlForToken, type TriggerTarget } from "@/lib/ui/trigger-snippets";
import { CopyBlock } from "@/app/_ui/copy-button";

export function TokenReveal({ token, triggerUrl, target }: { token: string; triggerUrl: string; target: TriggerTarget }) {
  const pathCurl = curlForPath(target, token);
  return (
    <div className="reveal" role="status">
      <p>
        <strong>Copy the token now — it will not be shown again.</strong> Only a hash is stored; if you lose it, rotate the token.
      </p>
      <CopyBlock label="Token" value={token} />
      <CopyBlock label="Trigger URL" value={triggerUrl} />
      <CopyBlock label="Try it" value={curlForToken(target, token)} />
      {pathCurl ? <CopyBlock label="Custom path" value={pathCurl} /> : null}
    </div>
  );
}
