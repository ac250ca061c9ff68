"use client";
import Link from "next/link";
import { WalletButton } from "./WalletKit.tsx";

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
      </nav>
      <WalletButton />
    </header>
  );
}
