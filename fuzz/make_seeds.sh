#!/bin/sh
# make_seeds.sh — remake fuzz/seeds/ from the project's own test inputs
# (tests/golden) and the bundled ANT v2.1 sample (demo/, first rows only),
# plus a few hand-written inputs.  Never from ../shared.  Each seed starts
# with the harness's control bytes (see the comment at the top of each
# fuzz/fuzz_NAME.c); the rest is the text or file.
#
#   sh fuzz/make_seeds.sh        (rewrites fuzz/seeds/*; review with git diff)
set -eu
cd "$(dirname "$0")/.."
S=fuzz/seeds
G=tests/golden
rm -rf "$S"
mkdir -p "$S/analyze" "$S/query" "$S/jsonl" "$S/tsv" "$S/trec" "$S/txt" "$S/fts5" "$S/segment"

# seed DIR NAME CONTROL FILE: the control bytes (printf escapes), then FILE
seed() {
    { printf "$3"; cat "$4"; } >"$S/$1/$2"
}

# analyze: each golden input line by line groups, default options and others
n=0
for f in tokenize normalize stem bytes options json; do
    # blocks of 8 lines, comments and all: small inputs the fuzzer mutates fast
    split -l 8 "$G/$f.in" /tmp/fahras-seed.$$.
    for p in /tmp/fahras-seed.$$.*; do
        n=$((n + 1))
        case $((n % 4)) in
        0) c='\377\377\007' ;;  # defaults, stem, stopwords, stop at token 1
        1) c='\000\200\003' ;;  # defaults, stem, stopwords
        2) c='\000\000\002' ;;  # every flag off, no stem
        *) c='\125\012\013' ;;  # some flags, stop at token 2
        esac
        seed analyze "$f-$n" "$c" "$p"
        rm -f "$p"
    done
done

# query: the golden queries and one per syntax rule
n=0
{
    cut -f2 "$G/search/queries.tsv"
    cat <<'Q'
النفط في العراق
=الكتاب والكتاب
"الطاقة الشمسية" -زلزال
-"أسعار النفط" النفط
نف* مكت*
النفط OR زلزال
title:قراءة title:"الطاقة الشمسية"
source:hayat أوباما
date:2014-10..2014-12 النفط
date:2014 date:..2015-06 النفط
"unclosed quote
- * ** "" =
Obama G20 ٦٫٥ http://example.com/a b@c.org
كتاب	مع	تحكم
Q
} | while IFS= read -r q; do
    n=$((n + 1))
    printf '%s' "$q" >/tmp/fahras-seed.$$
    case $((n % 3)) in
    0) c='\012\000' ;;  # limit 10, no dates
    1) c='\063\062' ;;  # limit 3, offset 3, since 2014
    *) c='\305\375' ;;  # limit 5, no snippets, short, dates
    esac
    seed query "q$n" "$c" /tmp/fahras-seed.$$
done
rm -f /tmp/fahras-seed.$$

# the ingest formats: control byte 0 picks the record cap and repeats
# (fuzz/ingest_harness.h), byte 1 = 0xff never stops.
# each file twice: as it is, and with the control byte 0 given (SUFFIX)
# ingest_seeds FORMAT CONTROL SUFFIX FILE...
ingest_seeds() {
    fmt=$1 c=$2 suffix=$3
    shift 3
    for f in "$@"; do
        seed "$fmt" "$(basename "$f")" '\000\377' "$f"
        seed "$fmt" "$(basename "$f")-$suffix" "$c\377" "$f"
    done
}
ingest_seeds jsonl '\023' cap40x3 "$G"/ingest/*.jsonl "$G"/search/docs.jsonl \
    "$G"/ingest/bom_crlf/a.jsonl "$G"/ingest/auto/doc.JSONL "$G"/ingest/auto/doc.ndjson \
    "$G"/ingest/auto/noext_json
mkdir -p /tmp/fahras-seed.$$.d
head -n 4 demo/ant2-sample.tsv | cut -c1-1500 >/tmp/fahras-seed.$$.d/ant2-sample-head
ingest_seeds tsv '\114' cols-cap100x2 "$G"/ingest/*.tsv "$G"/search/docs.tsv \
    "$G"/ingest/bom_crlf/b.tsv "$G"/ingest/auto/doc.tsv "$G"/ingest/auto/noext_tsv \
    /tmp/fahras-seed.$$.d/ant2-sample-head
rm -rf /tmp/fahras-seed.$$.d
ingest_seeds trec '\015' cap300x2 "$G"/ingest/*.trec "$G"/search/docs.trec \
    "$G"/ingest/bom_crlf/c.trec "$G"/ingest/auto/doc.xml "$G"/ingest/auto/doc.sgml \
    "$G"/ingest/auto/noext_trec
cat >/tmp/fahras-seed.$$ <<'T'
<?xml version="1.0"?>
<DOC id="GIGA_1"><HEADLINE>عنوان &amp; &#1575;&#x628; &bogus;</HEADLINE>
<TEXT><P>نص</P><!-- comment --><![CDATA[<raw>]]></TEXT></DOC>
<DOC><DOCNO> x2 </DOCNO><TITLE/><TEXT>a</TEXT ></DOC  >
<DOC><DOCNO>x3</DOCNO><TEXT>unclosed</DOC>
<DOC><TEXT>no docno</TEXT></DOC>
T
seed trec hand '\000\377' /tmp/fahras-seed.$$
rm -f /tmp/fahras-seed.$$
ingest_seeds txt '\003' cap40 "$G"/ingest/txt/*.txt "$G"/ingest/txt/sub/*.txt \
    "$G"/search/txt/*.txt "$G"/search/txt/sub/*.txt "$G"/ingest/bom_crlf/d.txt \
    "$G"/ingest/auto/doc.txt
# fts5 and segment: one control byte, then the text (fuzz_fts5.c,
# fuzz_segment.c): the golden segmentation and tokenizer inputs in blocks
for f in segment tokenize bytes; do
    split -l 6 "$G/$f.in" /tmp/fahras-seed.$$.
    n=0
    for p in /tmp/fahras-seed.$$.*; do
        n=$((n + 1))
        case $((n % 4)) in
        0) c='\000' ;;  # fts5: defaults; segment: farasa, as written
        1) c='\101' ;;  # fts5: no stem, the text as a query; segment: clitics, 0-byte buffer
        2) c='\016' ;;  # fts5: no stopwords/marks/alef; segment: normalized, cut at 21 bytes
        *) c='\040' ;;  # fts5: a bad option; segment: cut at 56 bytes
        esac
        seed fts5 "$f-$n" "$c" "$p"
        seed segment "$f-$n" "$c" "$p"
        rm -f "$p"
    done
done
du -sb "$S"
