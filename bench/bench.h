/*
 * bench.h — what the C benchmarks share (header-only: analyze_bench.c,
 * fts5_bench.c): their input, the bodies (5th column) of news.tsv read into
 * one buffer (reading is never timed), a monotonic clock and the median.
 */
#ifndef FH_BENCH_H
#define FH_BENCH_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

/* seconds on a monotonic clock */
static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* seconds of CPU time this process has used (on a shared machine, the cost
 * of the work itself; wall time also counts the waits for a core) */
static inline double bench_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of v[0..n) (n > 0); sorts v, so v[0] and v[n-1] are then the
 * minimum and the maximum. */
static inline double bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, bench_cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The body (5th tab-separated column) of a news.tsv line of n bytes (as
 * read by getline), without its line end, and its length in *len; NULL if
 * the line has fewer than 5 columns. */
static inline const char *bench_news_body(const char *line, size_t n, size_t *len)
{
    const char *p = line;
    for (int col = 0; col < 4 && p; col++) {
        p = memchr(p, '\t', (size_t)(line + n - p));
        if (p)
            p++;
    }
    if (!p)
        return NULL;
    size_t bl = (size_t)(line + n - p);
    while (bl && (p[bl - 1] == '\n' || p[bl - 1] == '\r'))
        bl--;
    *len = bl;
    return p;
}

typedef struct bench_bodies {
    char *text;        /* every body, one after another (no separators) */
    size_t len;        /* bytes in text */
    size_t *off, *blen; /* body i is text[off[i] .. off[i] + blen[i]) */
    size_t n;
} bench_bodies;

/* Load the bodies of the TSV at path, up to max bytes in all ((size_t)-1:
 * every one).  Returns 0, 2 (cannot open: perror says why) or 3 (memory). */
static inline int bench_bodies_load(const char *path, size_t max, bench_bodies *b)
{
    memset(b, 0, sizeof *b);
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 2;
    }
    size_t cap = 1 << 20, bcap = 1024;
    b->text = malloc(cap);
    b->off = malloc(bcap * sizeof *b->off);
    b->blen = malloc(bcap * sizeof *b->blen);
    char *line = NULL;
    size_t lcap = 0;
    ssize_t n;
    while ((n = getline(&line, &lcap, f)) > 0) {
        size_t bl;
        const char *p = bench_news_body(line, (size_t)n, &bl);
        if (!p)
            continue;
        if (b->len + bl > max)
            break;
        while (b->len + bl > cap)
            cap *= 2;
        b->text = realloc(b->text, cap);
        if (b->n == bcap) {
            bcap *= 2;
            b->off = realloc(b->off, bcap * sizeof *b->off);
            b->blen = realloc(b->blen, bcap * sizeof *b->blen);
        }
        if (!b->text || !b->off || !b->blen) {
            free(line);
            fclose(f);
            return 3;
        }
        memcpy(b->text + b->len, p, bl);
        b->off[b->n] = b->len;
        b->blen[b->n++] = bl;
        b->len += bl;
    }
    free(line);
    fclose(f);
    return 0;
}

static inline void bench_bodies_free(bench_bodies *b)
{
    free(b->text);
    free(b->off);
    free(b->blen);
    memset(b, 0, sizeof *b);
}
#endif
