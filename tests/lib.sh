# lib.sh — what the shell test scripts share (tests/run.sh, tests/cli_search.sh,
# tests/robust/*.sh), sourced.  POSIX sh.  The sourcing script sets W (a work
# directory) and SUITE (the word printed after "ok   " or "FAIL: ", e.g.
# cli-search); check counts the results in pass and fail.
#
#   run CMD...              stdout in $W/out, stderr in $W/err, status in $rc
#   check NAME CONDITION... one test: CONDITION is a command (often eval '...');
#                           "ok   SUITE NAME", or "FAIL: SUITE NAME" with the
#                           last run's status, stdout and stderr
#   exit_is N, err_has RE, out_has RE, err_hasf STR, out_hasf STR,
#   err_lines RE N          conditions on the last run

pass=${pass:-0}
fail=${fail:-0}
rc=0

run() {
    "$@" >"$W/out" 2>"$W/err"
    rc=$?
}

check() {
    _n=$1
    shift
    if "$@"; then
        pass=$((pass + 1))
        echo "ok   $SUITE $_n"
    else
        fail=$((fail + 1))
        echo "FAIL: $SUITE $_n"
        echo "  status $rc; stdout:"
        sed -n '1,12p' "$W/out" 2>/dev/null | sed 's/^/  | /'
        echo "  stderr:"
        sed -n '1,12p' "$W/err" 2>/dev/null | sed 's/^/  | /'
    fi
}

exit_is() { [ "$rc" -eq "$1" ]; }
err_has() { grep -q -e "$1" "$W/err"; }
out_has() { grep -q -e "$1" "$W/out"; }
err_hasf() { grep -q -F -e "$1" "$W/err"; }
out_hasf() { grep -q -F -e "$1" "$W/out"; }
err_lines() { [ "$(grep -c -e "$1" "$W/err")" -eq "$2" ]; }
