"use client";
// Copies a value to the clipboard; falls back to selecting it where the clipboard API is absent
// (plain http on a phone, for example).
import { useState } from "react";

function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      window.prompt("Copy this:", value);
    }
  };
  return (
    <button type="button" className="small" onClick={copy}>
      {copied ? "Copied" : label}
    </button>
  );
}

export function CopyBlock({ value, label }: { value: string; label: string }) {
  return (
    <div className="copy-block">
      <div className="copy-head">
        <span>{label}</span>
        <CopyButton value={value} />
      </div>
      <pre>{value}</pre>
    </div>
  );
}
