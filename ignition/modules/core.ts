// The protocol core, shared by every network's module: the market's linked libraries (Poseidon under the fraud proof),
// the two registries and the market, bound to the given result verifier and one payment token. Which verifier is
// each network module's choice: the development key on local chains only (OctoLocal), a ceremony's elsewhere
// (ceremonyVerifier.ts).
import type { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

export type Builder = Parameters<Parameters<typeof buildModule>[1]>[0];
/** A contract future or a module parameter holding an address. */
type Address = NonNullable<Parameters<Builder["call"]>[2]>[number];

/** A deployed (or to be deployed) IResultVerifier: any contract future. */
type Verifier = Parameters<Builder["call"]>[0];

export function buildCore(m: Builder, resultVerifier: Verifier, stakingToken: Address, paymentToken: Address) {
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
  // JobMarket's own libraries (external functions, linked): result submission, the fraud proof's digest, the draw.
  const fraudProof = m.library("FraudProof", { libraries: { PoseidonT17: poseidonT17, PoseidonT5: poseidonT5 } });
  const jobResults = m.library("JobResults");
  const committee = m.library("Committee");

  const modelRegistry = m.contract("ModelRegistry", [admin]);
  const stakingRegistry = m.contract("StakingRegistry", [stakingToken, admin, stakingDecimalsUnit]);
  const jobMarket = m.contract("JobMarket", [resultVerifier, stakingRegistry, modelRegistry, admin, treasury], {
    libraries: { JobResults: jobResults, FraudProof: fraudProof, Committee: committee },
  });
  // The deployer must hold DEFAULT_ADMIN_ROLE / PARAMS_ROLE here (admin defaults to it); public networks then hand
  // the roles to a timelock (governance.ts), after these calls.
  const setup = [
    m.call(stakingRegistry, "bindJobMarket", [jobMarket]),
    m.call(jobMarket, "setPaymentToken", [paymentToken, true]),
  ];
  return { contracts: { resultVerifier, modelRegistry, stakingRegistry, jobMarket }, setup };
}

export type CoreFutures = ReturnType<typeof buildCore>["contracts"] & { setup: ReturnType<typeof buildCore>["setup"] };
