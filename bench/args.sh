# bench/args.sh — sourced by bench/run.sh and bench/fts5.sh (POSIX sh):
#   bench_args DEFAULT_PASSES "$@"
# reads --smoke (2 MB, 1 pass), --passes N, --max-bytes N into PASSES and MAX
# (0: everything), sets ROOT, DATA (FAHRAS_DATA or ../shared/data) and NEWS
# (its news/news.tsv), and prints SKIP and exits 0 when news.tsv is missing.
bench_args() {
    ROOT=$(cd "$(dirname "$0")/.." && pwd)
    DATA=${FAHRAS_DATA:-$ROOT/../shared/data}
    NEWS=$DATA/news/news.tsv
    PASSES=$1
    MAX=0
    shift
    while [ $# -gt 0 ]; do
        case $1 in
        --smoke) PASSES=1; MAX=2000000 ;;
        --passes) PASSES=$2; shift ;;
        --max-bytes) MAX=$2; shift ;;
        *) echo "usage: bench/${0##*/} [--smoke] [--passes N] [--max-bytes N]" >&2; exit 2 ;;
        esac
        shift
    done
    if [ ! -r "$NEWS" ]; then
        echo "SKIP: $NEWS not found (the benchmarks need ../shared/data)"
        exit 0
    fi
}
