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
 *     sender.resync(): Promise<number>   next nonce := the chain's `pending` count (also done on start and on
 *        "nonce too low")
 *     sender.resume(): Promise<SendReturnType[]>   after a restart: waits for (and replaces if stuck) every pending tx
 *     sender.address
 *
 * One Sender per key per process. The signed raw transaction is stored before it is broadcast, so a crash right after
 * broadcasting loses nothing: `resume`/`send` re-broadcast it and wait.
 */
import type { Logger } from 'pino'
import {
  type Abi,
  type Address,
  type Chain,
  type Client,
  encodeFunctionData,
  type Hash,
  type Hex,
  keccak256,
  type LocalAccount,
  parseTransaction,
  type TransactionReceipt,
  type Transport,
} from 'viem'
import {
  estimateFeesPerGas,
  estimateGas,
  getTransactionCount,
  getTransactionReceipt,
  sendRawTransaction,
  simulateContract,
} from 'viem/actions'
import type { Store, TxRecord } from '../store/openStore.ts'
import { cachedRead } from '../chain/cachedRead.ts'
import { decodeRevert } from './decodeRevert.ts'
import { NonceTakenError, SenderError, SimulationRevertedError, TxRevertedError, TxTimeoutError } from './SenderError.ts'

export type ContractCall = {
  address: Address
  abi: Abi
  functionName: string
  args?: readonly unknown[] | undefined
  value?: bigint | undefined
}
export type SendParameters = ContractCall & { intent: string }
export type SendReturnType = {
  hash: Hash
  receipt: TransactionReceipt
  nonce: number
  /** How many replacements were sent (0 when the first transaction was mined). */
  replacements: number
  /** True when the intent's transaction had been mined before this call; nothing was sent. */
  alreadyDone: boolean
}
export type SendErrorType = SimulationRevertedError | TxRevertedError | TxTimeoutError | NonceTakenError | SenderError

export type SentEvent = { intent: string; hash: Hash; nonce: number; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint; replacement: boolean }

export type CreateSenderParameters = {
  client: Client<Transport, Chain>
  account: LocalAccount
  store: Store
  /** Hard caps (wei). */
  maxFeePerGas: bigint
  maxPriorityFeePerGas: bigint
  /** Replace a transaction not mined after this long. Default 60 s. */
  replaceAfterMs?: number | undefined
  /** Give up waiting after this long. Default 10 min. */
  receiptTimeoutMs?: number | undefined
  /** Receipt polling. Default 1 s. */
  pollIntervalMs?: number | undefined
  /** Gas limit = estimate × (1 + gasMargin). Default 0.2. */
  gasMargin?: number | undefined
  logger?: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'> | undefined
  onSent?: ((event: SentEvent) => void) | undefined
  onMined?: ((event: { intent: string; receipt: TransactionReceipt }) => void) | undefined
}
export type Sender = ReturnType<typeof createSender>
export type CreateSenderReturnType = Sender

/** Replacement fees: at least +12.5 % on both fields (nodes need ≥ 10 %), or the market if higher, under the caps. */
export function bumpFees(
  previous: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
  market: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
  caps: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
): { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint; capped: boolean } {
  const bump = (v: bigint) => (v * 1125n + 999n) / 1000n + 1n
  const max = (a: bigint, b: bigint) => (a > b ? a : b)
  let maxPriorityFeePerGas = max(bump(previous.maxPriorityFeePerGas), market.maxPriorityFeePerGas)
  let maxFeePerGas = max(bump(previous.maxFeePerGas), market.maxFeePerGas)
  let capped = false
  if (maxPriorityFeePerGas > caps.maxPriorityFeePerGas) [maxPriorityFeePerGas, capped] = [caps.maxPriorityFeePerGas, true]
  if (maxFeePerGas > caps.maxFeePerGas) [maxFeePerGas, capped] = [caps.maxFeePerGas, true]
  if (maxPriorityFeePerGas > maxFeePerGas) maxPriorityFeePerGas = maxFeePerGas
  return { maxFeePerGas, maxPriorityFeePerGas, capped }
}

const NONCE_TOO_LOW = /nonce too low|nonce has already been used|replacement transaction underpriced|OldNonce/i

export function createSender(parameters: CreateSenderParameters) {
  const { client, account, store, logger, onSent, onMined } = parameters
  const caps = { maxFeePerGas: parameters.maxFeePerGas, maxPriorityFeePerGas: parameters.maxPriorityFeePerGas }
  const replaceAfterMs = parameters.replaceAfterMs ?? 60_000
  const receiptTimeoutMs = parameters.receiptTimeoutMs ?? 600_000
  const pollIntervalMs = parameters.pollIntervalMs ?? 1_000
  const gasMargin = BigInt(Math.round((parameters.gasMargin ?? 0.2) * 1000))
  const address = account.address
  const inFlight = new Map<string, Promise<SendReturnType>>()
  let nextNonce: number | null = null
  let lock: Promise<unknown> = Promise.resolve()

  /** Serialises nonce use: allocation, signing, recording and broadcasting happen one send at a time. */
  function withNonceLock<T>(fn: () => Promise<T>): Promise<T> {
    const run = lock.then(fn, fn)
    lock = run.catch(() => undefined)
    return run
  }

  async function resync(): Promise<number> {
    const pending = await getTransactionCount(client, { address, blockTag: 'pending' })
    nextNonce = pending
    store.setNextNonce(address, pending)
    logger?.info({ account: address, nonce: pending }, 'sender: nonce resynced from chain')
    return pending
  }

  async function ensureNonce(): Promise<number> {
    if (nextNonce === null) {
      const chain = await getTransactionCount(client, { address, blockTag: 'pending' })
      nextNonce = Math.max(chain, store.getNextNonce(address) ?? 0)
      store.setNextNonce(address, nextNonce)
    }
    return nextNonce
  }

  // Fees move per block: the sends of a burst (claims, then results) share one read a second, not two calls each. A
  // transaction that waits too long at these fees is replaced at bumped ones (see waitFor).
  const marketFees = cachedRead(1_000, readMarketFees)

  async function readMarketFees() {
    const fees = await estimateFeesPerGas(client, { type: 'eip1559' })
    const maxPriorityFeePerGas = fees.maxPriorityFeePerGas < caps.maxPriorityFeePerGas ? fees.maxPriorityFeePerGas : caps.maxPriorityFeePerGas
    const maxFeePerGas = fees.maxFeePerGas < caps.maxFeePerGas ? fees.maxFeePerGas : caps.maxFeePerGas
    return { maxFeePerGas, maxPriorityFeePerGas: maxPriorityFeePerGas > maxFeePerGas ? maxFeePerGas : maxPriorityFeePerGas }
  }

  async function simulate(call: ContractCall): Promise<unknown> {
    try {
      const { result } = await simulateContract(client, {
        account,
        address: call.address,
        abi: call.abi,
        functionName: call.functionName,
        args: call.args ?? [],
        value: call.value,
      } as Parameters<typeof simulateContract>[1])
      return result
    } catch (error) {
      const revert = decodeRevert(error)
      if (!revert) throw error
      throw new SimulationRevertedError({ functionName: call.functionName, ...revert, cause: error })
    }
  }

  async function signAndBroadcast(
    intent: string,
    tx: { to: Address; data: Hex; value: bigint; gas: bigint; nonce: number; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
    replacement: boolean,
  ): Promise<Hash> {
    const raw = await account.signTransaction({ chainId: client.chain.id, type: 'eip1559', ...tx })
    const hash = keccak256(raw)
    store.recordTx({ hash, intent, account: address, nonce: tx.nonce, maxFeePerGas: tx.maxFeePerGas, maxPriorityFeePerGas: tx.maxPriorityFeePerGas, raw })
    await sendRawTransaction(client, { serializedTransaction: raw })
    logger?.info({ intent, hash, nonce: tx.nonce, maxFeePerGas: tx.maxFeePerGas, replacement }, 'sender: transaction sent')
    onSent?.({ intent, hash, nonce: tx.nonce, maxFeePerGas: tx.maxFeePerGas, maxPriorityFeePerGas: tx.maxPriorityFeePerGas, replacement })
    return hash
  }

  async function sendNew(p: SendParameters): Promise<{ hash: Hash; nonce: number }> {
    const data = encodeFunctionData({ abi: p.abi, functionName: p.functionName, args: p.args ?? [] })
    const value = p.value ?? 0n
    // The simulation, the gas estimate and the fees are independent reads: asked together they take the time of two
    // round trips to the node instead of four in a row (a claim sits on its job's critical path). Nothing is signed or
    // sent unless the simulation and the estimate passed.
    const feesAhead = marketFees()
    feesAhead.catch(() => undefined) // awaited below unless the simulation fails first
    // Both are awaited before either failure is reported, so a call that reverts always fails with the simulation's
    // named error, whichever of the two answers first (an estimate's revert does not always carry the revert data).
    const [simulated, estimated] = await Promise.allSettled([simulate(p), estimateGas(client, { account, to: p.address, data, value })])
    if (simulated.status === 'rejected') throw simulated.reason
    if (estimated.status === 'rejected') {
      const revert = decodeRevert(estimated.reason)
      if (revert) throw new SimulationRevertedError({ functionName: p.functionName, ...revert, cause: estimated.reason })
      throw estimated.reason
    }
    const estimate = estimated.value
    const gas = estimate + (estimate * gasMargin) / 1000n
    return withNonceLock(async () => {
      for (let attempt = 0; ; attempt++) {
        const nonce = await ensureNonce()
        const fees = attempt === 0 ? await feesAhead : await marketFees()
        try {
          store.transaction(() => store.setNextNonce(address, nonce + 1))
          nextNonce = nonce + 1
          const hash = await signAndBroadcast(p.intent, { to: p.address, data, value, gas, nonce, ...fees }, false)
          return { hash, nonce }
        } catch (error) {
          const message = String((error as Error)?.message ?? error)
          const latest = store.txsForIntent(p.intent).at(-1)
          if (NONCE_TOO_LOW.test(message) && attempt < 3) {
            if (latest?.nonce === nonce) store.setTxStatus(latest.hash, 'dropped')
            await resync()
            continue
          }
          if (/insufficient funds|gas required exceeds|intrinsic gas/i.test(message)) {
            // Not broadcast: give the nonce back.
            if (latest?.nonce === nonce) store.setTxStatus(latest.hash, 'dropped')
            nextNonce = nonce
            store.setNextNonce(address, nonce)
            throw new SenderError(`Could not send ${p.intent}: ${message.split('\n')[0]}`, { cause: error })
          }
          // Unknown outcome (the node may have it): the tx is recorded; waiting re-broadcasts it.
          logger?.warn({ err: error, intent: p.intent, nonce }, 'sender: broadcast failed; will re-broadcast while waiting')
          if (latest?.nonce === nonce) return { hash: latest.hash as Hash, nonce }
          nextNonce = nonce // never signed: the nonce is still free
          store.setNextNonce(address, nonce)
          throw error
        }
      }
    })
  }

  async function receiptOf(hash: Hash): Promise<TransactionReceipt | null> {
    try {
      return await getTransactionReceipt(client, { hash })
    } catch (error) {
      if ((error as Error)?.name === 'TransactionReceiptNotFoundError') return null
      throw error
    }
  }

  /** Waits for one of the intent's transactions (all share a nonce) to be mined, replacing it when stuck. */
  async function waitFor(intent: string, nonce: number): Promise<SendReturnType> {
    const started = Date.now()
    let lastSentAt = Date.now()
    let warnedCap = false
    for (;;) {
      const txs = store.txsForIntent(intent).filter((t) => t.nonce === nonce && t.status !== 'dropped')
      for (const tx of [...txs].reverse()) {
        const receipt = await receiptOf(tx.hash as Hash).catch(() => null)
        if (!receipt) continue
        store.transaction(() => {
          store.setTxStatus(tx.hash, receipt.status === 'success' ? 'mined' : 'reverted', receipt)
          for (const other of txs) if (other.hash !== tx.hash) store.setTxStatus(other.hash, 'replaced')
        })
        if (receipt.status !== 'success') throw new TxRevertedError({ hash: tx.hash as Hash, intent })
        onMined?.({ intent, receipt })
        return { hash: tx.hash as Hash, receipt, nonce, replacements: txs.length - 1, alreadyDone: false }
      }
      const mined = await getTransactionCount(client, { address, blockTag: 'latest' }).catch(() => null)
      if (mined !== null && mined > nonce) {
        // The nonce is used; give a just-mined receipt one more poll before concluding someone else used it.
        await sleep(pollIntervalMs)
        const again = await Promise.all(txs.map((t) => receiptOf(t.hash as Hash).catch(() => null)))
        if (again.some(Boolean)) continue
        for (const t of txs) store.setTxStatus(t.hash, 'dropped')
        throw new NonceTakenError(`Nonce ${nonce} of ${address} was used by a transaction this worker did not send (${intent})`)
      }
      if (Date.now() - started > receiptTimeoutMs)
        throw new TxTimeoutError({ hashes: txs.map((t) => t.hash as Hash), intent, timeoutMs: receiptTimeoutMs })
      const latest = txs.at(-1)
      if (latest && Date.now() - lastSentAt > replaceAfterMs) {
        lastSentAt = Date.now()
        await replace(intent, latest).then(
          (sent) => {
            if (!sent && !warnedCap) {
              warnedCap = true
              logger?.warn({ intent, nonce, caps }, 'sender: stuck transaction at the fee cap; waiting')
            }
          },
          async (error: unknown) => {
            logger?.warn({ err: error, intent, nonce }, 'sender: replacement failed; re-broadcasting the last one')
            await sendRawTransaction(client, { serializedTransaction: latest.raw as Hex }).catch(() => undefined)
          },
        )
        continue
      }
      await sleep(pollIntervalMs)
    }
  }

  /** Re-signs the same call with the same nonce and higher fees. Returns false at the fee cap. */
  async function replace(intent: string, previous: TxRecord): Promise<boolean> {
    const market = await marketFees()
    const fees = bumpFees(previous, market, caps)
    if (fees.maxFeePerGas <= previous.maxFeePerGas || fees.maxPriorityFeePerGas <= previous.maxPriorityFeePerGas) {
      await sendRawTransaction(client, { serializedTransaction: previous.raw as Hex }).catch(() => undefined)
      return false
    }
    const original = parseTransaction(previous.raw as Hex)
    await signAndBroadcast(
      intent,
      {
        to: original.to as Address,
        data: (original.data ?? '0x') as Hex,
        value: original.value ?? 0n,
        gas: original.gas as bigint,
        nonce: previous.nonce,
        maxFeePerGas: fees.maxFeePerGas,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      },
      true,
    )
    return true
  }

  async function sendOnce(p: SendParameters): Promise<SendReturnType> {
    const existing = store.txsForIntent(p.intent)
    const done = existing.find((t) => t.status === 'mined')
    if (done) {
      const receipt = await receiptOf(done.hash as Hash)
      if (receipt) return { hash: done.hash as Hash, receipt, nonce: done.nonce, replacements: 0, alreadyDone: true }
      // Mined once, gone now: a reorg put it back in the pool (or dropped it). Wait on that nonce again, never a new one.
      logger?.warn({ intent: p.intent, hash: done.hash }, 'sender: mined transaction no longer on chain (reorg); re-sending it')
      for (const t of existing) if (t.nonce === done.nonce && t.status !== 'dropped') store.setTxStatus(t.hash, 'pending')
      await sendRawTransaction(client, { serializedTransaction: done.raw as Hex }).catch(() => undefined)
      return waitFor(p.intent, done.nonce)
    }
    const pending = existing.filter((t) => t.status === 'pending')
    if (pending.length > 0) {
      const nonce = (pending.at(-1) as TxRecord).nonce
      await sendRawTransaction(client, { serializedTransaction: (pending.at(-1) as TxRecord).raw as Hex }).catch(() => undefined)
      return waitFor(p.intent, nonce)
    }
    const { nonce } = await sendNew(p)
    return waitFor(p.intent, nonce)
  }

  return {
    address,
    simulate,
    resync,
    send(p: SendParameters): Promise<SendReturnType> {
      const running = inFlight.get(p.intent)
      if (running) return running
      const promise = sendOnce(p).finally(() => inFlight.delete(p.intent))
      inFlight.set(p.intent, promise)
      return promise
    },
    async resume(): Promise<SendReturnType[]> {
      await ensureNonce()
      const intents = [...new Set(store.pendingTxs(address).map((t) => t.intent))]
      return Promise.all(
        intents.map((intent) => {
          const running = inFlight.get(intent)
          if (running) return running
          const txs = store.txsForIntent(intent).filter((t) => t.status === 'pending')
          const last = txs.at(-1) as TxRecord
          const promise = sendRawTransaction(client, { serializedTransaction: last.raw as Hex })
            .catch(() => undefined)
            .then(() => waitFor(intent, last.nonce))
            .finally(() => inFlight.delete(intent))
          inFlight.set(intent, promise)
          return promise
        }),
      )
    },
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
