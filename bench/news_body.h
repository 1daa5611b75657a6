/*
 * news_body.h — the body (5th tab-separated column) of a news.tsv line, for
 * the analysis benchmarks (analyze_bench, analyze_dump).
 */
#ifndef FH_NEWS_BODY_H
#define FH_NEWS_BODY_H

#include <string.h>

/* The body of line (n bytes, as read by getline) without its line end, and
 * its length in *len; NULL if the line has fewer than 5 columns. */
static inline const char *news_body(const char *line, size_t n, size_t *len)
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

#endif
