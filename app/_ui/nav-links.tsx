"use client";
// Top navigation; marks the current section.
import Link from "next/link";
import { usePathname } from "next/navigation";

const sections = [
  { href: "/", label: "Overview" },
  { href: "/callbacks", label: "Callbacks" },
  { href: "/deliveries", label: "Deliveries" },
  { href: "/secrets", label: "Secrets" },
];

export function NavLinks({ showOperators }: { showOperators: boolean }) {
  const pathname = usePathname();
  const items = showOperators ? [...sections, { href: "/operators", label: "Operators" }] : sections;
  const active = (href: string) => (href === "/" ? pathname === "/" : pathname.startsWith(href));
  return (
    <nav aria-label="Main">
      {items.map((item) => (
        <Link key={item.href} href={item.href} aria-current={active(item.href) ? "page" : undefined}>
          {item.label}
        </Link>
      ))}
    </nav>
  );
}
