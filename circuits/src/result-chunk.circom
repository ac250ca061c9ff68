pragma circom 2.1.0;

// Result attestation of one output chunk (see circuits/README.md, "What the proof says").
//
// Public signals, in order (the one list is circuits/src/publicSignals.ts; IResultVerifier mirrors it):
//   [0] outputCommitment  Poseidon4(Poseidon16(c[0..15]), …, Poseidon16(c[48..63])) of the chunk's ciphertext.
//   [1] keyCommitment     Poseidon2(DOMAIN_KEY, outputKey), fixed by the user when the job was created.
//   [2] statement         jobId | provider << 40 | chunkIndex << 200 | byteLength << 208 | tokenCount << 219
//                         | maxTokens << 230  (250 bits).
// Private: outputKey, plaintext[64] (31 little-endian bytes per element).
//
// Why outputCommitment commits to the plaintext. The keystream ks = PRF(outputKey; jobId, provider, chunkIndex, j)
// is fixed once keyCommitment fixes outputKey (Poseidon2 is collision resistant) and the statement fixes the nonce.
// For a fixed keystream, c_i = active_i · (p_i + ks_i) is a bijection between the active plaintext elements and
// the ciphertext elements (and inactive plaintext elements are forced to 0), so the Poseidon digest of c binds p:
// two different plaintexts under one (key, nonce) would need two ciphertexts with one digest, a Poseidon collision.
// It hides p because ks is unpredictable without outputKey (the keystream is the rate part of a keyed Poseidon
// permutation; the capacity element out[0] is dropped, so the permutation cannot be inverted to recover the key).
// A validator given outputKey re-encrypts its own re-run and compares digests.
//
// What is NOT proven. Elements other than the boundary one are not range-checked to 31 bytes: a provider can
// encrypt a non-canonical element (>= 2^248). The user's decryption rejects it (decodes as an error), which is
// grounds for a dispute settled by stake, not by this proof. That the plaintext is the model's output is secured by
// re-execution and stake, not here.
//
// Cost: 4 keystream permutations (t = 17) + 4 Poseidon16 + Poseidon4 + Poseidon2 ≈ 5.6k constraints, plus
// ≈ 1k for the statement, length and boundary checks.

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "octo-constants.circom";

// A monotone 0/1 vector of length N whose sum is `count`: out[i] = (i < count). The decomposition is unique, and it
// forces 0 <= count <= N.
template StepVector(N) {
    signal input count;
    signal output out[N];

    var sum = 0;
    for (var i = 0; i < N; i++) {
        out[i] <-- i < count ? 1 : 0;
        out[i] * (out[i] - 1) === 0;
        if (i > 0) {
            // out[i] = 1 implies out[i-1] = 1: ones come first.
            out[i] * (1 - out[i - 1]) === 0;
        }
        sum += out[i];
    }
    sum === count;
}

// Keystream of one chunk: block j (j = 0..N_BLOCKS-1) is out[1..16] of the width-17 Poseidon permutation of
// [0 (capacity), DOMAIN_CIPHER, key, jobId, provider, chunkIndex, j, 0 × 10]; out[0] is discarded.
template ChunkKeystream(N_BLOCKS) {
    signal input key;
    signal input jobId;
    signal input provider;
    signal input chunkIndex;
    signal output out[N_BLOCKS * 16];

    component perm[N_BLOCKS];
    for (var j = 0; j < N_BLOCKS; j++) {
        perm[j] = PoseidonEx(16, 17);
        perm[j].initialState <== 0;
        perm[j].inputs[0] <== DOMAIN_CIPHER();
        perm[j].inputs[1] <== key;
        perm[j].inputs[2] <== jobId;
        perm[j].inputs[3] <== provider;
        perm[j].inputs[4] <== chunkIndex;
        perm[j].inputs[5] <== j;
        for (var k = 6; k < 16; k++) perm[j].inputs[k] <== 0;
        for (var k = 0; k < 16; k++) out[16 * j + k] <== perm[j].out[k + 1];
    }
}

// outputCommitment = Poseidon4 over the Poseidon16 digests of the four 16-element quarters of the ciphertext.
template CiphertextDigest(N) {
    assert(N == 64);
    signal input in[N];
    signal output out;

    component quarter[4];
    component top = Poseidon(4);
    for (var q = 0; q < 4; q++) {
        quarter[q] = Poseidon(16);
        for (var k = 0; k < 16; k++) quarter[q].inputs[k] <== in[16 * q + k];
        top.inputs[q] <== quarter[q].out;
    }
    out <== top.out;
}

template ResultChunk() {
    var N = CHUNK_ELEMENTS();
    var W = BYTES_PER_ELEMENT();
    assert(N == 64 && W == 31 && KEYSTREAM_BLOCK_ELEMENTS() == 16);

    signal input outputCommitment;
    signal input keyCommitment;
    signal input statement;

    signal input outputKey;
    signal input plaintext[N];

    // --- statement: a unique decomposition (2^250 < p, so Num2Bits(250) has one solution) -------------------------
    component bits = Num2Bits(STATEMENT_BITS());
    bits.in <== statement;
    var widths[6] = [
        STATEMENT_JOB_ID_BITS(), STATEMENT_PROVIDER_BITS(), STATEMENT_CHUNK_INDEX_BITS(),
        STATEMENT_BYTE_LENGTH_BITS(), STATEMENT_TOKEN_COUNT_BITS(), STATEMENT_MAX_TOKENS_BITS()
    ];
    var field[6];
    var offset = 0;
    for (var f = 0; f < 6; f++) {
        field[f] = 0;
        for (var b = 0; b < widths[f]; b++) field[f] += bits.out[offset + b] * (1 << b);
        offset += widths[f];
    }
    assert(offset == STATEMENT_BITS());
    signal jobId <== field[0];
    signal provider <== field[1];
    signal chunkIndex <== field[2];
    signal byteLength <== field[3];
    signal tokenCount <== field[4];
    signal maxTokens <== field[5];

    // --- key ----------------------------------------------------------------------------------------------------
    component keyHash = Poseidon(2);
    keyHash.inputs[0] <== DOMAIN_KEY();
    keyHash.inputs[1] <== outputKey;
    keyCommitment === keyHash.out;

    // --- length: byteLength = 31·q + r, 0 <= r <= 30, nElems = q + (r != 0) <= 64 -----------------------------
    // active[i] = (i < nElems); tail[k] = (k < r) for the bytes of the boundary element. Both are step vectors, so
    // their sums are their counts, and byteLength = 31·(nElems − tail[0]) + r is a linear identity between small
    // integers (no wrap-around): (nElems, r) is the unique Euclidean split of byteLength.
    signal nElems <-- (byteLength + W - 1) \ W;
    signal r <-- byteLength % W;
    component active = StepVector(N);
    active.count <== nElems;
    component tail = StepVector(W - 1);
    tail.count <== r;
    byteLength === W * (nElems - tail.out[0]) + r;

    component lengthOk = LessEqThan(STATEMENT_BYTE_LENGTH_BITS());
    lengthOk.in[0] <== byteLength;
    lengthOk.in[1] <== N * W;
    lengthOk.out === 1;

    // --- billing: tokenCount <= byteLength and tokenCount <= maxTokens (inputs range-checked by Num2Bits above) ---
    component tokensWithinBytes = LessEqThan(STATEMENT_BYTE_LENGTH_BITS());
    tokensWithinBytes.in[0] <== tokenCount;
    tokensWithinBytes.in[1] <== byteLength;
    tokensWithinBytes.out === 1;

    component tokensWithinMax = LessEqThan(STATEMENT_MAX_TOKENS_BITS());
    tokensWithinMax.in[0] <== tokenCount;
    tokensWithinMax.in[1] <== maxTokens;
    tokensWithinMax.out === 1;

    // --- plaintext shape ------------------------------------------------------------------------------------------
    // Elements past the output are zero.
    for (var i = 0; i < N; i++) (1 - active.out[i]) * plaintext[i] === 0;

    // The last active element (index nElems − 1) holds exactly r bytes when r != 0: it is < 2^(8r). Select it,
    // decompose it strictly (2^248 < p, so Num2Bits(248) is unique), and force every byte k >= r to zero.
    signal selected[N];
    var boundary = 0;
    for (var i = 0; i < N; i++) {
        var isLast = i + 1 < N ? active.out[i] - active.out[i + 1] : active.out[i];
        selected[i] <== isLast * plaintext[i];
        boundary += selected[i];
    }
    component boundaryBits = Num2Bits(8 * W);
    boundaryBits.in <== boundary;
    // mask_k = 1 iff r != 0 and k >= r, i.e. tail[0] − tail[k] (tail[30] := 0); k = 0 is never masked.
    signal boundaryByteOk[W - 1];
    for (var k = 1; k < W; k++) {
        var byteBits = 0;
        for (var b = 0; b < 8; b++) byteBits += boundaryBits.out[8 * k + b];
        var mask = k < W - 1 ? tail.out[0] - tail.out[k] : tail.out[0];
        // A sum of 8 bits is zero iff every bit is zero.
        boundaryByteOk[k - 1] <== mask * byteBits;
        boundaryByteOk[k - 1] === 0;
    }

    // --- encryption and commitment ----------------------------------------------------------------------------------
    component keystream = ChunkKeystream(N \ 16);
    keystream.key <== outputKey;
    keystream.jobId <== jobId;
    keystream.provider <== provider;
    keystream.chunkIndex <== chunkIndex;

    signal ciphertext[N];
    for (var i = 0; i < N; i++) ciphertext[i] <== active.out[i] * (plaintext[i] + keystream.out[i]);

    component digest = CiphertextDigest(N);
    digest.in <== ciphertext;
    outputCommitment === digest.out;
}
