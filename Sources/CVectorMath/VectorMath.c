// Array kernels on the widest x86 instruction set the CPU has, chosen at run time, with portable C
// elsewhere: element-wise exp, log and the logistic through glibc's vector math library (libmvec,
// at most 4 ULP), whose vector entry points are declared here by their vector-ABI names because
// glibc's <math.h> only exposes them to auto-vectorisers (docs/PERFORMANCE.md, "Vector exp and
// log"); and the simulator's batch kernels (gathered dot products, a weighted row sum, binomial
// inversion in lanes), which add in the same order on every path.
#include "VectorMath.h"

#include <math.h>
#include <string.h>

// Products and sums stay separate roundings, as in Swift: a fused multiply-add would change the
// dot products' last bits between instruction sets.
#pragma STDC FP_CONTRACT OFF

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

// σ(z) lane by lane as `logistic_scalar` computes it: e = exp(−|z|), then 1/(1 + e) where z ≥ 0,
// else e/(1 + e) (NaN takes the second form).
static __m128d logistic2(__m128d z) {
    __m128d e = _ZGVbN2v_exp(_mm_or_pd(z, _mm_set1_pd(-0.0)));
    __m128d nonNegative = _mm_cmpge_pd(z, _mm_setzero_pd());
    __m128d numerator = _mm_or_pd(_mm_and_pd(nonNegative, _mm_set1_pd(1.0)), _mm_andnot_pd(nonNegative, e));
    return _mm_div_pd(numerator, _mm_add_pd(_mm_set1_pd(1.0), e));
}

__attribute__((target("avx2,fma"))) static __m256d logistic4(__m256d z) {
    __m256d e = _ZGVdN4v_exp(_mm256_or_pd(z, _mm256_set1_pd(-0.0)));
    __m256d nonNegative = _mm256_cmp_pd(z, _mm256_setzero_pd(), _CMP_GE_OQ);
    __m256d numerator = _mm256_blendv_pd(e, _mm256_set1_pd(1.0), nonNegative);
    return _mm256_div_pd(numerator, _mm256_add_pd(_mm256_set1_pd(1.0), e));
}

static void logistic_sse2(const double *x, double *y, long n) {
    ISOPLAN_LANES(_mm_loadu_pd, _mm_storeu_pd, logistic2, 2)
}
__attribute__((target("avx2,fma"))) static void logistic_avx2(const double *x, double *y, long n) {
    ISOPLAN_LANES(_mm256_loadu_pd, _mm256_storeu_pd, logistic4, 4)
}
#endif

static double logistic_scalar(double z) {
    double e = exp(-fabs(z));
    return (z >= 0 ? 1 : e) / (1 + e);
}

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

void isoplan_vector_logistic(IsoplanVectorMathISA isa, const double *x, double *y, long n) {
    apply(isa, ISOPLAN_KERNELS(logistic), logistic_scalar, x, y, n);
}

// Rows this many ahead are prefetched: the simulator's rows come in shuffled order, which the
// hardware prefetcher cannot follow (4 and 8 measured alike, 16 worse).
#define ISOPLAN_PREFETCH_AHEAD 8

static inline void prefetch_row(const double *matrix, const long *rows, long j, long count, long length) {
    if (j + ISOPLAN_PREFETCH_AHEAD >= count) return;
    const char *row = (const char *)(matrix + rows[j + ISOPLAN_PREFETCH_AHEAD] * length);
    for (long offset = 0; offset < length * (long)sizeof(double); offset += 64) __builtin_prefetch(row + offset);
}

// The tail after the last block of eight, one product at a time.
static inline double dot_tail(double total, const double *x, const double *y, long k, long n) {
    for (; k < n; k++) total += x[k] * y[k];
    return total;
}

// Eight partial sums a[i] over elements k + i of each block of eight; the pairs (a0, a1), (a2,
// a3), (a4, a5), (a6, a7) are shortDotProduct's four two-lane vectors, summed as
// ((v01 + v23) + (v45 + v67)) lane by lane, then lane 0 + lane 1.
static double dot_scalar(const double *x, const double *y, long n) {
    double a[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    long k = 0;
    for (; k + 8 <= n; k += 8)
        for (int i = 0; i < 8; i++) a[i] += x[k + i] * y[k + i];
    double lane0 = (a[0] + a[2]) + (a[4] + a[6]);
    double lane1 = (a[1] + a[3]) + (a[5] + a[7]);
    return dot_tail(lane0 + lane1, x, y, k, n);
}

#ifdef ISOPLAN_HAS_LIBMVEC
static double dot_sse2(const double *x, const double *y, long n) {
    __m128d v01 = _mm_setzero_pd(), v23 = _mm_setzero_pd(), v45 = _mm_setzero_pd(), v67 = _mm_setzero_pd();
    long k = 0;
    for (; k + 8 <= n; k += 8) {
        v01 = _mm_add_pd(v01, _mm_mul_pd(_mm_loadu_pd(x + k), _mm_loadu_pd(y + k)));
        v23 = _mm_add_pd(v23, _mm_mul_pd(_mm_loadu_pd(x + k + 2), _mm_loadu_pd(y + k + 2)));
        v45 = _mm_add_pd(v45, _mm_mul_pd(_mm_loadu_pd(x + k + 4), _mm_loadu_pd(y + k + 4)));
        v67 = _mm_add_pd(v67, _mm_mul_pd(_mm_loadu_pd(x + k + 6), _mm_loadu_pd(y + k + 6)));
    }
    __m128d t = _mm_add_pd(_mm_add_pd(v01, v23), _mm_add_pd(v45, v67));
    return dot_tail(_mm_cvtsd_f64(t) + _mm_cvtsd_f64(_mm_unpackhi_pd(t, t)), x, y, k, n);
}

// Four lanes: low = (v01 | v23) as one vector, high = (v45 | v67); half the instructions.
__attribute__((target("avx2"))) static double dot_avx2(const double *x, const double *y, long n) {
    __m256d low = _mm256_setzero_pd(), high = _mm256_setzero_pd();
    long k = 0;
    for (; k + 8 <= n; k += 8) {
        low = _mm256_add_pd(low, _mm256_mul_pd(_mm256_loadu_pd(x + k), _mm256_loadu_pd(y + k)));
        high = _mm256_add_pd(high, _mm256_mul_pd(_mm256_loadu_pd(x + k + 4), _mm256_loadu_pd(y + k + 4)));
    }
    __m128d v0123 = _mm_add_pd(_mm256_castpd256_pd128(low), _mm256_extractf128_pd(low, 1));
    __m128d v4567 = _mm_add_pd(_mm256_castpd256_pd128(high), _mm256_extractf128_pd(high, 1));
    __m128d t = _mm_add_pd(v0123, v4567);
    return dot_tail(_mm_cvtsd_f64(t) + _mm_cvtsd_f64(_mm_unpackhi_pd(t, t)), x, y, k, n);
}

// accumulator[k] += weights[j]·row_j[k], rows in order, each element its own product and sum.
static void accumulate_scalar(const double *matrix, const long *rows, const double *weights, long count, long length,
                              double *accumulator) {
    for (long j = 0; j < count; j++) {
        const double *row = matrix + rows[j] * length;
        for (long k = 0; k < length; k++) accumulator[k] += weights[j] * row[k];
    }
}

__attribute__((target("avx2"))) static void accumulate_avx2(const double *matrix, const long *rows,
                                                           const double *weights, long count, long length,
                                                           double *accumulator) {
    if (length == 32) {
        // The simulator's feature dimension: the whole accumulator in eight registers, one pass
        // over the rows.
        __m256d a[8];
        for (int v = 0; v < 8; v++) a[v] = _mm256_loadu_pd(accumulator + 4 * v);
        for (long j = 0; j < count; j++) {
            const double *row = matrix + rows[j] * 32;
            __m256d w = _mm256_set1_pd(weights[j]);
            for (int v = 0; v < 8; v++) a[v] = _mm256_add_pd(a[v], _mm256_mul_pd(w, _mm256_loadu_pd(row + 4 * v)));
        }
        for (int v = 0; v < 8; v++) _mm256_storeu_pd(accumulator + 4 * v, a[v]);
        return;
    }
    long k = 0;
    // Eight accumulator elements at a time stay in two registers across all the rows.
    for (; k + 8 <= length; k += 8) {
        __m256d low = _mm256_loadu_pd(accumulator + k), high = _mm256_loadu_pd(accumulator + k + 4);
        for (long j = 0; j < count; j++) {
            const double *row = matrix + rows[j] * length + k;
            __m256d w = _mm256_set1_pd(weights[j]);
            low = _mm256_add_pd(low, _mm256_mul_pd(w, _mm256_loadu_pd(row)));
            high = _mm256_add_pd(high, _mm256_mul_pd(w, _mm256_loadu_pd(row + 4)));
        }
        _mm256_storeu_pd(accumulator + k, low);
        _mm256_storeu_pd(accumulator + k + 4, high);
    }
    if (k < length)
        for (long j = 0; j < count; j++) {
            const double *row = matrix + rows[j] * length;
            for (long t = k; t < length; t++) accumulator[t] += weights[j] * row[t];
        }
}

// Binomial inversion for n ≤ 16 in four lanes; see the header. Each lane repeats the Swift
// search's arithmetic: odds = p/(1 − p), qⁿ by binary exponentiation, pk·(odds·((n − k + 1)/k)).
__attribute__((target("avx2"))) static void binomial_inversion_avx2(long n, const double *probabilities,
                                                                   const double *uniforms, long count,
                                                                   long *successes) {
    double ratios[17];
    for (long k = 1; k <= n; k++) ratios[k] = (double)(n - k + 1) / (double)k;
    const __m256d one = _mm256_set1_pd(1.0), half = _mm256_set1_pd(0.5), trials = _mm256_set1_pd((double)n);
    for (long i = 0; i < count; i += 4) {
        long lanes = count - i < 4 ? count - i : 4;
        double pv[4] = {0, 0, 0, 0}, uv[4] = {0, 0, 0, 0}, kv[4];
        memcpy(pv, probabilities + i, (size_t)lanes * sizeof(double));
        memcpy(uv, uniforms + i, (size_t)lanes * sizeof(double));
        __m256d p = _mm256_loadu_pd(pv), u = _mm256_loadu_pd(uv);
        __m256d flip = _mm256_cmp_pd(p, half, _CMP_GT_OQ);
        __m256d lower = _mm256_blendv_pd(p, _mm256_sub_pd(one, p), flip);
        __m256d q = _mm256_sub_pd(one, lower);
        __m256d odds = _mm256_div_pd(lower, q);
        __m256d pk = one, base = q;
        for (long e = n; e > 0; e >>= 1) {
            if (e & 1) pk = _mm256_mul_pd(pk, base);
            base = _mm256_mul_pd(base, base);
        }
        __m256d k = _mm256_setzero_pd();
        __m256d searching = _mm256_cmp_pd(u, pk, _CMP_GT_OQ);
        for (long step = 1; step <= n; step++) {
            __m256d nextU = _mm256_sub_pd(u, pk);
            __m256d nextPk = _mm256_mul_pd(pk, _mm256_mul_pd(odds, _mm256_set1_pd(ratios[step])));
            u = _mm256_blendv_pd(u, nextU, searching);
            pk = _mm256_blendv_pd(pk, nextPk, searching);
            k = _mm256_add_pd(k, _mm256_and_pd(searching, one));
            searching = _mm256_and_pd(searching, _mm256_cmp_pd(u, pk, _CMP_GT_OQ));
            if (!_mm256_movemask_pd(searching)) break;  // all four have stopped
        }
        __m256d result = _mm256_blendv_pd(k, _mm256_sub_pd(trials, k), flip);
        _mm256_storeu_pd(kv, _mm256_blendv_pd(result, _mm256_set1_pd(-1.0), searching));
        for (long lane = 0; lane < lanes; lane++) successes[i + lane] = (long)kv[lane];
    }
}

__attribute__((target("avx2"))) static void gathered_avx2(const double *matrix, const long *rows, long count,
                                                         long length, const double *vector, double *out) {
    if (length == 32) {
        // The simulator's feature dimension: a constant length unrolls the sum and keeps the
        // vector in registers across rows.
        for (long j = 0; j < count; j++) {
            prefetch_row(matrix, rows, j, count, 32);
            out[j] = dot_avx2(matrix + rows[j] * 32, vector, 32);
        }
        return;
    }
    for (long j = 0; j < count; j++) {
        prefetch_row(matrix, rows, j, count, length);
        out[j] = dot_avx2(matrix + rows[j] * length, vector, length);
    }
}

static void gathered_sse2(const double *matrix, const long *rows, long count, long length, const double *vector,
                          double *out) {
    for (long j = 0; j < count; j++) {
        prefetch_row(matrix, rows, j, count, length);
        out[j] = dot_sse2(matrix + rows[j] * length, vector, length);
    }
}
#endif

void isoplan_accumulate_rows(IsoplanVectorMathISA isa, const double *matrix, const long *rows,
                             const double *weights, long count, long length, double *accumulator) {
#ifdef ISOPLAN_HAS_LIBMVEC
    if (isa == IsoplanVectorMathAVX2) return accumulate_avx2(matrix, rows, weights, count, length, accumulator);
#endif
    accumulate_scalar(matrix, rows, weights, count, length, accumulator);
}

int isoplan_binomial_inversion(IsoplanVectorMathISA isa, long n, const double *probabilities,
                               const double *uniforms, long count, long *successes) {
#ifdef ISOPLAN_HAS_LIBMVEC
    if (isa == IsoplanVectorMathAVX2 && n >= 1 && n <= 16) {
        binomial_inversion_avx2(n, probabilities, uniforms, count, successes);
        return 1;
    }
#endif
    return 0;
}

void isoplan_gathered_dot_products(IsoplanVectorMathISA isa, const double *matrix, const long *rows, long count,
                                   long length, const double *vector, double *out) {
#ifdef ISOPLAN_HAS_LIBMVEC
    if (isa == IsoplanVectorMathAVX2) return gathered_avx2(matrix, rows, count, length, vector, out);
    if (isa == IsoplanVectorMathSSE2) return gathered_sse2(matrix, rows, count, length, vector, out);
#endif
    for (long j = 0; j < count; j++) {
        prefetch_row(matrix, rows, j, count, length);
        out[j] = dot_scalar(matrix + rows[j] * length, vector, length);
    }
}
