#ifndef STRATA_CDNNL_SHIM_H
#define STRATA_CDNNL_SHIM_H
/* oneDNN 2.x (Debian libdnnl-dev): no pkg-config file; headers under oneapi/dnnl. */
#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_debug.h>
#include <stdint.h>

/* Macros over casts that Swift cannot import. */
static inline void *strata_dnnl_memory_allocate(void) { return DNNL_MEMORY_ALLOCATE; }
static inline void *strata_dnnl_memory_none(void) { return DNNL_MEMORY_NONE; }

/* GNU OpenMP (Debian's oneDNN is built with it); <omp.h> is not on clang's path. */
extern void omp_set_num_threads(int);
extern int omp_get_max_threads(void);
static inline void strata_omp_set_num_threads(int n) { omp_set_num_threads(n); }
static inline int strata_omp_get_max_threads(void) { return omp_get_max_threads(); }
#endif
