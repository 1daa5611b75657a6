/*
 * normalize.c — character folding (fh_fold) and whole-string normalization.
 */
#include <string.h>

#include "chartab.h"
#include "internal.h"
#include "utf8.h"

/*
 * Fold one code point: write its normalized UTF-8 into out (room for
 * FH_FOLD_MAX bytes) and return the byte count (0 if removed).  The output
 * of a rule is folded again (a presentation form gives a letter that the
 * alef rule folds; an accented capital gives a capital that case-folding
 * lowers).  Depth is bounded: the generator emits no cycles, and three levels
 * cover every chain in the table.
 */
static size_t fold_depth(uint32_t cp, unsigned flags, char *out, int depth)
{
    const fh_chrec *r = fh_ch(cp);
    for (unsigned i = 0; i < r->nmaps; i++) {
        const fh_chmap *m = &fh_chmaps[r->first + i];
        if (!(flags & m->flag))
            continue;
        if (depth >= 3) {
            memcpy(out, fh_chpool + m->off, m->len);
            return m->len;
        }
        size_t o = 0, j = 0;
        const unsigned char *p = fh_chpool + m->off;
        while (j < m->len) {
            size_t adv;
            uint32_t c = fh_utf8_next(p + j, m->len - j, &adv);
            j += adv;
            if (c == FH_UTF8_INVALID)
                continue; /* cannot happen: the pool is generated UTF-8 */
            o += fold_depth(c, flags, out + o, depth + 1);
        }
        return o;
    }
    return fh_utf8_put(cp, out);
}

size_t fh_fold(uint32_t cp, unsigned flags, char *out)
{
    return fold_depth(cp, flags, out, 0);
}

size_t fh_normalize(const fh_analyzer *a, const char *text, size_t len, char *out, size_t cap)
{
    if (!a || (!text && len))
        return 0;
    const unsigned char *s = (const unsigned char *)text;
    unsigned flags = a->opt.norm_flags;
    size_t need = 0, written = 0, i = 0;
    int full = 0; /* once a character does not fit, nothing more is written */
    char tmp[FH_FOLD_MAX];
    while (i < len) {
        size_t adv, n;
        const char *src;
        if (s[i] < 0x80 && !(s[i] >= 'A' && s[i] <= 'Z' && (flags & FH_NORM_CASE))) {
            adv = n = 1;
            src = text + i;
        } else {
            uint32_t cp = fh_utf8_next(s + i, len - i, &adv);
            if (cp == FH_UTF8_INVALID)
                cp = 0xFFFD;
            n = fh_fold(cp, flags, tmp);
            src = tmp;
        }
        if (out && !full && written + n < cap) {
            memcpy(out + written, src, n);
            written += n;
        } else {
            full = 1; /* cut at a character boundary, never in one */
        }
        need += n;
        i += adv;
    }
    if (out && cap > 0)
        out[written] = '\0';
    return need;
}
