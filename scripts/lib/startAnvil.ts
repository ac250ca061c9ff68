// Moved to @octo/devnet. Kept only for worker/src/sender/createSender.test.ts, which another branch owns: once that
// test imports `@octo/devnet`, delete this file and its entry in scripts/lib/checkPackageImports.ts.
export { freePort, startAnvil, type Anvil } from "@octo/devnet";
