"use client";
// The connected account's balance in the market. For a user: deposit (by permit where the token takes one, else
// approve) to pay later jobs in one transaction, withdraw any part. For a provider (`earnings`): what its jobs paid it,
// held in the market until it withdraws it all in one transfer.
import { useState } from "react";
import { parseUnits } from "viem";
import { useDeposit, useMarketBalance, useWithdraw } from "../hooks/useMarketBalance.ts";
import { usePermitSupport } from "../hooks/useMarketData.ts";
import { useOcto } from "../hooks/useOcto.ts";
import { depositPaymentFor } from "../lib/cost.ts";
import { formatAmount } from "../lib/format.ts";
import { retryOf } from "../lib/retryOf.ts";
import { ErrorNotice } from "./ErrorNotice.tsx";

export type MarketBalanceProps = {
  token: { address: `0x${string}`; symbol: string; decimals: number } | undefined;
  earnings?: boolean;
};

export function MarketBalance({ token, earnings = false }: MarketBalanceProps) {
  const { wallet } = useOcto();
  const balance = useMarketBalance(token?.address);
  const deposit = useDeposit();
  const withdraw = useWithdraw();
  const [amount, setAmount] = useState("1");
  const [chosen, setPayment] = useState<"approve" | "permit" | undefined>();
  const permit = usePermitSupport(token?.address).data === true;
  const payment = depositPaymentFor({ chosen, permit });
  if (wallet.kind !== "ready" || !token) return null;
  const held = balance.data;
  const parsed = parseAmount(amount, token.decimals);
  const busy = deposit.isPending || withdraw.isPending;
  return (
    <div className="market-balance" data-testid="market-balance">
      <span className="stat">
        {earnings ? "Earnings held in the market" : "Your balance in the market"}
        <strong data-testid="market-balance-amount" data-amount={held?.toString()}>
          {held === undefined ? "…" : formatAmount(held, token)}
        </strong>
      </span>
      <ErrorNotice error={balance.error} onRetry={() => void balance.refetch()} />
      <ErrorNotice error={deposit.error} onRetry={retryOf(deposit)} />
      <ErrorNotice error={withdraw.error} onRetry={retryOf(withdraw)} />
      {earnings ? (
        <button
          type="button"
          onClick={() => held && withdraw.mutate({ token: token.address, amount: held })}
          disabled={busy || !held}
          data-testid="withdraw-earnings"
        >
          Withdraw {held ? formatAmount(held, token) : ""}
        </button>
      ) : (
        <div className="row">
          <label>
            Amount ({token.symbol})
            <input value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="balance-amount" />
          </label>
          <label>
            Deposit by
            <select value={payment} onChange={(e) => setPayment(e.target.value as "approve" | "permit")}>
              <option value="approve">Approve, then deposit</option>
              {permit && <option value="permit">Permit signature (one transaction)</option>}
            </select>
          </label>
          <button
            type="button"
            onClick={() => parsed && deposit.mutate({ token: token.address, amount: parsed, payment })}
            disabled={busy || !parsed}
            data-testid="deposit"
          >
            Deposit
          </button>
          <button
            type="button"
            onClick={() => parsed && withdraw.mutate({ token: token.address, amount: parsed })}
            disabled={busy || !parsed}
            data-testid="withdraw"
          >
            Withdraw
          </button>
        </div>
      )}
      {busy && <p className="hint">Waiting for your wallet and the chain…</p>}
    </div>
  );
}

/** A positive amount typed in whole tokens, in base units; undefined when it is not one. */
function parseAmount(text: string, decimals: number): bigint | undefined {
  try {
    const value = parseUnits(text.trim(), decimals);
    return value > 0n ? value : undefined;
  } catch {
    return undefined;
  }
}
