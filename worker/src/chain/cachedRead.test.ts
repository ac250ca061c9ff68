import { expect } from "chai";
import { cachedRead } from "./cachedRead.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("cachedRead", () => {
  it("serves callers who ask together with one read", async () => {
    let reads = 0;
    const get = cachedRead(1_000, async () => (await sleep(10), ++reads));
    expect(await Promise.all([get(), get(), get()])).to.deep.equal([1, 1, 1]);
    expect(reads).to.equal(1);
  });

  it("serves the value it read until the time to live has passed, then reads again", async () => {
    let reads = 0;
    const get = cachedRead(30, async () => ++reads);
    expect(await get()).to.equal(1);
    expect(await get()).to.equal(1);
    await sleep(40);
    expect(await get()).to.equal(2);
  });

  it("does not keep a failed read: every waiting caller gets the error, the next caller reads again", async () => {
    let reads = 0;
    const get = cachedRead(1_000, async () => {
      if (++reads === 1) throw new Error("rpc down");
      return reads;
    });
    const failed = await Promise.allSettled([get(), get()]);
    expect(failed.map((r) => r.status)).to.deep.equal(["rejected", "rejected"]);
    expect(await get()).to.equal(2);
  });
});
