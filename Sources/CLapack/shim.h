// OpenBLAS (CBLAS + OpenBLAS extensions) and LAPACKE, for NumericCore only.
#ifndef ISOPLAN_CLAPACK_SHIM_H
#define ISOPLAN_CLAPACK_SHIM_H

#include <cblas.h>
#include <lapacke.h>

/// LAPACKE's integer type under a name Swift imports without a macro.
typedef lapack_int lapack_int_t;

#endif
