// The whole market, short: 3 waves of 13 jobs plus the users' 3 fault jobs (42), each fault at least once (wave 0 a
// worker SIGKILLed, wave 1 the RPC outage and the users' faults, wave 2 an engine crash), checked from the chain alone.
// Run by `npm test` (scripts/test.ts, suite "soak"); the long run is worker/bench/market.bench.ts (`npm run bench`).
import { expect } from "chai";
import { formatSoakReport } from "./formatSoakReport.ts";
import { runSoak, type RunSoakReturnType } from "./runSoak.ts";

describe("the whole market under load and faults (soak, short)", function () {
  // Each phase fails once its jobs stop moving for 5 min (runSoak: phaseTimeoutMs), which is what catches a stuck
  // job; the whole run only
  // needs room for a loaded machine (one run had not finished after 20 min at a load average of 36 on two cores).
  this.timeout(3_600_000);
  let r: RunSoakReturnType;

  before(async () => {
    try {
      const t0 = Date.now();
      r = await runSoak({
        jobsPerWave: 13,
        waves: 3,
        log: (line) => console.log(`      [${((Date.now() - t0) / 1000).toFixed(0)} s] ${line}`),
      });
    } catch (error) {
      for (const line of (error as { logs?: string[] }).logs ?? []) console.log(line);
      throw error;
    }
    console.log(formatSoakReport(r).replace(/^/gm, "      "));
  });

  it("ran at least 40 jobs and injected every fault at least once", () => {
    expect(r.check.jobs).to.be.at.least(40);
    for (const [fault, n] of Object.entries(r.faults)) expect(n, fault).to.be.at.least(1);
  });

  it("brought every job to exactly one terminal state", () => {
    expect(r.check.lostJobs.map(String)).to.deep.equal([]);
  });

  it("paid each job out once, never more than its escrow", () => {
    expect(r.check.doublePaid.map(String)).to.deep.equal([]);
  });

  it("balances the books: each token's balance is live escrow + fees + credits, each stake its own flows", () => {
    expect(r.check.accounting).to.deep.equal([]);
  });

  it("never slashed an honest provider", () => {
    for (const provider of r.honest) expect(r.check.slashes.get(provider.toLowerCase()), provider).to.equal(undefined);
  });

  it("slashed the cheater, and refunded its disputed job", () => {
    expect(r.check.slashes.get(r.cheater.toLowerCase())?.count).to.be.at.least(1);
    expect(r.check.byStatus.Slashed).to.be.at.least(1);
  });

  it("settled the job whose key never came by handing it back, and the honest disputed result for its provider", () => {
    expect(r.check.byStatus.Refunded).to.be.at.least(1);
    expect(r.check.disputes).to.be.at.least(2);
  });
});
