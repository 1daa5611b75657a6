# lib.sh — helpers of the robustness tests (tests/robust/*.sh), sourced.
# POSIX sh.  The sourcing script sets ROOT, W (a work directory) and F
# (the fahras binary) first.
#
#   check, run, exit_is, ...  tests/lib.sh's (SUITE=robust: "ok   robust NAME")
#   synth_corpus FILE N SEED  N synthetic articles as TSV (id, title, body)
#   db_ids DB                 the documents' ids, sorted, one a line
#   robust_end                the closing count line; exits 1 if anything failed

LC_ALL=C
export LC_ALL
SUITE=robust
. "$ROOT/tests/lib.sh" # run, check, exit_is, err_has, out_has, ...

# synth_corpus FILE N SEED: N articles with ids d000001.. in order; each
# body holds about 300 words drawn from a fixed Arabic vocabulary (so
# stems, phrases and postings look real) and one word unique to it,
# "uNNNNNN", for searching it by itself.
synth_corpus() {
    awk -v n="$2" -v seed="$3" 'BEGIN {
        srand(seed)
        split("ا ب ت ث ج ح خ د ذ ر ز س ش ص ض ط ظ ع غ ف ق ك ل م ن ه و ي ة ى", L, " ")
        nw = 600
        for (i = 1; i <= nw; i++) {
            w = ""
            len = 3 + int(rand() * 5)
            for (k = 0; k < len; k++) w = w L[1 + int(rand() * 29)]
            if (rand() < 0.4) w = "ال" w
            if (rand() < 0.1) w = "و" w
            V[i] = w
        }
        print "id\ttitle\tbody"
        for (d = 1; d <= n; d++) {
            t = ""
            for (k = 0; k < 6; k++) t = t (k ? " " : "") V[1 + int(rand() * rand() * nw)]
            b = sprintf("u%06d", d)
            m = 150 + int(rand() * 300)
            for (k = 0; k < m; k++) b = b " " V[1 + int(rand() * rand() * nw)]
            printf "d%06d\t%s\t%s\n", d, t, b
        }
    }' >"$1"
}

db_ids() {
    sqlite3 "$1" "SELECT ext_id FROM docs" | sort
}

# now_ms: wall clock in milliseconds
now_ms() {
    date +%s%N | cut -c1-13
}

robust_end() {
    echo "robust: $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
