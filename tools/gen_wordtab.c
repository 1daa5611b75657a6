/*
 * gen_wordtab — turn a committed word list into a C hash table (wordtab.h).
 *
 *   gen_wordtab NAME [HOT_BUCKETS] < data/LIST.tsv > build/gen/NAME.c
 *
 * HOT_BUCKETS: the most buckets of the hot table (wordtab.h), a power of two
 * from 1 to 65536; 8192 (512 KB) by default.
 * Input: one entry a line, `word` or `word<TAB>count`; '#' lines are
 * comments.  Words are normalized with fahras's default normalization (the
 * same code the library runs), so a list may be written in ordinary
 * spelling.  Words that normalize to the same form have their counts added.
 * Output defines `const fh_wordtab NAME`.
 *
 * Built with -DFH_GEN_STEMS and linked with a first-stage libfahras (whose
 * lexicon has counts only), it also stores each word's stem and stopword
 * flag, as that library's stemmer computes them: the final library then
 * finds the stem of every known word with one look-up, and runs the
 * stemming algorithm only for words the lexicon has never seen.
 *
 * Built with -DFH_GEN_SEGMENTS and linked with the same first-stage
 * library, it reads words as written (not normalized: data/written.tsv)
 * and stores each one's segmentation in Farasa's scheme, as written, in
 * place of the stem; the flags byte has bit k set when the k-th '+' is an
 * inflection boundary (absent from the clitics scheme).  Built with
 * -DFH_GEN_RAW, it reads words as written too, and stores counts only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../include/fahras.h"
#include "../src/internal.h"
#include "../src/wordtab.h"

typedef struct {
    char *w;
    size_t n;
    unsigned long count;
} entry;

static entry *ents;
static size_t nents, capents;
static uint32_t *slots;
static uint32_t mask;

static entry *lookup(const char *w, size_t n, int add)
{
    uint32_t i = fh_wordhash(w, n) & mask;
    for (;; i = (i + 1) & mask) {
        if (!slots[i]) {
            if (!add)
                return NULL;
            if (nents == capents) {
                capents = capents ? capents * 2 : 1024;
                ents = realloc(ents, capents * sizeof *ents);
                if (!ents)
                    exit(2);
            }
            ents[nents].w = malloc(n);
            if (!ents[nents].w)
                exit(2);
            memcpy(ents[nents].w, w, n);
            ents[nents].n = n;
            ents[nents].count = 0;
            slots[i] = (uint32_t)++nents;
            return &ents[nents - 1];
        }
        entry *e = &ents[slots[i] - 1];
        if (e->n == n && memcmp(e->w, w, n) == 0)
            return e;
    }
}

int main(int argc, char **argv)
{
    unsigned long hotb = argc == 3 ? strtoul(argv[2], NULL, 10) : 8192;
    if ((argc != 2 && argc != 3) || hotb == 0 || hotb > 65536 || (hotb & (hotb - 1))) {
        fprintf(stderr, "usage: gen_wordtab NAME [HOT_BUCKETS] < LIST > NAME.c\n");
        return 2;
    }
    fh_analyzer *a;
    fh_options o = fh_options_default();
    o.stem = 0;
    if (fh_analyzer_new(&o, &a) != FH_OK)
        return 2;

    mask = (1u << 22) - 1; /* room for 2M words while reading */
    slots = calloc((size_t)mask + 1, sizeof *slots);
    if (!slots)
        return 2;
    char line[4096], norm[4096 * 3 + 4];
    unsigned long lineno = 0;
    while (fgets(line, sizeof line, stdin)) {
        lineno++;
        size_t L = strcspn(line, "\r\n");
        line[L] = '\0';
        if (L == 0 || line[0] == '#')
            continue;
        char *tab = strchr(line, '\t');
        unsigned long count = 1;
        if (tab) {
            *tab = '\0';
            count = strtoul(tab + 1, NULL, 10);
        }
#if defined FH_GEN_SEGMENTS || defined FH_GEN_RAW
        size_t n = strlen(line);
        if (n < sizeof norm)
            memcpy(norm, line, n + 1);
#else
        size_t n = fh_normalize(a, line, strlen(line), norm, sizeof norm);
#endif
        if (n == 0 || n > 255 || n >= sizeof norm) {
            fprintf(stderr, "gen_wordtab: line %lu: word empty or too long, skipped\n", lineno);
            continue;
        }
        if (strchr(norm, ' ')) {
            fprintf(stderr, "gen_wordtab: line %lu: '%s' is not one word, skipped\n", lineno, line);
            continue;
        }
        lookup(norm, n, 1)->count += count;
        if (nents > (mask + 1) / 2) {
            fprintf(stderr, "gen_wordtab: too many words\n");
            return 2;
        }
    }

    /* the hot table (wordtab.h): each word, in list order (lists are sorted
     * by decreasing count), goes into its bucket if the bucket has a free tag
     * and room for the whole entry; hotb buckets at most (65536 at most: see
     * fh_wt_hottag), about one per two words */
    uint32_t hsize = 1;
    while (hsize < hotb && hsize * 2 < nents)
        hsize *= 2;
    unsigned char *hot = calloc(hsize, FH_WT_BUCKET);
    unsigned char *hfill = calloc(hsize, 1); /* bytes used; entries begin at 8 */
    uint64_t *filter = calloc(FH_WT_FILTER_BITS / 64, sizeof *filter);
    if (!hot || !hfill || !filter)
        return 2;

    /* final table: load factor <= 0.5 */
    uint32_t size = 16;
    while (size < nents * 2)
        size *= 2;
    uint32_t *out = calloc(size, sizeof *out);
    size_t poolsize = 0;
    uint32_t *offs = malloc((nents + 1) * sizeof *offs);
    if (!out || !offs)
        return 2;
#if defined FH_GEN_STEMS || defined FH_GEN_SEGMENTS
#define FH_GEN_PAYLOAD 1
#endif
#ifdef FH_GEN_SEGMENTS
    static char stem[4 * 256 + 8], cl[4 * 256 + 8];
    unsigned char *sflags = malloc(nents + 1), *slen = malloc(nents + 1);
    char **stems = malloc((nents + 1) * sizeof *stems);
    fh_segmenter *sf, *sc;
    fh_segment_options so = fh_segment_options_default();
    if (!sflags || !slen || !stems || fh_segmenter_new(&so, &sf) != FH_OK)
        return 2;
    so.scheme = FH_SEG_CLITICS;
    if (fh_segmenter_new(&so, &sc) != FH_OK)
        return 2;
    for (size_t k = 0; k < nents; k++) {
        size_t m = fh_segment(sf, ents[k].w, ents[k].n, stem, sizeof stem);
        size_t mc = fh_segment(sc, ents[k].w, ents[k].n, cl, sizeof cl);
        if (m > 255 || mc > m || memchr(stem, ' ', m))
            return 2;
        unsigned char f = 0;
        for (size_t i = 0, j = 0, plus = 0; i < m; i++) {
            if (stem[i] != '+')
                j++;
            else if (j < mc && cl[j] == '+')
                j++, plus++;
            else if (plus++ < 8)
                f |= (unsigned char)(1u << (plus - 1));
        }
        sflags[k] = f;
        slen[k] = (unsigned char)m;
        stems[k] = malloc(m + 1);
        if (!stems[k])
            return 2;
        memcpy(stems[k], stem, m);
    }
    fh_segmenter_free(sf);
    fh_segmenter_free(sc);
#endif
#ifdef FH_GEN_STEMS
    static char stem[FH_MAX_TOKEN + 64];
    unsigned char *sflags = malloc(nents + 1), *slen = malloc(nents + 1);
    char **stems = malloc((nents + 1) * sizeof *stems);
    if (!sflags || !slen || !stems)
        return 2;
    for (size_t k = 0; k < nents; k++) {
        int stop;
        size_t m = fh_stem_word(ents[k].w, ents[k].n, stem, &stop);
        sflags[k] = stop ? FH_WT_STOPWORD : 0;
        if (m > 255)
            return 2;
        slen[k] = (unsigned char)m;
        stems[k] = malloc(m + 1);
        if (!stems[k])
            return 2;
        memcpy(stems[k], stem, m);
    }
#endif
    for (size_t k = 0; k < nents; k++) {
        offs[k] = (uint32_t)poolsize;
        poolsize += 1 + ents[k].n + 4;
#ifdef FH_GEN_PAYLOAD
        poolsize += 2 + slen[k] + 1; /* the stem is NUL-terminated */
#endif
        uint32_t h = fh_wordhash(ents[k].w, ents[k].n);
        uint32_t i = h & (size - 1);
        while (out[i])
            i = (i + 1) & (size - 1);
        out[i] = (h & 0xFF000000u) | (offs[k] + 1);
        filter[fh_wt_bit1(h) >> 6] |= 1ull << (fh_wt_bit1(h) & 63);
        filter[fh_wt_bit2(h) >> 6] |= 1ull << (fh_wt_bit2(h) & 63);
        size_t esize = poolsize - offs[k];
        unsigned char *b = hot + (size_t)(h & (hsize - 1)) * FH_WT_BUCKET;
        unsigned char *nb = &hfill[h & (hsize - 1)];
        if (*nb == 0)
            *nb = 8;
        int r = 0;
        while (r < 4 && b[4 + r])
            r++;
        if (r < 4 && *nb + esize <= FH_WT_BUCKET) {
            unsigned char *e = b + *nb;
            b[r] = (unsigned char)fh_wt_hottag(h);
            b[4 + r] = *nb;
            unsigned long c = ents[k].count > 0xFFFFFFFFul ? 0xFFFFFFFFul : ents[k].count;
            e[0] = (unsigned char)ents[k].n;
            memcpy(e + 1, ents[k].w, ents[k].n);
            for (int q = 0; q < 4; q++)
                e[1 + ents[k].n + q] = (unsigned char)((c >> (8 * q)) & 0xFF);
#ifdef FH_GEN_PAYLOAD
            e[5 + ents[k].n] = sflags[k];
            e[6 + ents[k].n] = slen[k];
            memcpy(e + 7 + ents[k].n, stems[k], slen[k]);
            e[7 + ents[k].n + slen[k]] = 0;
#endif
            *nb = (unsigned char)(*nb + esize);
        }
    }

    if (poolsize + 1 > FH_WT_OFFMASK) {
        fprintf(stderr, "gen_wordtab: pool too large (%zu bytes)\n", poolsize);
        return 2;
    }
    printf("/* GENERATED by tools/gen_wordtab.c from a list in data/ — do not edit. */\n");
    printf("#include \"wordtab.h\"\n\n");
    printf("static const uint32_t %s_slots[%u] = {", argv[1], size);
    for (uint32_t i = 0; i < size; i++)
        printf("%s%u,", i % 16 ? "" : "\n", out[i]);
    printf("\n};\n\nstatic const unsigned char %s_hot[%u] __attribute__((aligned(%d))) = {",
           argv[1], hsize * FH_WT_BUCKET, FH_WT_BUCKET);
    for (uint32_t i = 0; i < hsize * FH_WT_BUCKET; i++)
        printf("%s%u,", i % 32 ? "" : "\n", hot[i]);
    printf("\n};\n\nstatic const uint64_t %s_filter[%u] = {", argv[1], FH_WT_FILTER_BITS / 64);
    for (uint32_t i = 0; i < FH_WT_FILTER_BITS / 64; i++)
        printf("%s0x%llxu,", i % 8 ? "" : "\n", (unsigned long long)filter[i]);
    printf("\n};\n\nstatic const unsigned char %s_pool[%zu] =", argv[1], poolsize + 1);
    for (size_t k = 0; k < nents; k++) {
        unsigned long c = ents[k].count > 0xFFFFFFFFul ? 0xFFFFFFFFul : ents[k].count;
        printf("\n\"\\%03o", (unsigned)ents[k].n);
        for (size_t j = 0; j < ents[k].n; j++)
            printf("\\%03o", (unsigned char)ents[k].w[j]);
        for (int b = 0; b < 4; b++)
            printf("\\%03o", (unsigned)((c >> (8 * b)) & 0xFF));
#ifdef FH_GEN_PAYLOAD
        printf("\\%03o\\%03o", sflags[k], slen[k]);
        for (size_t j = 0; j < slen[k]; j++)
            printf("\\%03o", (unsigned char)stems[k][j]);
        printf("\\000");
#endif
        printf("\"");
    }
    if (nents == 0)
        printf(" \"\"");
#ifdef FH_GEN_PAYLOAD
    int has_stems = 1;
#else
    int has_stems = 0;
#endif
    printf(";\n\nconst fh_wordtab %s = {%s_slots, %uu, %s_pool, %zu, %d, %s_hot, %uu, %s_filter};\n",
           argv[1], argv[1], size - 1, argv[1], nents, has_stems, argv[1], hsize - 1, argv[1]);
    fh_analyzer_free(a);
    return 0;
}
