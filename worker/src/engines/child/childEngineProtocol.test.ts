import { expect } from "chai";
import {
  EngineConfigError,
  EngineCrashedError,
  EngineError,
  EngineRequestError,
  EngineStartError,
  EngineUnavailableError,
  GenerationAbortedError,
  PromptTooLongError,
} from "../errors.ts";
import { reviveEngineError, serializeEngineError } from "./childEngineProtocol.ts";

/** Through serialization and structured clone, as over the IPC channel. */
const acrossProcesses = (error: unknown) => reviveEngineError(structuredClone(serializeEngineError(error)));

describe("childEngineProtocol: engine errors across the process boundary", () => {
  const cases: Array<[string, EngineError, Record<string, unknown>]> = [
    [
      "PromptTooLongError",
      new PromptTooLongError({ promptTokens: 300, maxTokens: 8, contextSize: 256 }),
      { promptTokens: 300, maxTokens: 8, contextSize: 256, fault: "input" },
    ],
    [
      "GenerationAbortedError",
      new GenerationAbortedError({ text: "partial", tokens: 3 }),
      { text: "partial", tokens: 3, fault: "aborted" },
    ],
    [
      "EngineUnavailableError",
      new EngineUnavailableError("model file not readable: /m.gguf"),
      { reason: "model file not readable: /m.gguf", fault: "provider" },
    ],
    [
      "EngineConfigError",
      new EngineConfigError("threads", "must be an integer ≥ 1 (got 0)"),
      { field: "threads", problem: "must be an integer ≥ 1 (got 0)" },
    ],
    [
      "EngineRequestError",
      new EngineRequestError("maxTokens must be an integer ≥ 1 (got 0)", { status: 400 }),
      { status: 400 },
    ],
    ["EngineCrashedError", new EngineCrashedError("gone", { details: "last words" }), { details: "last words" }],
    ["EngineStartError", new EngineStartError("never ready"), {}],
  ];
  for (const [name, error, fields] of cases) {
    it(`keeps a ${name}'s class, message and fields`, () => {
      const revived = acrossProcesses(error);
      expect(revived.constructor).to.equal(error.constructor);
      expect(revived.name).to.equal(name);
      expect(revived.message).to.equal(error.message);
      expect(revived).to.deep.include(fields);
    });
  }

  it("turns anything else the engine throws into an EngineError that names it", () => {
    const revived = acrossProcesses(new TypeError("undefined is not a function"));
    expect(revived.constructor).to.equal(EngineError);
    expect(revived.shortMessage).to.include("undefined is not a function");
  });
});
