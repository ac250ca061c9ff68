/**
 * Compiles Solidity with solc-js (npm `solc` at the workspace root, offline) at test time, so no test ever carries
 * hand-copied bytecode. Results are memoised per process.
 */
import { createRequire } from "node:module";
import type { Abi, Hex } from "viem";

type Solc = { compile(input: string): string; version(): string };
const require = createRequire(import.meta.url);
let solc: Solc | undefined;
const cache = new Map<string, { abi: Abi; bytecode: Hex }>();

export function compileSolidity(source: string, contractName: string): { abi: Abi; bytecode: Hex } {
  const key = `${contractName}\n${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  solc ??= require("solc") as Solc;
  const input = {
    language: "Solidity",
    sources: { "Test.sol": { content: source } },
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "cancun",
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
  };
  const errors = output.errors?.filter((e) => e.severity === "error") ?? [];
  if (errors.length) throw new Error(`solc: ${errors.map((e) => e.formattedMessage).join("\n")}`);
  const contract = output.contracts?.["Test.sol"]?.[contractName];
  if (!contract) throw new Error(`solc: no contract ${contractName} in the source`);
  const result = { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` as Hex };
  cache.set(key, result);
  return result;
}
