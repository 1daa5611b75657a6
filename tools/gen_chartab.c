/*
 * gen_chartab — generate src/chartab.c, fahras's character table, from the
 * Unicode database of utf8proc (Debian libutf8proc-dev).
 *
 *   make chartab        (runs: build/tools/gen_chartab > src/chartab.c)
 *
 * For every code point it records a class for the tokenizer and the folding
 * rules of the normalizer (see enum fh_norm_flag in include/fahras.h).  The
 * rules are the list in docs (DESIGN.md "Normalization"); the Unicode data
 * (categories, compatibility decompositions, case folding) comes from
 * utf8proc, whose Unicode version is stamped into the output and checked by
 * tests/test_chartab.c against the utf8proc the tests link.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../include/fahras.h"
#include "../src/chartab.h"

#define MAXMAPS 2

typedef struct {
    uint8_t cls;
    int n;
    uint16_t flag[MAXMAPS];
    uint8_t len[MAXMAPS];
    unsigned char bytes[MAXMAPS][64];
} rec_t;

static int in(uint32_t cp, uint32_t lo, uint32_t hi) { return cp >= lo && cp <= hi; }

static int arabic_block(uint32_t cp)
{
    return in(cp, 0x0600, 0x06FF) || in(cp, 0x0750, 0x077F) || in(cp, 0x0870, 0x08FF) ||
           in(cp, 0xFB50, 0xFDFF) || in(cp, 0xFE70, 0xFEFF);
}

static int presentation(uint32_t cp) { return in(cp, 0xFB50, 0xFDFF) || in(cp, 0xFE70, 0xFEFE); }

static int quranic(uint32_t cp) { return in(cp, 0x0610, 0x061A) || in(cp, 0x06D6, 0x06ED); }

static int harakat(uint32_t cp) { return in(cp, 0x064B, 0x065F) || cp == 0x0670; }

/* Bidi and joiner controls that may sit inside a word without meaning. */
static int control(uint32_t cp)
{
    return cp == 0x00AD || cp == 0x061C || in(cp, 0x200C, 0x200F) || in(cp, 0x202A, 0x202E) ||
           cp == 0x2060 || in(cp, 0x2066, 0x2069) || cp == 0xFEFF;
}

/* Latin letters whose accents are folded. */
static int latin(uint32_t cp)
{
    return in(cp, 0x00C0, 0x024F) || in(cp, 0x1E00, 0x1EFF);
}

/* Combining diacritical mark blocks (not Arabic): removed with FH_NORM_ACCENTS. */
static int combining_diacritic(uint32_t cp)
{
    return in(cp, 0x0300, 0x036F) || in(cp, 0x1AB0, 0x1AFF) || in(cp, 0x1DC0, 0x1DFF) ||
           in(cp, 0x20D0, 0x20FF) || in(cp, 0xFE20, 0xFE2F);
}

static int classify(uint32_t cp)
{
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    if (control(cp))
        return FH_C_IGN;
    if (arabic_block(cp)) {
        if (quranic(cp) || harakat(cp) || cp == 0x0640)
            return FH_C_ARMARK;
        switch (c) {
        case UTF8PROC_CATEGORY_LO:
        case UTF8PROC_CATEGORY_LM:
            return FH_C_ARLET;
        case UTF8PROC_CATEGORY_MN:
        case UTF8PROC_CATEGORY_MC:
        case UTF8PROC_CATEGORY_ME:
            return FH_C_ARMARK;
        case UTF8PROC_CATEGORY_ND:
            return FH_C_DIGIT;
        default:
            return FH_C_SEP;
        }
    }
    switch (c) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_NL:
        return FH_C_LET;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return FH_C_MARK;
    case UTF8PROC_CATEGORY_ND:
        return FH_C_DIGIT;
    default:
        return FH_C_SEP;
    }
}

static void add(rec_t *r, unsigned flag, const unsigned char *bytes, size_t len)
{
    if (r->n >= MAXMAPS || len > sizeof r->bytes[0]) {
        fprintf(stderr, "gen_chartab: rule table overflow\n");
        exit(1);
    }
    r->flag[r->n] = (uint16_t)flag;
    r->len[r->n] = (uint8_t)len;
    memcpy(r->bytes[r->n], bytes, len);
    r->n++;
}

static void add_cp(rec_t *r, unsigned flag, uint32_t to)
{
    unsigned char b[4];
    utf8proc_ssize_t n = to ? utf8proc_encode_char((utf8proc_int32_t)to, b) : 0;
    add(r, flag, b, (size_t)n);
}

/* utf8proc_map of one code point with the given options; 1 if it changed. */
static int map1(uint32_t cp, int options, unsigned char *out, size_t *outlen)
{
    unsigned char in8[4];
    utf8proc_uint8_t *res = NULL;
    utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)cp, in8);
    utf8proc_ssize_t m = utf8proc_map(in8, n, &res, (utf8proc_option_t)options);
    int changed = 0;
    if (m >= 0 && (m != n || memcmp(res, in8, (size_t)n) != 0) && (size_t)m < 64) {
        memcpy(out, res, (size_t)m);
        *outlen = (size_t)m;
        changed = 1;
    }
    free(res);
    return changed;
}

/* Every code point of a UTF-8 string is an Arabic letter or mark. */
static int all_arabic(const unsigned char *s, size_t n)
{
    size_t i = 0;
    if (n == 0)
        return 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            return 0;
        int c = classify((uint32_t)cp);
        if (c != FH_C_ARLET && c != FH_C_ARMARK)
            return 0;
        i += (size_t)k;
    }
    return 1;
}

static void build(uint32_t cp, rec_t *r)
{
    unsigned char buf[64];
    size_t n;
    memset(r, 0, sizeof *r);
    r->cls = (uint8_t)classify(cp);

    if (harakat(cp))
        add_cp(r, FH_NORM_MARKS, 0);
    else if (quranic(cp))
        add_cp(r, FH_NORM_QURANIC, 0);
    else if (cp == 0x0640)
        add_cp(r, FH_NORM_TATWEEL, 0);
    else if (cp == 0x0622 || cp == 0x0623 || cp == 0x0625 || in(cp, 0x0671, 0x0673))
        add_cp(r, FH_NORM_ALEF, 0x0627);
    else if (cp == 0x0649)
        add_cp(r, FH_NORM_ALEF_MAQSURA, 0x064A);
    else if (cp == 0x0629)
        add_cp(r, FH_NORM_TEH_MARBUTA, 0x0647);
    else if (cp == 0x0624)
        add_cp(r, FH_NORM_HAMZA_SEAT, 0x0648);
    else if (cp == 0x0626)
        add_cp(r, FH_NORM_HAMZA_SEAT, 0x064A);
    else if (cp == 0x06A9)
        add_cp(r, FH_NORM_PERSIAN, 0x0643);
    else if (cp == 0x06CC || cp == 0x06D2 || cp == 0x06D3)
        add_cp(r, FH_NORM_PERSIAN, 0x064A);
    else if (cp == 0x06C0 || cp == 0x06C1 || cp == 0x06C2 || cp == 0x06D5)
        add_cp(r, FH_NORM_PERSIAN, 0x0647);
    else if (in(cp, 0x0660, 0x0669))
        add_cp(r, FH_NORM_DIGITS, '0' + (cp - 0x0660));
    else if (in(cp, 0x06F0, 0x06F9))
        add_cp(r, FH_NORM_DIGITS, '0' + (cp - 0x06F0));
    else if (cp == 0x066B)
        add_cp(r, FH_NORM_DIGITS, '.');
    else if (cp == 0x066C)
        add_cp(r, FH_NORM_DIGITS, ',');
    else if (control(cp))
        add_cp(r, FH_NORM_CONTROLS, 0);
    else if (presentation(cp)) {
        /* NFKC gives the base letters (lam-alef -> lam + alef form); keep
         * only decompositions made of Arabic letters and marks, so that
         * phrase ligatures such as U+FDFA (a whole eulogy with spaces) stay
         * one character rather than smuggling spaces into a token. */
        if (map1(cp, UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_STABLE, buf, &n) &&
            all_arabic(buf, n))
            add(r, FH_NORM_PRESENTATION, buf, n);
    } else if (combining_diacritic(cp))
        add_cp(r, FH_NORM_ACCENTS, 0);
    else if (!arabic_block(cp) && (r->cls == FH_C_LET)) {
        if (latin(cp) &&
            map1(cp, UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_STABLE,
                 buf, &n))
            add(r, FH_NORM_ACCENTS, buf, n);
        if (map1(cp, UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_STABLE, buf, &n))
            add(r, FH_NORM_CASE, buf, n);
    }
}

static int rec_eq(const rec_t *a, const rec_t *b)
{
    if (a->cls != b->cls || a->n != b->n)
        return 0;
    for (int i = 0; i < a->n; i++)
        if (a->flag[i] != b->flag[i] || a->len[i] != b->len[i] ||
            memcmp(a->bytes[i], b->bytes[i], a->len[i]) != 0)
            return 0;
    return 1;
}

int main(void)
{
    enum { NB = FH_CH_MAX >> FH_CH_SHIFT };
    static rec_t recs[8192];
    static uint16_t stage2[NB][FH_CH_BLOCK];
    static uint16_t stage1[NB];
    static uint16_t block[FH_CH_BLOCK];
    int nrecs = 0, nblocks = 0;

    for (uint32_t b = 0; b < NB; b++) {
        for (uint32_t j = 0; j < FH_CH_BLOCK; j++) {
            uint32_t cp = b * FH_CH_BLOCK + j;
            rec_t r;
            int k;
            build(cp, &r);
            for (k = 0; k < nrecs; k++)
                if (rec_eq(&recs[k], &r))
                    break;
            if (k == nrecs) {
                if (nrecs == (int)(sizeof recs / sizeof recs[0])) {
                    fprintf(stderr, "gen_chartab: too many records\n");
                    return 1;
                }
                recs[nrecs++] = r;
            }
            block[j] = (uint16_t)k;
        }
        int k;
        for (k = 0; k < nblocks; k++)
            if (memcmp(stage2[k], block, sizeof block) == 0)
                break;
        if (k == nblocks)
            memcpy(stage2[nblocks++], block, sizeof block);
        stage1[b] = (uint16_t)k;
    }

    printf("/* GENERATED by tools/gen_chartab.c — do not edit; run `make chartab`.\n"
           " * Source: utf8proc %s (Debian libutf8proc-dev), Unicode %s.\n"
           " * %d records, %d blocks of %u code points. */\n",
           utf8proc_version(), utf8proc_unicode_version(), nrecs, nblocks, FH_CH_BLOCK);
    printf("#include \"chartab.h\"\n\n");
    printf("const char fh_chtab_unicode_version[] = \"%s\";\n", utf8proc_unicode_version());
    printf("const char fh_chtab_source[] = \"utf8proc %s\";\n\n", utf8proc_version());

    printf("const uint16_t fh_chstage1[%d] = {", NB);
    for (int i = 0; i < NB; i++)
        printf("%s%u,", i % 16 ? "" : "\n", stage1[i]);
    printf("\n};\n\nconst uint16_t fh_chstage2[%d] = {", nblocks * (int)FH_CH_BLOCK);
    for (int b = 0; b < nblocks; b++)
        for (unsigned j = 0; j < FH_CH_BLOCK; j++)
            printf("%s%u,", j % 16 ? "" : "\n", stage2[b][j]);
    printf("\n};\n\n");

    /* rules and pool */
    int nmaps = 0;
    size_t pool = 0;
    printf("const fh_chrec fh_chrecs[%d] = {\n", nrecs);
    for (int i = 0; i < nrecs; i++) {
        printf("{%u,%d,%d},%s", recs[i].cls, recs[i].n, nmaps, i % 6 == 5 ? "\n" : "");
        nmaps += recs[i].n;
    }
    printf("\n};\n\nconst fh_chmap fh_chmaps[%d] = {\n", nmaps ? nmaps : 1);
    for (int i = 0; i < nrecs; i++)
        for (int m = 0; m < recs[i].n; m++) {
            printf("{0x%04x,%u,%zu},%s", recs[i].flag[m], recs[i].len[m], pool,
                   (i % 4 == 3 && m == recs[i].n - 1) ? "\n" : "");
            pool += recs[i].len[m];
        }
    if (!nmaps)
        printf("{0,0,0}");
    printf("\n};\n\nconst unsigned char fh_chpool[%zu] = {", pool ? pool : 1);
    size_t col = 0;
    for (int i = 0; i < nrecs; i++)
        for (int m = 0; m < recs[i].n; m++)
            for (unsigned j = 0; j < recs[i].len[m]; j++)
                printf("%s0x%02x,", col++ % 16 ? "" : "\n", recs[i].bytes[m][j]);
    if (!pool)
        printf("0");
    printf("\n};\n");
    if (pool > 65535) {
        fprintf(stderr, "gen_chartab: pool too large for uint16 offsets\n");
        return 1;
    }
    return 0;
}
