/*
 * lexicon.c — look-ups in the generated word tables (build/gen/lexicon.c and stoplist.c, made
 * from data/lexicon.tsv and data/stopwords.txt by tools/gen_wordtab.c).
 */
#include "internal.h"
#include "wordtab.h"

extern const fh_wordtab fh_lexicon;   /* normalized word form -> corpus count */
extern const fh_wordtab fh_stoplist;  /* normalized stopwords                 */

uint32_t fh_lex_count(const char *w, size_t len) { return fh_wordtab_find(&fh_lexicon, w, len); }

size_t fh_lex_size(void) { return fh_lexicon.nwords; }

uint32_t fh_lex_hash(const char *w, size_t len) { return fh_wordhash(w, len); }

int fh_lex_stem(const char *w, size_t len, uint32_t hash, const char **stem, size_t *stem_len,
                int *stopword)
{
    if (!fh_lexicon.has_stems)
        return 0;
    const unsigned char *e = fh_wordtab_entry_h(&fh_lexicon, w, len, hash);
    if (!e)
        return 0;
    *stopword = (e[4] & FH_WT_STOPWORD) != 0;
    *stem_len = e[5];
    *stem = (const char *)e + 6;
    return 1;
}

int fh_is_stopword(const char *norm, size_t len)
{
    return norm && fh_wordtab_find(&fh_stoplist, norm, len) != 0;
}
