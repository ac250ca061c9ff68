import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { type Abi, type Address, createPublicClient, type Hash, type Hex, parseGwei } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { type Anvil, startAnvil } from '../../../scripts/lib/startAnvil.ts'
import { ANVIL_KEYS, deployTestMarket, testMarket } from '../../test/helpers/testMarket.ts'
import { waitFor } from '../../test/helpers/waitFor.ts'
import { openStore, type Store } from '../store/openStore.ts'
import { failoverTransport } from '../watch/failoverTransport.ts'
import { bumpFees, createSender, type CreateSenderParameters, type SentEvent } from './createSender.ts'
import { SimulationRevertedError } from './SenderError.ts'

const account = privateKeyToAccount(ANVIL_KEYS[2] as Hex)

describe('sender/createSender (anvil)', function () {
  this.timeout(120_000)
  let chain: Anvil
  let dir: string
  let market: Address
  let abi: Abi
  const stores: Store[] = []

  beforeEach(async () => {
    chain = await startAnvil()
    dir = mkdtempSync(join(tmpdir(), 'octo-sender-'))
    market = (await deployTestMarket(chain.url)).address
    abi = testMarket().abi
  })
  afterEach(async () => {
    for (const s of stores.splice(0)) s.close()
    await chain.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  const client = () => createPublicClient({ chain: foundry, transport: failoverTransport([chain.url]) })
  function sender(overrides: Partial<CreateSenderParameters> = {}) {
    const store = openStore({ path: join(dir, 'worker.db') })
    stores.push(store)
    const s = createSender({
      client: client(),
      account,
      store,
      maxFeePerGas: parseGwei('500'),
      maxPriorityFeePerGas: parseGwei('50'),
      pollIntervalMs: 25,
      replaceAfterMs: 60_000,
      ...overrides,
    })
    return { sender: s, store }
  }
  const nonceOf = async (tag: 'latest' | 'pending') =>
    Number(await chain.rpc<string>('eth_getTransactionCount', [account.address, tag]))
  const read = (functionName: string, args: unknown[]) => client().readContract({ address: market, abi, functionName, args }) as Promise<bigint>
  const call = (functionName: string, id: number, intent = `job:${id}:${functionName}`) => ({
    intent,
    address: market,
    abi,
    functionName,
    args: [BigInt(id), ...(functionName === 'createJob' ? [5n] : [])],
  })

  it('simulates first: a call that would revert names the custom error and sends nothing', async () => {
    const { sender: s, store } = sender()
    const before = await nonceOf('pending')
    let error: unknown
    try {
      await s.send(call('claimJob', 7))
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(SimulationRevertedError)
    const revert = error as SimulationRevertedError
    expect(revert.errorName).to.equal('JobNotOpen')
    expect(revert.args).to.deep.equal({ jobId: 7n })
    expect(revert.formatted).to.equal('JobNotOpen(jobId=7)')
    expect(revert.shortMessage).to.equal('claimJob would revert: JobNotOpen(jobId=7)')
    expect(await nonceOf('pending')).to.equal(before)
    expect(store.txsForIntent('job:7:claimJob')).to.deep.equal([])
  })

  it('sends, awaits the receipt, and never sends twice for the same intent', async () => {
    const { sender: s, store } = sender()
    await s.send(call('createJob', 1))
    const [a, b] = await Promise.all([s.send(call('claimJob', 1)), s.send(call('claimJob', 1))])
    expect(a.receipt.status).to.equal('success')
    expect(b.hash).to.equal(a.hash)
    const again = await s.send(call('claimJob', 1))
    expect(again.alreadyDone).to.equal(true)
    expect(again.hash).to.equal(a.hash)
    expect(await read('claimCount', [1n])).to.equal(1n)
    expect(store.txsForIntent('job:1:claimJob').map((t) => t.status)).to.deep.equal(['mined'])
  })

  it('gives concurrent sends from one key consecutive nonces', async () => {
    const { sender: s } = sender()
    const start = await nonceOf('pending')
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((id) => s.send(call('createJob', id))))
    expect(results.map((r) => r.nonce).sort((x, y) => x - y)).to.deep.equal([0, 1, 2, 3, 4, 5].map((k) => start + k))
    expect(results.every((r) => r.receipt.status === 'success')).to.equal(true)
    expect(await nonceOf('latest')).to.equal(start + 6)
  })

  it('replaces a transaction stuck at a low fee (same nonce, fees +12.5 %) and it is mined exactly once', async () => {
    await chain.rpc('evm_setAutomine', [false])
    const sent: SentEvent[] = []
    const { sender: s, store } = sender({ replaceAfterMs: 300, onSent: (e) => sent.push(e) })
    const pending = s.send(call('createJob', 9))
    await waitFor(() => sent.length === 1, { message: 'first send' })
    // The next block's base fee jumps far above what the first transaction offered: it stays in the pool.
    const first = sent[0] as SentEvent
    await chain.rpc('anvil_setNextBlockBaseFeePerGas', [`0x${(first.maxFeePerGas * 4n).toString(16)}`])
    await chain.rpc('evm_mine')
    expect(await nonceOf('latest')).to.equal(first.nonce)
    await waitFor(() => sent.length >= 2, { message: 'replacement' })
    const second = sent[1] as SentEvent
    expect(second.replacement).to.equal(true)
    expect(second.nonce).to.equal(first.nonce)
    expect(second.maxFeePerGas * 1000n >= first.maxFeePerGas * 1125n).to.equal(true)
    expect(second.maxPriorityFeePerGas * 1000n >= first.maxPriorityFeePerGas * 1125n).to.equal(true)
    await waitFor(
      async () => {
        await chain.rpc('evm_mine')
        return (await nonceOf('latest')) > first.nonce
      },
      { intervalMs: 200, message: 'the replacement mined' },
    )
    const result = await pending
    expect(result.nonce).to.equal(first.nonce)
    expect(result.replacements).to.be.at.least(1)
    expect(await read('claimCount', [9n])).to.equal(0n)
    expect(await read('isOpen', [9n]) as unknown).to.equal(true)
    const txs = store.txsForIntent('job:9:createJob')
    expect(txs.filter((t) => t.status === 'mined').map((t) => t.hash)).to.deep.equal([result.hash])
    expect(txs.filter((t) => t.status === 'replaced')).to.have.length(txs.length - 1)
    const firstReceipt = await chain.rpc('eth_getTransactionReceipt', [first.hash])
    expect(firstReceipt).to.equal(null)
  })

  it('after a restart with a pending transaction: resyncs the nonce, waits for it, and does not resend', async () => {
    await chain.rpc('evm_setAutomine', [false])
    const sent: SentEvent[] = []
    const one = sender({ onSent: (e) => sent.push(e) })
    const lost = one.sender.send(call('createJob', 3)).catch((e: unknown) => e)
    await waitFor(() => sent.length === 1, { message: 'first send' })
    one.store.close() // the process "dies" with the tx in the pool
    await lost

    const sent2: SentEvent[] = []
    const two = sender({ onSent: (e) => sent2.push(e) })
    const resumed = two.sender.resume()
    const again = two.sender.send(call('createJob', 3))
    await chain.rpc('evm_mine')
    const [[r1], r2] = await Promise.all([resumed, again])
    expect(r1!.hash).to.equal((sent[0] as SentEvent).hash)
    expect(r2.hash).to.equal(r1!.hash)
    expect(sent2).to.deep.equal([])

    await chain.rpc('evm_setAutomine', [true])
    const next = await two.sender.send(call('createJob', 4))
    expect(next.nonce).to.equal((sent[0] as SentEvent).nonce + 1)
  })

  it('re-sends the same signed transaction (same nonce) when a reorg removed a mined one', async () => {
    const { sender: s, store } = sender()
    await s.send(call('createJob', 1))
    const snapshot = await chain.rpc<string>('evm_snapshot')
    const first = await s.send(call('claimJob', 1))
    await chain.rpc('evm_revert', [snapshot]) // the block with the claim is gone
    expect(await read('claimCount', [1n])).to.equal(0n)
    const again = await s.send(call('claimJob', 1))
    expect(again.alreadyDone).to.equal(false)
    expect(again.hash).to.equal(first.hash)
    expect(again.nonce).to.equal(first.nonce)
    expect(await read('claimCount', [1n])).to.equal(1n)
    expect(store.txsForIntent('job:1:claimJob').map((t) => t.status)).to.deep.equal(['mined'])
  })

  it('resyncs on "nonce too low" after the key was used elsewhere', async () => {
    const { sender: s, store } = sender()
    await s.send(call('createJob', 1))
    // Another process uses the same key twice.
    const { createWalletClient, http } = await import('viem')
    const other = createWalletClient({ chain: foundry, transport: http(chain.url), account })
    for (const id of [50n, 51n]) await other.writeContract({ address: market, abi, functionName: 'createJob', args: [id, 1n] })
    const result = await s.send(call('createJob', 2))
    expect(result.receipt.status).to.equal('success')
    expect(result.nonce).to.equal(3)
    expect(store.getNextNonce(account.address)).to.equal(4)
  })
})

describe('sender/bumpFees', () => {
  it('raises both fees by at least 12.5 %, follows the market when higher, and respects the caps', () => {
    const prev = { maxFeePerGas: 1000n, maxPriorityFeePerGas: 100n }
    const caps = { maxFeePerGas: 10_000n, maxPriorityFeePerGas: 1_000n }
    const b = bumpFees(prev, { maxFeePerGas: 0n, maxPriorityFeePerGas: 0n }, caps)
    expect(b.maxFeePerGas >= 1125n && b.maxPriorityFeePerGas >= 113n).to.equal(true)
    expect(bumpFees(prev, { maxFeePerGas: 5000n, maxPriorityFeePerGas: 300n }, caps)).to.deep.include({ maxFeePerGas: 5000n, maxPriorityFeePerGas: 300n })
    expect(bumpFees(prev, { maxFeePerGas: 50_000n, maxPriorityFeePerGas: 5_000n }, caps)).to.deep.equal({ ...caps, capped: true })
  })
})

export type { Hash }
