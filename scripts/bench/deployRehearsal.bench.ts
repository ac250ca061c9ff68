// The Amoy and Polygon PoS deploys rehearsed (scripts/rehearseDeploy.ts): each network's Ignition module by the
// production path on an anvil with that chain id and a test ceremony's key, refused without the ceremony, a rerun
// that sends nothing, the verifier checked to carry the ceremony's key, and one job served end to end. Fails when any
// of that fails. Records, per network (<net> = amoy, polygon):
//   deploy.<net>.transactions   transactions the deployer sent (the whole module, roles handed to the timelock)
//   deploy.<net>.gas            their gas
//   deploy.<net>.seconds        wall time of `hardhat run scripts/deploy.ts` (compile check included)
//   deploy.<net>.jobSeconds     provider setup + worker start + one verifiable job to Finalized (wall)
// Runs the test ceremony first where .data/rehearsal/ has none (≈ 15 min of CPU per network on a quiet machine).
// Run: node scripts/bench/deployRehearsal.bench.ts [amoy|polygon] (or `npm run bench deployRehearsal`).
import { recordBench } from "@octo/devnet/bench";
import { NETWORKS, rehearseDeploy } from "../rehearseDeploy.ts";

const names = process.argv.slice(2);
for (const name of names.length > 0 ? names : Object.keys(NETWORKS)) {
  const network = NETWORKS[name as keyof typeof NETWORKS];
  if (!network) throw new Error(`unknown network ${name}: amoy or polygon`);
  const r = await rehearseDeploy(network, { log: (line) => console.log(line) });
  recordBench({
    [`deploy.${r.network}.transactions`]: r.deployTransactions,
    [`deploy.${r.network}.gas`]: Number(r.deployGas),
    [`deploy.${r.network}.seconds`]: Math.round(r.deploySeconds),
    [`deploy.${r.network}.jobSeconds`]: Math.round(r.job.seconds),
  });
}
