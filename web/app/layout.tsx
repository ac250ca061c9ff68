import "@rainbow-me/rainbowkit/styles.css";
import "./globals.css";
import type { ReactNode } from "react";
import { Header } from "../src/components/Header.tsx";
import { Providers } from "../src/components/Providers.tsx";
import { marketsOf } from "../src/config/appConfig.ts";
import { readAppConfig } from "../src/config/readAppConfig.ts";

// The markets are read when a page is served, so that one build serves any chain (see src/config/readAppConfig.ts).
export const dynamic = "force-dynamic";
export const metadata = { title: "Octo: verifiable inference, paid from your wallet" };

export default function RootLayout({ children }: { children: ReactNode }) {
  const config = readAppConfig();
  return (
    <html lang="en">
      <body>
        {/* Parsed here: the markets reach the browser ready (bigints and all, as React serializes them). */}
        <Providers config={config} markets={marketsOf(config)}>
          <Header />
          <main>{children}</main>
        </Providers>
      </body>
    </html>
  );
}
