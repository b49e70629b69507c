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

/// Hints the CPU to bring the cache line at `p` in (for the simulator's gather of feature rows).
static inline void isoplan_prefetch(const void *p) { __builtin_prefetch(p); }

#endif
