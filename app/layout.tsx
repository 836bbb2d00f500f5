import type { Metadata } from "next";
import type { ReactNode } from "react";
import { readerTheme } from "@/app/_components/theme-cookie";
import "./globals.css";

export const metadata: Metadata = { title: "Trustledger", description: "Value exchange and trust analytics" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const theme = await readerTheme();
  return (
    <html lang="en" data-theme={theme === "system" ? undefined : theme}>
      <body>{children}</body>
    </html>
  );
}
