// `octo-worker setup`: from a key to a provider ready to serve one model, safely rerunnable. It finds the model's
// registry id from its GGUF (or takes one), reads where the provider stands, plans only what differs (planSetup),
// names every blocker before the first transaction, says what each transaction may cost, asks (or takes --yes),
// sends, writes the model into the config, and ends with the command that starts the worker.
import { readFileSync, writeFileSync } from "node:fs";
import { formatEther, formatUnits, parseUnits, type Address, type Client, type Hex } from "viem";
import { estimateFeesPerGas, readContract } from "viem/actions";
import { parseDeployments } from "@octo/sdk";
import { erc20Abi, modelRegistryAbi, stakingRegistryAbi } from "../../chain/abis.ts";
import { modelOfferSchema, type Config, type ModelOffer } from "../../config/configSchema.ts";
import { declaredClasses } from "../../determinism/declaredClasses.ts";
import type { GpuInfo } from "../../determinism/readGpus.ts";
import { modelSpecFromGguf } from "../../models/modelSpecFromGguf.ts";
import type { Sender } from "../../sender/createSender.ts";
import { chooseTier, TIER_NAMES } from "./chooseTier.ts";
import { planSetup, type SetupStep } from "./planSetup.ts";
import { readSetupState } from "./readSetupState.ts";

export type SetupOptions = {
  /** A GGUF file: its registry spec and id are derived from it, and it goes into the config as a llama.cpp engine. */
  model?: string | undefined;
  /** A model already in the registry (any engine); its engine config is the provider's to add. */
  modelId?: Hex | undefined;
  tier?: number | undefined;
  /** Stake to hold, in whole OCTO (at least the tier's minimum). */
  stake?: string | undefined;
  /** Price per output token in the payment token's units. */
  price?: string | undefined;
  paymentToken?: Address | undefined;
  context: number;
  /** Local devnet only: list the model in the registry with the dev deployer (governance's act on a real network). */
  registerModel: boolean;
  yes: boolean;
};

export type RunSetupParameters = {
  config: Config;
  configPath: string;
  address: Address;
  client: Client;
  sender: Pick<Sender, "send">;
  /** The X25519 key users encrypt to, derived from the account (published by `register`). */
  encryptionPublicKey: () => Promise<Hex>;
  gpus: readonly GpuInfo[];
  options: SetupOptions;
  /** Asks the operator; undefined when nobody can answer (no terminal). */
  confirm: ((question: string) => Promise<boolean>) | undefined;
  print: (line: string) => void;
};

/** Engine logs stay out of setup's output: it prints its own lines. */
const silentLogger = { info() {}, warn() {}, error() {} };

export class SetupBlockedError extends Error {
  override name = "SetupBlockedError";
}

/** Typical gas of each step on the market's contracts (with room): the cost shown is at most this × the fee cap. */
const TYPICAL_GAS: Record<SetupStep["kind"], bigint> = {
  register: 180_000n,
  setTier: 100_000n,
  approve: 60_000n,
  stake: 300_000n,
  accept: 150_000n,
  offer: 300_000n,
};

export async function runSetup(p: RunSetupParameters): Promise<void> {
  const { config, client, options, print } = p;
  const deployments = parseDeployments(readFileSync(config.deployments, "utf8"), { chainId: config.chainId });
  const staking = deployments.contracts.StakingRegistry.address;
  const modelRegistry = deployments.contracts.ModelRegistry.address;
  const local = config.chainId === 31337;

  // The model: from its file, or by id.
  const gguf = options.model ? await modelSpecFromGguf({ path: options.model }) : undefined;
  if (!gguf && !options.modelId)
    throw new SetupBlockedError(
      "setup needs the model: --model <file.gguf>, or --model-id <registry id> for a model served by vLLM",
    );
  const modelId = gguf
    ? await readContract(client, {
        address: modelRegistry,
        abi: modelRegistryAbi,
        functionName: "computeModelId",
        args: [gguf.spec],
      })
    : options.modelId!;
  print(
    `model: ${gguf ? `${gguf.spec.name} (${gguf.spec.quantization}, ${gguf.spec.engine}, weights ${gguf.spec.weightsDigest})` : "from the registry"}\n  id ${modelId}`,
  );
  if (gguf && options.registerModel) {
    if (!local)
      throw new SetupBlockedError(
        "--register-model is for a local devnet only: on a real network the registry's governance lists models",
      );
    const { registerDevModel } = await import("@octo/devnet"); // development only
    const { registered } = await registerDevModel({ rpcUrl: config.rpcUrls[0]!, deployments, spec: gguf.spec });
    print(registered ? "  listed in the devnet's registry (dev deployer)" : "  already in the registry");
  }

  const paymentToken = options.paymentToken ?? deployments.contracts.MockUSDC?.address;
  if (!paymentToken)
    throw new SetupBlockedError("setup needs the payment token the offer is priced in: --payment-token <address>");
  const state = await readSetupState({ client, address: p.address, staking, modelRegistry, modelId, paymentToken });
  const [paymentDecimals, paymentSymbol] = await Promise.all([
    readContract(client, { address: paymentToken, abi: erc20Abi, functionName: "decimals" }),
    readContract(client, { address: paymentToken, abi: erc20Abi, functionName: "symbol" }),
  ]);
  const octo = (units: bigint) => `${formatUnits(units, state.octo.decimals)} OCTO`;

  const tierChoice = chooseTier({
    gpus: p.gpus,
    available: state.provider.stake + state.octo.balance,
    minimums: state.minimums,
    requested: options.tier ?? (state.provider.registered ? state.provider.tier : undefined),
  });
  print(
    `tier: ${TIER_NAMES[tierChoice.tier]} (${tierChoice.why}); minimum stake ${octo(state.minimums[tierChoice.tier] ?? 0n)}`,
  );
  print(
    `account ${p.address}: ${formatEther(state.gasBalance)} POL, ${octo(state.octo.balance)} in the wallet, ${octo(state.provider.stake)} staked`,
  );

  // The offer's capacity and determinism class come from the engine it will run: the config's entry for the model
  // (the one setup writes for a GGUF), started once to read its build. A registry model whose engine is not in the
  // config keeps the class it has on-chain.
  const offered = configuredOffer();
  const determinismClass = offered
    ? (await declaredClasses({ models: [offered], logger: silentLogger })).get(modelId.toLowerCase())!
    : state.offer.determinismClass;
  if (offered) print(`determinism class: ${determinismClass} (from the engine's build and settings)`);
  const plan = planSetup(state, {
    tier: tierChoice.tier,
    stake: options.stake === undefined ? undefined : parseUnits(options.stake, state.octo.decimals),
    paymentToken,
    pricePerToken: options.price === undefined ? undefined : BigInt(options.price),
    maxContext: options.context,
    capacity: config.capacity,
    determinismClass,
  });
  const blockers = plan.blockers.map((b) => b.message);
  if (plan.blockers.some((b) => b.reason === "octo"))
    blockers.push(local ? "on a local devnet: `octo-worker faucet`" : "transfer OCTO to this address");
  if (plan.blockers.some((b) => b.reason === "model") && gguf) {
    blockers.push(
      local
        ? "on a local devnet: rerun with --register-model"
        : `ask the registry's governance to list it: registerModel(${JSON.stringify(gguf.spec)}, <minimum tier>)`,
    );
  }

  // What it may cost: each step's typical gas at the fee cap the worker will pay at most.
  const fees = await estimateFeesPerGas(client, { type: "eip1559", chain: client.chain ?? null });
  const cap = BigInt(Math.round(config.fees.maxFeePerGasGwei * 1e9));
  const feePerGas = fees.maxFeePerGas < cap ? fees.maxFeePerGas : cap;
  const costs = plan.steps.map((s) => TYPICAL_GAS[s.kind] * feePerGas);
  const total = costs.reduce((a, b) => a + b, 0n);
  if (state.gasBalance < total) {
    blockers.push(
      `${p.address} holds ${formatEther(state.gasBalance)} POL; these ${plan.steps.length} transactions may cost up to ${formatEther(total)} POL. Fund the account${local ? " (on a local devnet: `octo-worker faucet`)" : ""}`,
    );
  }
  if (blockers.length > 0)
    throw new SetupBlockedError(`setup cannot go on; nothing was sent:\n${blockers.map((b) => `  - ${b}`).join("\n")}`);

  const describe = (s: SetupStep): string => {
    switch (s.kind) {
      case "register":
        return `register as a ${TIER_NAMES[s.tier]} provider, publishing the encryption key derived from this account`;
      case "setTier":
        return `move from ${TIER_NAMES[state.provider.tier]} to ${TIER_NAMES[s.tier]}`;
      case "approve":
        return `allow the staking registry to take ${octo(s.amount)}`;
      case "stake":
        return `stake ${octo(s.amount)} (to ${octo(plan.targetStake)} in all)`;
      case "accept":
        return "start accepting jobs";
      case "offer":
        return `offer the model at ${formatUnits(s.pricePerToken, paymentDecimals)} ${paymentSymbol} per output token, up to ${s.maxContext} tokens of context`;
    }
  };
  if (plan.steps.length === 0) print("on-chain: nothing to change");
  else {
    print(`on-chain, ${plan.steps.length} transaction(s), at most ${formatEther(total)} POL in all:`);
    plan.steps.forEach((s, i) => print(`  ${i + 1}. ${describe(s)} — up to ${formatEther(costs[i]!)} POL`));
    const go = options.yes || ((await p.confirm?.("send them?")) ?? false);
    if (!go) {
      print(p.confirm ? "nothing sent." : "nothing sent: rerun with --yes to send them (no terminal to ask).");
      return;
    }
    for (const step of plan.steps) await send(step);
  }

  if (gguf && options.model) writeModelIntoConfig();
  const verifiable =
    p.config.models.some((m) => m.modelId.toLowerCase() === modelId.toLowerCase() && m.verifiable) ||
    (gguf !== undefined && options.model !== undefined);
  print(
    verifiable
      ? `next: \`octo-worker -c ${p.configPath} selftest\` (verifiable offers wait for it), then \`octo-worker -c ${p.configPath} start\``
      : `next: \`octo-worker -c ${p.configPath} start\``,
  );

  async function send(step: SetupStep) {
    const intent = `setup:${step.kind}:${Date.now()}`;
    const base = { intent, address: staking, abi: stakingRegistryAbi } as const;
    let hash: Hex;
    switch (step.kind) {
      case "register":
        ({ hash } = await p.sender.send({
          ...base,
          functionName: "register",
          args: [step.tier, await p.encryptionPublicKey(), ""],
        }));
        break;
      case "setTier":
        ({ hash } = await p.sender.send({ ...base, functionName: "setTier", args: [step.tier] }));
        break;
      case "approve":
        ({ hash } = await p.sender.send({
          intent,
          address: state.octoToken,
          abi: erc20Abi,
          functionName: "approve",
          args: [staking, step.amount],
        }));
        break;
      case "stake":
        ({ hash } = await p.sender.send({ ...base, functionName: "stake", args: [step.amount] }));
        break;
      case "accept":
        ({ hash } = await p.sender.send({ ...base, functionName: "setAccepting", args: [true] }));
        break;
      case "offer":
        ({ hash } = await p.sender.send({
          ...base,
          functionName: "setOffer",
          args: [
            step.modelId,
            step.paymentToken,
            step.pricePerToken,
            step.maxContext,
            step.capacity,
            step.determinismClass,
          ],
        }));
        break;
    }
    print(`  ✓ ${describe(step)}: ${hash}`);
  }

  /** The config's offer of the model as it will run after setup: the GGUF's entry merged in, else the config's own. */
  function configuredOffer(): ModelOffer | undefined {
    const own = config.models.find((m) => m.modelId.toLowerCase() === modelId.toLowerCase());
    if (!gguf) return own;
    const entry = {
      ...(own ? {} : { pricePerToken: "1" }),
      modelId,
      name: gguf.spec.name,
      engine: { kind: "llamaCpp", modelPath: options.model, contextSize: options.context, gpuLayers: 0 },
      paymentToken,
      maxContext: options.context,
    };
    return modelOfferSchema.parse({ ...(own ?? {}), ...entry });
  }

  function writeModelIntoConfig() {
    const raw = JSON.parse(readFileSync(p.configPath, "utf8")) as { models?: Record<string, unknown>[] };
    const entry = {
      modelId,
      name: gguf!.spec.name,
      engine: { kind: "llamaCpp", modelPath: options.model, contextSize: options.context, gpuLayers: 0 },
      paymentToken,
      pricePerToken: String(plan.steps.find((s) => s.kind === "offer")?.pricePerToken ?? state.offer.pricePerToken),
      maxContext: options.context,
    };
    const models = raw.models ?? [];
    const at = models.findIndex((m) => String(m.modelId).toLowerCase() === modelId.toLowerCase());
    if (at >= 0 && JSON.stringify(models[at]) === JSON.stringify({ ...models[at], ...entry }))
      return print("config: unchanged");
    if (at >= 0) models[at] = { ...models[at], ...entry };
    else models.push(entry);
    writeFileSync(p.configPath, JSON.stringify({ ...raw, models }, null, 2) + "\n");
    print(`config: ${at >= 0 ? "updated" : "added"} ${gguf!.spec.name} in ${p.configPath}`);
  }
}
