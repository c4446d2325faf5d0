#ifndef STRATA_CHDF5_SHIM_H
#define STRATA_CHDF5_SHIM_H
#include <hdf5.h>
#include <hdf5_hl.h>
#include <string.h>

/* Macros and mutable globals that Swift 6 cannot import directly. */
static inline hid_t strata_h5t_c_s1(void) { return H5T_C_S1; }
static inline hid_t strata_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t strata_h5p_default(void) { return H5P_DEFAULT; }
static inline unsigned strata_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline size_t strata_h5t_variable(void) { return H5T_VARIABLE; }
static inline hid_t strata_h5s_all(void) { return H5S_ALL; }
static inline hid_t strata_h5e_default(void) { return H5E_DEFAULT; }
static inline unsigned strata_h5o_info_basic(void) { return H5O_INFO_BASIC; }
/* H5LTopen_file_image flags: the caller keeps the buffer alive until H5Fclose. */
static inline unsigned strata_h5lt_dont_copy_dont_release(void) {
    return H5LT_FILE_IMAGE_DONT_COPY | H5LT_FILE_IMAGE_DONT_RELEASE;
}

/* Keeps libhdf5 from registering its exit handler (H5_term_library). A damaged file can
   corrupt libhdf5's free lists during a read that fails cleanly; the handler would then
   abort the process at exit, after Strata has reported the clean error. Must run before
   any other HDF5 call; later calls do nothing. */
static inline void strata_h5_no_atexit(void) { H5dont_atexit(); }

/* Silence HDF5's own error printing; errors are reported by Strata with context.
   In a thread-safe build the setting is per thread, so call it before every operation. */
static inline void strata_h5_quiet(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

/* The object address of a group or dataset (creation order in a freshly written file). */
static inline haddr_t strata_h5_object_address(hid_t obj) {
    H5O_info_t info;
    if (H5Oget_info2(obj, &info, H5O_INFO_BASIC) < 0) return HADDR_UNDEF;
    return info.addr;
}

/* Collects the descriptions of this thread's HDF5 error stack, innermost last, into buf. */
typedef struct { char *buf; size_t size; } strata_h5_error_text;

static herr_t strata_h5_error_walker(unsigned n, const H5E_error2_t *err, void *data) {
    (void)n;
    strata_h5_error_text *t = (strata_h5_error_text *)data;
    if (err == NULL || err->desc == NULL || err->desc[0] == '\0') return 0;
    size_t used = strlen(t->buf);
    if (used + 4 >= t->size) return 0;
    if (used > 0) { strncat(t->buf, "; ", t->size - used - 1); used += 2; }
    strncat(t->buf, err->desc, t->size - used - 1);
    return 0;
}

/* Writes "desc; desc; ..." (outermost first) into buf and clears the stack. */
static inline void strata_h5_error_message(char *buf, size_t size) {
    if (size == 0) return;
    buf[0] = '\0';
    strata_h5_error_text t = { buf, size };
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, strata_h5_error_walker, &t);
    H5Eclear2(H5E_DEFAULT);
}
/* Where and how a dataset's values are stored, read from its creation property list, for
   checks before H5Dread: a damaged layout message can send libhdf5 past the end of the file. */
typedef struct {
    int layout;                /* H5D_layout_t: 0 compact, 1 contiguous, 2 chunked, 3 virtual; -1 unreadable */
    unsigned long long offset; /* contiguous: the values' address in the file; HADDR_UNDEF when none */
    unsigned long long storage;/* bytes allocated for the values */
    int chunk_rank;            /* chunked: rank of the chunk dimensions */
    unsigned long long chunk[32];
    int nfilters;
    int filter[16];            /* filter ids, in pipeline order */
    int filter_available[16];  /* H5Zfilter_avail for each */
} strata_h5d_storage;

static inline int strata_h5d_storage_of(hid_t did, strata_h5d_storage *out) {
    memset(out, 0, sizeof *out);
    out->layout = -1;
    hid_t dcpl = H5Dget_create_plist(did);
    if (dcpl < 0) return -1;
    out->layout = (int)H5Pget_layout(dcpl);
    out->offset = (unsigned long long)H5Dget_offset(did);
    out->storage = (unsigned long long)H5Dget_storage_size(did);
    if (out->layout == H5D_CHUNKED) {
        hsize_t dims[32];
        int rank = H5Pget_chunk(dcpl, 32, dims);
        out->chunk_rank = rank;
        for (int i = 0; i < rank && i < 32; i++) out->chunk[i] = dims[i];
    }
    int n = H5Pget_nfilters(dcpl);
    out->nfilters = n;
    for (int i = 0; i < n && i < 16; i++) {
        unsigned flags = 0, config = 0;
        size_t nelmts = 0;
        char name[64];
        H5Z_filter_t id = H5Pget_filter2(dcpl, (unsigned)i, &flags, &nelmts, NULL, sizeof name, name, &config);
        out->filter[i] = (int)id;
        out->filter_available[i] = id >= 0 ? (H5Zfilter_avail(id) > 0) : 0;
    }
    H5Pclose(dcpl);
    return 0;
}

static inline unsigned long long strata_haddr_undef(void) { return (unsigned long long)HADDR_UNDEF; }

#endif
