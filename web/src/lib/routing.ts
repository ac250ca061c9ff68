// The routing choices the job page offers, and what each means for the sdk's selectProvider: the page lists the
// offers that qualify, selectProvider picks among them.
import type { Address } from "viem";
import type { Offer, SelectionPolicy } from "@octo/sdk";

export type Routing =
  | { kind: "cheapest" | "fastest" | "reputation"; minTier: number }
  | { kind: "provider"; provider: Address; minTier: number };

export const ROUTING_LABELS: Record<Routing["kind"], string> = {
  cheapest: "Cheapest",
  fastest: "Fastest (recent speed)",
  reputation: "Best reputation",
  provider: "A provider I choose",
};

/** The sdk's policy for a routing choice. */
export function selectionPolicy(routing: Routing): SelectionPolicy {
  return routing.kind === "provider" ? { provider: routing.provider } : routing.kind;
}

/** Why an offer does not qualify under the routing choice, or undefined when it does. The registry has the last word
 *  (selectProvider also asks it isEligible); these are the reasons the page can show before asking. */
export function disqualification(offer: Offer, routing: Routing, collateral: bigint): string | undefined {
  if (!offer.accepting) return "paused";
  if (offer.tier < routing.minTier) return "tier too low";
  if (offer.freeStake < collateral) return "not enough free stake";
  if (routing.kind === "provider" && offer.provider.toLowerCase() !== routing.provider.toLowerCase())
    return "not the chosen provider";
  return undefined;
}
