pragma circom 2.1.0;

// The production circuit: one 1984-byte chunk. Public signals: [outputCommitment, keyCommitment, statement].
include "result-chunk.circom";

component main { public [outputCommitment, keyCommitment, statement] } = ResultChunk();
