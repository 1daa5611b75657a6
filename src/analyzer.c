/*
 * analyzer.c — the analyzer object, its options, status strings, version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chartab.h"
#include "internal.h"

const char *fh_strerror(int status)
{
    switch (status) {
    case FH_OK:
        return "success";
    case FH_ENOMEM:
        return "out of memory";
    case FH_EINVAL:
        return "invalid argument";
    case FH_ERANGE:
        return "output buffer too small";
    case FH_EIO:
        return "input/output error";
    default:
        return status > 0 ? "stopped by callback" : "unknown error";
    }
}

const char *fh_version(void) { return FH_VERSION; }

const char *fh_unicode_version(void) { return fh_chtab_unicode_version; }

fh_options fh_options_default(void)
{
    fh_options o;
    o.norm_flags = FH_NORM_DEFAULT;
    o.stem = 1;
    o.stopwords = 1;
    o.max_token = FH_MAX_TOKEN;
    return o;
}

static const struct {
    const char *name;
    unsigned flag;
} norm_names[] = {
    {"marks", FH_NORM_MARKS},
    {"quranic", FH_NORM_QURANIC},
    {"tatweel", FH_NORM_TATWEEL},
    {"alef", FH_NORM_ALEF},
    {"alef_maqsura", FH_NORM_ALEF_MAQSURA},
    {"teh_marbuta", FH_NORM_TEH_MARBUTA},
    {"hamza_seat", FH_NORM_HAMZA_SEAT},
    {"persian", FH_NORM_PERSIAN},
    {"digits", FH_NORM_DIGITS},
    {"presentation", FH_NORM_PRESENTATION},
    {"controls", FH_NORM_CONTROLS},
    {"case", FH_NORM_CASE},
    {"accents", FH_NORM_ACCENTS},
};

static void seterr(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
    if (err && errlen > 0)
        snprintf(err, errlen, fmt, a, b);
}

int fh_options_set(fh_options *opt, const char *name, const char *value, char *err, size_t errlen)
{
    if (err && errlen > 0)
        err[0] = '\0';
    if (!opt || !name) {
        seterr(err, errlen, "%s%s", "no option name given", "");
        return FH_EINVAL;
    }
    int on;
    if (!value) {
        seterr(err, errlen, "option '%s' needs a value%s", name, "");
        return FH_EINVAL;
    }
    if (!strcmp(name, "max_token")) {
        char *end;
        unsigned long v = strtoul(value, &end, 10);
        if (end == value || *end || value[0] == '-' || v < FH_MIN_TOKEN || v > FH_MAX_TOKEN) {
            if (err && errlen > 0)
                snprintf(err, errlen, "option 'max_token': bad value '%s' (use a number of bytes, %d..%d)",
                         value, FH_MIN_TOKEN, FH_MAX_TOKEN);
            return FH_EINVAL;
        }
        opt->max_token = (unsigned)v;
        return FH_OK;
    }
    if (!strcmp(value, "1") || !strcmp(value, "on") || !strcmp(value, "yes") ||
        !strcmp(value, "true"))
        on = 1;
    else if (!strcmp(value, "0") || !strcmp(value, "off") || !strcmp(value, "no") ||
             !strcmp(value, "false"))
        on = 0;
    else {
        seterr(err, errlen, "option '%s': bad value '%s' (use 1/0, on/off, yes/no, true/false)",
               name, value);
        return FH_EINVAL;
    }
    if (!strcmp(name, "stem")) {
        opt->stem = on;
        return FH_OK;
    }
    if (!strcmp(name, "stopwords")) {
        opt->stopwords = on;
        return FH_OK;
    }
    for (size_t i = 0; i < sizeof norm_names / sizeof norm_names[0]; i++)
        if (!strcmp(name, norm_names[i].name)) {
            if (on)
                opt->norm_flags |= norm_names[i].flag;
            else
                opt->norm_flags &= ~norm_names[i].flag;
            return FH_OK;
        }
    seterr(err, errlen, "unknown option '%s'%s", name, "");
    return FH_EINVAL;
}

int fh_analyzer_new(const fh_options *opt, fh_analyzer **out)
{
    if (!out)
        return FH_EINVAL;
    *out = NULL;
    fh_options o = opt ? *opt : fh_options_default();
    if (o.norm_flags & ~(unsigned)FH_NORM_DEFAULT)
        return FH_EINVAL;
    if (o.max_token == 0)
        o.max_token = FH_MAX_TOKEN;
    if (o.max_token < FH_MIN_TOKEN || o.max_token > FH_MAX_TOKEN)
        return FH_EINVAL;
    fh_analyzer *a = calloc(1, sizeof *a);
    if (!a)
        return FH_ENOMEM;
    a->opt = o;
    a->opt.stem = o.stem ? 1 : 0;
    a->opt.stopwords = o.stopwords ? 1 : 0;
    {
        unsigned arabic = FH_NORM_MARKS | FH_NORM_QURANIC | FH_NORM_TATWEEL | FH_NORM_ALEF |
                          FH_NORM_ALEF_MAQSURA | FH_NORM_TEH_MARBUTA | FH_NORM_HAMZA_SEAT |
                          FH_NORM_PERSIAN | FH_NORM_PRESENTATION | FH_NORM_CONTROLS;
        a->canon = (o.norm_flags & arabic) != arabic;
    }
    a->keeps_marks = (o.norm_flags & (FH_NORM_MARKS | FH_NORM_QURANIC | FH_NORM_TATWEEL)) !=
                     (FH_NORM_MARKS | FH_NORM_QURANIC | FH_NORM_TATWEEL);
    a->ar2 = calloc(65536, 1);
    if (!a->ar2) {
        fh_analyzer_free(a);
        return FH_ENOMEM;
    }
    for (uint32_t cp = 0; cp < FH_FAST_MAX; cp++) {
        char tmp[FH_FOLD_MAX];
        size_t n = fh_fold(cp, a->opt.norm_flags, tmp);
        a->fast[cp].cls = fh_ch(cp)->cls;
        if (n <= sizeof a->fast[cp].b) {
            a->fast[cp].n = (uint8_t)n;
            memcpy(a->fast[cp].b, tmp, n);
        } else
            a->fast[cp].n = FH_FAST_SLOW;
    }
    for (uint32_t k = 0; k < 256; k++) {
        const fh_fast *f = &a->fast[0x600 + k];
        uint32_t cp = 0x600 + k;
        char self[2] = {(char)(0xC0 | (cp >> 6)), (char)(0x80 | (cp & 0x3F))};
        a->ar[k].ok = (f->cls == FH_C_ARLET || f->cls == FH_C_ARMARK) && f->n <= 2;
        a->ar[k].n = a->ar[k].ok ? f->n : 0;
        memcpy(a->ar[k].b, f->b, sizeof a->ar[k].b);
        int same = a->ar[k].ok && f->n == 2 && memcmp(f->b, self, 2) == 0;
        a->ar2[(unsigned char)self[0] | (unsigned)(unsigned char)self[1] << 8] =
            (uint8_t)(same ? FH_AR2_SAME : a->ar[k].ok ? FH_AR2_FOLD : 0);
    }
    /* two-byte separators: an Arabic word ends at them in the fast path */
    for (uint32_t cp = 0x80; cp < FH_FAST_MAX; cp++)
        if (a->fast[cp].cls == FH_C_SEP) {
            unsigned u = (0xC0 | (cp >> 6)) | (0x80 | (cp & 0x3F)) << 8;
            if (!a->ar2[u])
                a->ar2[u] = FH_AR2_SEP;
        }
    /* the letters that fold to another two-byte letter, read in the SIMD
     * loop: the common ones (U+0620..U+064A) first, then in code point
     * order, FH_SIMD_FOLDS at most */
    uint8_t simd_ok[256] = {0}; /* by k: folds to itself, or in simd_fold[] */
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t k = 0; k < 256; k++) {
            int common = k >= 0x20 && k <= 0x4A;
            if (common != !pass)
                continue;
            uint32_t lead = 0xD8 + (k >> 6), cont = 0x80 | (k & 0x3F);
            uint8_t c = a->ar2[lead | cont << 8];
            if (c == FH_AR2_SAME)
                simd_ok[k] = 1;
            else if (c == FH_AR2_FOLD && a->ar[k].n == 2 && a->nfold < FH_SIMD_FOLDS) {
                uint16_t from = (uint16_t)(lead | cont << 8);
                uint16_t to = (uint16_t)((unsigned char)a->ar[k].b[0] |
                                         (unsigned)(unsigned char)a->ar[k].b[1] << 8);
                a->simd_fold[a->nfold] = from;
                a->simd_delta[a->nfold++] = (uint16_t)(from ^ to);
                simd_ok[k] = 1;
            }
        }
    /* maximal runs of those letters, contiguous in big-endian pair value;
     * keep the FH_SIMD_RANGES best: most code points of the common letters
     * U+0620..U+064A, then longest */
    uint32_t score[FH_SIMD_RANGES];
    for (uint32_t k = 0; k < 256;) {
        uint32_t lead = 0xD8 + (k >> 6), cont = 0x80 | (k & 0x3F);
        if (!simd_ok[k]) {
            k++;
            continue;
        }
        uint32_t k0 = k, common = 0;
        /* a run stays within one lead byte (64 code points) */
        while (k < 256 && (k >> 6) == (k0 >> 6) && simd_ok[k]) {
            common += k >= 0x20 && k <= 0x4A;
            k++;
        }
        uint32_t sc = common * 1024 + (k - k0);
        int slot = a->nsimd;
        if (slot == FH_SIMD_RANGES) { /* replace the worst, if worse */
            slot = 0;
            for (int r = 1; r < FH_SIMD_RANGES; r++)
                if (score[r] < score[slot])
                    slot = r;
            if (score[slot] >= sc)
                continue;
        } else
            a->nsimd++;
        score[slot] = sc;
        a->simd_lo[slot] = (uint16_t)(lead << 8 | cont);
        a->simd_len[slot] = (uint16_t)(k - k0);
    }
    /* the stem cache (4 MB) is made at the first word the lexicon does not
     * know (fh_stem_token): an analyzer made for a few words (an FTS5 query,
     * fahras_tokens) costs no 4 MB of zeroing */
    *out = a;
    return FH_OK;
}

void fh_analyzer_free(fh_analyzer *a)
{
    if (!a)
        return;
    free(a->cache);
    free(a->ar2);
    free(a);
}

const fh_options *fh_analyzer_options(const fh_analyzer *a) { return a ? &a->opt : NULL; }
