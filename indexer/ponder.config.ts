// Which chain and contracts to index, read from the deployments file the devnet or the deploy script writes
// (addresses and deployment blocks: the scan starts where each contract was deployed). Configured by environment
// variables (`launch/indexerEnv.ts`), because Ponder loads this file itself.
import { readFileSync } from "node:fs";
import { createConfig } from "ponder";
import { jobMarketAbi, modelRegistryAbi, parseDeployments, stakingRegistryAbi } from "@octo/sdk";
import { parseIndexerEnv } from "./launch/indexerEnv.ts";

const env = parseIndexerEnv(process.env);
const deployments = parseDeployments(readFileSync(env.OCTO_DEPLOYMENTS, "utf8"));
const { JobMarket, StakingRegistry, ModelRegistry } = deployments.contracts;
// A development chain (anvil) reuses its block numbers on every start: caching its RPC answers would mix chains.
const localChain = deployments.chainId === 31337;

export default createConfig({
  database: env.DATABASE_URL
    ? { kind: "postgres", connectionString: env.DATABASE_URL }
    : { kind: "pglite", directory: env.OCTO_INDEXER_PGLITE_DIR },
  chains: {
    market: {
      id: deployments.chainId,
      rpc: env.OCTO_RPC_URL,
      pollingInterval: env.OCTO_INDEXER_POLLING_MS,
      disableCache: localChain,
    },
  },
  contracts: {
    JobMarket: {
      chain: "market",
      abi: jobMarketAbi,
      address: JobMarket.address,
      startBlock: Number(JobMarket.deployedOnBlock),
    },
    StakingRegistry: {
      chain: "market",
      abi: stakingRegistryAbi,
      address: StakingRegistry.address,
      startBlock: Number(StakingRegistry.deployedOnBlock),
    },
    ModelRegistry: {
      chain: "market",
      abi: modelRegistryAbi,
      address: ModelRegistry.address,
      startBlock: Number(ModelRegistry.deployedOnBlock),
    },
  },
});
