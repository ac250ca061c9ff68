import { describe, expect, it } from "vitest";
import { checkCost, defaultPayment, depositPaymentFor, paymentChoices, paymentFor } from "./cost.ts";

const base = {
  maxCost: 320n,
  balance: 1_000n,
  allowance: 0n,
  marketBalance: 0n,
  payment: "approve" as const,
  maxOutputTokens: 32,
  maxContext: 64,
};

describe("checkCost (price bounds before paying)", () => {
  it("passes when the balance covers the most the job can cost, and says when an approval comes first", () => {
    expect(checkCost(base)).toEqual({ ok: true, needsApproval: true });
    expect(checkCost({ ...base, allowance: 320n })).toEqual({ ok: true, needsApproval: false });
    expect(checkCost({ ...base, payment: "permit" })).toEqual({ ok: true, needsApproval: false });
  });
  it("names the shortfall when the balance is short by even one unit", () => {
    expect(checkCost({ ...base, balance: 319n })).toEqual({ ok: false, reason: "balance", missing: 1n });
    expect(checkCost({ ...base, balance: 320n }).ok).toBe(true);
  });
  it("refuses output budgets the provider's context cannot hold", () => {
    expect(checkCost({ ...base, maxOutputTokens: 64 })).toEqual({ ok: false, reason: "maxTokens", limit: 63 });
    expect(checkCost({ ...base, maxOutputTokens: 0 })).toMatchObject({ ok: false, reason: "maxTokens" });
  });
  it("pays from the balance in the market without an approval, whatever the wallet holds", () => {
    const fromBalance = { ...base, payment: "balance" as const, balance: 0n };
    expect(checkCost({ ...fromBalance, marketBalance: 320n })).toEqual({ ok: true, needsApproval: false });
    expect(checkCost({ ...fromBalance, marketBalance: 300n })).toEqual({
      ok: false,
      reason: "marketBalance",
      missing: 20n,
    });
  });
});

describe("defaultPayment (the pay form's choice until the person picks)", () => {
  it("is the balance in the market when it covers the most the job can cost, else approve", () => {
    expect(defaultPayment({ marketBalance: 320n, maxCost: 320n, permit: false })).toBe("balance");
    expect(defaultPayment({ marketBalance: 319n, maxCost: 320n, permit: false })).toBe("approve");
  });
  it("pays from the wallet by permit where the token takes one", () => {
    expect(defaultPayment({ marketBalance: 319n, maxCost: 320n, permit: true })).toBe("permit");
    expect(defaultPayment({ marketBalance: 320n, maxCost: 320n, permit: true })).toBe("balance");
  });
});

describe("paymentChoices and paymentFor (permit only where the token supports it)", () => {
  it("offers permit only for a token that takes one", () => {
    expect(paymentChoices({ permit: true })).toContain("permit");
    expect(paymentChoices({ permit: false })).toEqual(["balance", "approve"]);
  });
  it("keeps the person's choice while it is offered", () => {
    const state = { marketBalance: 0n, maxCost: 320n };
    expect(paymentFor({ chosen: "approve", permit: true, ...state })).toBe("approve");
    expect(paymentFor({ chosen: "balance", permit: false, ...state })).toBe("balance");
    expect(paymentFor({ chosen: "permit", permit: true, ...state })).toBe("permit");
  });
  it("never pays by permit with a token that has none", () => {
    expect(paymentFor({ chosen: "permit", permit: false, marketBalance: 0n, maxCost: 320n })).toBe("approve");
    expect(paymentFor({ chosen: "permit", permit: false, marketBalance: 320n, maxCost: 320n })).toBe("balance");
  });
  it("pays from the wallet until the balance and the cost are known", () => {
    expect(paymentFor({ chosen: undefined, permit: true, marketBalance: undefined, maxCost: 320n })).toBe("permit");
    expect(paymentFor({ chosen: undefined, permit: false, marketBalance: 999n, maxCost: undefined })).toBe("approve");
  });
});

describe("depositPaymentFor", () => {
  it("deposits by permit where the token takes one, by approve otherwise, unless the person chose", () => {
    expect(depositPaymentFor({ chosen: undefined, permit: true })).toBe("permit");
    expect(depositPaymentFor({ chosen: undefined, permit: false })).toBe("approve");
    expect(depositPaymentFor({ chosen: "approve", permit: true })).toBe("approve");
    expect(depositPaymentFor({ chosen: "permit", permit: false })).toBe("approve");
  });
});
