#!/bin/sh
# encodings.sh — `fahras index` on real-world encodings: the same articles
# as UTF-8, UTF-8 with a BOM, UTF-16 (LE and BE, with a BOM), Windows-1256
# and ISO-8859-6 (detected, and named with --encoding), in every ingest
# format; each index must hold the same text as the UTF-8 one and find the
# same words.  Undecodable bytes are reported with FILE:LINE and never
# indexed.  Fixtures are made here with iconv from one UTF-8 text.
#
#   sh tests/robust/encodings.sh
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
B=${B:-build}
case $B in /*) F=$B/fahras ;; *) F=$ROOT/$B/fahras ;; esac
W=$(mktemp -d "${TMPDIR:-/tmp}/fahras-enc.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
. "$ROOT/tests/robust/lib.sh"

# the text: letters common to both code pages (no Persian letters, which
# ISO-8859-6 lacks), punctuation ، ؛ ؟, Latin and digits
cat >"$W/utf8.tsv" <<'EOF'
id	title	body
e1	وزير الخارجية يزور القاهرة؟	أعلنت الوزارة، اليوم، أن الوزير سيلتقي نظيره في القاهرة؛ وقالت إن المحادثات ستتناول 3 ملفات.
e2	الطاقة والنفط	ارتفعت أسعار النفط في الأسواق العالمية بنسبة 5 بالمئة بعد قرار منظمة أوبك OPEC.
EOF
{
    printf '{"id":"e1","title":"وزير الخارجية يزور القاهرة؟","body":"أعلنت الوزارة، اليوم، أن الوزير سيلتقي نظيره في القاهرة؛ وقالت إن المحادثات ستتناول 3 ملفات."}\n'
    printf '{"id":"e2","title":"الطاقة والنفط","body":"ارتفعت أسعار النفط في الأسواق العالمية بنسبة 5 بالمئة بعد قرار منظمة أوبك OPEC."}\n'
} >"$W/utf8.jsonl"
{
    printf '<DOC>\n<DOCNO>e1</DOCNO>\n<TITLE>وزير الخارجية يزور القاهرة؟</TITLE>\n<TEXT>أعلنت الوزارة، اليوم، أن الوزير سيلتقي نظيره في القاهرة؛ وقالت إن المحادثات ستتناول 3 ملفات.</TEXT>\n</DOC>\n'
    printf '<DOC>\n<DOCNO>e2</DOCNO>\n<TITLE>الطاقة والنفط</TITLE>\n<TEXT>ارتفعت أسعار النفط في الأسواق العالمية بنسبة 5 بالمئة بعد قرار منظمة أوبك OPEC.</TEXT>\n</DOC>\n'
} >"$W/utf8.trec"
mkdir -p "$W/txt8"
printf 'وزير الخارجية يزور القاهرة؟\nأعلنت الوزارة، اليوم، أن الوزير سيلتقي نظيره في القاهرة؛ وقالت إن المحادثات ستتناول 3 ملفات.\n' >"$W/txt8/e1.txt"

# nothing on stderr but the summary
err_empty_() { ! grep -q -v -e '^fahras index: [0-9]* added' "$W/err"; }
rows() { sqlite3 "$1" "SELECT ext_id, title, body FROM docs ORDER BY ext_id"; }

for fmt in tsv jsonl trec; do
    "$F" index --db "$W/ref-$fmt.db" "$W/utf8.$fmt" >/dev/null 2>&1
    rows "$W/ref-$fmt.db" >"$W/ref-$fmt.rows"
    for enc in UTF-8-BOM UTF-16 UTF-16BE-BOM WINDOWS-1256 ISO-8859-6; do
        src=$W/$enc.$fmt
        case $enc in
        UTF-8-BOM) { printf '\357\273\277'; cat "$W/utf8.$fmt"; } >"$src" ;;
        UTF-16) iconv -f UTF-8 -t UTF-16 "$W/utf8.$fmt" >"$src" ;; # glibc: BOM + LE
        UTF-16BE-BOM) { printf '\376\377'; iconv -f UTF-8 -t UTF-16BE "$W/utf8.$fmt"; } >"$src" ;;
        *) iconv -f UTF-8 -t "$enc" "$W/utf8.$fmt" >"$src" ;;
        esac
        run "$F" index --db "$W/$enc-$fmt.db" "$src"
        rows "$W/$enc-$fmt.db" >"$W/$enc-$fmt.rows"
        check "$fmt in $enc (detected): the same documents as UTF-8" \
            eval 'exit_is 0 && err_empty_ && cmp -s "$W/$enc-$fmt.rows" "$W/ref-$fmt.rows" && [ -s "$W/ref-$fmt.rows" ]'
    done
done

# named with --encoding (and a txt article, which has no record syntax)
for enc in WINDOWS-1256 ISO-8859-6 UTF-16LE; do
    mkdir -p "$W/txt-$enc"
    iconv -f UTF-8 -t "$enc" "$W/txt8/e1.txt" >"$W/txt-$enc/e1.txt"
    run "$F" index --db "$W/n-$enc.db" --encoding "$enc" "$W/txt-$enc"
    t=$(sqlite3 "$W/n-$enc.db" "SELECT title FROM docs")
    check "--encoding $enc: a txt article decoded" eval 'exit_is 0 && [ "$t" = "وزير الخارجية يزور القاهرة؟" ]'
    run "$F" search --db "$W/n-$enc.db" --json 'الوزارة'
    check "--encoding $enc: its words are found" eval 'exit_is 0 && out_has "\"id\":\"e1.txt\""'
done
run "$F" index --db "$W/x.db" --encoding KLINGON "$W/utf8.tsv"
check "--encoding with an unknown name: usage error" eval 'exit_is 2 && err_has "unknown encoding .KLINGON."'

# detected Windows-1256: the words are found (not mojibake)
run "$F" search --db "$W/WINDOWS-1256-tsv.db" --json 'النفط'
check "Windows-1256 (detected): search finds the article" eval 'exit_is 0 && out_has "\"id\":\"e2\""'

# undecodable bytes: ISO-8859-6 leaves 0xA1 undefined
{
    printf 'id\ttitle\tbody\n'
    iconv -f UTF-8 -t ISO-8859-6 "$W/utf8.tsv" | sed -n 2p
    printf 'e3\t\307\241\310 \312\307\310\t\343\312\307\310\n'
} >"$W/bad.tsv"
run "$F" index --db "$W/bad.db" --encoding ISO-8859-6 "$W/bad.tsv"
check "undecodable bytes: reported with FILE:LINE, status 1" \
    eval 'exit_is 1 && err_has "bad.tsv:3: undecodable ISO-8859-6 bytes (0xA1): replaced by U+FFFD, not indexed"'
t=$(sqlite3 "$W/bad.db" "SELECT title FROM docs WHERE ext_id = 'e3'")
check "undecodable bytes: U+FFFD in the text, the rest decoded" eval '[ "$t" = "ا�ب تاب" ]'
run "$F" search --db "$W/bad.db" --json 'تاب'
check "undecodable bytes: the words around them are indexed" eval 'exit_is 0 && out_has "\"id\":\"e3\""'
robust_end
