// Root layout of the operator UI: the one stylesheet and the document shell.
import type { ReactNode } from "react";
import "./globals.css";

export const metadata = { title: { default: "Switchyard", template: "%s · Switchyard" }, description: "Serverless webhook triggers" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
