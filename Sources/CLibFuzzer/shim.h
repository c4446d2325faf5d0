#ifndef STRATA_CLIBFUZZER_SHIM_H
#define STRATA_CLIBFUZZER_SHIM_H
#include <stddef.h>
#include <stdint.h>

/* libFuzzer's driver (compiler-rt, linked by -sanitize=fuzzer). Declared only: strata-libfuzz
   calls it in its fuzzing build (STRATA_LIBFUZZER), where SwiftPM's own main is the entry. */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
