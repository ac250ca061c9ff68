// The JobMarket's money outside the jobs: payments it credited to a balance instead of transferring, deposits into
// balances and withdrawals from them, and its fees withdrawn to the treasury.
import { ponder } from "ponder:registry";
import { credit, feeWithdrawal } from "ponder:schema";

/** A first movement of (token, account): every column zero but the one that moved. */
const firstRow = (paymentToken: `0x${string}`, account: `0x${string}`, updatedBlock: bigint) => ({
  paymentToken,
  account,
  credited: 0n,
  deposited: 0n,
  withdrawn: 0n,
  updatedBlock,
});

ponder.on("JobMarket:PaymentCredited", async ({ event, context }) => {
  const { token, account, amount } = event.args;
  await context.db
    .insert(credit)
    .values({ ...firstRow(token, account, event.block.number), credited: amount })
    .onConflictDoUpdate((c) => ({ credited: c.credited + amount, updatedBlock: event.block.number }));
});

ponder.on("JobMarket:Deposited", async ({ event, context }) => {
  const { token, account, amount } = event.args;
  await context.db
    .insert(credit)
    .values({ ...firstRow(token, account, event.block.number), deposited: amount })
    .onConflictDoUpdate((c) => ({ deposited: c.deposited + amount, updatedBlock: event.block.number }));
});

ponder.on("JobMarket:Withdrawn", async ({ event, context }) => {
  const { token, account, amount } = event.args;
  await context.db
    .insert(credit)
    .values({ ...firstRow(token, account, event.block.number), withdrawn: amount })
    .onConflictDoUpdate((c) => ({ withdrawn: c.withdrawn + amount, updatedBlock: event.block.number }));
});

ponder.on("JobMarket:FeesWithdrawn", async ({ event, context }) => {
  await context.db.insert(feeWithdrawal).values({
    id: `${event.transaction.hash}-${event.log.logIndex}`,
    paymentToken: event.args.token,
    treasury: event.args.treasury,
    amount: event.args.amount,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
    timestamp: event.block.timestamp,
  });
});
