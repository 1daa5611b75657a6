/*
 * snowball_bench — throughput anchor: Snowball "arabic" stemming over news bodies.
 *
 *   build/anchors/snowball_bench NEWS_TSV PASSES [MAX_BYTES]
 *
 * NEWS_TSV is news.tsv (doc_id source category title body, tab-separated, one
 * article a line); only the body (5th column) is processed.  MAX_BYTES, if
 * given, reads only the first MAX_BYTES bytes of the file, cut back to the last
 * complete line (the same rule as LuceneAnalyzeBench.java).
 *
 * Method: the file is read into memory first (I/O is never timed); one
 * untimed warm-up pass runs over the first ~20 MB of bodies; then PASSES timed
 * passes split every body into runs of Arabic letters (everything else —
 * spaces, punctuation, digits, Latin — separates and is dropped) and call
 * sb_stemmer_stem on each run.  There is no normalization and no stop list:
 * this is the cost of a bare tokenizer + Snowball stemmer.
 * MB = UTF-8 bytes of the bodies / 1e6.
 *
 * Output (stdout): one line per pass "pass N: X.XX MB/s, T tokens", then
 * "median: X.XX MB/s".  Load details go to stderr.
 *
 * Build:  cc -O2 -Wall -Wextra -Werror -o build/anchors/snowball_bench \
 *             bench/anchors/snowball_bench.c -lstemmer
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libstemmer.h>

#define WARMUP_BYTES 20000000L

struct body {
    const unsigned char *text;
    size_t len;
};

static void die(const char *msg)
{
    fprintf(stderr, "snowball_bench: %s\n", msg);
    exit(1);
}

/* Read the whole file, or its first max_bytes bytes (max_bytes >= 0). */
static unsigned char *read_file(const char *path, long max_bytes, size_t *out_len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    size_t cap = 1 << 20, len = 0;
    unsigned char *buf = malloc(cap);
    if (buf == NULL)
        die("out of memory");
    for (;;) {
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (buf == NULL)
                die("out of memory");
        }
        size_t want = cap - len;
        if (max_bytes >= 0 && (size_t)max_bytes - len < want)
            want = (size_t)max_bytes - len;
        if (want == 0)
            break;
        size_t got = fread(buf + len, 1, want, f);
        len += got;
        if (got < want)
            break;
    }
    if (ferror(f))
        die("read error");
    fclose(f);
    /* A max_bytes read may stop mid-line: keep whole lines only. */
    if (max_bytes >= 0 && len == (size_t)max_bytes)
        while (len > 0 && buf[len - 1] != '\n')
            len--;
    *out_len = len;
    return buf;
}

/* Point at the 5th tab-separated field of every line; returns the count. */
static size_t find_bodies(const unsigned char *data, size_t len, struct body **out)
{
    size_t n = 0, cap = 1024;
    struct body *bodies = malloc(cap * sizeof *bodies);
    if (bodies == NULL)
        die("out of memory");
    size_t start = 0;
    while (start < len) {
        const unsigned char *nl = memchr(data + start, '\n', len - start);
        size_t stop = nl ? (size_t)(nl - data) : len;
        size_t next = stop + 1;
        if (stop > start && data[stop - 1] == '\r')
            stop--;
        size_t p = start;
        int tabs = 0;
        while (p < stop && tabs < 4)
            if (data[p++] == '\t')
                tabs++;
        if (tabs == 4) {
            size_t q = p;
            while (q < stop && data[q] != '\t')
                q++;
            if (n == cap) {
                cap *= 2;
                bodies = realloc(bodies, cap * sizeof *bodies);
                if (bodies == NULL)
                    die("out of memory");
            }
            bodies[n].text = data + p;
            bodies[n].len = q - p;
            n++;
        }
        start = next;
    }
    *out = bodies;
    return n;
}

/*
 * Is the 2-byte UTF-8 sequence at s (lead byte 0xD8..0xDB, i.e. U+0600..U+06FF)
 * an Arabic letter or mark?  Letters U+0621..U+064A (with tatweel U+0640),
 * harakat U+064B..U+0652, superscript alef U+0670, extended letters U+0671..U+06D3.
 */
static int arabic_letter(const unsigned char *s, const unsigned char *end)
{
    if (s[0] < 0xD8 || s[0] > 0xDB || s + 1 >= end || (s[1] & 0xC0) != 0x80)
        return 0;
    unsigned cp = ((unsigned)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    return (cp >= 0x0621 && cp <= 0x0652) || (cp >= 0x0670 && cp <= 0x06D3);
}

/* Tokenize and stem every body once; returns the number of tokens. */
static long stem_all(struct sb_stemmer *st, const struct body *bodies, size_t n, uint64_t *checksum)
{
    long tokens = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *s = bodies[i].text, *end = s + bodies[i].len;
        while (s < end) {
            if (!arabic_letter(s, end)) {
                s++; /* separators; continuation bytes of other characters skip one by one */
                continue;
            }
            const unsigned char *w = s;
            while (s < end && arabic_letter(s, end))
                s += 2;
            const sb_symbol *stem = sb_stemmer_stem(st, w, (int)(s - w));
            if (stem == NULL)
                die("out of memory");
            *checksum += (uint64_t)sb_stemmer_length(st);
            tokens++;
        }
    }
    return tokens;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: snowball_bench NEWS_TSV PASSES [MAX_BYTES]\n");
        return 2;
    }
    int passes = atoi(argv[2]);
    long max_bytes = argc == 4 ? atol(argv[3]) : -1;
    if (passes < 0 || (argc == 4 && max_bytes < 0)) {
        fprintf(stderr, "snowball_bench: PASSES and MAX_BYTES must be >= 0\n");
        return 2;
    }

    size_t len;
    unsigned char *data = read_file(argv[1], max_bytes, &len);
    struct body *bodies;
    size_t n = find_bodies(data, len, &bodies);
    size_t bytes = 0, warm = 0;
    for (size_t i = 0; i < n; i++)
        bytes += bodies[i].len;
    double mb = (double)bytes / 1e6;
    fprintf(stderr, "loaded %zu bodies, %.2f MB\n", n, mb);

    struct sb_stemmer *st = sb_stemmer_new("arabic", "UTF_8");
    if (st == NULL)
        die("libstemmer has no UTF-8 \"arabic\" algorithm");

    /* Warm-up: the bodies making up the first ~20 MB (caches, CPU clock). */
    uint64_t checksum = 0;
    for (size_t acc = 0; warm < n && acc < WARMUP_BYTES; warm++)
        acc += bodies[warm].len;
    stem_all(st, bodies, warm, &checksum);
    fprintf(stderr, "warm-up: 1 pass over %zu bodies\n", warm);

    double *rates = malloc(((size_t)passes + 1) * sizeof *rates);
    if (rates == NULL)
        die("out of memory");
    for (int p = 0; p < passes; p++) {
        double t0 = now();
        long tokens = stem_all(st, bodies, n, &checksum);
        double secs = now() - t0;
        rates[p] = mb / secs;
        printf("pass %d: %.2f MB/s, %ld tokens\n", p + 1, rates[p], tokens);
    }
    if (passes > 0) {
        qsort(rates, (size_t)passes, sizeof *rates, cmp_double);
        double median = passes % 2 ? rates[passes / 2]
                                   : (rates[passes / 2 - 1] + rates[passes / 2]) / 2;
        printf("median: %.2f MB/s\n", median);
    }
    fprintf(stderr, "checksum %llu\n", (unsigned long long)checksum);

    free(rates);
    sb_stemmer_delete(st);
    free(bodies);
    free(data);
    return 0;
}
