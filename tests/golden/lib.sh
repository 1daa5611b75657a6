# lib.sh — shared by tests/run.sh and tests/golden/regen.sh (POSIX sh; source it).
#
# Needs: B (build directory), G (this directory), GW (a scratch directory).
# A golden case is a line of tests/golden/cases:  NAME STATUS INPUT COMMAND [OPTIONS...]

# golden_strip FILE OUT: FILE without its comment lines ("# ..." or a lone "#").
golden_strip() {
    sed -e '/^# /d' -e '/^#$/d' "$1" >"$2"
}

# golden_actual NAME STATUS INPUT COMMAND... : runs the case; its standard
# output goes to $GW/NAME.out, standard error to $GW/NAME.err, the stripped
# input to $GW/NAME.in.  Returns 0 if the exit status is STATUS; otherwise
# prints why and returns 1.
golden_actual() {
    _name=$1 _want=$2 _input=$3
    shift 3
    if [ ! -r "$G/$_input" ]; then
        echo "golden $_name: input $G/$_input is missing"
        return 1
    fi
    golden_strip "$G/$_input" "$GW/$_name.in"
    "$B/fahras" "$@" <"$GW/$_name.in" >"$GW/$_name.out" 2>"$GW/$_name.err"
    _rc=$?
    if [ "$_rc" -ne "$_want" ]; then
        echo "golden $_name: \`fahras $*\` exited with status $_rc, want $_want; stderr:"
        sed -n '1,20p' "$GW/$_name.err"
        return 1
    fi
    return 0
}

# golden_diff NAME EXPECTED ACTUAL COMMAND : prints the differences for a
# reviewer.  For line-per-line commands (normalize, stem) each line is shown
# next to its input line:  input <TAB> output.
golden_diff() {
    _name=$1 _exp=$2 _act=$3 _cmd=$4
    if [ ! -f "$_exp" ]; then
        echo "--- $_exp does not exist; the new output would be:"
        sed -n '1,40p' "$_act"
        return
    fi
    case $_cmd in
    normalize | stem)
        if [ -f "$GW/$_name.in" ]; then
            paste "$GW/$_name.in" "$_exp" >"$GW/$_name.exp.paired"
            paste "$GW/$_name.in" "$_act" >"$GW/$_name.act.paired"
            _exp=$GW/$_name.exp.paired _act=$GW/$_name.act.paired
        fi
        ;;
    esac
    diff -u "$_exp" "$_act" >"$GW/$_name.diff" 2>&1
    if grep -q '^Binary files' "$GW/$_name.diff"; then
        # NUL bytes: compare readable dumps instead
        od -An -c "$_exp" >"$GW/$_name.exp.od"
        od -An -c "$_act" >"$GW/$_name.act.od"
        diff -u "$GW/$_name.exp.od" "$GW/$_name.act.od" >"$GW/$_name.diff" 2>&1
    fi
    sed -n '1,80p' "$GW/$_name.diff"
    _lines=$(wc -l <"$GW/$_name.diff")
    if [ "$_lines" -gt 80 ]; then
        echo "... ($_lines lines of diff in all)"
    fi
}
