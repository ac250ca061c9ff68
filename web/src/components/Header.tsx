"use client";
import { ConnectButton } from "@rainbow-me/rainbowkit";
import Link from "next/link";

export function Header() {
  return (
    <header className="header">
      <Link href="/" className="brand">
        Octo
      </Link>
      <nav>
        <Link href="/">New job</Link>
        <Link href="/history">History</Link>
        <Link href="/provider">Provider</Link>
        <Link href="/explorer">Explorer</Link>
      </nav>
      <ConnectButton showBalance={false} />
    </header>
  );
}
