#ifndef STRATA_CLINUX_SHIM_H
#define STRATA_CLINUX_SHIM_H
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <errno.h>
#include <malloc.h>

/* Hands freed heap memory back to the kernel (glibc keeps it otherwise): after an execution
   plan has packed the weights, the file-layout copies it freed stop counting in the RSS. */
static inline void strata_release_free_memory(void) { (void)malloc_trim(0); }

/* Atomically swaps two paths (files or folders) with renameat2(RENAME_EXCHANGE):
   publishing a model's report folder in one step. Returns 0, or -1 with errno set
   (ENOSYS/EINVAL where the kernel or file system lacks it). */
static inline int strata_rename_exchange(const char *a, const char *b) {
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */);
#else
    errno = ENOSYS;
    return -1;
#endif
}
#endif
