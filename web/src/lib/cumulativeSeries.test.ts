import { describe, expect, it } from "vitest";
import { chartPath, cumulativeSeries } from "./cumulativeSeries.ts";

describe("cumulativeSeries", () => {
  it("adds up the amounts in time order", () => {
    expect(
      cumulativeSeries([
        { at: 300, amount: 5n },
        { at: 100, amount: 2n },
        { at: 200, amount: 3n },
      ]),
    ).toEqual([
      { at: 100, total: 2n },
      { at: 200, total: 5n },
      { at: 300, total: 10n },
    ]);
  });

  it("makes one point of the events at the same time", () => {
    expect(
      cumulativeSeries([
        { at: 100, amount: 2n },
        { at: 100, amount: 3n },
      ]),
    ).toEqual([{ at: 100, total: 5n }]);
  });

  it("is empty without events", () => {
    expect(cumulativeSeries([])).toEqual([]);
  });
});

describe("chartPath", () => {
  it("draws the running total as steps from zero to the top of the box", () => {
    const points = cumulativeSeries([
      { at: 0, amount: 1n },
      { at: 50, amount: 1n },
      { at: 100, amount: 2n },
    ]);
    expect(chartPath(points, 200, 40)).toBe("M0,40 H0 V30 H100 V20 H200 V0 H200");
  });

  it("draws one event as a step held to the right edge", () => {
    expect(chartPath([{ at: 7, total: 9n }], 200, 40)).toBe("M0,40 H0 V0 H200");
  });

  it("draws nothing without points", () => {
    expect(chartPath([], 200, 40)).toBe("");
  });
});
