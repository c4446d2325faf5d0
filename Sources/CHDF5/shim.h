#ifndef STRATA_CHDF5_SHIM_H
#define STRATA_CHDF5_SHIM_H
#include <hdf5.h>

/* Macros and mutable globals that Swift 6 cannot import directly. */
static inline hid_t strata_h5t_c_s1(void) { return H5T_C_S1; }
static inline hid_t strata_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t strata_h5p_default(void) { return H5P_DEFAULT; }
static inline unsigned strata_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline size_t strata_h5t_variable(void) { return H5T_VARIABLE; }
static inline hid_t strata_h5s_all(void) { return H5S_ALL; }
/* Silence HDF5's own error printing; errors are reported by Strata with context. */
static inline void strata_h5_quiet(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
#endif
