export { circuitIdOf } from "../../src/circuitId.ts";
