// The public networks the production deploy (scripts/deploy.ts) targets: the chain, its Ignition module, the
// environment variable that names its RPC URL (hardhat.config.ts), and the timelock delay its governance gets.
import type { Chain } from "viem";
import { polygon, polygonAmoy } from "viem/chains";

export type Network = {
  name: "amoy" | "polygon";
  chain: Chain;
  module: "OctoTestnet" | "OctoPolygon";
  rpcEnv: "AMOY_RPC_URL" | "POLYGON_RPC_URL";
  timelockDelaySeconds: number;
};

export const NETWORKS: Record<Network["name"], Network> = {
  amoy: {
    name: "amoy",
    chain: polygonAmoy,
    module: "OctoTestnet",
    rpcEnv: "AMOY_RPC_URL",
    timelockDelaySeconds: 3_600,
  },
  polygon: {
    name: "polygon",
    chain: polygon,
    module: "OctoPolygon",
    rpcEnv: "POLYGON_RPC_URL",
    timelockDelaySeconds: 172_800,
  },
};
