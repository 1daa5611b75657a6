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

int fh_is_stopword(const char *norm, size_t len)
{
    return norm && fh_wordtab_find(&fh_stoplist, norm, len) != 0;
}
