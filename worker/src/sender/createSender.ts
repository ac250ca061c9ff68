/**
 * Sends the worker's transactions from one key: simulate first (nothing is sent, and no gas burned, for a call that
 * would revert), one persisted nonce sequence, EIP-1559 fees from the chain under a cap, receipts awaited, stuck
 * transactions replaced (same nonce, fees +12.5 % or more), and at most one mined transaction per intent.
 *
 * API:
 *   createSender(parameters): Sender
 *     sender.send({ intent, address, abi, functionName, args?, value? }): Promise<SendReturnType>
 *        intent is the idempotency key, e.g. `job:7:claim`. If a transaction for it was already mined (this run or an
 *        earlier one, per the store) it is returned with `alreadyDone: true` and nothing is sent; if one is pending it
 *        is awaited (and replaced if stuck) instead of sending another. Throws SimulationRevertedError (nothing sent),
 *        TxRevertedError, TxTimeoutError (tx stays tracked: call send again with the same intent to keep waiting).
 *     sender.simulate({ address, abi, functionName, args?, value? }): Promise<unknown>   the return value, or throws
 *        SimulationRevertedError naming the custom error, e.g. `JobNotOpen(jobId=7)`
 *     sender.resync(): Promise<number>   next nonce := the chain's `pending` count, or past the highest nonce this
 *        sender signed at if that is higher (also done on start and on "nonce too low")
 *     sender.resume(): Promise<ResumeReturnType>   after a restart: re-broadcasts every transaction it still owes
 *        (lowest nonce first), fills every nonce gap below them, and returns; the owed transactions settle in the
 *        background (a later `send` of the same intent joins that wait)
 *     sender.health(): SenderHealth   the oldest unmined nonce and its age, the gaps seen, and whether it is stuck
 *     sender.address
 *
 * One Sender per key per process. The signed raw transaction is stored, together with the nonce it takes, before it
 * is broadcast, so a crash at any point loses nothing: `resume`/`send` re-broadcast it and wait.
 *
 * Nonces, and how the sender gets out of every stranded state:
 * - "Nonce taken" is concluded only from reads against one block (findNonceUser): a transaction that is not ours
 *   mined at our nonce, `takenConfirmations` deep. A nonce mined by a transaction of ours (a receipt the node answering
 *   has not seen yet, a reorg in the middle of the reads) is waited for, never given up.
 * - A gap (a nonce below one we owe, with nothing of ours in flight at it) strands every later transaction. Whenever
 *   one persists for `gapRepairAfterMs`, the sender fills it at the chain's nonce: with the transaction of ours that
 *   was mined there and then reorged out (same call, re-signed, so its intent still lands at most once), else with a
 *   zero-value transfer to itself, which lets the transactions above it be mined. `resume` fills gaps at once.
 * - A transaction dropped from the pool, or whose replacement is refused as underpriced, is re-broadcast (and
 *   replaced at higher fees) while it is waited for.
 */
import type { Logger } from "pino";
import {
  type Abi,
  type Address,
  type Chain,
  type Client,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionParameters,
  encodeFunctionData,
  formatEther,
  type Hash,
  type Hex,
  keccak256,
  type LocalAccount,
  parseTransaction,
  type TransactionReceipt,
  type Transport,
} from "viem";
import {
  estimateFeesPerGas,
  estimateGas,
  getBalance,
  getTransactionCount,
  getTransactionReceipt,
  sendRawTransaction,
  simulateContract,
} from "viem/actions";
import type { Store, TxRecord } from "../store/openStore.ts";
import { cachedRead } from "../chain/cachedRead.ts";
import { decodeRevert } from "./decodeRevert.ts";
import { findNonceUser } from "./findNonceUser.ts";
import { nonceGaps } from "./nonceGaps.ts";
import {
  NonceTakenError,
  SenderError,
  SimulationRevertedError,
  TxRevertedError,
  TxTimeoutError,
} from "./SenderError.ts";

/** What a transaction may call: functions that write (a view function is read, never sent). */
export type WriteMutability = "nonpayable" | "payable";
/** The names of an ABI's writing functions, and one function's arguments (viem's types). */
export type WriteName<abi extends Abi> = ContractFunctionName<abi, WriteMutability>;
export type WriteArgs<abi extends Abi, functionName extends WriteName<abi>> = ContractFunctionArgs<
  abi,
  WriteMutability,
  functionName
>;
/**
 * A contract write under its intent. With an `as const` ABI the compiler checks `functionName` against the ABI's
 * writing functions and `args` against that function's inputs (viem's own parameter types); with an ABI typed only
 * as `Abi`, anything goes.
 */
export type SendParameters<
  abi extends Abi = Abi,
  functionName extends WriteName<abi> = WriteName<abi>,
  args extends WriteArgs<abi, functionName> = WriteArgs<abi, functionName>,
> = ContractFunctionParameters<abi, WriteMutability, functionName, args> & {
  intent: string;
  address: Address;
  value?: bigint | undefined;
};
/** A call as the sender handles it once the compiler has checked it: encoded, simulated and recorded by name. */
export type SentCall = {
  intent: string;
  address: Address;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[] | undefined;
  value?: bigint | undefined;
};

/** The checked call as the sender's untyped inside takes it (viem's encoder and simulator check it again at run time). */
export function sentCall<
  const abi extends Abi,
  functionName extends WriteName<abi>,
  const args extends WriteArgs<abi, functionName>,
>(p: SendParameters<abi, functionName, args>): SentCall {
  return {
    intent: p.intent,
    address: p.address,
    abi: p.abi,
    functionName: p.functionName,
    args: p.args as readonly unknown[] | undefined,
    value: p.value,
  };
}
export type SendReturnType = {
  hash: Hash;
  receipt: TransactionReceipt;
  nonce: number;
  /** How many replacements were sent (0 when the first transaction was mined). */
  replacements: number;
  /** True when the intent's transaction had been mined before this call; nothing was sent. */
  alreadyDone: boolean;
};
export type SendErrorType = SimulationRevertedError | TxRevertedError | TxTimeoutError | NonceTakenError | SenderError;

export type SentEvent = {
  intent: string;
  hash: Hash;
  nonce: number;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  replacement: boolean;
};

export type CreateSenderParameters = {
  client: Client<Transport, Chain>;
  account: LocalAccount;
  store: Store;
  /** Hard caps (wei). */
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  /** Replace a transaction not mined after this long. Default 60 s. */
  replaceAfterMs?: number | undefined;
  /** Give up waiting after this long. Default 10 min. */
  receiptTimeoutMs?: number | undefined;
  /** Receipt polling. Default 1 s. */
  pollIntervalMs?: number | undefined;
  /** Gas limit = estimate × (1 + gasMargin). Default 0.2. */
  gasMargin?: number | undefined;
  logger?: Pick<Logger, "debug" | "info" | "warn" | "error"> | undefined;
  onSent?: ((event: SentEvent) => void) | undefined;
  onMined?: ((event: { intent: string; receipt: TransactionReceipt }) => void) | undefined;
  /** A nonce gap is filled once it has persisted this long. Default 10 s. */
  gapRepairAfterMs?: number | undefined;
  /** A foreign transaction must be this many blocks deep at our nonce before it is taken as used by another. Default 2. */
  takenConfirmations?: number | undefined;
  /** health() reports stuck when the oldest unmined transaction is older than this. Default 3 × replaceAfterMs. */
  stuckAfterMs?: number | undefined;
  /**
   * Called at each step of a new transaction (signed → recorded in the store → broadcast) and awaited: failure
   * injection for the restart tests (the worker maps OCTO_TEST_KILL_AT to a SIGKILL there). Nothing else uses it.
   */
  onStep?: ((step: SendStep, intent: string) => void | Promise<void>) | undefined;
};
export type SendStep = "signed" | "recorded" | "broadcast";
export type ResumeReturnType = {
  /** Intents whose transactions were still unmined at the restart; they settle in the background. */
  owed: string[];
  /** Nonces that had no transaction of ours in flight below owed ones, now filled. */
  filled: number[];
};
export type SenderHealth = {
  /** Unmined transactions (counting each nonce once). */
  pending: number;
  oldestUnminedNonce: number | null;
  /** Age of the first transaction signed at the oldest unmined nonce. */
  oldestUnminedAgeMs: number | null;
  /** Gaps seen at the last check, not yet filled. */
  gaps: number[];
  stuck: boolean;
};
export type Sender = ReturnType<typeof createSender>;
export type CreateSenderReturnType = Sender;

/** Replacement fees: at least +12.5 % on both fields (nodes need ≥ 10 %), or the market if higher, under the caps. */
export function bumpFees(
  previous: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
  market: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
  caps: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
): { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint; capped: boolean } {
  const bump = (v: bigint) => (v * 1125n + 999n) / 1000n + 1n;
  const max = (a: bigint, b: bigint) => (a > b ? a : b);
  let maxPriorityFeePerGas = max(bump(previous.maxPriorityFeePerGas), market.maxPriorityFeePerGas);
  let maxFeePerGas = max(bump(previous.maxFeePerGas), market.maxFeePerGas);
  let capped = false;
  if (maxPriorityFeePerGas > caps.maxPriorityFeePerGas)
    [maxPriorityFeePerGas, capped] = [caps.maxPriorityFeePerGas, true];
  if (maxFeePerGas > caps.maxFeePerGas) [maxFeePerGas, capped] = [caps.maxFeePerGas, true];
  if (maxPriorityFeePerGas > maxFeePerGas) maxPriorityFeePerGas = maxFeePerGas;
  return { maxFeePerGas, maxPriorityFeePerGas, capped };
}

const NONCE_TOO_LOW = /nonce too low|nonce has already been used|replacement transaction underpriced|OldNonce/i;
const NOT_AFFORDABLE = /insufficient funds|gas required exceeds|intrinsic gas/i;
/** A zero-value transfer to oneself: what fills a nonce gap when no call of ours belongs there. */
const FILL_GAS = 21_000n;

export function createSender(parameters: CreateSenderParameters) {
  const { client, account, store, logger, onSent, onMined, onStep } = parameters;
  const caps = { maxFeePerGas: parameters.maxFeePerGas, maxPriorityFeePerGas: parameters.maxPriorityFeePerGas };
  const replaceAfterMs = parameters.replaceAfterMs ?? 60_000;
  const receiptTimeoutMs = parameters.receiptTimeoutMs ?? 600_000;
  const pollIntervalMs = parameters.pollIntervalMs ?? 1_000;
  const gapRepairAfterMs = parameters.gapRepairAfterMs ?? 10_000;
  const takenConfirmations = BigInt(parameters.takenConfirmations ?? 2);
  const stuckAfterMs = parameters.stuckAfterMs ?? 3 * replaceAfterMs;
  const gasMargin = BigInt(Math.round((parameters.gasMargin ?? 0.2) * 1000));
  const address = account.address;
  const inFlight = new Map<string, Promise<SendReturnType>>();
  let nextNonce: number | null = null;
  let lock: Promise<unknown> = Promise.resolve();
  /** When the current gap was first seen (null: none), and the gaps of the last check. */
  let gapSince: number | null = null;
  let lastGaps: number[] = [];

  /** Serialises nonce use: allocation, signing, recording and broadcasting happen one send at a time. */
  function withNonceLock<T>(fn: () => Promise<T>): Promise<T> {
    const run = lock.then(fn, fn);
    lock = run.catch(() => undefined);
    return run;
  }

  /** One wait per intent: a second send (or a fill, or resume) of an intent already waited for joins that wait. */
  function track(intent: string, wait: () => Promise<SendReturnType>): Promise<SendReturnType> {
    const running = inFlight.get(intent);
    if (running) return running;
    const promise = wait().finally(() => inFlight.delete(intent));
    inFlight.set(intent, promise);
    return promise;
  }

  /**
   * The next nonce: the chain's `pending` count (our own transactions in the pool and any other user's of the key),
   * or past the highest nonce this sender signed at and did not drop, if higher (a transaction of ours the node lost).
   */
  async function resync(): Promise<number> {
    const pending = await getTransactionCount(client, { address, blockTag: "pending" });
    const signed = store.highestNonce(address);
    nextNonce = Math.max(pending, signed === undefined ? 0 : signed + 1);
    store.setNextNonce(address, nextNonce);
    logger?.info({ account: address, nonce: nextNonce }, "sender: nonce resynced from chain");
    return nextNonce;
  }

  async function ensureNonce(): Promise<number> {
    return nextNonce ?? resync();
  }

  // Fees move per block: the sends of a burst (claims, then results) share one read a second, not two calls each. A
  // transaction that waits too long at these fees is replaced at bumped ones (see waitFor).
  const marketFees = cachedRead(1_000, readMarketFees);

  async function readMarketFees() {
    const fees = await estimateFeesPerGas(client, { type: "eip1559" });
    const maxPriorityFeePerGas =
      fees.maxPriorityFeePerGas < caps.maxPriorityFeePerGas ? fees.maxPriorityFeePerGas : caps.maxPriorityFeePerGas;
    const maxFeePerGas = fees.maxFeePerGas < caps.maxFeePerGas ? fees.maxFeePerGas : caps.maxFeePerGas;
    return {
      maxFeePerGas,
      maxPriorityFeePerGas: maxPriorityFeePerGas > maxFeePerGas ? maxFeePerGas : maxPriorityFeePerGas,
    };
  }

  async function simulate(call: Omit<SentCall, "intent">): Promise<unknown> {
    try {
      const { result } = await simulateContract(client, {
        account,
        address: call.address,
        abi: call.abi,
        functionName: call.functionName,
        args: call.args ?? [],
        value: call.value,
      } as Parameters<typeof simulateContract>[1]);
      return result;
    } catch (error) {
      const revert = decodeRevert(error);
      if (!revert) throw error;
      throw new SimulationRevertedError({ functionName: call.functionName, ...revert, cause: error });
    }
  }

  type UnsignedTx = {
    to: Address;
    data: Hex;
    value: bigint;
    gas: bigint;
    nonce: number;
    maxFeePerGas: bigint;
    maxPriorityFeePerGas: bigint;
  };

  /**
   * Signs, records (with the nonce it takes, in one store transaction) and only then broadcasts: a crash at any step
   * leaves either nothing (the nonce is still free) or a recorded transaction that resume re-broadcasts.
   */
  async function signRecordBroadcast(intent: string, tx: UnsignedTx, replacement: boolean): Promise<Hash> {
    const raw = await account.signTransaction({ chainId: client.chain.id, type: "eip1559", ...tx });
    const hash = keccak256(raw);
    await onStep?.("signed", intent);
    store.transaction(() => {
      store.recordTx({
        hash,
        intent,
        account: address,
        nonce: tx.nonce,
        maxFeePerGas: tx.maxFeePerGas,
        maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
        raw,
      });
      if (tx.nonce >= (store.getNextNonce(address) ?? 0)) store.setNextNonce(address, tx.nonce + 1);
    });
    await onStep?.("recorded", intent);
    await sendRawTransaction(client, { serializedTransaction: raw });
    await onStep?.("broadcast", intent);
    logger?.info(
      { intent, hash, nonce: tx.nonce, maxFeePerGas: tx.maxFeePerGas, replacement },
      "sender: transaction sent",
    );
    onSent?.({
      intent,
      hash,
      nonce: tx.nonce,
      maxFeePerGas: tx.maxFeePerGas,
      maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
      replacement,
    });
    return hash;
  }

  /** Why a transaction cannot be paid for, in words: the account, what it holds and what the transaction may cost. */
  async function unaffordable(intent: string, tx: UnsignedTx, error: unknown): Promise<SenderError> {
    const need = tx.gas * tx.maxFeePerGas + tx.value;
    const balance = await getBalance(client, { address }).catch(() => null);
    const held = balance === null ? "an unknown balance" : `${formatEther(balance)}`;
    return new SenderError(
      `Could not send ${intent}: ${address} holds ${held} of the chain's native token and this transaction may cost up to ${formatEther(need)} (gas ${tx.gas} at up to ${tx.maxFeePerGas} wei). Fund the account and retry.`,
      { cause: error },
    );
  }

  async function sendNew(p: SentCall): Promise<{ hash: Hash; nonce: number }> {
    const data = encodeFunctionData({ abi: p.abi, functionName: p.functionName, args: p.args ?? [] });
    const value = p.value ?? 0n;
    // The simulation, the gas estimate and the fees are independent reads: asked together they take the time of two
    // round trips to the node instead of four in a row (a claim sits on its job's critical path). Nothing is signed or
    // sent unless the simulation and the estimate passed.
    const feesAhead = marketFees();
    feesAhead.catch(() => undefined); // awaited below unless the simulation fails first
    // Both are awaited before either failure is reported, so a call that reverts always fails with the simulation's
    // named error, whichever of the two answers first (an estimate's revert does not always carry the revert data).
    const [simulated, estimated] = await Promise.allSettled([
      simulate(p),
      estimateGas(client, { account, to: p.address, data, value }),
    ]);
    if (simulated.status === "rejected") throw simulated.reason;
    if (estimated.status === "rejected") {
      const revert = decodeRevert(estimated.reason);
      if (revert)
        throw new SimulationRevertedError({ functionName: p.functionName, ...revert, cause: estimated.reason });
      throw estimated.reason;
    }
    const estimate = estimated.value;
    const gas = estimate + (estimate * gasMargin) / 1000n;
    return withNonceLock(async () => {
      for (let attempt = 0; ; attempt++) {
        const nonce = await ensureNonce();
        const fees = attempt === 0 ? await feesAhead : await marketFees();
        const tx = { to: p.address, data, value, gas, nonce, ...fees };
        try {
          nextNonce = nonce + 1;
          const hash = await signRecordBroadcast(p.intent, tx, false);
          return { hash, nonce };
        } catch (error) {
          const message = String((error as Error)?.message ?? error);
          const recorded = store.txsForIntent(p.intent).find((t) => t.nonce === nonce && t.status === "pending");
          if (NONCE_TOO_LOW.test(message) && attempt < 3) {
            // The node has this nonce already (another user of the key): never broadcast, so dropped; take the next.
            if (recorded) store.setTxStatus(recorded.hash, "dropped");
            await resync();
            continue;
          }
          if (NOT_AFFORDABLE.test(message)) {
            // Not broadcast: give the nonce back.
            if (recorded) store.setTxStatus(recorded.hash, "dropped");
            nextNonce = nonce;
            store.setNextNonce(address, nonce);
            throw await unaffordable(p.intent, tx, error);
          }
          // Unknown outcome (the node may have it): the tx is recorded; waiting re-broadcasts it.
          logger?.warn(
            { err: error, intent: p.intent, nonce },
            "sender: broadcast failed; will re-broadcast while waiting",
          );
          if (recorded) return { hash: recorded.hash as Hash, nonce };
          nextNonce = nonce; // never recorded: the nonce is still free
          throw error;
        }
      }
    });
  }

  /** The receipt; null when the node answering has none; undefined when it could not be asked (no conclusion). */
  async function receiptOf(hash: Hash): Promise<TransactionReceipt | null | undefined> {
    try {
      return await getTransactionReceipt(client, { hash });
    } catch (error) {
      if ((error as Error)?.name === "TransactionReceiptNotFoundError") return null;
      return undefined;
    }
  }

  // The account's mined count, as every wait in progress and the gap check read it: one read per poll interval for
  // all of them, not one each. (Decisions that act on it, fillGaps and findNonceUser, read the chain afresh.)
  const minedCount = cachedRead(pollIntervalMs, () => getTransactionCount(client, { address, blockTag: "latest" }));

  // Gap checks are shared by every wait in progress, like the count they read.
  const checkGaps = cachedRead(pollIntervalMs, async () => {
    const mined = await minedCount();
    lastGaps = nonceGaps({ mined, owed: store.pendingTxs(address).map((t) => t.nonce) });
    if (lastGaps.length === 0) {
      gapSince = null;
      return;
    }
    gapSince ??= Date.now();
    if (Date.now() - gapSince < gapRepairAfterMs) return;
    logger?.warn({ account: address, mined, gaps: lastGaps }, "sender: nonce gap below owed transactions; filling it");
    await withNonceLock(fillGaps);
    gapSince = null;
  });

  /** Fills every gap below the nonces we owe (under the nonce lock, re-read there). Returns the nonces filled. */
  async function fillGaps(): Promise<number[]> {
    const mined = await getTransactionCount(client, { address, blockTag: "latest" });
    const gaps = nonceGaps({ mined, owed: store.pendingTxs(address).map((t) => t.nonce) });
    for (const nonce of gaps) await fillNonce(nonce);
    lastGaps = [];
    return gaps;
  }

  /**
   * Puts a transaction at a nonce that has none of ours in flight: the call of ours that was mined there and reorged
   * out, re-signed (its intent has nothing in flight elsewhere, so it still lands at most once), or else a zero-value
   * transfer to ourselves. Fees beat whatever we signed at that nonce before, so a node that still holds an old one
   * takes the new one as its replacement.
   */
  async function fillNonce(nonce: number): Promise<void> {
    const before = store.txsAtNonce(address, nonce);
    const market = await marketFees();
    const highest = before.reduce<TxRecord | undefined>(
      (a, t) => (!a || t.maxFeePerGas > a.maxFeePerGas ? t : a),
      undefined,
    );
    const fees = highest ? bumpFees(highest, market, caps) : market;
    const reorged = before.filter((t) => t.status === "mined").at(-1);
    const resend =
      reorged && !store.txsForIntent(reorged.intent).some((t) => t.status === "pending" && t.nonce !== nonce);
    const intent = resend ? reorged.intent : `nonce:${nonce}:fill`;
    const call = resend
      ? (() => {
          const original = parseTransaction(reorged.raw as Hex);
          return {
            to: original.to as Address,
            data: (original.data ?? "0x") as Hex,
            value: original.value ?? 0n,
            gas: original.gas as bigint,
          };
        })()
      : { to: address, data: "0x" as Hex, value: 0n, gas: FILL_GAS };
    if (resend)
      for (const t of before) if (t.intent === intent && t.status === "mined") store.setTxStatus(t.hash, "pending");
    try {
      await signRecordBroadcast(
        intent,
        { ...call, nonce, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas },
        before.length > 0,
      );
    } catch (error) {
      // Recorded before the broadcast: the wait below re-broadcasts it.
      logger?.warn(
        { err: error, intent, nonce },
        "sender: broadcast of a gap fill failed; will re-broadcast while waiting",
      );
    }
    settleInBackground(intent, nonce);
  }

  function settleInBackground(intent: string, nonce: number): void {
    track(intent, () => waitFor(intent, nonce)).catch((error: unknown) => {
      logger?.warn({ err: error, intent, nonce }, "sender: a transaction owed since before settled without success");
    });
  }

  /**
   * Who used a nonce we wait at, when the chain's count has passed it and none of our receipts is in: 'ours' (keep
   * waiting: the receipt comes), 'superseded' (another transaction of ours took it: this intent never ran), 'taken'
   * (someone else's, deep enough), or 'unsure' (ask again later).
   */
  async function nonceUser(intent: string, nonce: number): Promise<"ours" | "superseded" | "taken" | "unsure"> {
    const user = await findNonceUser(client, { address, nonce });
    if (user.kind === "deep") return "taken"; // our own receipt would be visible by now
    if (user.kind !== "mined") return "unsure";
    const ours = store.txsAtNonce(address, nonce).find((t) => t.hash.toLowerCase() === user.hash.toLowerCase());
    if (ours) return ours.intent === intent ? "ours" : "superseded";
    return user.confirmations >= takenConfirmations ? "taken" : "unsure";
  }

  /** Waits for one of the intent's transactions (all share a nonce) to be mined, replacing it when stuck. */
  async function waitFor(intent: string, nonce: number): Promise<SendReturnType> {
    const started = Date.now();
    let lastSentAt = Date.now();
    let warnedCap = false;
    for (;;) {
      const txs = store.txsForIntent(intent).filter((t) => t.nonce === nonce && t.status !== "dropped");
      const receipts = await Promise.all(
        [...txs].reverse().map(async (tx) => ({ tx, receipt: await receiptOf(tx.hash as Hash) })),
      );
      const mined = receipts.find((r) => r.receipt);
      if (mined?.receipt) {
        const { tx, receipt } = mined;
        store.transaction(() => {
          store.setTxStatus(tx.hash, receipt.status === "success" ? "mined" : "reverted", receipt);
          for (const other of txs) if (other.hash !== tx.hash) store.setTxStatus(other.hash, "replaced");
        });
        if (receipt.status !== "success") throw new TxRevertedError({ hash: tx.hash as Hash, intent });
        onMined?.({ intent, receipt });
        return { hash: tx.hash as Hash, receipt, nonce, replacements: txs.length - 1, alreadyDone: false };
      }
      await checkGaps().catch((error: unknown) => logger?.debug({ err: error }, "sender: gap check failed"));
      const count = await minedCount().catch(() => null);
      // Only when every receipt was asked and none came back may the nonce's user be looked for.
      if (count !== null && count > nonce && receipts.every((r) => r.receipt === null)) {
        const user = await nonceUser(intent, nonce);
        if (user === "superseded" || user === "taken") {
          store.transaction(() => {
            for (const t of txs) store.setTxStatus(t.hash, "dropped");
          });
          const by = user === "taken" ? "a transaction this worker did not send" : "another transaction of this worker";
          throw new NonceTakenError(
            `Nonce ${nonce} of ${address} was used by ${by} (${intent}); nothing of ${intent} was mined`,
          );
        }
      }
      if (Date.now() - started > receiptTimeoutMs)
        throw new TxTimeoutError({ hashes: txs.map((t) => t.hash as Hash), intent, timeoutMs: receiptTimeoutMs });
      const latest = txs.at(-1);
      if (latest && Date.now() - lastSentAt > replaceAfterMs && (count === null || count <= nonce)) {
        lastSentAt = Date.now();
        await replace(intent, latest).then(
          (sent) => {
            if (!sent && !warnedCap) {
              warnedCap = true;
              logger?.warn({ intent, nonce, caps }, "sender: stuck transaction at the fee cap; waiting");
            }
          },
          async (error: unknown) => {
            logger?.warn({ err: error, intent, nonce }, "sender: replacement failed; re-broadcasting the last one");
            await sendRawTransaction(client, { serializedTransaction: latest.raw as Hex }).catch(() => undefined);
          },
        );
        continue;
      }
      await sleep(pollIntervalMs);
    }
  }

  /** Re-signs the same call with the same nonce and higher fees. Returns false at the fee cap. */
  async function replace(intent: string, previous: TxRecord): Promise<boolean> {
    const market = await marketFees();
    const fees = bumpFees(previous, market, caps);
    if (fees.maxFeePerGas <= previous.maxFeePerGas || fees.maxPriorityFeePerGas <= previous.maxPriorityFeePerGas) {
      await sendRawTransaction(client, { serializedTransaction: previous.raw as Hex }).catch(() => undefined);
      return false;
    }
    const original = parseTransaction(previous.raw as Hex);
    await signRecordBroadcast(
      intent,
      {
        to: original.to as Address,
        data: (original.data ?? "0x") as Hex,
        value: original.value ?? 0n,
        gas: original.gas as bigint,
        nonce: previous.nonce,
        maxFeePerGas: fees.maxFeePerGas,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      },
      true,
    );
    return true;
  }

  async function sendOnce(p: SentCall): Promise<SendReturnType> {
    const existing = store.txsForIntent(p.intent);
    const done = existing.find((t) => t.status === "mined");
    if (done) {
      const receipt = await receiptOf(done.hash as Hash);
      if (receipt) return { hash: done.hash as Hash, receipt, nonce: done.nonce, replacements: 0, alreadyDone: true };
      // Mined once, gone now: a reorg put it back in the pool (or dropped it). Wait on that nonce again, never a new one.
      logger?.warn(
        { intent: p.intent, hash: done.hash },
        "sender: mined transaction no longer on chain (reorg); re-sending it",
      );
      for (const t of existing)
        if (t.nonce === done.nonce && t.status !== "dropped") store.setTxStatus(t.hash, "pending");
      await sendRawTransaction(client, { serializedTransaction: done.raw as Hex }).catch(() => undefined);
      return waitFor(p.intent, done.nonce);
    }
    const pending = existing.filter((t) => t.status === "pending");
    if (pending.length > 0) {
      const nonce = (pending.at(-1) as TxRecord).nonce;
      await sendRawTransaction(client, { serializedTransaction: (pending.at(-1) as TxRecord).raw as Hex }).catch(
        () => undefined,
      );
      return waitFor(p.intent, nonce);
    }
    const { nonce } = await sendNew(p);
    return waitFor(p.intent, nonce);
  }

  return {
    address,
    simulate,
    resync,
    send<const abi extends Abi, functionName extends WriteName<abi>, const args extends WriteArgs<abi, functionName>>(
      p: SendParameters<abi, functionName, args>,
    ): Promise<SendReturnType> {
      const call = sentCall(p);
      return track(call.intent, () => sendOnce(call));
    },
    /**
     * After a restart: what this key still owes is found in the store, re-broadcast lowest nonce first (a transaction
     * recorded but never broadcast goes out now), and every gap below it is filled, before anything new is sent. The
     * owed transactions then settle in the background, so the worker can serve while they do.
     */
    async resume(): Promise<ResumeReturnType> {
      const { owed, filled } = await withNonceLock(async () => {
        await resync();
        const mined = await getTransactionCount(client, { address, blockTag: "latest" });
        const pending = store.pendingTxs(address);
        const lastAtNonce = new Map<number, TxRecord>();
        for (const t of pending) lastAtNonce.set(t.nonce, t);
        for (const [nonce, t] of [...lastAtNonce].sort(([a], [b]) => a - b)) {
          if (nonce >= mined)
            await sendRawTransaction(client, { serializedTransaction: t.raw as Hex }).catch(() => undefined);
        }
        const owedIntents = [...new Map(pending.map((t) => [t.intent, t.nonce])).entries()];
        return { owed: owedIntents, filled: await fillGaps() };
      });
      for (const [intent, nonce] of owed) settleInBackground(intent, nonce);
      if (owed.length > 0 || filled.length > 0)
        logger?.info({ owed: owed.map(([i]) => i), filled }, "sender: resumed owed transactions");
      return { owed: owed.map(([intent]) => intent), filled };
    },
    health(): SenderHealth {
      const pending = store.pendingTxs(address);
      const oldest = pending[0];
      const firstAtOldest = oldest
        ? pending
            .filter((t) => t.nonce === oldest.nonce)
            .reduce((a, t) => Math.min(a, t.createdAt), Number.POSITIVE_INFINITY)
        : null;
      const oldestUnminedAgeMs = firstAtOldest === null ? null : Date.now() - firstAtOldest;
      const gapStuck = gapSince !== null && Date.now() - gapSince > 2 * gapRepairAfterMs;
      return {
        pending: new Set(pending.map((t) => t.nonce)).size,
        oldestUnminedNonce: oldest?.nonce ?? null,
        oldestUnminedAgeMs,
        gaps: [...lastGaps],
        stuck: gapStuck || (oldestUnminedAgeMs !== null && oldestUnminedAgeMs > stuckAfterMs),
      };
    },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
