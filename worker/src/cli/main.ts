#!/usr/bin/env node
// octo-worker: the provider's command line. Every command reads the same config (file + OCTO_* environment).
//   init      write a config and a new key file (0600), or import a key
//   setup     guided: tier, registration, stake, the model's registry id and the offer, planned from where the
//             provider stands (a rerun changes only what differs), each transaction's cost shown first
//   register  register as a provider of a tier, publishing the X25519 encryption key derived from the account
//   stake / unbond / withdraw   manage stake
//   earnings  the provider's earnings held in the market per payment token; --withdraw sends them to the account
//   offer     publish the config's model offers (price per token, max context)
//   selftest  run the determinism self-test of every verifiable offer (required before verifiable jobs are taken)
//   start     run the daemon
//   status    stake, tier, unbonding, jobs and earnings as a table (--json for scripts)
//   models    the registry's models: id, spec, minimum tier, status
//   offers    every standing offer per model (price, tier, stake, reputation, speed), this provider's marked
//   faucet    local devnet only: test POL, OCTO and USDC for the configured key
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Command } from "commander";
import { formatEther, formatUnits, parseUnits, type Address, type Hex } from "viem";
import { listModels, listOffers, parseDeployments } from "@octo/sdk";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { getBalance, readContract } from "viem/actions";
import { erc20Abi, jobMarketAbi, stakingRegistryAbi } from "../chain/abis.ts";
import type { Config } from "../config/configSchema.ts";
import { loadAccount } from "../config/loadAccount.ts";
import { loadConfig } from "../config/loadConfig.ts";
import { createLogger } from "../ops/createLogger.ts";
import { installShutdown } from "../ops/installShutdown.ts";
import { openStore } from "../store/openStore.ts";
import { assertChain, createChainClient, createConfiguredSender, WrongNetworkError } from "../daemon/connectChain.ts";
import { deriveEncryptionKey } from "../daemon/deriveEncryptionKey.ts";
import { readDeployments } from "../daemon/readDeployments.ts";
import { startWorker } from "../daemon/startWorker.ts";
import { createEngines } from "../daemon/createEngines.ts";
import { declaredClasses } from "../determinism/declaredClasses.ts";
import { offerClass } from "../determinism/offerClass.ts";
import { readGpus } from "../determinism/readGpus.ts";
import { runSelfTest } from "../determinism/runSelfTest.ts";
import { selfTestRecord } from "../determinism/selfTestRecord.ts";
import { formatOffers } from "./formatOffers.ts";
import { formatStatus, providerStatus } from "./formatStatus.ts";
import { runSetup } from "./setup/runSetup.ts";

const program = new Command("octo-worker")
  .description("Octo provider worker")
  .option("-c, --config <file>", "config file (default: $OCTO_CONFIG)");

function context() {
  const config = loadConfig({ path: program.opts<{ config?: string }>().config });
  const account = loadAccount({ key: config.key });
  const deployments = readDeployments(config.deployments, config.chainId);
  const client = createChainClient(config, 500);
  const store = openStore({ path: resolve(config.dataDir, "worker.sqlite") });
  const sender = createConfiguredSender({ config, client, account, store }, { pollIntervalMs: 500 });
  const staking = deployments.StakingRegistry.address;
  const send = async (label: string, call: Parameters<typeof sender.send>[0]) => {
    const { hash } = await sender.send(call);
    console.log(`${label}: ${hash}`);
  };
  return { config, account, deployments, client, store, sender, staking, send };
}

/** The node must answer and serve the configured chain before anything is read or sent. */
async function connect(ctx: ReturnType<typeof context>): Promise<void> {
  try {
    await assertChain(ctx.client, ctx.config);
  } catch (error) {
    if (error instanceof WrongNetworkError) throw error;
    throw new Error(
      `cannot reach the RPC (${ctx.config.rpcUrls.join(", ")}): ${(error as Error).message.split("\n")[0]}. Is the node running, and is rpcUrls right?`,
    );
  }
}

async function stakingToken(ctx: ReturnType<typeof context>) {
  const token = (await readContract(ctx.client, {
    address: ctx.staking,
    abi: stakingRegistryAbi,
    functionName: "stakingToken",
  })) as Address;
  const decimals = await readContract(ctx.client, { address: token, abi: erc20Abi, functionName: "decimals" });
  return { token, decimals };
}

program
  .command("init")
  .description("write a config file and a new provider key (or import one with --key-file)")
  .requiredOption("--dir <folder>", "where to write config.json, provider.key and data/")
  .option("--rpc <url...>", "RPC URLs", ["http://127.0.0.1:8545"])
  .option("--chain-id <id>", "chain id", "31337")
  .option("--deployments <file>", "deployments file", resolve("deployments/31337.json"))
  .action((o: { dir: string; rpc: string[]; chainId: string; deployments: string }) => {
    const dir = resolve(o.dir);
    mkdirSync(dir, { recursive: true });
    const keyFile = resolve(dir, "provider.key");
    if (existsSync(keyFile)) throw new Error(`${keyFile} exists: refusing to overwrite a key`);
    const key = generatePrivateKey();
    writeFileSync(keyFile, key + "\n", { mode: 0o600 });
    chmodSync(keyFile, 0o600);
    // A local devnet mines a block only for a transaction and never reorgs: waiting for confirmations there would
    // wait for the next user's transaction, so events are handled at once.
    const local = Number(o.chainId) === 31337 ? { confirmations: 0, pollIntervalMs: 500 } : {};
    const config = {
      chainId: Number(o.chainId),
      rpcUrls: o.rpc,
      deployments: resolve(o.deployments),
      key: { file: "./provider.key" },
      dataDir: "./data",
      ...local,
      models: [],
    };
    writeFileSync(resolve(dir, "config.json"), JSON.stringify(config, null, 2) + "\n");
    console.log(
      `wrote ${resolve(dir, "config.json")} and ${keyFile} (mode 0600)\nprovider address: ${privateKeyToAccount(key).address}`,
    );
  });

program
  .command("setup")
  .description(
    "guided setup to serve one model: tier, register, stake, model id, offer (rerunnable; asks before sending)",
  )
  .option(
    "--model <file.gguf>",
    "a GGUF model: its registry id is derived from the file, and it is added to the config",
  )
  .option("--model-id <id>", "a model already in the registry (e.g. one served by vLLM)")
  .option(
    "--tier <n>",
    "hardware tier 0 Consumer, 1 Prosumer, 2 Enterprise (default: from the GPUs and the OCTO at hand)",
  )
  .option("--stake <octo>", "stake to hold, whole OCTO (default: the tier's minimum)")
  .option("--price <units>", "price per output token, in the payment token's units (required for the first offer)")
  .option("--payment-token <address>", "the token the offer is priced in (default on a devnet: its MockUSDC)")
  .option("--context <tokens>", "prompt + output tokens served (the engine's context size)", "4096")
  .option("--register-model", "local devnet only: list the model in the registry with the dev deployer")
  .option("--yes", "send without asking")
  .action(
    async (o: {
      model?: string;
      modelId?: Hex;
      tier?: string;
      stake?: string;
      price?: string;
      paymentToken?: Address;
      context: string;
      registerModel?: boolean;
      yes?: boolean;
    }) => {
      const ctx = context();
      await connect(ctx);
      const configPath = resolve(
        program.opts<{ config?: string }>().config ?? process.env.OCTO_CONFIG ?? "config.json",
      );
      const ask = process.stdin.isTTY
        ? async (question: string) => {
            const { createInterface } = await import("node:readline/promises");
            const rl = createInterface({ input: process.stdin, output: process.stdout });
            try {
              return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
            } finally {
              rl.close();
            }
          }
        : undefined;
      try {
        await runSetup({
          config: ctx.config,
          configPath,
          address: ctx.account.address,
          client: ctx.client,
          sender: ctx.sender,
          encryptionPublicKey: async () =>
            `0x${Buffer.from((await deriveEncryptionKey(ctx.account)).publicKey).toString("hex")}` as Hex,
          gpus: readGpus(),
          options: {
            model: o.model === undefined ? undefined : resolve(o.model),
            modelId: o.modelId,
            tier: o.tier === undefined ? undefined : Number(o.tier),
            stake: o.stake,
            price: o.price,
            paymentToken: o.paymentToken,
            context: Number(o.context),
            registerModel: o.registerModel ?? false,
            yes: o.yes ?? false,
          },
          confirm: ask,
          print: (line) => console.log(line),
        });
      } finally {
        ctx.store.close();
      }
    },
  );

program
  .command("register")
  .description("register as a provider of a hardware tier (0 Consumer, 1 Prosumer, 2 Enterprise)")
  .requiredOption("--tier <n>", "hardware tier")
  .option("--metadata <uri>", "metadata URI", "")
  .action(async (o: { tier: string; metadata: string }) => {
    const ctx = context();
    await connect(ctx);
    const { publicKey } = await deriveEncryptionKey(ctx.account);
    await ctx.send("registered", {
      intent: `cli:register:${Date.now()}`,
      address: ctx.staking,
      abi: stakingRegistryAbi,
      functionName: "register",
      args: [Number(o.tier), `0x${Buffer.from(publicKey).toString("hex")}` as Hex, o.metadata],
    });
  });

program
  .command("stake <amount>")
  .description("stake OCTO (whole tokens, e.g. 1000)")
  .action(async (amount: string) => {
    const ctx = context();
    await connect(ctx);
    const { token, decimals } = await stakingToken(ctx);
    const units = parseUnits(amount, decimals);
    const held = await readContract(ctx.client, {
      address: token,
      abi: erc20Abi,
      functionName: "balanceOf",
      args: [ctx.account.address],
    });
    if (held < units)
      throw new Error(
        `${ctx.account.address} has ${formatUnits(held, decimals)} OCTO; staking ${amount} needs ${formatUnits(units - held, decimals)} more. ` +
          (ctx.config.chainId === 31337
            ? "On a local devnet: \`octo-worker faucet\`."
            : "Transfer OCTO to this address first."),
      );
    await ctx.send("approved", {
      intent: `cli:approve:${Date.now()}`,
      address: token,
      abi: erc20Abi,
      functionName: "approve",
      args: [ctx.staking, units],
    });
    await ctx.send("staked", {
      intent: `cli:stake:${Date.now()}`,
      address: ctx.staking,
      abi: stakingRegistryAbi,
      functionName: "stake",
      args: [units],
    });
  });

program
  .command("unbond <amount>")
  .description("start unbonding stake (whole tokens)")
  .action(async (amount: string) => {
    const ctx = context();
    const { decimals } = await stakingToken(ctx);
    await ctx.send("unbonding", {
      intent: `cli:unbond:${Date.now()}`,
      address: ctx.staking,
      abi: stakingRegistryAbi,
      functionName: "requestUnbond",
      args: [parseUnits(amount, decimals)],
    });
  });

program
  .command("withdraw")
  .description("withdraw stake whose unbonding delay has passed")
  .action(async () => {
    const ctx = context();
    await ctx.send("withdrawn", {
      intent: `cli:withdraw:${Date.now()}`,
      address: ctx.staking,
      abi: stakingRegistryAbi,
      functionName: "withdraw",
      args: [],
    });
  });

program
  .command("earnings")
  .description(
    "earnings held in the market per payment token (every job's pay is credited there); --withdraw takes them",
  )
  .option("--withdraw", "send the whole balance of each payment token to this account, one transfer per token")
  .action(async (o: { withdraw?: boolean }) => {
    const ctx = context();
    await connect(ctx);
    const market = ctx.deployments.JobMarket.address;
    const tokens = [...new Set(ctx.config.models.map((m) => m.paymentToken as Address))];
    for (const token of tokens) {
      const [held, symbol, decimals] = await Promise.all([
        readContract(ctx.client, {
          address: market,
          abi: jobMarketAbi,
          functionName: "balanceOf",
          args: [token, ctx.account.address],
        }),
        readContract(ctx.client, { address: token, abi: erc20Abi, functionName: "symbol" }),
        readContract(ctx.client, { address: token, abi: erc20Abi, functionName: "decimals" }),
      ]);
      console.log(`${formatUnits(held, decimals)} ${symbol} in the market (${token})`);
      if (o.withdraw && held > 0n)
        await ctx.send(`withdrew ${formatUnits(held, decimals)} ${symbol}`, {
          intent: `cli:withdrawEarnings:${token}:${Date.now()}`,
          address: market,
          abi: jobMarketAbi,
          functionName: "withdraw",
          args: [token, held],
        });
    }
    ctx.store.close();
  });

program
  .command("offer")
  .description("publish the config's model offers on-chain")
  .action(async () => {
    const ctx = context();
    // Each offer declares the determinism class of its engine as it runs (started here, then stopped).
    const classes = await declaredClasses({ models: ctx.config.models, logger: createLogger({ level: "warn" }) });
    for (const m of ctx.config.models) {
      const determinismClass = classes.get(m.modelId.toLowerCase())!;
      await ctx.send(`offer ${m.name ?? m.modelId} (class ${determinismClass})`, {
        intent: `cli:offer:${m.modelId}:${Date.now()}`,
        address: ctx.staking,
        abi: stakingRegistryAbi,
        functionName: "setOffer",
        args: [
          m.modelId as Hex,
          m.paymentToken as Address,
          m.pricePerToken,
          m.maxContext,
          ctx.config.capacity,
          determinismClass,
        ],
      });
    }
  });

program
  .command("selftest")
  .description(
    "check that each verifiable offer's engine gives the same greedy output busy as alone (verifiable jobs wait for it)",
  )
  .action(async () => {
    const config: Config = loadConfig({ path: program.opts<{ config?: string }>().config });
    const logger = createLogger({ level: "warn" });
    const gpus = config.models.some((m) => m.engine.kind === "vllm") ? readGpus() : [];
    const engines = await createEngines({ models: config.models, logger, gpus });
    const record = selfTestRecord(resolve(config.dataDir, "selftest.json"));
    let failed = 0;
    try {
      for (const m of config.models.filter((o) => o.verifiable)) {
        const engine = engines.get(m.modelId.toLowerCase())!;
        const klass = offerClass(m, { info: engine.info(), gpus });
        const result = await runSelfTest({ engine });
        if (result.passed) record.set(klass.id, result);
        else failed++;
        console.log(
          `${m.name ?? m.modelId}: ${result.passed ? "PASSED" : "FAILED"} — ${result.compared} generations compared in ${result.seconds.toFixed(1)} s`,
        );
        console.log(`  class ${klass.id}: ${JSON.stringify(klass.fields)}`);
        for (const x of result.mismatches)
          console.log(
            `  mismatch (${x.run}) on ${JSON.stringify(x.prompt)}: ${JSON.stringify(x.expected.text)} ≠ ${JSON.stringify(x.got.text)}`,
          );
      }
    } finally {
      await Promise.allSettled([...engines.values()].map((e) => e.stop()));
    }
    if (failed > 0)
      throw new Error(
        `${failed} offer(s) failed the self-test: the worker will not take their verifiable jobs (see ENGINES.md, "Determinism")`,
      );
  });

program
  .command("start")
  .description("run the worker daemon")
  .action(async () => {
    const config: Config = loadConfig({ path: program.opts<{ config?: string }>().config });
    const logger = createLogger({ level: config.logLevel });
    const worker = await startWorker({ config, logger });
    installShutdown({ logger, steps: [{ name: "worker", run: () => worker.stop() }] });
    // One line a person reads when the worker can serve (the JSON logs carry the details).
    const offers = config.models
      .map(
        (m) =>
          `${m.name ?? m.modelId.slice(0, 10)}${m.verifiable ? " (verifiable)" : ""} at ${m.pricePerToken} units/token`,
      )
      .join(", ");
    console.log(
      `octo-worker ready: ${worker.address} serving ${offers || "no models"}, ${config.capacity} job(s) at once; metrics ${worker.ops.url}/metrics, health ${worker.ops.url}/health, live output ${worker.stream.url}`,
    );
  });

program
  .command("status")
  .description("stake, tier, unbonding, jobs and earnings (--json for scripts)")
  .option("--json", "print JSON")
  .action(async (o: { json?: boolean }) => {
    const ctx = context();
    await connect(ctx);
    const [p, { token, decimals }, gasBalance] = await Promise.all([
      readContract(ctx.client, {
        address: ctx.staking,
        abi: stakingRegistryAbi,
        functionName: "getProvider",
        args: [ctx.account.address],
      }),
      stakingToken(ctx),
      getBalance(ctx.client, { address: ctx.account.address }),
    ]);
    const [symbol, balance] = await Promise.all([
      readContract(ctx.client, { address: token, abi: erc20Abi, functionName: "symbol" }),
      readContract(ctx.client, {
        address: token,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [ctx.account.address],
      }),
    ]);
    const paymentToken = ctx.config.models[0]?.paymentToken as Address | undefined;
    const payment = paymentToken
      ? await Promise.all([
          readContract(ctx.client, { address: paymentToken, abi: erc20Abi, functionName: "symbol" }),
          readContract(ctx.client, { address: paymentToken, abi: erc20Abi, functionName: "decimals" }),
        ])
      : (["(no offer)", 0] as const);
    const done = ctx.store.jobsInStep<{ providerAmount?: bigint }>("done");
    const earned = done.reduce((sum, j) => sum + BigInt(j.data.providerAmount ?? 0n), 0n);
    const status = providerStatus({
      address: ctx.account.address,
      gasBalance,
      provider: {
        ...p,
        tier: Number(p.tier),
        unbondableAt: Number(p.unbondableAt),
        completed: Number(p.completed),
        timedOut: Number(p.timedOut),
        disputed: Number(p.disputed),
        slashed: Number(p.slashed),
        released: Number(p.released),
      },
      staking: { symbol, decimals, balance },
      payment: { symbol: payment[0], decimals: Number(payment[1]), earned },
      jobs: ctx.store.countJobsByStep(),
    });
    console.log(o.json ? JSON.stringify(status, null, 2) : formatStatus(status));
    ctx.store.close();
  });

program
  .command("models")
  .description("the registry's models: id (for an offer's modelId), spec, minimum tier, status")
  .option("--all", "include deprecated and retired models")
  .option("--json", "print JSON")
  .action(async (o: { all?: boolean; json?: boolean }) => {
    const ctx = context();
    await connect(ctx);
    const deployments = parseDeployments(readFileSync(ctx.config.deployments, "utf8"), { chainId: ctx.config.chainId });
    const models = await listModels(ctx.client, { deployments, includeInactive: o.all ?? false });
    if (o.json) console.log(JSON.stringify(models, null, 2));
    else if (models.length === 0) console.log("no models registered");
    else
      for (const m of models)
        console.log(
          `${m.modelId}  ${m.name} (${m.quantization}, ${m.engine}), weights ${m.weightsDigest}, minimum tier ${m.minTier}, ${m.status}`,
        );
    ctx.store.close();
  });

program
  .command("offers")
  .description("every standing offer for each registry model (or --model), this provider's marked")
  .option("--model <id>", "one model id")
  .option(
    "--payment-token <address>",
    "the token offers are priced in (default: the config's, else the devnet's MockUSDC)",
  )
  .option("--json", "print JSON")
  .action(async (o: { model?: Hex; paymentToken?: Address; json?: boolean }) => {
    const ctx = context();
    await connect(ctx);
    const deployments = parseDeployments(readFileSync(ctx.config.deployments, "utf8"), { chainId: ctx.config.chainId });
    const paymentToken =
      o.paymentToken ??
      (ctx.config.models[0]?.paymentToken as Address | undefined) ??
      deployments.contracts.MockUSDC?.address;
    if (!paymentToken) throw new Error("which payment token? --payment-token <address>");
    const models = (await listModels(ctx.client, { deployments })).filter(
      (m) => !o.model || m.modelId.toLowerCase() === o.model.toLowerCase(),
    );
    const [{ decimals: stakingDecimals }, symbol, decimals] = await Promise.all([
      stakingToken(ctx),
      readContract(ctx.client, { address: paymentToken, abi: erc20Abi, functionName: "symbol" }),
      readContract(ctx.client, { address: paymentToken, abi: erc20Abi, functionName: "decimals" }),
    ]);
    const all = await Promise.all(
      models.map(async (m) => ({
        model: m,
        offers: await listOffers(ctx.client, { deployments, modelId: m.modelId, paymentToken }),
      })),
    );
    if (o.json) console.log(JSON.stringify(all, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2));
    else if (all.length === 0)
      console.log(o.model ? `model ${o.model} is not in the registry` : "no models registered");
    else
      for (const { model, offers } of all)
        console.log(
          formatOffers({
            model: `${model.name} ${model.modelId}`,
            offers,
            me: ctx.account.address,
            payment: { symbol, decimals },
            staking: { symbol: "OCTO", decimals: stakingDecimals },
          }),
        );
    ctx.store.close();
  });

program
  .command("faucet")
  .description("local devnet only: give the configured key test POL, OCTO and USDC")
  .option("--pol <n>", "POL (whole)", "10")
  .option("--octo <n>", "OCTO (whole)", "10000")
  .option("--usdc <n>", "USDC (whole)", "1000")
  .action(async (o: { pol: string; octo: string; usdc: string }) => {
    const config = loadConfig({ path: program.opts<{ config?: string }>().config });
    const account = loadAccount({ key: config.key });
    const deployments = parseDeployments(readFileSync(config.deployments, "utf8"), { chainId: config.chainId });
    // Development only: the devnet package is loaded for this command alone.
    const { fundAccount } = await import("@octo/devnet");
    const given = await fundAccount({
      rpcUrl: config.rpcUrls[0]!,
      deployments,
      address: account.address,
      pol: Number(o.pol),
      octo: Number(o.octo),
      usdc: Number(o.usdc),
    });
    console.log(
      `gave ${account.address} ${formatEther(given.pol)} POL, ${formatUnits(given.octo, 18)} OCTO, ${formatUnits(given.usdc, 6)} USDC (test funds, local devnet)`,
    );
  });

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
