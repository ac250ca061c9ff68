// The protocol core, shared by every network's module: Poseidon libraries (for the fraud proof's on-chain digest),
// the generated result verifier, the two registries and the market, bound together and with one payment token.
import type { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

type Builder = Parameters<Parameters<typeof buildModule>[1]>[0];
/** A contract future or a module parameter holding an address. */
type Address = NonNullable<Parameters<Builder["call"]>[2]>[number];

export function buildCore(m: Builder, stakingToken: Address, paymentToken: Address) {
  const admin = m.getParameter("admin", m.getAccount(0));
  const treasury = m.getParameter("treasury", m.getAccount(0));
  const stakingDecimalsUnit = m.getParameter("stakingDecimalsUnit", 10n ** 18n);

  const c0 = m.library("PoseidonT17Constants0");
  const c1 = m.library("PoseidonT17Constants1");
  const c2 = m.library("PoseidonT17Constants2");
  const poseidonT17 = m.library("PoseidonT17", {
    libraries: { PoseidonT17Constants0: c0, PoseidonT17Constants1: c1, PoseidonT17Constants2: c2 },
  });
  const poseidonT5 = m.library("PoseidonT5");

  const resultVerifier = m.contract("ResultVerifier");
  const modelRegistry = m.contract("ModelRegistry", [admin]);
  const stakingRegistry = m.contract("StakingRegistry", [stakingToken, admin, stakingDecimalsUnit]);
  const jobMarket = m.contract("JobMarket", [resultVerifier, stakingRegistry, modelRegistry, admin, treasury], {
    libraries: { PoseidonT17: poseidonT17, PoseidonT5: poseidonT5 },
  });
  // The deployer must hold DEFAULT_ADMIN_ROLE / PARAMS_ROLE here (admin defaults to it); hand the roles to the
  // timelock afterwards (grantRole, then renounceRole).
  m.call(stakingRegistry, "bindJobMarket", [jobMarket]);
  m.call(jobMarket, "setPaymentToken", [paymentToken, true]);
  return { resultVerifier, modelRegistry, stakingRegistry, jobMarket };
}
