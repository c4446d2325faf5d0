#define _GNU_SOURCE
#include "strata_guard.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

/* The buffers a handler reads. A write racing a crash can leave a torn text; it is still
   NUL-terminated, because the last byte is never written. */
static char guard_file[1024];
static char guard_stage[512];
static unsigned int guard_timeout_seconds;
static char guard_alt_stack[64 * 1024];

static void copy_text(char *to, int size, const char *from) {
    int i = 0;
    if (from) {
        for (; i < size - 1 && from[i]; i++) to[i] = from[i];
    }
    to[i] = 0;
}

void strata_guard_set_file(const char *file) { copy_text(guard_file, (int)sizeof guard_file, file); }

void strata_guard_set_stage(const char *stage) { copy_text(guard_stage, (int)sizeof guard_stage, stage); }

void strata_guard_copy_stage(char *buffer, int size) {
    if (size <= 0) return;
    copy_text(buffer, size, guard_stage);
}

/* Async-signal-safe output: write(2) of static or stack text only. */
static void put(const char *text) {
    size_t n = strlen(text);
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, text, n);
        if (w <= 0) return;
        text += w;
        n -= (size_t)w;
    }
}

static void put_unsigned(unsigned int v) {
    char digits[16];
    int i = (int)sizeof digits - 1;
    digits[i] = 0;
    do { digits[--i] = (char)('0' + v % 10); v /= 10; } while (v && i > 0);
    put(digits + i);
}

static const char *signal_name(int sig) {
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGABRT: return "SIGABRT";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGTRAP: return "SIGTRAP";
    default: return "a signal";
    }
}

static void prefix(void) {
    put("strata: error: ");
    if (guard_file[0]) { put(guard_file); put(": "); }
}

static void on_crash(int sig) {
    prefix();
    put("crashed (");
    put(signal_name(sig));
    put(")");
    if (guard_stage[0]) { put(" while "); put(guard_stage); }
    put("; the file is probably damaged (a native library such as libhdf5 failed on it), or Strata has a bug\n");
    _exit(1);
}

static void on_alarm(int sig) {
    (void)sig;
    prefix();
    put("stopped after ");
    put_unsigned(guard_timeout_seconds);
    put(" s");
    if (guard_stage[0]) { put(" while "); put(guard_stage); }
    put(" (--model-timeout)\n");
    _exit(1);
}

void strata_guard_no_core_dumps(void) {
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
}

void strata_guard_install_crash_handlers(void) {
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_sp = guard_alt_stack;
    ss.ss_size = sizeof guard_alt_stack;
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_crash;
    sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    int signals[] = {SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE, SIGTRAP};
    sigset_t unblock;
    sigemptyset(&unblock);
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        sigaction(signals[i], &sa, NULL);
        sigaddset(&unblock, signals[i]);
    }
    /* A parent may have started us with signals blocked; threads made later inherit this. */
    pthread_sigmask(SIG_UNBLOCK, &unblock, NULL);
    strata_guard_no_core_dumps();
}

void strata_guard_set_timeout(unsigned int seconds) {
    guard_timeout_seconds = seconds;
    if (seconds == 0) { alarm(0); return; }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, SIGALRM);
    pthread_sigmask(SIG_UNBLOCK, &unblock, NULL);
    alarm(seconds);
}

int strata_guard_limit_memory(unsigned long long bytes) {
    strata_guard_no_core_dumps();
    if (bytes == 0) return 0;
    struct rlimit limit = {(rlim_t)bytes, (rlim_t)bytes};
    return setrlimit(RLIMIT_AS, &limit);
}

int strata_guard_die_with_parent(void) { return prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0); }

void strata_guard_test_fault(int kind) {
    if (kind == 1) abort();
    volatile int *nowhere = (volatile int *)0;
    *nowhere = 1;
    abort();
}
