// The JobMarket's money outside the jobs: payments it credited instead of transferring (and their withdrawal), and
// its fees withdrawn to the treasury.
import { ponder } from "ponder:registry";
import { credit, feeWithdrawal } from "ponder:schema";

ponder.on("JobMarket:PaymentCredited", async ({ event, context }) => {
  const { token: paymentToken, account, amount } = event.args;
  await context.db
    .insert(credit)
    .values({
      paymentToken,
      account,
      credited: amount,
      withdrawn: 0n,
      balance: amount,
      updatedBlock: event.block.number,
    })
    .onConflictDoUpdate((c) => ({
      credited: c.credited + amount,
      balance: c.balance + amount,
      updatedBlock: event.block.number,
    }));
});

ponder.on("JobMarket:CreditWithdrawn", async ({ event, context }) => {
  const { token: paymentToken, account, amount } = event.args;
  // withdrawCredit emits even with nothing owed (amount 0, no row yet).
  await context.db
    .insert(credit)
    .values({
      paymentToken,
      account,
      credited: 0n,
      withdrawn: amount,
      balance: -amount,
      updatedBlock: event.block.number,
    })
    .onConflictDoUpdate((c) => ({
      withdrawn: c.withdrawn + amount,
      balance: c.balance - amount,
      updatedBlock: event.block.number,
    }));
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
