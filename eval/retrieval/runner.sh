# eval/retrieval/runner.sh — sourced by every system's run.sh (bash): the
# contract's arguments (--task known_item|qa --out DIR [--smoke], --help) and
# the data check.  Sets task, out, smoke (an array: empty or --smoke), DATA
# and shown (the data folder, as found and as shown in messages); prints SKIP
# and exits 0 when the task's data is missing.  Needs ROOT (the repository).
runner_args() {
    local name=$1 f
    shift
    task="" out="" smoke=()
    while [ $# -gt 0 ]; do
        case "$1" in
            --task) task=${2:?--task needs known_item or qa}; shift ;;
            --task=*) task=${1#--task=} ;;
            --out) out=${2:?--out needs a directory}; shift ;;
            --out=*) out=${1#--out=} ;;
            --smoke) smoke=(--smoke) ;;
            -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
            *) echo "$name/run.sh: unknown argument: $1" >&2; exit 2 ;;
        esac
        shift
    done
    case "$task" in
        known_item) need=(news/news.tsv news/known_item.dev.queries.tsv) ;;
        qa) need=(qa_retrieval/collection.tsv qa_retrieval/dev.queries.tsv) ;;
        *) echo "$name/run.sh: --task must be known_item or qa" >&2; exit 2 ;;
    esac
    [ -n "$out" ] || { echo "$name/run.sh: --out DIR is required" >&2; exit 2; }
    if [ -n "${FAHRAS_DATA:-}" ]; then
        DATA=$FAHRAS_DATA; shown=$FAHRAS_DATA
    else
        DATA="$ROOT/../shared/data"; shown="../shared/data"
    fi
    for f in "${need[@]}"; do
        if [ ! -f "$DATA/$f" ]; then
            echo "SKIP: $shown/$f not found"
            exit 0
        fi
    done
}
