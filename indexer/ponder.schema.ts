// The indexer's tables. Every row is derived from the events of the JobMarket, the StakingRegistry and the
// ModelRegistry alone (no contract reads), so a plain reading of the logs gives the same tables
// (test/logsEqualTables.test.ts checks it). Amounts are in the smallest unit of their token; counters are per row.
import { index, onchainTable, primaryKey } from "ponder";

/** One job: its request, its current state, and the block, transaction and time of its creation and last step. */
export const job = onchainTable(
  "job",
  (t) => ({
    id: t.bigint().primaryKey(),
    user: t.hex().notNull(),
    modelId: t.hex().notNull(),
    paymentToken: t.hex().notNull(),
    /** The provider named at creation (null for an open job). */
    namedProvider: t.hex(),
    /** The provider holding or having held the claim (null while open). */
    provider: t.hex(),
    /** JobStatus name: Open, Claimed, Submitted, Disputed, Finalized, Cancelled, TimedOut, Slashed, Refunded. */
    status: t.text().notNull(),
    maxOutputTokens: t.integer().notNull(),
    maxPricePerToken: t.bigint().notNull(),
    minTier: t.integer().notNull(),
    verifiable: t.boolean().notNull(),
    deadline: t.bigint().notNull(),
    escrow: t.bigint().notNull(),
    inputHash: t.hex().notNull(),
    keyCommitment: t.bigint().notNull(),
    keyDelivered: t.boolean().notNull(),
    pricePerToken: t.bigint(),
    collateral: t.bigint(),
    tokenCount: t.bigint(),
    providerAmount: t.bigint(),
    feeAmount: t.bigint(),
    refundAmount: t.bigint(),
    collateralSlashed: t.bigint(),
    /** How many times the job was released back to the market. */
    releases: t.integer().notNull(),
    createdBlock: t.bigint().notNull(),
    createdTx: t.hex().notNull(),
    createdAt: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (t) => ({
    userIdx: index().on(t.user),
    providerIdx: index().on(t.provider),
    modelIdx: index().on(t.modelId),
    statusIdx: index().on(t.status),
    createdAtIdx: index().on(t.createdAt),
  }),
);

/** Every event of the JobMarket about one job, in chain order: the job's history with block, transaction and time. */
export const jobStep = onchainTable(
  "job_step",
  (t) => ({
    /** `${transactionHash}-${logIndex}` */
    id: t.text().primaryKey(),
    jobId: t.bigint().notNull(),
    /** The event's name (JobCreated, JobClaimed, JobKeyDelivered, ResultSubmitted, …). */
    step: t.text().notNull(),
    /** The address the event names as its actor (user, provider, disputer, validator, revealer), when it names one. */
    actor: t.hex(),
    blockNumber: t.bigint().notNull(),
    blockHash: t.hex().notNull(),
    transactionHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (t) => ({ jobIdx: index().on(t.jobId) }),
);

/** A submitted result as the ResultSubmitted event published it (ciphertext and proofs stay on-chain: the verifier
 *  reads them from the chain, never from here). */
export const receipt = onchainTable("receipt", (t) => ({
  jobId: t.bigint().primaryKey(),
  provider: t.hex().notNull(),
  outputRoot: t.hex().notNull(),
  ciphertextHash: t.hex().notNull(),
  tokenCount: t.bigint().notNull(),
  byteLength: t.bigint().notNull(),
  challengeEnd: t.bigint().notNull(),
  chunkCount: t.integer().notNull(),
  /** Per chunk: its proven output commitment (decimal string), byte length and token count. */
  chunks: t.json().$type<{ outputCommitment: string; byteLength: number; tokenCount: number }[]>().notNull(),
  ciphertextElements: t.integer().notNull(),
  ciphertextURI: t.text().notNull(),
  blockNumber: t.bigint().notNull(),
  transactionHash: t.hex().notNull(),
  timestamp: t.bigint().notNull(),
}));

/** A provider: registration, stake, offers (table `offer`), and its record (reputation counters and totals). */
export const provider = onchainTable("provider", (t) => ({
  address: t.hex().primaryKey(),
  tier: t.integer().notNull(),
  encryptionKey: t.hex().notNull(),
  metadataURI: t.text().notNull(),
  accepting: t.boolean().notNull(),
  stake: t.bigint().notNull(),
  unbonding: t.bigint().notNull(),
  /** The registry's reputation counters, as it keeps them: OutcomeRecorded's Completed, TimedOut, Disputed, Released
   *  and VoteMissed (`missedVotes`: committee seats it left without a vote), and `slashed` for every ProviderSlashed (a
   *  timeout with the key delivered, a lost dispute, a fraud). */
  completed: t.integer().notNull(),
  timedOut: t.integer().notNull(),
  disputed: t.integer().notNull(),
  slashed: t.integer().notNull(),
  released: t.integer().notNull(),
  missedVotes: t.integer().notNull(),
  slashedAmount: t.bigint().notNull(),
  jobsClaimed: t.integer().notNull(),
  tokens: t.bigint().notNull(),
  /** Sum of providerAmount over finalized jobs (in each job's payment token; the devnet has one). */
  earned: t.bigint().notNull(),
  /** Stake locked as collateral by the jobs it holds (CollateralLocked, less CollateralUnlocked and slashed locks). */
  locked: t.bigint().notNull(),
  registeredBlock: t.bigint().notNull(),
  registeredAt: t.bigint().notNull(),
}));

/** A provider's price for one model in one payment token; `active` is false once removed. */
export const offer = onchainTable(
  "offer",
  (t) => ({
    provider: t.hex().notNull(),
    modelId: t.hex().notNull(),
    paymentToken: t.hex().notNull(),
    pricePerToken: t.bigint().notNull(),
    maxContext: t.integer().notNull(),
    /** Jobs the provider runs at once under this offer. */
    capacity: t.integer().notNull(),
    /** The provider's determinism class for the model: its committees are drawn from this class. */
    determinismClass: t.hex().notNull(),
    active: t.boolean().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (t) => ({ pk: primaryKey({ columns: [t.provider, t.modelId, t.paymentToken] }) }),
);

/** A registered model and its totals. */
export const model = onchainTable("model", (t) => ({
  id: t.hex().primaryKey(),
  name: t.text().notNull(),
  weightsDigest: t.hex().notNull(),
  quantization: t.text().notNull(),
  engine: t.text().notNull(),
  minTier: t.integer().notNull(),
  /** ModelStatus name: Active, Deprecated, Retired. */
  status: t.text().notNull(),
  jobs: t.integer().notNull(),
  tokens: t.bigint().notNull(),
  /** Sum of providerAmount + feeAmount over finalized jobs. */
  volume: t.bigint().notNull(),
  disputes: t.integer().notNull(),
  slashes: t.integer().notNull(),
  registeredBlock: t.bigint().notNull(),
  registeredAt: t.bigint().notNull(),
}));

/** A dispute: who opened it, the committee drawn, the votes so far; `fraudChunk` when a ciphertext mismatch was
 *  proven instead. */
export const dispute = onchainTable("dispute", (t) => ({
  jobId: t.bigint().primaryKey(),
  disputer: t.hex(),
  drawBlock: t.bigint(),
  committee: t.json().$type<string[]>(),
  disputeEnd: t.bigint(),
  faultVotes: t.integer().notNull(),
  cleanVotes: t.integer().notNull(),
  fraudChunk: t.bigint(),
  openedBlock: t.bigint().notNull(),
  openedTx: t.hex().notNull(),
  openedAt: t.bigint().notNull(),
}));

/** One committee member's vote. */
export const vote = onchainTable(
  "vote",
  (t) => ({
    jobId: t.bigint().notNull(),
    validator: t.hex().notNull(),
    providerAtFault: t.boolean().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (t) => ({ pk: primaryKey({ columns: [t.jobId, t.validator] }) }),
);

/** Totals per UTC day (of the block's timestamp) and payment token. Each job counts on the day of each step. */
export const dailyTotal = onchainTable(
  "daily_total",
  (t) => ({
    /** YYYY-MM-DD */
    day: t.text().notNull(),
    paymentToken: t.hex().notNull(),
    jobsCreated: t.integer().notNull(),
    jobsFinalized: t.integer().notNull(),
    jobsCancelled: t.integer().notNull(),
    jobsTimedOut: t.integer().notNull(),
    jobsSlashed: t.integer().notNull(),
    jobsRefunded: t.integer().notNull(),
    disputes: t.integer().notNull(),
    tokens: t.bigint().notNull(),
    volume: t.bigint().notNull(),
    fees: t.bigint().notNull(),
    refunds: t.bigint().notNull(),
  }),
  (t) => ({ pk: primaryKey({ columns: [t.day, t.paymentToken] }) }),
);

/** The collateral a claim locked from the provider's stake, until the job unlocks it or slashes it. A job claimed
 *  again by the same provider after a release reuses its row. */
export const collateralLock = onchainTable(
  "collateral_lock",
  (t) => ({
    jobId: t.bigint().notNull(),
    provider: t.hex().notNull(),
    amount: t.bigint().notNull(),
    active: t.boolean().notNull(),
    /** "Unlocked" or "Slashed" once released; null while locked. */
    release: t.text(),
    lockedBlock: t.bigint().notNull(),
    releasedBlock: t.bigint(),
  }),
  (t) => ({ pk: primaryKey({ columns: [t.jobId, t.provider] }) }),
);

/** Money into and out of an account's balance in the market besides the jobs' own settlements (provider earnings
 *  and refunds of balance-paid jobs, which JobFinalized and the refund events carry), per token and account: payments
 *  the market could not transfer (a blocklisted recipient, a paused token) and credited instead, deposits, and
 *  withdrawals. The balance itself is `balanceOf(token, account)` on the market. */
export const credit = onchainTable(
  "credit",
  (t) => ({
    paymentToken: t.hex().notNull(),
    account: t.hex().notNull(),
    credited: t.bigint().notNull(),
    deposited: t.bigint().notNull(),
    withdrawn: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (t) => ({ pk: primaryKey({ columns: [t.paymentToken, t.account] }) }),
);

/** Each withdrawal of the market's fees to its treasury. */
export const feeWithdrawal = onchainTable("fee_withdrawal", (t) => ({
  /** `${transactionHash}-${logIndex}` */
  id: t.text().primaryKey(),
  paymentToken: t.hex().notNull(),
  treasury: t.hex().notNull(),
  amount: t.bigint().notNull(),
  blockNumber: t.bigint().notNull(),
  transactionHash: t.hex().notNull(),
  timestamp: t.bigint().notNull(),
}));

/** The current value of each governance setting of the market and the registry, from its last event: FeeSet,
 *  TreasurySet, WindowsSet, CollateralSet, SampleRateSet, PaymentTokenSet (per token), JobMarketBound,
 *  TierMinimumStakeChanged (per tier), UnbondingDelayChanged. */
export const setting = onchainTable("setting", (t) => ({
  /** The event's name, and its key for per-token or per-tier settings (`PaymentTokenSet:0x…`, `TierMinimumStakeChanged:1`). */
  id: t.text().primaryKey(),
  /** The event's arguments, integers as decimal strings. */
  value: t.json().$type<Record<string, string | number | boolean>>().notNull(),
  blockNumber: t.bigint().notNull(),
  transactionHash: t.hex().notNull(),
  timestamp: t.bigint().notNull(),
}));
