// A worker proving with another key than the market's verifier would claim jobs, prove, and have every submission
// refused: after the deadline, a slash. So the key is checked against the deployed verifier before the first claim.
import type { Address, Client } from "viem";
import { readContract } from "viem/actions";
import { jobMarketAbi, resultVerifierAbi } from "@octo/sdk";
import { ConfigError } from "../config/ConfigError.ts";

export type CheckProverKeyParameters = { client: Client; market: Address; circuitId: `0x${string}` };

/** Throws ConfigError (path `prover.zkey`) when the market's verifier does not accept proofs of `circuitId`. */
export async function checkProverKey({ client, market, circuitId }: CheckProverKeyParameters): Promise<void> {
  const [verifier] = await readContract(client, { address: market, abi: jobMarketAbi, functionName: "dependencies" });
  const accepted = await readContract(client, { address: verifier, abi: resultVerifierAbi, functionName: "circuitId" });
  if (accepted.toLowerCase() === circuitId.toLowerCase()) return;
  throw new ConfigError([
    {
      path: "prover.zkey",
      message: `the proving key is for circuit ${circuitId}, but the market's verifier ${verifier} accepts only ${accepted}: set prover.zkey to the proving key of that verifier's ceremony (docs/ceremony.md)`,
    },
  ]);
}
