"use client";
// Auto-refresh for the delivery log: re-renders the server page every few seconds while on.
// The choice lives in the URL (live=1) so a reload or a shared link keeps it.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect } from "react";

const intervalMs = 5_000;

export function AutoRefresh({ live }: { live: boolean }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [live, router]);
  const toggle = (on: boolean) => {
    const next = new URLSearchParams(searchParams?.toString());
    if (on) next.set("live", "1");
    else next.delete("live");
    router.replace(`${pathname}?${next.toString()}`);
  };
  return (
    <label className="check toggle">
      <input type="checkbox" checked={live} onChange={(event) => toggle(event.target.checked)} /> Auto-refresh (5 s)
    </label>
  );
}
