#ifndef ISOPLAN_VECTOR_MATH_H
#define ISOPLAN_VECTOR_MATH_H

/// The instruction sets the element-wise functions can run on.
typedef enum {
    /// One libm call per element (any CPU; the only path off x86-64 glibc).
    IsoplanVectorMathScalar = 0,
    /// glibc's libmvec, two lanes (`_ZGVbN2v_*`, any x86-64).
    IsoplanVectorMathSSE2 = 1,
    /// glibc's libmvec, four lanes (`_ZGVdN4v_*`, AVX2 and FMA).
    IsoplanVectorMathAVX2 = 2,
} IsoplanVectorMathISA;

/// Whether this CPU (and build) can run `isa`.
int isoplan_vector_math_supports(IsoplanVectorMathISA isa);

/// `y[i] = exp(x[i])` for `i < n` on `isa` (which must be supported); `x` may equal `y`.
/// Each element's result does not depend on its position or on `n`.
void isoplan_vector_exp(IsoplanVectorMathISA isa, const double *x, double *y, long n);

/// `y[i] = log(x[i])` for `i < n`, as ``isoplan_vector_exp``.
void isoplan_vector_log(IsoplanVectorMathISA isa, const double *x, double *y, long n);

/// `y[i] = 1/(1 + exp(−x[i]))` for `i < n`, as ``isoplan_vector_exp``: `e = exp(−|x|)` on `isa`,
/// then `1/(1 + e)` for `x ≥ 0` and `e/(1 + e)` otherwise, in one pass.
void isoplan_vector_logistic(IsoplanVectorMathISA isa, const double *x, double *y, long n);

/// `out[j] = Σ_k matrix[rows[j]·length + k]·vector[k]` for `j < count`, on `isa` (which must be
/// supported): dot products of a vector with rows of a row-major matrix picked in any order,
/// with a prefetch hint for the row a few ahead. Every sum is added in the order of NumericCore's
/// `shortDotProduct` (eight partial sums in four pairs, no fused multiply-add), so every
/// instruction set gives the same bits.
void isoplan_gathered_dot_products(IsoplanVectorMathISA isa, const double *matrix, const long *rows, long count,
                                   long length, const double *vector, double *out);

/// `accumulator[k] += weights[j]·matrix[rows[j]·length + k]` for every `j < count` (in order)
/// and `k < length`: a weighted sum of gathered rows of a row-major matrix added into a vector.
/// Each element is its own product and sum in the same order on every instruction set (no fused
/// multiply-add), so the bits are the same; AVX2 keeps the accumulator in registers.
void isoplan_accumulate_rows(IsoplanVectorMathISA isa, const double *matrix, const long *rows,
                             const double *weights, long count, long length, double *accumulator);

/// `Binomial(n, probabilities[i])` draws into `successes[i]` by sequential inversion of the CDF,
/// four draws at a time, for `1 ≤ n ≤ 16` on AVX2 (returns 0 and does nothing otherwise):
/// `p > ½` is reflected, and the four searches step together with their exits as a mask (until
/// all four have stopped), adding exactly as NumericCore's `Binomial` does, so a draw is the same
/// as Swift's from the same uniform. `uniforms[i]` is draw i's uniform in [0, 1) (any value where p is 0 or 1). A draw
/// whose search ran past k = n (rounding left u above the summed mass) gets −1: the caller
/// draws it again.
int isoplan_binomial_inversion(IsoplanVectorMathISA isa, long n, const double *probabilities,
                               const double *uniforms, long count, long *successes);


#endif
