"use client";
import type { Offer } from "@octo/sdk";
import { formatAmount, formatPricePer1k, shortAddress, tierName } from "../lib/format.ts";
import { disqualification, type Routing } from "../lib/routing.ts";

type Token = { symbol: string; decimals: number };
const OCTO = { symbol: "OCTO", decimals: 18 };

/** The providers offering the model, with what a user weighs them by, and why any does not qualify. */
export function OffersTable({
  offers,
  routing,
  collateral,
  token,
  loading,
}: {
  offers: Offer[] | undefined;
  routing: Routing;
  collateral: bigint;
  token: Token | undefined;
  loading: boolean;
}) {
  if (loading) return <p className="hint">Reading the providers’ offers…</p>;
  if (!offers || offers.length === 0 || !token) return <p className="hint">No provider offers this model yet.</p>;
  return (
    <table className="offers" data-testid="offers">
      <thead>
        <tr>
          <th>Provider</th>
          <th>Price</th>
          <th>Tier</th>
          <th>Stake</th>
          <th>Reputation</th>
          <th>Recent speed</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {offers.map((o) => {
          const why = disqualification(o, routing, collateral);
          return (
            <tr key={o.provider} className={why ? "muted" : ""}>
              <td title={o.provider}>{shortAddress(o.provider)}</td>
              <td>{formatPricePer1k(o.pricePerToken, token)}</td>
              <td>{tierName(o.tier)}</td>
              <td>
                {formatAmount(o.stake, { ...OCTO, maxDecimals: 0 })}{" "}
                <span className="hint">({formatAmount(o.freeStake, { ...OCTO, maxDecimals: 0 })} free)</span>
              </td>
              <td>
                {o.reputation.completed} done · {o.reputation.timedOut} late · {o.reputation.slashed} slashed
              </td>
              <td>{o.tokensPerSecond === undefined ? "—" : `${o.tokensPerSecond.toFixed(1)} tok/s`}</td>
              <td>{why ?? "qualifies"}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
