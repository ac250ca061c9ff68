// The Amoy and Polygon PoS deploys rehearsed on a local anvil started with each network's chain id (80002, 137), by
// the production path: `hardhat run scripts/deploy.ts --network amoy|polygon` with the environment a deployer sets
// (RPC URL, deployer key, OCTO_IGNITION_PARAMETERS), the modules' own ceremony checks, a test ceremony's key
// (scripts/rehearsal/testCeremony.ts: real contributions and beacon on the real circuit, kept out of git). For each
// network it checks, in order:
//   1. without the network's ceremony the deploy refuses before sending anything (the dev key is never deployed);
//   2. with it, the dry run (scripts/deployDryRun.ts, on a fork of the chain) sends nothing and lists the contracts; the
//      deploy then goes through, exactly as the dry run foretold (transactions, contracts, addresses), and writes a
//      deployments file the sdk's schema reads;
//   3. the verifier the market is bound to carries the ceremony's key (its circuitId), not the development key;
//   4. every admin role sits with the timelock, none with the deployer;
//   5. a second run changes nothing (no transaction: Ignition's journal says every step is done);
//   6. one job end to end: a model listed through the timelock, a provider (and the two validators its committee
//      needs) set up with the worker CLI and served with the ceremony's zkey, a user's verifiable job through
//      @octo/sdk, proved, accepted, finalized and opened.
// The "existing" tokens the parameters name (Amoy's USDC; Polygon's OCTO and USDC) are deployed first by another
// account, as they exist on the real networks. Nothing it writes is committed: the ceremony files are placed while the
// deploy runs and removed after, Ignition's journal goes to ignition/deployments/rehearsal-<chainId>/ and the
// deployments file to .data/rehearsal/.
//   node scripts/rehearseDeploy.ts [amoy] [polygon]      (runs the test ceremony first when it is not there)
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  http,
  parseUnits,
  publicActions,
  zeroHash,
  type Address,
  type Chain,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { readDevManifest, type CeremonyRecord } from "@octo/circuits/ceremony/testing";
import { DEV_KEYS, readArtifact, startAnvil } from "@octo/devnet";
import { jobMarketAbi, parseDeployments, resultVerifierAbi } from "@octo/sdk";
import { makeFixtureModel } from "@octo/worker/fixtureModel";
import { NETWORKS, type Network } from "./deployNetworks.ts";
import { deployDryRun, spentBy } from "./deployDryRun.ts";
import { installCeremony } from "./rehearsal/installCeremony.ts";
import { listModelByTimelock } from "./rehearsal/listModelByTimelock.ts";
import { serveOneJob } from "./rehearsal/serveOneJob.ts";
import {
  DEFAULT_REHEARSAL_DIR,
  hasTestCeremony,
  runTestCeremony,
  testCeremonyPaths,
} from "./rehearsal/testCeremony.ts";

const ROOT = resolve(import.meta.dirname, "..");
export { NETWORKS };

/** Who is who on the rehearsal chain (anvil's funded accounts; never keys of a real network). */
const KEYS = {
  deployer: DEV_KEYS[0],
  governance: DEV_KEYS[1],
  guardian: DEV_KEYS[2],
  provider: DEV_KEYS[3],
  user: DEV_KEYS[4],
  /** The provider's dispute committee: the market takes no job from a provider with fewer than two others. */
  validators: [DEV_KEYS[5], DEV_KEYS[6]],
  /** Issues the tokens that already exist on the real network, before the deploy. */
  tokenIssuer: DEV_KEYS[7],
} as const;

export type RehearseDeployReturnType = {
  network: Network["name"];
  chainId: number;
  refusedWithoutCeremony: string;
  /** The dry run's forecast (a fork of the chain; nothing sent), checked against the deploy that followed. */
  dryRun: { transactions: number; gas: bigint };
  circuitId: Hex;
  deployTransactions: number;
  deployGas: bigint;
  deploySeconds: number;
  rerunTransactions: number;
  job: { jobId: bigint; status: string; text: string; seconds: number };
};

export async function rehearseDeploy(
  network: Network,
  { dir = DEFAULT_REHEARSAL_DIR, log = console.log }: { dir?: string; log?: (line: string) => void } = {},
): Promise<RehearseDeployReturnType> {
  const chainId = network.chain.id;
  const work = join(dir, network.name);
  const deploymentId = `rehearsal-${chainId}`;
  const journal = join(ROOT, "ignition", "deployments", deploymentId);
  rmSync(work, { recursive: true, force: true });
  rmSync(journal, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  if (!hasTestCeremony(network.name, dir)) {
    log(`${network.name}: no test ceremony in ${dir}; running one (≈ 15 min of CPU)`);
    runTestCeremony(network.name, dir, log);
  }

  const anvil = await startAnvil({ args: ["--chain-id", String(chainId), "--block-time", "1"] });
  let uninstall = () => {};
  try {
    const transport = http(anvil.url);
    const publicClient = createPublicClient({ chain: network.chain, transport, pollingInterval: 250 });
    const testClient = createTestClient({ chain: network.chain, transport, mode: "anvil" });
    const wallet = (key: Hex) =>
      createWalletClient({ chain: network.chain, transport, account: privateKeyToAccount(key) }).extend(publicActions);
    const deployer = privateKeyToAccount(KEYS.deployer);
    const issuer = wallet(KEYS.tokenIssuer);
    const deployToken = async (source: string, name: string, args: unknown[]) => {
      const { abi, bytecode } = readArtifact(source, name);
      const hash = await issuer.deployContract({ abi, bytecode: bytecode as Hex, args });
      return (await issuer.waitForTransactionReceipt({ hash })).contractAddress!;
    };
    const usdc = await deployToken("mocks/MockUSDC.sol", "MockUSDC", []);
    const existingOcto =
      network.name === "polygon"
        ? await deployToken("OctoToken.sol", "OctoToken", [issuer.account.address, parseUnits("1000000", 18)])
        : undefined;

    const parametersPath = join(work, "parameters.json");
    writeFileSync(
      parametersPath,
      JSON.stringify(
        {
          [network.module]: {
            paymentToken: usdc,
            ...(existingOcto ? { stakingToken: existingOcto } : {}),
            treasury: deployer.address,
            governance: privateKeyToAccount(KEYS.governance).address,
            guardian: privateKeyToAccount(KEYS.guardian).address,
            timelockDelaySeconds: network.timelockDelaySeconds,
          },
        },
        null,
        2,
      ),
    );
    const deploymentsDir = join(work, "deployments");
    // Only the real deploy compiles (its verifier is new); the refused run and the rerun need nothing built.
    const deploy = ({ compile }: { compile: boolean }) =>
      spawnSync(
        "pnpm",
        [
          "exec",
          "hardhat",
          "run",
          ...(compile ? [] : ["--no-compile"]),
          "scripts/deploy.ts",
          "--network",
          network.name,
        ],
        {
          cwd: ROOT,
          encoding: "utf8",
          maxBuffer: 64 * 1024 * 1024,
          env: {
            ...process.env,
            [network.rpcEnv]: anvil.url,
            DEPLOYER_PRIVATE_KEY: KEYS.deployer,
            OCTO_IGNITION_PARAMETERS: parametersPath,
            OCTO_DEPLOYMENT_ID: deploymentId,
            OCTO_DEPLOYMENTS_DIR: deploymentsDir,
          },
        },
      );
    const nonce = () => publicClient.getTransactionCount({ address: deployer.address });

    // 1. No ceremony: refused before anything is sent.
    const refused = deploy({ compile: false });
    const refusal = `${refused.stdout}${refused.stderr}`.match(/no ceremony for \w+[^\n]*/)?.[0];
    if (refused.status === 0 || !refusal || (await nonce()) !== 0)
      throw new Error(
        `${network.name}: the deploy without a ceremony was not refused:\n${refused.stdout}${refused.stderr}`,
      );
    log(`${network.name} (${chainId}): refused without a ceremony: "${refusal}"`);

    // 2. With the test ceremony in place: first the dry run, on a fork of this chain; nothing may reach the chain.
    const installed = installCeremony({ network: network.name, dir });
    uninstall = installed.uninstall;
    const dry = await deployDryRun({
      network,
      env: {
        ...process.env,
        [network.rpcEnv]: anvil.url,
        DEPLOYER_PRIVATE_KEY: KEYS.deployer,
        OCTO_IGNITION_PARAMETERS: parametersPath,
      },
      log,
    });
    if ((await nonce()) !== 0) throw new Error(`${network.name}: the dry run sent a transaction to the chain`);
    const dryMarket = dry.contracts.find((c) => c.name === "JobMarket");
    if (!dryMarket) throw new Error(`${network.name}: the dry run lists no JobMarket`);
    if ((await publicClient.getCode({ address: dryMarket.address })) !== undefined)
      throw new Error(`${network.name}: the dry run's JobMarket exists on the chain`);
    const startBlock = await publicClient.getBlockNumber();
    const t0 = Date.now();
    const run = deploy({ compile: true });
    const deploySeconds = (Date.now() - t0) / 1000;
    if (run.status !== 0) throw new Error(`${network.name}: the deploy failed:\n${run.stdout}${run.stderr}`);
    const deploymentsPath = join(deploymentsDir, `${chainId}.json`);
    const deployments = parseDeployments(readFileSync(deploymentsPath, "utf8"), { chainId });
    const deployTransactions = await nonce();
    const { gas: deployGas } = await spentBy(publicClient, deployer.address, startBlock);
    log(
      `${network.name}: deployed in ${deploySeconds.toFixed(0)} s, ${deployTransactions} transactions, ${deployGas} gas; ${deploymentsPath}`,
    );
    // The dry run foretold this deploy: the same contracts at the same addresses, the same transactions.
    const foretold =
      dry.transactions === deployTransactions &&
      dry.contracts.every(
        (c) => deployments.contracts[c.name as keyof typeof deployments.contracts]?.address === c.address,
      );
    if (!foretold)
      throw new Error(
        `${network.name}: the dry run (${dry.transactions} transactions, ${JSON.stringify(dry.contracts)}) did not foretell the deploy`,
      );
    log(`${network.name}: the dry run foretold it (${dry.transactions} transactions, ${dry.gas} gas, same addresses)`);

    // 3. The market's verifier is the ceremony's.
    const c = deployments.contracts;
    const [boundVerifier] = await publicClient.readContract({
      address: c.JobMarket.address,
      abi: jobMarketAbi,
      functionName: "dependencies",
    });
    const circuitId = await publicClient.readContract({
      address: boundVerifier,
      abi: resultVerifierAbi,
      functionName: "circuitId",
    });
    const recordPath = join(testCeremonyPaths(network.name, dir).ceremoniesDir, `${network.name}.json`);
    const record = JSON.parse(readFileSync(recordPath, "utf8")) as CeremonyRecord;
    if (boundVerifier !== c.ResultVerifier?.address) throw new Error("the market is bound to another verifier");
    if (circuitId !== record.final?.circuitId || circuitId !== installed.circuitId)
      throw new Error(`the verifier's circuitId ${circuitId} is not the ceremony's ${record.final?.circuitId}`);
    if (circuitId === readDevManifest().circuitId) throw new Error("the verifier carries the development key");
    log(`${network.name}: verifier ${installed.contract} at ${boundVerifier}, circuitId ${circuitId} (the ceremony's)`);

    // 4. Roles: the timelock holds them, the deployer none.
    const timelock = c.OctoTimelock?.address as Address | undefined;
    if (!timelock) throw new Error("no OctoTimelock in the deployments file");
    const hasRole = (account: Address) =>
      publicClient.readContract({
        address: c.JobMarket.address,
        abi: jobMarketAbi,
        functionName: "hasRole",
        args: [zeroHash, account],
      });
    if (!(await hasRole(timelock)) || (await hasRole(deployer.address)))
      throw new Error("the market's admin role is not with the timelock alone");
    log(`${network.name}: admin role with the timelock ${timelock}, none left with the deployer`);

    // 5. A second run sends nothing.
    const before = await nonce();
    const written = readFileSync(deploymentsPath, "utf8");
    const rerun = deploy({ compile: false });
    if (rerun.status !== 0) throw new Error(`${network.name}: the second run failed:\n${rerun.stdout}${rerun.stderr}`);
    const rerunTransactions = (await nonce()) - before;
    if (rerunTransactions !== 0)
      throw new Error(`${network.name}: the second run sent ${rerunTransactions} transactions`);
    if (readFileSync(deploymentsPath, "utf8") !== written)
      throw new Error(`${network.name}: the second run wrote other addresses`);
    log(`${network.name}: a second run sent no transaction`);
    uninstall();
    uninstall = () => {};

    // 6. One job end to end, on an automining chain from here: with one-second blocks on a loaded machine, viem's
    // receipt wait once saw a transaction's block before anvil served its receipt, and threw out of its block watcher.
    await testClient.setIntervalMining({ interval: 0 });
    await testClient.setAutomine(true);
    const octo = (c.OctoToken?.address ?? existingOcto) as Address;
    const holder = network.name === "polygon" ? issuer : wallet(KEYS.deployer);
    const erc20 = readArtifact("OctoToken.sol", "OctoToken").abi;
    for (const key of [KEYS.provider, ...KEYS.validators])
      await holder.waitForTransactionReceipt({
        hash: await holder.writeContract({
          address: octo,
          abi: erc20,
          functionName: "transfer",
          args: [privateKeyToAccount(key).address, parseUnits("10000", 18)],
        }),
      });
    await issuer.waitForTransactionReceipt({
      hash: await issuer.writeContract({
        address: usdc,
        abi: readArtifact("mocks/MockUSDC.sol", "MockUSDC").abi,
        functionName: "mint",
        args: [privateKeyToAccount(KEYS.user).address, parseUnits("1000", 6)],
      }),
    });
    const fixture = makeFixtureModel();
    const spec = {
      name: "octo-fixture-tiny",
      weightsDigest: `0x${fixture.sha256}` as Hex,
      quantization: "f32",
      engine: "llama.cpp",
    };
    const { modelId, delay } = await listModelByTimelock({
      publicClient,
      testClient,
      governance: wallet(KEYS.governance),
      executor: wallet(KEYS.user),
      timelock,
      modelRegistry: c.ModelRegistry.address,
      spec,
    });
    log(`${network.name}: model ${modelId} listed through the timelock (scheduled, ${delay} s, executed)`);
    const t1 = Date.now();
    const job = await serveOneJob({
      chain: network.chain,
      rpcUrl: anvil.url,
      testClient,
      deploymentsPath,
      deployments,
      modelId,
      modelPath: fixture.path,
      paymentToken: usdc,
      zkey: testCeremonyPaths(network.name, dir).finalZkey,
      providerKey: KEYS.provider,
      validatorKeys: [...KEYS.validators],
      userKey: KEYS.user,
      dir: join(work, "providers"),
      log: (line) => log(`${network.name}: ${line}`),
    });
    return {
      network: network.name,
      chainId,
      refusedWithoutCeremony: refusal,
      dryRun: { transactions: dry.transactions, gas: dry.gas },
      circuitId,
      deployTransactions,
      deployGas,
      deploySeconds,
      rerunTransactions,
      job: { jobId: job.jobId, status: job.status, text: job.text, seconds: (Date.now() - t1) / 1000 },
    };
  } finally {
    uninstall();
    await anvil.stop();
    rmSync(journal, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const names = process.argv.slice(2);
  for (const name of names.length > 0 ? names : (["amoy", "polygon"] as const)) {
    const network = NETWORKS[name as Network["name"]];
    if (!network) throw new Error(`unknown network ${name}: amoy or polygon`);
    const r = await rehearseDeploy(network);
    console.log(
      `${r.network} rehearsed: chain ${r.chainId}, ${r.deployTransactions} transactions, ${r.deployGas} gas, ` +
        `circuitId ${r.circuitId}, job ${r.job.jobId} ${r.job.status} in ${r.job.seconds.toFixed(0)} s`,
    );
  }
}
