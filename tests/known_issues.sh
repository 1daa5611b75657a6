#!/bin/sh
# known_issues.sh — re-check the suspected bugs of tests/golden/KNOWN_ISSUES.md.
# Not part of `make test` (those bugs would fail it).  POSIX sh.
#
#   B=build sh tests/known_issues.sh
#
# Prints "present" or "fixed" for each issue; exits 1 while any is present.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
B=${B:-build}
CC=${CC:-cc}
F=$B/fahras
LC_ALL=C
export LC_ALL
W=$(mktemp -d "${TMPDIR:-/tmp}/fahras-known.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
if [ ! -x "$F" ] || [ ! -f "$B/libfahras.a" ]; then
    echo "known_issues: build first ($F, $B/libfahras.a)" >&2
    exit 2
fi

present=0
report() { # report N TITLE CONDITION-IS-BUG...
    _n=$1 _t=$2
    shift 2
    if "$@"; then
        present=$((present + 1))
        echo "present  $_n. $_t"
    else
        echo "fixed    $_n. $_t"
    fi
}

# 1. stale bytes in a number's norm with controls off
printf '3\342\200\217.5\n' | "$F" normalize --tokens --set controls=0 >"$W/1" 2>/dev/null
report 1 "controls=0: '3<RLM>.5' gives a norm with stale (NUL) bytes" \
    eval 'od -An -tx1 "$W/1" | grep -q " 00"'

# 2. Arabic question mark glued to a URL
"$F" analyze 'هل زرت www.example.com؟' 2>/dev/null | cut -f4 >"$W/2"
report 2 "'www.example.com؟' keeps the Arabic question mark" grep -q '؟' "$W/2"

# 3. balanced ) cut from a URL
"$F" analyze 'https://en.wikipedia.org/wiki/Foo_(bar)' 2>/dev/null | cut -f1 >"$W/3"
report 3 "'.../Foo_(bar)' loses its closing parenthesis" eval '! grep -q "(bar)$" "$W/3"'

# 4-5: through the library
cat >"$W/k.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include "fahras.h"
static int flag;
static int cb(void *ctx, const fh_token *t) { (void)ctx; flag = (t->flags & FH_TOKEN_STOPWORD) != 0; return 0; }
static int stop_flag(unsigned off, const char *w)
{
    fh_options o = fh_options_default();
    fh_analyzer *a;
    o.norm_flags &= ~off;
    if (fh_analyzer_new(&o, &a) != FH_OK) return -1;
    flag = -1;
    fh_analyze(a, w, strlen(w), cb, NULL);
    fh_analyzer_free(a);
    return flag;
}
int main(void)
{
    fh_analyzer *a;
    char w[400];
    size_t n = 0, sl = 0;
    if (fh_analyzer_new(NULL, &a) != FH_OK) return 2;
    w[n++] = 'a';
    for (int i = 0; i < 150; i++) { memcpy(w + n, "\xD8\xA8", 2); n += 2; }
    const char *s = fh_stem(a, w, n, &sl);
    /* documented: cut to at most FH_MAX_TOKEN bytes at a character boundary */
    printf("4 %d\n", !(s && sl <= FH_MAX_TOKEN && sl > FH_MAX_TOKEN - 4 && memcmp(s, w, sl) == 0 &&
                       ((unsigned char)w[sl] & 0xC0) != 0x80));
    fh_analyzer_free(a);
    printf("5 %d\n", stop_flag(FH_NORM_ALEF, "إلى") != 1 || stop_flag(FH_NORM_ALEF_MAQSURA, "على") != 1);
    return 0;
}
EOF
if "$CC" -std=c11 -Iinclude "$W/k.c" "$B/libfahras.a" -o "$W/k" $(case $B in *san*) echo -fsanitize=address,undefined ;; esac) 2>"$W/cc.err" &&
    "$W/k" >"$W/k.out" 2>"$W/k.err"; then
    report 4 "fh_stem of a 301-byte word is not cut at a character boundary" grep -q '^4 1' "$W/k.out"
    report 5 "stopword flag lost with alef / alef_maqsura off" grep -q '^5 1' "$W/k.out"
else
    echo "??       4-5. could not build or run the library check:"
    sed -n '1,10p' "$W/cc.err" "$W/k.err" 2>/dev/null
    present=$((present + 1))
fi

# 6. quranic=0: words with a Quranic mark are not stemmed
"$F" analyze --set quranic=0 'والكتابۖ' 2>/dev/null | cut -f5 >"$W/6"
report 6 "quranic=0: 'والكتابۖ' is not stemmed" eval '[ "$(cat "$W/6")" != "كتاب" ]'

# 7. a lone tatweel is a token with tatweel=0
"$F" analyze --set tatweel=0 'ـــ' >"$W/7" 2>/dev/null
report 7 "tatweel=0: a lone tatweel is a token" test -s "$W/7"

# stemmer quality: word -> expected stem
while read -r word want; do
    got=$("$F" stem "$word" 2>/dev/null)
    report "S" "stem($word) = $got, expected $want" eval '[ "$got" != "$want" ]'
done <<'EOF'
واحد واحد
انسان انسان
فلان فلان
وقال قال
وقالت قال
بيتي بيت
EOF

echo "$present issue(s) present"
[ "$present" -eq 0 ]
