// Governance settings of the market and the registry: each event replaces the setting's current value.
import { ponder } from "ponder:registry";
import { setting } from "ponder:schema";

type Args = Record<string, bigint | number | boolean | string>;
type SettingEvent = {
  args: Args;
  block: { number: bigint; timestamp: bigint };
  transaction: { hash: `0x${string}` };
};

/** The event's arguments in JSON form: integers as decimal strings, addresses in lower case. */
export function settingValue(args: Args): Record<string, string | number | boolean> {
  return Object.fromEntries(
    Object.entries(args).map(([k, v]) => [
      k,
      typeof v === "bigint" ? v.toString() : typeof v === "string" ? v.toLowerCase() : v,
    ]),
  );
}

function record(name: string, key: (args: Args) => string | undefined = () => undefined) {
  return async ({
    event,
    context,
  }: {
    event: SettingEvent;
    context: { db: import("ponder:registry").Context["db"] };
  }) => {
    const suffix = key(event.args);
    const values = {
      value: settingValue(event.args),
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
      timestamp: event.block.timestamp,
    };
    await context.db
      .insert(setting)
      .values({ id: suffix === undefined ? name : `${name}:${suffix}`, ...values })
      .onConflictDoUpdate(values);
  };
}

ponder.on("JobMarket:FeeSet", record("FeeSet"));
ponder.on("JobMarket:TreasurySet", record("TreasurySet"));
ponder.on("JobMarket:WindowsSet", record("WindowsSet"));
ponder.on("JobMarket:CollateralSet", record("CollateralSet"));
ponder.on("JobMarket:SampleRateSet", record("SampleRateSet"));
ponder.on(
  "JobMarket:PaymentTokenSet",
  record("PaymentTokenSet", (a) => String(a.token).toLowerCase()),
);
ponder.on("StakingRegistry:JobMarketBound", record("JobMarketBound"));
ponder.on(
  "StakingRegistry:TierMinimumStakeChanged",
  record("TierMinimumStakeChanged", (a) => String(a.tier)),
);
ponder.on("StakingRegistry:UnbondingDelayChanged", record("UnbondingDelayChanged"));
