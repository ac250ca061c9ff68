// Local chain: a fresh OctoToken (whole supply to the deployer), a 6-decimal MockUSDC anyone can mint, and the
// development key's verifier (circuits/keys: local chains only; docs/ceremony.md says what it rests on).
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { buildCore } from "./core.ts";

export default buildModule("OctoLocal", (m) => {
  const octoToken = m.contract("OctoToken", [m.getAccount(0), m.getParameter("octoSupply", 100_000_000n * 10n ** 18n)]);
  const mockUSDC = m.contract("MockUSDC");
  return { octoToken, mockUSDC, ...buildCore(m, m.contract("ResultVerifier"), octoToken, mockUSDC).contracts };
});
