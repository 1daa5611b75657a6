/*
 * fts5_bench — SQLite FTS5 indexing speed with tokenize='fahras' beside
 * tokenize='unicode61 remove_diacritics 2' (the eval's baseline), over the
 * bodies (5th column) of news.tsv.
 *
 *   fts5_bench NEWS_TSV PASSES [MAX_BYTES]
 *
 * Bodies are read into memory first.  Each pass indexes every body, in one
 * transaction, into a fresh in-memory contentless FTS5 table (content=''),
 * once per tokenizer, the two alternating (fahras first on odd passes,
 * unicode61 first on even ones) so that drifts in machine load hit both.
 * MB = UTF-8 bytes of the bodies / 1e6, per second of wall time and per
 * second of this process's CPU time (the machine is shared: CPU time is the
 * work itself).  Prints `pass N TOKENIZER: X.XX MB/s, Y.YY MB/cpu-s` lines,
 * then `median TOKENIZER: X.XX MB/s (min-max), Y.YY MB/cpu-s (min-max)` and
 * `ratio: X.XX wall, Y.YY cpu` (fahras / unicode61).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../include/fahras.h"
#include "bench.h"

static const char *const tokenizers[2] = {"fahras", "unicode61 remove_diacritics 2"};

/* Index every body with the tokenizer; returns the seconds taken (and the
 * CPU seconds in *cpu), < 0 on error. */
static double index_once(const bench_bodies *b, const char *tokenize, double *cpu)
{
    sqlite3 *db;
    sqlite3_stmt *st = NULL;
    char err[256], sql[200];
    double t = -1;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK || fh_sqlite_register(db, err, sizeof err) != FH_OK) {
        fprintf(stderr, "fts5_bench: %s\n", db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -1;
    }
    snprintf(sql, sizeof sql, "CREATE VIRTUAL TABLE t USING fts5(body, content='', tokenize='%s')", tokenize);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO t(rowid, body) VALUES (?, ?)", -1, &st, NULL) != SQLITE_OK)
        goto out;
    double t0 = bench_now(), c0 = bench_cpu_now();
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        goto out;
    for (size_t i = 0; i < b->n; i++) {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)i + 1);
        sqlite3_bind_text(st, 2, b->text + b->off[i], (int)b->blen[i], SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto out;
        sqlite3_reset(st);
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        goto out;
    t = bench_now() - t0;
    *cpu = bench_cpu_now() - c0;
out:
    if (t < 0)
        fprintf(stderr, "fts5_bench: %s: %s\n", tokenize, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return t;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: fts5_bench NEWS_TSV PASSES [MAX_BYTES]\n");
        return 2;
    }
    int passes = atoi(argv[2]);
    size_t max = argc > 3 ? strtoull(argv[3], NULL, 10) : 0;
    if (passes < 1)
        passes = 1;
    if (max == 0)
        max = (size_t)-1;
    bench_bodies b;
    int rc = bench_bodies_load(argv[1], max, &b);
    if (rc)
        return rc;
    fprintf(stderr, "loaded %zu bodies, %.2f MB\n", b.n, b.len / 1e6);
    double *mbs[4]; /* wall fahras, wall unicode61, cpu fahras, cpu unicode61 */
    for (int k = 0; k < 4; k++)
        if (!(mbs[k] = malloc((size_t)passes * sizeof(double))))
            return 3;
    for (int p = 0; p < passes; p++) {
        for (int k = 0; k < 2; k++) {
            int which = p % 2 ? 1 - k : k;
            double cpu = 0, t = index_once(&b, tokenizers[which], &cpu);
            if (t < 0)
                return 1;
            mbs[which][p] = b.len / 1e6 / t;
            mbs[2 + which][p] = b.len / 1e6 / cpu;
            printf("pass %d %s: %.2f MB/s, %.2f MB/cpu-s\n", p + 1, tokenizers[which], mbs[which][p],
                   mbs[2 + which][p]);
            fflush(stdout);
        }
    }
    double m[4];
    for (int k = 0; k < 4; k++)
        m[k] = bench_median(mbs[k], passes); /* sorts: [0] is the minimum */
    for (int k = 0; k < 2; k++)
        printf("median %s: %.2f MB/s (%.2f-%.2f), %.2f MB/cpu-s (%.2f-%.2f)\n", tokenizers[k], m[k],
               mbs[k][0], mbs[k][passes - 1], m[2 + k], mbs[2 + k][0], mbs[2 + k][passes - 1]);
    printf("ratio: %.2f wall, %.2f cpu\n", m[0] / m[1], m[2] / m[3]);
    for (int k = 0; k < 4; k++)
        free(mbs[k]);
    bench_bodies_free(&b);
    return 0;
}
