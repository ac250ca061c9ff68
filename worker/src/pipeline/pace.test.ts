import { expect } from "chai";
import { NO_PACE, nextPace, queueSeconds } from "./pace.ts";

describe("pipeline/pace", () => {
  describe("nextPace", () => {
    it("takes the first job's time as it is", () => {
      expect(nextPace(0, 3)).to.equal(3);
    });

    it("moves a fifth of the way towards each later job's time", () => {
      expect(nextPace(10, 5)).to.be.closeTo(9, 1e-9);
      expect(nextPace(nextPace(10, 5), 5)).to.be.closeTo(8.2, 1e-9);
    });
  });

  describe("queueSeconds", () => {
    it("is 0 while neither the engine nor the prover has done a job", () => {
      expect(queueSeconds({ pace: NO_PACE, inferAhead: 5, inferredAhead: 5, capacity: 1 })).to.equal(0);
    });

    it("shares the jobs waiting for the engine among its slots", () => {
      const pace = { inferSeconds: 2, proveSeconds: 0 };
      expect(queueSeconds({ pace, inferAhead: 4, inferredAhead: 0, capacity: 2 })).to.equal(4);
    });

    it("counts every job not yet proven for the prover, which proves one job after another", () => {
      const pace = { inferSeconds: 0.1, proveSeconds: 3 };
      expect(queueSeconds({ pace, inferAhead: 1, inferredAhead: 2, capacity: 4 })).to.equal(9);
    });

    it("is the longer of the two waits", () => {
      const pace = { inferSeconds: 10, proveSeconds: 1 };
      expect(queueSeconds({ pace, inferAhead: 2, inferredAhead: 3, capacity: 1 })).to.equal(20);
    });
  });
});
