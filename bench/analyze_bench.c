/*
 * analyze_bench — fahras analysis throughput (normalize + tokenize + stem)
 * over the bodies (5th column) of news.tsv, single thread.
 *
 *   analyze_bench NEWS_TSV PASSES [MAX_BYTES] [--no-stem] [--no-stop]
 *
 * Bodies are read into memory first (I/O is not timed), one warm-up pass
 * runs over up to 20 MB, then PASSES timed passes each analyze every body.
 * MB = UTF-8 bytes of the bodies / 1e6.  Output matches the anchors':
 * `pass N: X.XX MB/s, T tokens` lines, then `median: X.XX MB/s`.
 * A fresh analyzer is made for each pass, so its stem cache starts cold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../include/fahras.h"
#include "news_body.h"

typedef struct {
    size_t tokens;
    size_t stembytes;
} counts;

static int on_token(void *ctx, const fh_token *t)
{
    counts *c = ctx;
    c->tokens++;
    c->stembytes += t->stem_len;
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: analyze_bench NEWS_TSV PASSES [MAX_BYTES]\n");
        return 2;
    }
    int passes = atoi(argv[2]);
    size_t max = argc > 3 ? strtoull(argv[3], NULL, 10) : (size_t)-1;
    fh_options opt = fh_options_default();
    if (max == 0)
        max = (size_t)-1;
    for (int i = 4; i < argc; i++) {
        if (!strcmp(argv[i], "--no-stem"))
            opt.stem = 0;
        else if (!strcmp(argv[i], "--no-stop"))
            opt.stopwords = 0;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    /* load bodies: one buffer, offsets */
    size_t cap = 1 << 20, len = 0, nb = 0, bcap = 1024;
    char *text = malloc(cap);
    size_t *off = malloc(bcap * sizeof *off), *blen = malloc(bcap * sizeof *blen);
    char *line = NULL;
    size_t lcap = 0;
    ssize_t n;
    while ((n = getline(&line, &lcap, f)) > 0) {
        size_t bl;
        const char *p = news_body(line, (size_t)n, &bl);
        if (!p)
            continue;
        if (len + bl > max)
            break;
        while (len + bl > cap)
            cap *= 2;
        text = realloc(text, cap);
        if (nb == bcap) {
            bcap *= 2;
            off = realloc(off, bcap * sizeof *off);
            blen = realloc(blen, bcap * sizeof *blen);
        }
        if (!text || !off || !blen)
            return 3;
        memcpy(text + len, p, bl);
        off[nb] = len;
        blen[nb++] = bl;
        len += bl;
    }
    free(line);
    fclose(f);
    fprintf(stderr, "loaded %zu bodies, %.2f MB\n", nb, len / 1e6);

    fh_analyzer *a;
    counts c = {0, 0};
    if (fh_analyzer_new(&opt, &a) != FH_OK)
        return 3;
    for (size_t i = 0, done = 0; i < nb && done < 20000000; i++) {
        fh_analyze(a, text + off[i], blen[i], on_token, &c);
        done += blen[i];
    }
    fh_analyzer_free(a);

    double *mbs = malloc((size_t)(passes > 0 ? passes : 1) * sizeof *mbs);
    for (int p = 0; p < passes; p++) {
        c.tokens = c.stembytes = 0;
        if (fh_analyzer_new(&opt, &a) != FH_OK)
            return 3;
        double t0 = now();
        for (size_t i = 0; i < nb; i++)
            fh_analyze(a, text + off[i], blen[i], on_token, &c);
        double t = now() - t0;
        fh_analyzer_free(a);
        mbs[p] = len / 1e6 / t;
        printf("pass %d: %.2f MB/s, %zu tokens\n", p + 1, mbs[p], c.tokens);
        fflush(stdout);
    }
    qsort(mbs, (size_t)passes, sizeof *mbs, cmp);
    if (passes > 0)
        printf("median: %.2f MB/s\n",
               passes % 2 ? mbs[passes / 2] : (mbs[passes / 2 - 1] + mbs[passes / 2]) / 2);
    free(mbs);
    free(text);
    free(off);
    free(blen);
    return 0;
}
