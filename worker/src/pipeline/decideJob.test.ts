import { expect } from "chai";
import { decideJob, type DecideJobParameters } from "./decideJob.ts";

const me = "0x00000000000000000000000000000000000000aa" as const;
const model = `0x${"11".repeat(32)}` as const;
const usdc = "0x00000000000000000000000000000000000000cc" as const;
const base: DecideJobParameters = {
  job: {
    modelId: model,
    paymentToken: usdc,
    maxPricePerToken: 10n,
    maxOutputTokens: 100,
    minTier: 0,
    deadline: 10_000,
    provider: "0x0000000000000000000000000000000000000000",
    verifiable: true,
  },
  me,
  myTier: 1,
  offers: [{ modelId: model, paymentToken: usdc, pricePerToken: 10n, maxContext: 2048, verifiable: true }],
  now: 1_000,
  minTimeToDeadline: 120,
  queueSeconds: 0,
  engineHealthy: true,
  selfTestPassed: true,
  freeSlots: 1,
  stakeSlots: 1,
};
const withJob = (job: Partial<DecideJobParameters["job"]>) => ({ ...base, job: { ...base.job, ...job } });

describe("decideJob", () => {
  it("takes an open job for an offered model at an acceptable price", () => {
    expect(decideJob(base)).to.deep.include({ take: true });
  });
  it("takes a job that names this provider", () => {
    expect(decideJob(withJob({ provider: me })).take).to.equal(true);
  });
  it("skips a job named for another provider", () => {
    expect(decideJob(withJob({ provider: "0x00000000000000000000000000000000000000bb" }))).to.deep.equal({
      take: false,
      reason: "named-another-provider",
    });
  });
  it("skips a model it does not offer", () => {
    expect(decideJob(withJob({ modelId: `0x${"22".repeat(32)}` }))).to.deep.equal({
      take: false,
      reason: "model-not-offered",
    });
  });
  it("skips a payment token it does not price", () => {
    expect(decideJob(withJob({ paymentToken: me }))).to.deep.equal({
      take: false,
      reason: "payment-token-not-offered",
    });
  });
  it("skips a job whose price is below the offer", () => {
    expect(decideJob(withJob({ maxPricePerToken: 9n }))).to.deep.equal({ take: false, reason: "price-below-offer" });
  });
  it("skips a job that wants a higher tier", () => {
    expect(decideJob(withJob({ minTier: 2 }))).to.deep.equal({ take: false, reason: "tier-too-low" });
  });
  it("skips a job whose deadline leaves too little time", () => {
    expect(decideJob(withJob({ deadline: 1_100 }))).to.deep.equal({ take: false, reason: "deadline-too-close" });
  });
  it("counts only half the time left for an open job, whose key may come that late (JobMarket's key deadline)", () => {
    // 200 s left, 120 s needed: a named job fits; an open job's user may hold the key for 100 s of them.
    expect(decideJob(withJob({ deadline: 1_200, provider: me })).take).to.equal(true);
    expect(decideJob(withJob({ deadline: 1_200 }))).to.deep.equal({ take: false, reason: "deadline-too-close" });
    expect(decideJob(withJob({ deadline: 1_240 })).take).to.equal(true);
  });
  it("skips while the engine is unhealthy", () => {
    expect(decideJob({ ...base, engineHealthy: false })).to.deep.equal({ take: false, reason: "engine-unhealthy" });
  });
  it("skips when no slot is free", () => {
    expect(decideJob({ ...base, freeSlots: 0 })).to.deep.equal({ take: false, reason: "no-capacity" });
  });
  it("waits, rather than skip, while the jobs already taken would keep it past its deadline", () => {
    // 9,000 s left: 120 s of its own work fit, but not behind 8,900 s of queued inference and proving.
    expect(decideJob({ ...base, queueSeconds: 8_900 })).to.deep.equal({ take: false, reason: "queue-too-long" });
    expect(decideJob({ ...base, queueSeconds: 8_880 })).to.deep.include({ take: true });
  });
  it("skips a verifiable job when its offer takes none, and still takes a job that is not verifiable", () => {
    const notVerifiable = { ...base, offers: [{ ...base.offers[0]!, verifiable: false }] };
    expect(decideJob(notVerifiable)).to.deep.equal({ take: false, reason: "verifiable-not-offered" });
    expect(decideJob({ ...notVerifiable, job: { ...base.job, verifiable: false } })).to.deep.include({ take: true });
  });
  it("waits with a verifiable job until the engine's self-test has passed; other jobs need no self-test", () => {
    expect(decideJob({ ...base, selfTestPassed: false })).to.deep.equal({ take: false, reason: "self-test-pending" });
    expect(decideJob({ ...base, selfTestPassed: false, job: { ...base.job, verifiable: false } })).to.deep.include({
      take: true,
    });
  });
  it("waits when the free stake cannot back another job's collateral", () => {
    expect(decideJob({ ...base, stakeSlots: 0 })).to.deep.equal({ take: false, reason: "stake-exhausted" });
  });
});
