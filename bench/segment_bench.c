/*
 * segment_bench — fahras segmentation throughput over the bodies (5th
 * column) of news.tsv, single thread.
 *
 *   segment_bench NEWS_TSV PASSES [MAX_BYTES] [--scheme clitics]
 *
 * Bodies are read into memory first (I/O is not timed).  Words are the
 * input's whitespace-separated words, counted once before timing.  One
 * warm-up pass runs over up to 20 MB with its own segmenter, then PASSES
 * timed passes each segment every body with a fresh segmenter (its cache
 * starts cold) into one output buffer.  Speeds are per wall-clock second,
 * and per second of this process's CPU time (the machine may be shared).  Prints `pass N: X.XX Mwords/s,
 * Y.YY MB/s` lines, `median: X.XX Mwords/s`, and memory:
 * the process's peak RSS, and what it was before the first segmenter.
 */
#include <sys/resource.h>

#include "../include/fahras.h"
#include "bench.h"

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: segment_bench NEWS_TSV PASSES [MAX_BYTES] [--scheme clitics]\n");
        return 2;
    }
    int passes = atoi(argv[2]);
    size_t max = argc > 3 ? strtoull(argv[3], NULL, 10) : 0;
    if (max == 0)
        max = (size_t)-1;
    fh_segment_options opt = fh_segment_options_default();
    for (int i = 4; i < argc; i++)
        if (!strcmp(argv[i], "--scheme") && i + 1 < argc && !strcmp(argv[++i], "clitics"))
            opt.scheme = FH_SEG_CLITICS;
    bench_bodies b;
    int rc = bench_bodies_load(argv[1], max, &b);
    if (rc)
        return rc;
    size_t words = 0, longest = 0;
    for (size_t i = 0; i < b.n; i++) {
        const char *p = b.text + b.off[i];
        int in = 0;
        for (size_t k = 0; k < b.blen[i]; k++) {
            int sp = p[k] == ' ' || p[k] == '\t';
            words += !sp && !in;
            in = !sp;
        }
        if (b.blen[i] > longest)
            longest = b.blen[i];
    }
    fprintf(stderr, "loaded %zu bodies, %.2f MB, %zu words\n", b.n, b.len / 1e6, words);
    size_t cap = 4 * longest + 8;
    char *out = malloc(cap);
    double *wps = malloc((size_t)(passes > 0 ? passes : 1) * sizeof *wps);
    if (!out || !wps)
        return 3;
    long rss0 = peak_rss_kb();
    fh_segmenter *s;
    if (fh_segmenter_new(&opt, &s) != FH_OK)
        return 3;
    size_t outbytes = 0;
    for (size_t i = 0, done = 0; i < b.n && done < 20000000; i++) {
        outbytes += fh_segment(s, b.text + b.off[i], b.blen[i], out, cap);
        done += b.blen[i];
    }
    fh_segmenter_free(s);
    for (int p = 0; p < passes; p++) {
        outbytes = 0;
        if (fh_segmenter_new(&opt, &s) != FH_OK)
            return 3;
        double t0 = bench_now(), c0 = bench_cpu_now();
        for (size_t i = 0; i < b.n; i++)
            outbytes += fh_segment(s, b.text + b.off[i], b.blen[i], out, cap);
        double t = bench_now() - t0, ct = bench_cpu_now() - c0;
        fh_segmenter_free(s);
        wps[p] = words / 1e6 / t;
        printf("pass %d: %.2f Mwords/s, %.2f MB/s, %.2f Mwords/cpu-s, %zu bytes out\n", p + 1,
               wps[p], b.len / 1e6 / t, words / 1e6 / ct, outbytes);
        fflush(stdout);
    }
    if (passes > 0)
        printf("median: %.2f Mwords/s\n", bench_median(wps, passes));
    printf("memory: peak RSS %.1f MB, of which %.1f MB before the first segmenter (the bodies "
           "and the output buffer)\n",
           peak_rss_kb() / 1024.0, rss0 / 1024.0);
    free(wps);
    free(out);
    bench_bodies_free(&b);
    return 0;
}
