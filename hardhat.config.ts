import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { defineConfig } from "hardhat/config";

// Offline by design: compile with the pinned npm `solc` (solc-js) instead of Hardhat's compiler download.
const require = createRequire(import.meta.url);
const solc = { version: "0.8.28", path: require.resolve("solc/soljson.js") };
const settings = { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" } as const;

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    profiles: {
      default: { ...solc, settings },
      production: { ...solc, settings: { ...settings, optimizer: { enabled: true, runs: 1000 } } },
    },
  },
  paths: {
    sources: "./contracts",
    tests: { mocha: "./test/contracts", solidity: "./test/contracts" },
  },
  networks: {
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
  },
});
