// Function multiversioning for the few hot numeric loops: the compiler
// builds an AVX2 copy beside the baseline one and picks at load time, so one
// binary runs everywhere and uses wide registers where they exist. Results
// are bit-identical: the build never contracts a*b+c into an FMA.
#ifndef SENTIMENT_SRC_VECTOR_CLONES_H_
#define SENTIMENT_SRC_VECTOR_CLONES_H_

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_ADDRESS__)
#define SENTIMENT_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define SENTIMENT_VECTOR_CLONES
#endif

#endif  // SENTIMENT_SRC_VECTOR_CLONES_H_
