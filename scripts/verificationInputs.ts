// Writes, per deployed contract, what a block explorer needs to verify it (Etherscan's and Polygonscan's
// "Solidity (Standard-Json-Input)" form, or their API's `verifysourcecode` with codeformat=solidity-standard-json-input):
// the compiler version, the fully qualified contract name and the exact standard JSON input solc compiled, taken from
// Hardhat's build info, with the addresses of the libraries it was linked to. Verification itself needs the explorer
// and an API key, so it cannot run here; docs/deployer-guide.md § 5 says how to submit these files.
//
// Usage: node scripts/verificationInputs.ts deployments/<chainId>.json [ignition/deployments/chain-<id>] [out dir]
//   The Ignition deployment directory (default ignition/deployments/chain-<chainId>) supplies the library addresses;
//   the output goes to verification/<chainId>/<Contract>.json (default).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDeployments } from "@octo/sdk";

type Artifact = {
  contractName: string;
  inputSourceName: string;
  buildInfoId: string;
  linkReferences: Record<string, Record<string, unknown>>;
};
type BuildInfo = { solcLongVersion: string; input: { settings: Record<string, unknown> } & Record<string, unknown> };

const root = new URL("..", import.meta.url).pathname;
const [deploymentsPath, ignitionDirArg, outDirArg] = process.argv.slice(2);
if (!deploymentsPath) {
  console.error("usage: node scripts/verificationInputs.ts deployments/<chainId>.json [ignition dir] [out dir]");
  process.exit(2);
}
const deployments = parseDeployments(readFileSync(deploymentsPath, "utf8"));
const ignitionDir = ignitionDirArg ?? join(root, "ignition", "deployments", `chain-${deployments.chainId}`);
const outDir = outDirArg ?? join(root, "verification", String(deployments.chainId));
const libraryAddresses = readLibraryAddresses(join(ignitionDir, "deployed_addresses.json"));
mkdirSync(outDir, { recursive: true });

for (const [name, deployment] of Object.entries(deployments.contracts)) {
  if (!deployment) continue;
  const { address } = deployment;
  const artifact = findArtifact(name);
  if (!artifact) {
    console.log(`${name}: no artifact of that name (skipped)`);
    continue;
  }
  const buildInfo = JSON.parse(
    readFileSync(join(root, "artifacts", "build-info", `${artifact.buildInfoId}.json`), "utf8"),
  ) as BuildInfo;
  // The libraries this contract was linked to, by source and name, as solc's `settings.libraries` takes them.
  const libraries: Record<string, Record<string, string>> = {};
  for (const [source, names] of Object.entries(artifact.linkReferences))
    for (const library of Object.keys(names)) {
      const linked = libraryAddresses.get(library);
      if (!linked) throw new Error(`${name} links ${library}, whose address is not in ${ignitionDir}`);
      (libraries[source] ??= {})[library] = linked;
    }
  const input = {
    ...buildInfo.input,
    settings: {
      ...buildInfo.input.settings,
      // The explorer recompiles only for bytecode and metadata; the rest of Hardhat's selection is not needed.
      outputSelection: { "*": { "*": ["abi", "evm.bytecode", "evm.deployedBytecode", "metadata"] } },
      ...(Object.keys(libraries).length > 0 ? { libraries } : {}),
    },
  };
  const file = join(outDir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        address,
        contractName: `${artifact.inputSourceName}:${artifact.contractName}`,
        compilerVersion: `v${buildInfo.solcLongVersion}`,
        standardJsonInput: input,
      },
      null,
      2,
    ) + "\n",
  );
  console.log(`${name}: ${file}`);
}

/** The artifact of a deployed contract: contracts/<Name>.sol, or the one source under contracts/ that declares it. */
function findArtifact(name: string): Artifact | undefined {
  for (const dir of ["", "governance/", "verifiers/", "mocks/"]) {
    const path = join(root, "artifacts", "contracts", `${dir}${name}.sol`, `${name}.json`);
    if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")) as Artifact;
  }
  return undefined;
}

/** Library name → address from Ignition's journal summary ("OctoPolygon#PoseidonT17": "0x…"). */
function readLibraryAddresses(path: string): Map<string, string> {
  const addresses = new Map<string, string>();
  if (!existsSync(path)) return addresses;
  for (const [future, address] of Object.entries(JSON.parse(readFileSync(path, "utf8")) as Record<string, string>))
    addresses.set(future.slice(future.indexOf("#") + 1), address);
  return addresses;
}
