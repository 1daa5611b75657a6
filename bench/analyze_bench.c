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

#include "../include/fahras.h"
#include "bench.h"

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
    bench_bodies bb;
    int lrc = bench_bodies_load(argv[1], max, &bb);
    if (lrc)
        return lrc;
    const char *text = bb.text;
    const size_t *off = bb.off, *blen = bb.blen;
    size_t nb = bb.n, len = bb.len;
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
        double t0 = bench_now();
        for (size_t i = 0; i < nb; i++)
            fh_analyze(a, text + off[i], blen[i], on_token, &c);
        double t = bench_now() - t0;
        fh_analyzer_free(a);
        mbs[p] = len / 1e6 / t;
        printf("pass %d: %.2f MB/s, %zu tokens\n", p + 1, mbs[p], c.tokens);
        fflush(stdout);
    }
    if (passes > 0)
        printf("median: %.2f MB/s\n", bench_median(mbs, passes));
    free(mbs);
    bench_bodies_free(&bb);
    return 0;
}
