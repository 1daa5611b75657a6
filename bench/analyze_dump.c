/*
 * analyze_dump — every token of the bodies (5th column) of news.tsv, one
 * line each: body, start, end, type, flags, position, norm, stem.  Made to
 * check that a speed change leaves the analyzer's output byte-identical:
 *
 *   build/analyze_dump NEWS_TSV [MAX_BYTES] [--no-stem] [--no-stop] [--off FLAG] | sha256sum
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../include/fahras.h"
#include "bench.h"

static size_t body;

static int on_token(void *ctx, const fh_token *t)
{
    FILE *o = ctx;
    fprintf(o, "%zu\t%zu\t%zu\t%d\t%u\t%zu\t", body, t->start, t->end, t->type, t->flags,
            t->position);
    fwrite(t->norm, 1, t->norm_len, o);
    fputc('\t', o);
    fwrite(t->stem, 1, t->stem_len, o);
    fputc('\n', o);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: analyze_dump NEWS_TSV [MAX_BYTES] [--no-stem] [--no-stop] [--off FLAG]\n");
        return 2;
    }
    size_t max = argc > 2 ? strtoull(argv[2], NULL, 10) : 0, done = 0;
    fh_options opt = fh_options_default();
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--no-stem"))
            opt.stem = 0;
        else if (!strcmp(argv[i], "--no-stop"))
            opt.stopwords = 0;
        else if (!strcmp(argv[i], "--off") && i + 1 < argc &&
                 fh_options_set(&opt, argv[i + 1], "0", NULL, 0) == FH_OK)
            i++;
        else {
            fprintf(stderr, "analyze_dump: bad option '%s'\n", argv[i]);
            return 2;
        }
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    fh_analyzer *a;
    if (fh_analyzer_new(&opt, &a) != FH_OK)
        return 3;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t n;
    while ((n = getline(&line, &lcap, f)) > 0 && (max == 0 || done < max)) {
        size_t bl;
        const char *p = bench_news_body(line, (size_t)n, &bl);
        if (!p)
            continue;
        fh_analyze(a, p, bl, on_token, stdout);
        body++;
        done += bl;
    }
    free(line);
    fclose(f);
    fh_analyzer_free(a);
    return 0;
}
