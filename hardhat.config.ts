import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

// Offline by design: compile with the pinned npm `solc` (solc-js) instead of Hardhat's compiler download.
const require = createRequire(import.meta.url);
const solc = { version: "0.8.28", path: require.resolve("solc/soljson.js") };
// viaIR: JobMarket's events and batch paths exceed the legacy pipeline's 16 stack slots (adds ~20 s to a clean build).
const settings = { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun", viaIR: true } as const;

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    profiles: {
      default: { ...solc, settings },
      // Same optimizer runs as default: at runs = 1000 JobMarket is 26,638 bytes, over EIP-170's 24,576 (at 200 it is
      // 24,092), and a deploy with this profile (Ignition's default) would fail.
      production: { ...solc, settings },
    },
  },
  // Invariant sequences per invariant: 1,000 in `npm test`; the bench run (scripts/bench/invariant.bench.ts) raises
  // them to 10,000 through OCTO_INVARIANT_RUNS. Each sequence is `depth` handler calls (set in the test).
  test: { solidity: { invariant: { runs: Number(process.env.OCTO_INVARIANT_RUNS ?? 1000) } } },
  // The generated contract types use TS namespaces, which the workspace's erasableSyntaxOnly rejects; they are
  // checked by their generator, not by us.
  typechain: { tsNocheck: true },
  paths: {
    sources: "./contracts",
    tests: { mocha: "./test", solidity: "./test/contracts" },
  },
  networks: {
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
    // Public networks read their RPC URL and deployer key from Hardhat config variables (resolved from environment
    // variables of the same name at the moment a task needs them); nothing secret lives in this file.
    amoy: {
      type: "http",
      chainType: "l1",
      chainId: 80002,
      url: configVariable("AMOY_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
    polygon: {
      type: "http",
      chainType: "l1",
      chainId: 137,
      url: configVariable("POLYGON_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
  },
});
