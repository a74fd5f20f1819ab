// Root layout of the operator UI.
import type { ReactNode } from "react";

export const metadata = { title: "Switchyard", description: "Serverless webhook triggers" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
