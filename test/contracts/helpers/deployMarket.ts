// Deploys the whole system on Hardhat's in-process chain, with providers staked and offering one model.
import type { network } from "hardhat";

import type {
  JobMarket,
  MockResultVerifier,
  MockUSDC,
  ModelRegistry,
  OctoToken,
  StakingRegistry,
} from "../../../types/ethers-contracts/index.ts";

type HardhatEthers = Awaited<ReturnType<typeof network.connect>>["ethers"];
type HardhatEthersSigner = Awaited<ReturnType<HardhatEthers["getSigners"]>>[number];

export const ONE_OCTO = 10n ** 18n;
export const MODEL_SPEC = {
  name: "llama-3.1-8b-instruct",
  weightsDigest: "0x" + "11".repeat(32),
  quantization: "q4_k_m",
  engine: "llama.cpp-b4000",
};
export const PRICE = 10n; // provider price per output token, in USDC base units
export const MAX_PRICE = 20n;
export const MAX_TOKENS = 256;
export const STAKE = 6_000n * ONE_OCTO; // Prosumer minimum is 5,000
export const COLLATERAL = 100n * ONE_OCTO;
/** Every provider's offer capacity: above the 33 live jobs of the gas benchmark's batch. */
export const CAPACITY = 64;
/** The determinism class all providers declare unless a test sets another. */
export const DETERMINISM_CLASS = "0x" + "c1".repeat(32);

export type DeployOptions = { realVerifier?: boolean; providers?: number };

export async function deployMarket(ethers: HardhatEthers, options: DeployOptions = {}) {
  const signers = await ethers.getSigners();
  const [admin, treasury, user, outsider] = signers as [
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
  ];
  const providers = signers.slice(4, 4 + (options.providers ?? 5));

  const octo = (await ethers.deployContract("OctoToken", [
    admin.address,
    10_000_000n * ONE_OCTO,
  ])) as unknown as OctoToken;
  const usdc = (await ethers.deployContract("MockUSDC")) as unknown as MockUSDC;
  // Typed as the mock for `setVerdict`; with realVerifier the contract is the real ResultVerifier (no setVerdict).
  const verifier = (options.realVerifier
    ? await ethers.deployContract("ResultVerifier")
    : await ethers.deployContract("MockResultVerifier")) as unknown as MockResultVerifier;
  const models = (await ethers.deployContract("ModelRegistry", [admin.address])) as unknown as ModelRegistry;
  const staking = (await ethers.deployContract("StakingRegistry", [
    await octo.getAddress(),
    admin.address,
    ONE_OCTO,
  ])) as unknown as StakingRegistry;
  const market = (await ethers.deployContract(
    "JobMarket",
    [
      await verifier.getAddress(),
      await staking.getAddress(),
      await models.getAddress(),
      admin.address,
      treasury.address,
    ],
    { libraries: await deployMarketLibraries(ethers) },
  )) as unknown as JobMarket; // the typed overloads do not cover the libraries option
  await staking.bindJobMarket(await market.getAddress());
  await market.setPaymentToken(await usdc.getAddress(), true);
  const modelId = await models.computeModelId(MODEL_SPEC);
  await models.registerModel(MODEL_SPEC, 1);

  for (const p of providers) {
    await octo.transfer(p.address, 20_000n * ONE_OCTO);
    await octo.connect(p).approve(await staking.getAddress(), ethers.MaxUint256);
    await staking.connect(p).register(1, ethers.keccak256(ethers.toUtf8Bytes(p.address)), "ipfs://provider");
    await staking.connect(p).stake(STAKE);
    await staking.connect(p).setAccepting(true);
    await staking.connect(p).setOffer(modelId, await usdc.getAddress(), PRICE, 8192, CAPACITY, DETERMINISM_CLASS);
  }
  await usdc.mint(user.address, 10n ** 12n);
  await usdc.connect(user).approve(await market.getAddress(), ethers.MaxUint256);

  return { admin, treasury, user, outsider, providers, octo, usdc, verifier, models, staking, market, modelId };
}

/** The Poseidon libraries OutputDigest links (PoseidonT17 itself links its three constant parts). */
export async function deployPoseidon(ethers: HardhatEthers): Promise<{ PoseidonT17: string; PoseidonT5: string }> {
  const parts: Record<string, string> = {};
  for (const k of [0, 1, 2]) {
    parts[`PoseidonT17Constants${k}`] = await (await ethers.deployContract(`PoseidonT17Constants${k}`)).getAddress();
  }
  const t17 = await ethers.deployContract("PoseidonT17", { libraries: parts });
  const t5 = await ethers.deployContract("PoseidonT5");
  return { PoseidonT17: await t17.getAddress(), PoseidonT5: await t5.getAddress() };
}

/** The libraries JobMarket links: result submission, the fraud proof's digest (over Poseidon) and the committee draw. */
export async function deployMarketLibraries(
  ethers: HardhatEthers,
): Promise<{ JobResults: string; FraudProof: string; Committee: string }> {
  const fraudProof = await ethers.deployContract("FraudProof", { libraries: await deployPoseidon(ethers) });
  const jobResults = await ethers.deployContract("JobResults");
  const committee = await ethers.deployContract("Committee");
  return {
    JobResults: await jobResults.getAddress(),
    FraudProof: await fraudProof.getAddress(),
    Committee: await committee.getAddress(),
  };
}

export type System = Awaited<ReturnType<typeof deployMarket>>;

/** A job request with sensible defaults; `deadline` is absolute. */
export function jobRequest(sys: System, now: number, overrides: Record<string, unknown> = {}) {
  return {
    modelId: sys.modelId,
    paymentToken: sys.usdc.target as string,
    maxOutputTokens: MAX_TOKENS,
    maxPricePerToken: MAX_PRICE,
    minTier: 0,
    verifiable: false,
    callback: false,
    deadline: now + 86_400,
    provider: "0x0000000000000000000000000000000000000000",
    userPublicKey: "0x" + "ab".repeat(32),
    keyCommitment: 12345n,
    ...overrides,
  };
}

export const ENVELOPE = "0x" + "cd".repeat(96);
export const STATUS = {
  None: 0n,
  Open: 1n,
  Claimed: 2n,
  Submitted: 3n,
  Disputed: 4n,
  Finalized: 5n,
  Cancelled: 6n,
  TimedOut: 7n,
  Slashed: 8n,
  Refunded: 9n,
} as const;
export const REASON = {
  None: 0,
  InputUndecryptable: 1,
  PromptTooLong: 2,
  KeyNotDelivered: 3,
  ModelUnavailable: 4,
  OutOfCapacity: 5,
} as const;

/** A result whose proofs are dummies (for the mock verifier): `chunks` of full 1984-byte chunks but the last. */
export function fakeResult(byteLengths: number[], tokens: number[]) {
  const chunks = byteLengths.map((b, i) => ({
    outputCommitment: BigInt(1000 + i),
    byteLength: b,
    tokenCount: tokens[i]!,
  }));
  const elements = byteLengths.reduce((n, b) => n + Math.ceil(b / 31), 0);
  const ciphertext = Array.from({ length: elements }, (_, i) => BigInt(i + 7));
  const proofs = byteLengths.map(() => Array.from({ length: 8 }, () => 1n));
  return { result: { chunks, ciphertext, ciphertextURI: "", ciphertextHash: "0x" + "00".repeat(32) }, proofs };
}
