#ifndef STRATA_GUARD_H
#define STRATA_GUARD_H

/* What the process is doing now, kept in static memory so that a signal handler can name
   it: the model file and the stage ("reading weights of conv2d_3"). Used by single commands
   (a crash or a hang ends in one line and exit 1) and by batch workers (the stage is also
   streamed to the batch). Every function is safe to call from any thread; the texts are
   truncated to the buffers' sizes. */

/* Sets the file named in the messages. */
void strata_guard_set_file(const char *file);

/* Sets the current stage. */
void strata_guard_set_stage(const char *stage);

/* Copies the current stage into `buffer` (NUL-terminated, at most `size` bytes). */
void strata_guard_copy_stage(char *buffer, int size);

/* Installs handlers for SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE and SIGTRAP (on an
   alternate stack, so a stack overflow on the main thread is caught too) that write
   "strata: error: FILE: crashed (SIGSEGV) while STAGE ..." to standard error and end the
   process with exit code 1, without a core dump. */
void strata_guard_install_crash_handlers(void);

/* After `seconds` (> 0) of wall time, writes "strata: error: FILE: stopped after N s while
   STAGE ..." to standard error and ends the process with exit code 1. 0 cancels. */
void strata_guard_set_timeout(unsigned int seconds);

/* Limits the process's address space to `bytes` (RLIMIT_AS) and turns core dumps off
   (RLIMIT_CORE 0). Returns 0, or -1 with errno set. bytes == 0 leaves the address space as
   it is. */
int strata_guard_limit_memory(unsigned long long bytes);

/* Turns core dumps off (RLIMIT_CORE 0). */
void strata_guard_no_core_dumps(void);

/* Asks the kernel to send SIGKILL to this process when its parent ends (a batch worker
   never outlives the batch). Returns 0, or -1 with errno set. */
int strata_guard_die_with_parent(void);

/* Test helper: a real native fault, as a damaged file makes in a C library. kind 0 writes
   through a null pointer (SIGSEGV), 1 calls abort() (SIGABRT, as glibc does on heap
   corruption). Does not return. */
void strata_guard_test_fault(int kind);

#endif
