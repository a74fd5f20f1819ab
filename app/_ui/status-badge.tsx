// A delivery status as a coloured label (the colour is never the only signal: the word is there).
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status}`}>{status}</span>;
}

export function EnabledBadge({ enabled, reason }: { enabled: boolean; reason?: string | null }) {
  return (
    <span className={`badge ${enabled ? "status-succeeded" : "status-skipped"}`} title={reason ?? undefined}>
      {enabled ? "enabled" : "disabled"}
    </span>
  );
}
