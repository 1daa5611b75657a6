/*
 * fuzz.h — what every fuzz harness shares (the layout is in fuzz/README.md).
 *
 * A harness is one file, fuzz/fuzz_NAME.c, that defines
 * LLVMFuzzerTestOneInput() (and, if it needs set-up, LLVMFuzzerInitialize())
 * and a line
 *
 *   #define FUZZ_MAX_LEN 1024
 *
 * that fuzz/run.sh reads for libFuzzer's -max_len.  It is linked twice: with
 * libFuzzer (make FUZZ=1, clang) and with fuzz/replay.c, which runs the seeds
 * and saved reproducers through it in make test (any compiler, SAN=1 too).
 *
 * A harness checks invariants, not only the absence of crashes: FZ_CHECK()
 * prints the failed condition and aborts, which libFuzzer saves as a crash
 * and the replay driver reports.
 */
#ifndef FH_FUZZ_H
#define FH_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FZ_CHECK(cond) ((cond) ? (void)0 : fz_fail(#cond, __FILE__, __LINE__))

static inline void fz_fail(const char *what, const char *file, int line)
{
    fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", file, line, what);
    abort();
}

/* 1 if s[0..n) is valid UTF-8 (the library's own decoder, src/utf8.h). */
static inline int fz_valid_utf8(const char *s, size_t n)
{
    for (size_t i = 0, adv; i < n; i += adv)
        if (fh_utf8_next((const unsigned char *)s + i, n - i, &adv) == FH_UTF8_INVALID)
            return 0;
    return 1;
}

/* The input as control bytes then data: fz_byte() takes the next control
 * byte (0 once the input is used up). */
typedef struct fz_in {
    const uint8_t *p;
    size_t n;
} fz_in;

static inline unsigned fz_byte(fz_in *in)
{
    if (!in->n)
        return 0;
    in->n--;
    return *in->p++;
}

/* FNV-1a over n bytes, chained from h (a fingerprint for comparisons). */
static inline uint64_t fz_hash(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 1099511628211u;
    return h;
}
#define FZ_HASH0 14695981039346656037u

#endif
