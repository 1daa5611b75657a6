/*
 * snowball_stem — reference ("anchor") stemmer for the conflation evaluation.
 *
 * Reads words on stdin, one per line (UTF-8), and writes one line per input
 * line on stdout: the stem given by the Snowball "arabic" algorithm of
 * libstemmer (libstemmer-dev).  The whole line is stemmed as one word; a
 * trailing CR is dropped; an empty line gives an empty line, and the number
 * of output lines always equals the number of input lines (a last line
 * without a newline still gets one).
 *
 * Build:  cc -O2 -Wall -Wextra -Werror -o build/anchors/snowball_stem \
 *             eval/anchors/snowball_stem.c -lstemmer
 * Run:    build/anchors/snowball_stem < words.txt > stems.txt
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>

#include <libstemmer.h>

int main(void)
{
    struct sb_stemmer *stemmer = sb_stemmer_new("arabic", "UTF_8");
    if (stemmer == NULL) {
        fprintf(stderr, "snowball_stem: libstemmer has no UTF-8 \"arabic\" algorithm\n");
        return 2;
    }

    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, stdin)) != -1) {
        /* Drop the line terminator: "\n", "\r\n" or a lone trailing "\r". */
        if (len > 0 && line[len - 1] == '\n')
            len--;
        if (len > 0 && line[len - 1] == '\r')
            len--;

        if (len > 0) {
            const sb_symbol *stem = sb_stemmer_stem(stemmer, (const sb_symbol *)line, (int)len);
            if (stem == NULL) { /* only on out-of-memory */
                fprintf(stderr, "snowball_stem: out of memory\n");
                return 1;
            }
            fwrite(stem, 1, (size_t)sb_stemmer_length(stemmer), stdout);
        }
        putchar('\n');
    }

    free(line);
    sb_stemmer_delete(stemmer);
    if (ferror(stdin) || fflush(stdout) != 0) {
        perror("snowball_stem");
        return 1;
    }
    return 0;
}
