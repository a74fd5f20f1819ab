"use client";
// Top navigation; marks the current section.
import Link from "next/link";
import { usePathname } from "next/navigation";

/** `section`: the path prefix the link stands for, when it differs from `href`. */
const sections: Array<{ href: string; label: string; section?: string }> = [
  { href: "/", label: "Overview" },
  { href: "/callbacks", label: "Callbacks" },
  { href: "/deliveries", label: "Deliveries" },
  { href: "/alerts", label: "Alerts" },
  { href: "/secrets", label: "Secrets" },
  { href: "/settings/alerts", label: "Settings", section: "/settings" },
];

export function NavLinks({ showOperators }: { showOperators: boolean }) {
  // Null only under the Pages Router, which renders no pages here (pages/ holds API routes only).
  const pathname = usePathname() ?? "";
  const items = showOperators ? [...sections, { href: "/operators", label: "Operators" }] : sections;
  const active = (prefix: string) => (prefix === "/" ? pathname === "/" : pathname === prefix || pathname.startsWith(`${prefix}/`));
  return (
    <nav aria-label="Main">
      {items.map((item) => (
        <Link key={item.href} href={item.href} aria-current={active(item.section ?? item.href) ? "page" : undefined}>
          {item.label}
        </Link>
      ))}
    </nav>
  );
}
