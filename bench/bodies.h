/*
 * bodies.h — shared by the benchmark drivers: the bodies (5th column) of
 * news.tsv loaded into one buffer, a monotonic clock, a median.
 */
#ifndef FH_BENCH_BODIES_H
#define FH_BENCH_BODIES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    char *text;        /* every body, back to back */
    size_t len;        /* bytes of text */
    size_t nb;         /* bodies */
    size_t *off, *blen;
} bench_bodies;

/* Load the bodies of path, stopping before max bytes.  0 or 2 (cannot
 * open, message printed) or 3 (out of memory). */
static inline int bench_load_bodies(const char *path, size_t max, bench_bodies *b)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 2;
    }
    size_t cap = 1 << 20, bcap = 1024;
    memset(b, 0, sizeof *b);
    b->text = malloc(cap);
    b->off = malloc(bcap * sizeof *b->off);
    b->blen = malloc(bcap * sizeof *b->blen);
    char *line = NULL;
    size_t lcap = 0;
    ssize_t n;
    while ((n = getline(&line, &lcap, f)) > 0) {
        char *p = line;
        for (int col = 0; col < 4 && p; col++) {
            p = memchr(p, '\t', (size_t)(line + n - p));
            if (p)
                p++;
        }
        if (!p)
            continue;
        size_t bl = (size_t)(line + n - p);
        while (bl && (p[bl - 1] == '\n' || p[bl - 1] == '\r'))
            bl--;
        if (b->len + bl > max)
            break;
        while (b->len + bl > cap)
            cap *= 2;
        b->text = realloc(b->text, cap);
        if (b->nb == bcap) {
            bcap *= 2;
            b->off = realloc(b->off, bcap * sizeof *b->off);
            b->blen = realloc(b->blen, bcap * sizeof *b->blen);
        }
        if (!b->text || !b->off || !b->blen)
            return 3;
        memcpy(b->text + b->len, p, bl);
        b->off[b->nb] = b->len;
        b->blen[b->nb++] = bl;
        b->len += bl;
    }
    free(line);
    fclose(f);
    return 0;
}

static inline void bench_free_bodies(bench_bodies *b)
{
    free(b->text);
    free(b->off);
    free(b->blen);
}

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time of this process: on a shared machine, wall time also counts the
 * time other jobs held the cores. */
static inline double bench_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline int bench_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of v[0..n), sorting v; 0 when n is 0. */
static inline double bench_median(double *v, int n)
{
    if (n <= 0)
        return 0;
    qsort(v, (size_t)n, sizeof *v, bench_cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif
