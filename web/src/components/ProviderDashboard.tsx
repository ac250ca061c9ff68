"use client";
// The provider's dashboard: register (the encryption key derived in the browser from one signature, as the worker
// derives it), stake for a tier, unbond and withdraw with the dates, pause and resume, offers per model, what it has
// served and earned (with charts over time; the earnings are held in the market until it withdraws them), and the
// worker's /health from its ops URL. The worker itself stays a CLI daemon run by the operator.
import Link from "next/link";
import { useState } from "react";
import { parseUnits } from "viem";
import { usePaymentToken } from "../hooks/useMarketData.ts";
import { useOcto } from "../hooks/useOcto.ts";
import { useProviderAction, useProviderState, type ProviderAction } from "../hooks/useProvider.ts";
import { formatAmount, formatDate, formatDuration, formatPricePer1k, tierName, TIER_NAMES } from "../lib/format.ts";
import { retryOf } from "../lib/retryOf.ts";
import { ErrorNotice } from "./ErrorNotice.tsx";
import { MarketBalance } from "./MarketBalance.tsx";
import { TimeChart } from "./TimeChart.tsx";
import { WalletNotice } from "./WalletNotice.tsx";
import { WorkerHealth } from "./WorkerHealth.tsx";

const OCTO = { symbol: "OCTO", decimals: 18 };

export function ProviderDashboard() {
  const { wallet } = useOcto();
  const token = usePaymentToken();
  const address = wallet.kind === "ready" ? wallet.address : undefined;
  const state = useProviderState(address, token.data?.address);
  const action = useProviderAction();
  const [tier, setTier] = useState(0);
  const [stakeAmount, setStakeAmount] = useState("2000");
  const [unbondAmount, setUnbondAmount] = useState("");
  const [prices, setPrices] = useState<Record<string, { price: string; maxContext: string }>>({});
  const run = (a: ProviderAction) => action.mutate(a);
  const s = state.data;
  const now = Date.now() / 1000;

  return (
    <section className="card">
      <h1>Provider</h1>
      <WalletNotice purpose="run a provider" />
      <ErrorNotice error={state.error} onRetry={() => void state.refetch()} />
      <ErrorNotice error={action.error} onRetry={retryOf(action)} />
      {action.isPending && <p className="hint">Waiting for your wallet and the chain…</p>}
      {s && !s.record.registered && (
        <div data-testid="register">
          <h2>Register</h2>
          <p className="hint">
            Your wallet signs one fixed message; the encryption key users seal prompts to is derived from that signature
            here, in the browser, exactly as the Octo worker derives it from the same account. Run the worker with this
            account to open the jobs.
          </p>
          <div className="row">
            <label>
              Hardware tier
              <select value={tier} onChange={(e) => setTier(Number(e.target.value))}>
                {TIER_NAMES.map((name, t) => (
                  <option key={t} value={t}>
                    {name} (min stake {formatAmount(s.tierMinimums[t] ?? 0n, OCTO)})
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="primary"
              onClick={() => run({ kind: "register", tier })}
              disabled={action.isPending}
              data-testid="register-button"
            >
              Register
            </button>
          </div>
        </div>
      )}
      {s && s.record.registered && (
        <>
          <div data-testid="provider-status">
            <span className="stat">
              Tier<strong>{tierName(s.record.tier)}</strong>
            </span>
            <span className="stat">
              Stake<strong data-testid="stake">{formatAmount(s.record.stake, OCTO)}</strong>
            </span>
            <span className="stat">
              Locked<strong>{formatAmount(s.record.locked, OCTO)}</strong>
            </span>
            <span className="stat">
              Status<strong data-testid="accepting">{s.record.accepting ? "accepting jobs" : "paused"}</strong>
            </span>
            <span className="stat">
              Jobs served<strong>{s.record.completed}</strong>
            </span>
            <span className="stat">
              Earned
              <strong data-testid="earned">
                {token.data
                  ? formatAmount(
                      s.earnings.reduce((t, e) => t + e.amount, 0n),
                      token.data,
                    )
                  : "…"}
              </strong>
            </span>
            <span className="stat">
              Reputation
              <strong>
                {s.record.timedOut} late · {s.record.disputed} disputed · {s.record.slashed} slashed
              </strong>
            </span>
          </div>
          {s.record.stake < (s.tierMinimums[s.record.tier] ?? 0n) && (
            <p className="notice warn">
              Your stake is below the {tierName(s.record.tier)} minimum of{" "}
              {formatAmount(s.tierMinimums[s.record.tier] ?? 0n, OCTO)}: you are not eligible for jobs until you stake
              more.
            </p>
          )}
          <div className="actions">
            <button
              type="button"
              onClick={() => run({ kind: "setAccepting", accepting: !s.record.accepting })}
              disabled={action.isPending}
              data-testid="pause"
            >
              {s.record.accepting ? "Pause (take no new jobs)" : "Resume"}
            </button>
            <label>
              Tier
              <select value={s.record.tier} onChange={(e) => run({ kind: "setTier", tier: Number(e.target.value) })}>
                {TIER_NAMES.map((name, t) => (
                  <option key={t} value={t}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
          </div>

          <h2>Stake</h2>
          <p className="hint">
            You hold {formatAmount(s.stakingToken.balance, OCTO)}. Staking approves the registry first when needed.
          </p>
          <div className="row">
            <label>
              Amount (OCTO)
              <input value={stakeAmount} onChange={(e) => setStakeAmount(e.target.value)} data-testid="stake-amount" />
            </label>
            <button
              type="button"
              onClick={() => run({ kind: "stake", amount: parseUnits(stakeAmount || "0", 18) })}
              disabled={action.isPending}
              data-testid="stake-button"
            >
              Stake
            </button>
            <label>
              Unbond (OCTO)
              <input value={unbondAmount} onChange={(e) => setUnbondAmount(e.target.value)} />
            </label>
            <button
              type="button"
              onClick={() => run({ kind: "requestUnbond", amount: parseUnits(unbondAmount || "0", 18) })}
              disabled={action.isPending}
            >
              Request unbonding
            </button>
          </div>
          <p className="hint">
            Unbonding takes {formatDuration(s.unbondingDelay)}.{" "}
            {s.record.unbonding > 0n &&
              (now >= s.record.unbondableAt ? (
                <button type="button" onClick={() => run({ kind: "withdraw" })} disabled={action.isPending}>
                  Withdraw {formatAmount(s.record.unbonding, OCTO)}
                </button>
              ) : (
                <>
                  {formatAmount(s.record.unbonding, OCTO)} can be withdrawn from {formatDate(s.record.unbondableAt)}.
                </>
              ))}
          </p>

          <h2>Offers</h2>
          <table data-testid="provider-offers">
            <thead>
              <tr>
                <th>Model</th>
                <th>Price</th>
                <th>Context</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {s.offers.map(({ model, offer }) => {
                const edit = prices[model.modelId] ?? {
                  price: offer.active ? offer.pricePerToken.toString() : "10",
                  maxContext: offer.active ? String(offer.maxContext) : "64",
                };
                const setEdit = (e: Partial<typeof edit>) =>
                  setPrices((p) => ({ ...p, [model.modelId]: { ...edit, ...e } }));
                return (
                  <tr key={model.modelId}>
                    <td>{model.name}</td>
                    <td>
                      {offer.active && token.data ? formatPricePer1k(offer.pricePerToken, token.data) : "no offer"}
                      <br />
                      <input
                        value={edit.price}
                        onChange={(e) => setEdit({ price: e.target.value })}
                        aria-label={`price per token for ${model.name}`}
                        data-testid={`offer-price-${model.name}`}
                      />{" "}
                      units/token
                    </td>
                    <td>
                      <input
                        value={edit.maxContext}
                        onChange={(e) => setEdit({ maxContext: e.target.value })}
                        aria-label={`context for ${model.name}`}
                      />{" "}
                      tokens
                    </td>
                    <td>
                      <button
                        type="button"
                        onClick={() =>
                          token.data &&
                          run({
                            kind: "setOffer",
                            modelId: model.modelId,
                            paymentToken: token.data.address,
                            pricePerToken: BigInt(edit.price || "0"),
                            maxContext: Number(edit.maxContext || "0"),
                          })
                        }
                        disabled={action.isPending}
                        data-testid={`offer-set-${model.name}`}
                      >
                        {offer.active ? "Change" : "Add offer"}
                      </button>
                      {offer.active && token.data && (
                        <button
                          type="button"
                          onClick={() =>
                            run({ kind: "removeOffer", modelId: model.modelId, paymentToken: token.data!.address })
                          }
                          disabled={action.isPending}
                        >
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>

          <h2>Earnings</h2>
          <MarketBalance token={token.data} earnings />
          {s.earnings.length === 0 ? (
            <p className="hint">No finalized jobs yet.</p>
          ) : (
            <div>
              <TimeChart
                title="Earned"
                events={s.earnings.map((e) => ({ at: e.at, amount: e.amount }))}
                format={(total) => (token.data ? formatAmount(total, token.data) : total.toString())}
              />
              <TimeChart
                title="Tokens served"
                events={s.earnings.map((e) => ({ at: e.at, amount: e.tokens }))}
                format={(total) => total.toLocaleString("en-US")}
              />
            </div>
          )}
          {s.earnings.length > 0 && (
            <table data-testid="earnings">
              <tbody>
                {s.earnings.map((e) => (
                  <tr key={e.jobId.toString()}>
                    <td>job #{e.jobId.toString()}</td>
                    <td>{e.tokens.toString()} tokens</td>
                    <td>{token.data ? formatAmount(e.amount, token.data) : e.amount.toString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {address && (
            <p>
              <Link href={`/explorer/providers/${address}`} data-testid="explorer-provider-link">
                Your public record in the explorer
              </Link>
            </p>
          )}
          <WorkerHealth />
          {s.slashes.length > 0 && (
            <p className="notice error">
              Slashed {s.slashes.length} times,{" "}
              {formatAmount(
                s.slashes.reduce((t, x) => t + x.amount, 0n),
                OCTO,
              )}{" "}
              in all.
            </p>
          )}
        </>
      )}
    </section>
  );
}
