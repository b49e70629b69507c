// Element-wise exp and log through glibc's vector math library (libmvec, at most 4 ULP), with the
// widest x86 instruction set the CPU has; plain libm elsewhere. The vector entry points are
// declared here by their vector-ABI names, because glibc's <math.h> only exposes them to
// auto-vectorisers (docs/PERFORMANCE.md, "Vector exp and log").
#include "VectorMath.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GLIBC__)
#define ISOPLAN_HAS_LIBMVEC 1
#include <immintrin.h>

__m128d _ZGVbN2v_exp(__m128d);
__m128d _ZGVbN2v_log(__m128d);
__attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_exp(__m256d);
__attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_log(__m256d);

// Full vectors in place, then the tail through a vector padded with ones, so that an element's
// result never depends on where it sits.
#define ISOPLAN_LANES(load, store, call, width)                      \
    long i = 0;                                                     \
    for (; i + (width) <= n; i += (width)) store(y + i, call(load(x + i))); \
    if (i < n) {                                                    \
        double pad[(width)];                                        \
        for (int k = 0; k < (width); k++) pad[k] = 1;               \
        memcpy(pad, x + i, (size_t)(n - i) * sizeof(double));      \
        store(pad, call(load(pad)));                                \
        memcpy(y + i, pad, (size_t)(n - i) * sizeof(double));      \
    }

static void exp_sse2(const double *x, double *y, long n) { ISOPLAN_LANES(_mm_loadu_pd, _mm_storeu_pd, _ZGVbN2v_exp, 2) }
static void log_sse2(const double *x, double *y, long n) { ISOPLAN_LANES(_mm_loadu_pd, _mm_storeu_pd, _ZGVbN2v_log, 2) }

__attribute__((target("avx2,fma"))) static void exp_avx2(const double *x, double *y, long n) {
    ISOPLAN_LANES(_mm256_loadu_pd, _mm256_storeu_pd, _ZGVdN4v_exp, 4)
}
__attribute__((target("avx2,fma"))) static void log_avx2(const double *x, double *y, long n) {
    ISOPLAN_LANES(_mm256_loadu_pd, _mm256_storeu_pd, _ZGVdN4v_log, 4)
}
#endif

int isoplan_vector_math_supports(IsoplanVectorMathISA isa) {
    switch (isa) {
    case IsoplanVectorMathScalar: return 1;
#ifdef ISOPLAN_HAS_LIBMVEC
    case IsoplanVectorMathSSE2: return 1;
    case IsoplanVectorMathAVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
    default: return 0;
    }
}

typedef void (*ArrayKernel)(const double *, double *, long);

/// Runs the kernel for `isa`, or `scalar` element by element where there is none.
static void apply(IsoplanVectorMathISA isa, ArrayKernel avx2, ArrayKernel sse2, double (*scalar)(double),
                  const double *x, double *y, long n) {
    ArrayKernel kernel = isa == IsoplanVectorMathAVX2 ? avx2 : isa == IsoplanVectorMathSSE2 ? sse2 : NULL;
    if (kernel) {
        kernel(x, y, n);
        return;
    }
    for (long i = 0; i < n; i++) y[i] = scalar(x[i]);
}

#ifdef ISOPLAN_HAS_LIBMVEC
#define ISOPLAN_KERNELS(name) name##_avx2, name##_sse2
#else
#define ISOPLAN_KERNELS(name) NULL, NULL
#endif

void isoplan_vector_exp(IsoplanVectorMathISA isa, const double *x, double *y, long n) {
    apply(isa, ISOPLAN_KERNELS(exp), exp, x, y, n);
}

void isoplan_vector_log(IsoplanVectorMathISA isa, const double *x, double *y, long n) {
    apply(isa, ISOPLAN_KERNELS(log), log, x, y, n);
}
