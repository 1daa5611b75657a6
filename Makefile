# fahras — build with `make`; test with `make test`.
#
#   make                 library (static + shared), CLI at build/fahras, tests
#   make test            the whole test suite (unit + golden + CLI)
#   make SAN=1 test      the same under AddressSanitizer + UBSan (build-san/)
#   make valgrind        unit tests + CLI smoke run under valgrind memcheck
#   make robust-long     20 SIGKILLs on news.tsv, a 200 MB line, a 1 GB input
#   make CC=clang        any C11 compiler; warnings are errors
#   make chartab         regenerate src/chartab.c from utf8proc's Unicode data
#   make lexicon         regenerate data/lexicon.tsv from ../shared/data (ANT rows)
#   make segdata         regenerate the segmenter's data from ANT rows:
#                        data/written.tsv, tanwin.tsv, alef.tsv
#   make eval / bench    quality evaluations / speed benchmarks (need ../shared/data)
#   make fuzz            every libFuzzer harness in turn (clang, build-fuzz/; fuzz/README.md),
#                        FUZZ_TIME=seconds each (default 60) or FUZZ_RUNS=N

CC      ?= cc
SAN     ?= 0
ifeq ($(SAN),1)
B       := build-san
OPT     := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDSAN   := -fsanitize=address,undefined
else ifeq ($(FUZZ),1)
# the library instrumented for libFuzzer; the harnesses add -fsanitize=fuzzer
B       := build-fuzz
CC      := clang
OPT     := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
           -fno-sanitize-recover=all
LDSAN   := -fsanitize=address,undefined
else
B       := build
OPT     := -O2 -g
LDSAN   :=
endif
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS  ?=
CFLAGS  += -std=c11 $(OPT) $(WARN) $(DEFS) -D_POSIX_C_SOURCE=200809L -fPIC -fvisibility=hidden
LDFLAGS += $(LDSAN)
LIBS    := -lsqlite3 -lm -pthread

LIB_SRC := src/analyzer.c src/normalize.c src/tokenize.c src/stem.c src/lexicon.c src/chartab.c \
           src/index.c src/search.c src/ingest.c src/decode.c src/fts5.c src/segment.c
CORE_OBJ := $(LIB_SRC:src/%.c=$(B)/obj/%.o) $(B)/obj/gen_stoplist.o $(B)/obj/gen_tanwin.o $(B)/obj/gen_alef.o $(B)/obj/gen_written.o
# two stages: the stage-1 library has a lexicon of counts only; its stemmer
# computes the stem of every lexicon word into the final lexicon
# (the same for the segmenter: the stage-1 library segments every written
# form of data/written.tsv into the final library's table)
LIB_OBJ := $(CORE_OBJ) $(B)/obj/gen_lexicon.o $(B)/obj/gen_segtab.o
STAGE1_OBJ := $(CORE_OBJ) $(B)/obj/gen_lexicon0.o $(B)/obj/gen_segtab0.o
# the word-table generator needs the normalizer only
GENTOOL_OBJ := $(B)/obj/analyzer.o $(B)/obj/normalize.o $(B)/obj/chartab.o

TESTS   := test_utf8 test_normalize test_tokenize test_stem test_api test_ingest test_search test_fts5 \
           test_segment test_robust
TEST_BIN := $(TESTS:%=$(B)/tests/%)

# fuzz harnesses: fuzz/fuzz_NAME.c each; a new harness is its file and its name here
FUZZERS := analyze query jsonl tsv trec txt fts5 segment
# each harness without libFuzzer: replays fuzz/seeds and fuzz/regress in make test
REPLAY_BIN := $(FUZZERS:%=$(B)/fuzz/replay_%)

.PHONY: all test clean chartab lexicon segdata eval bench check-clang valgrind robust-long fuzz fuzz-build
all: $(B)/libfahras.a $(B)/libfahras.so $(B)/fahras $(TEST_BIN) $(B)/tests/test_chartab \
     $(B)/fahras_sqlite.so $(REPLAY_BIN)

$(B)/obj/%.o: src/%.c src/*.h include/fahras.h | $(B)/obj
	$(CC) $(CFLAGS) -c $< -o $@

$(B)/obj/gen_%.o: $(B)/gen/%.c src/wordtab.h | $(B)/obj
	$(CC) $(CFLAGS) -Wno-overlength-strings -Isrc -c $< -o $@

$(B)/obj $(B)/gen $(B)/tools $(B)/tests $(B)/fuzz:
	mkdir -p $@

$(B)/tools/gen_wordtab: tools/gen_wordtab.c $(GENTOOL_OBJ) | $(B)/tools
	$(CC) $(CFLAGS) $< $(GENTOOL_OBJ) -o $@ $(LDFLAGS)

# the generators are build tools: their memory is freed by exit (no leak checks)
GENENV  := ASAN_OPTIONS=detect_leaks=0

$(B)/gen/lexicon0.c: data/lexicon.tsv $(B)/tools/gen_wordtab | $(B)/gen
	$(GENENV) $(B)/tools/gen_wordtab fh_lexicon < $< > $@.tmp && mv $@.tmp $@

$(B)/tools/gen_stemtab: tools/gen_wordtab.c $(STAGE1_OBJ) | $(B)/tools
	$(CC) $(CFLAGS) -DFH_GEN_STEMS $< $(STAGE1_OBJ) -o $@ $(LDFLAGS) $(LIBS)

$(B)/gen/lexicon.c: data/lexicon.tsv $(B)/tools/gen_stemtab | $(B)/gen
	$(GENENV) $(B)/tools/gen_stemtab fh_lexicon 65536 < $< > $@.tmp && mv $@.tmp $@

$(B)/tools/gen_rawtab: tools/gen_wordtab.c $(GENTOOL_OBJ) | $(B)/tools
	$(CC) $(CFLAGS) -DFH_GEN_RAW $< $(GENTOOL_OBJ) -o $@ $(LDFLAGS)

# counts of written forms, as written (the segmenter tells ه from ة with them)
$(B)/gen/written.c: data/written.tsv $(B)/tools/gen_rawtab | $(B)/gen
	$(GENENV) $(B)/tools/gen_rawtab fh_written < $< > $@.tmp && mv $@.tmp $@

$(B)/gen/segtab0.c: $(B)/tools/gen_wordtab | $(B)/gen
	$(GENENV) $(B)/tools/gen_wordtab fh_segtab < /dev/null > $@.tmp && mv $@.tmp $@

$(B)/tools/gen_segtab: tools/gen_wordtab.c $(STAGE1_OBJ) | $(B)/tools
	$(CC) $(CFLAGS) -DFH_GEN_SEGMENTS $< $(STAGE1_OBJ) -o $@ $(LDFLAGS) $(LIBS)

$(B)/gen/segtab.c: data/written.tsv $(B)/tools/gen_segtab | $(B)/gen
	$(GENENV) $(B)/tools/gen_segtab fh_segtab < $< > $@.tmp && mv $@.tmp $@

$(B)/gen/stoplist.c: data/stopwords.txt $(B)/tools/gen_wordtab | $(B)/gen
	$(GENENV) $(B)/tools/gen_wordtab fh_stoplist < $< > $@.tmp && mv $@.tmp $@

# the segmenter's evidence tables (data/tanwin.tsv, data/alef.tsv)
$(B)/gen/tanwin.c $(B)/gen/alef.c: $(B)/gen/%.c: data/%.tsv $(B)/tools/gen_wordtab | $(B)/gen
	$(GENENV) $(B)/tools/gen_wordtab fh_$* < $< > $@.tmp && mv $@.tmp $@

$(B)/libfahras.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(B)/libfahras.so: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libfahras.so.0 $^ -o $@ $(LDFLAGS) $(LIBS)

# the loadable SQLite extension: src/fts5.c against sqlite3ext.h and the
# analyzer's objects only (no direct SQLite calls: --no-undefined checks it)
EXT_OBJ := $(addprefix $(B)/obj/,analyzer.o normalize.o tokenize.o stem.o lexicon.o chartab.o \
           gen_stoplist.o gen_lexicon.o)
$(B)/fahras_sqlite.so: adapters/sqlite/extension.c adapters/sqlite/fahras_sqlite.map src/fts5.c \
                       include/fahras.h $(EXT_OBJ)
	$(CC) $(CFLAGS) -shared adapters/sqlite/extension.c $(EXT_OBJ) -o $@ \
	    -Wl,--version-script=adapters/sqlite/fahras_sqlite.map $(if $(LDSAN),,-Wl,--no-undefined) \
	    $(LDFLAGS) -lm

$(B)/fahras: cli/fahras.c cli/search_cmds.c cli/cli.h $(B)/libfahras.a
	$(CC) $(CFLAGS) cli/fahras.c cli/search_cmds.c $(B)/libfahras.a -o $@ $(LDFLAGS) $(LIBS)

# unit tests: cmocka
$(B)/tests/%: tests/%.c tests/*.h $(B)/libfahras.a | $(B)/tests
	$(CC) $(CFLAGS) -Wno-missing-prototypes -Isrc $< $(B)/libfahras.a -o $@ -lcmocka $(LDFLAGS) $(LIBS)

# the table test also links utf8proc, to check the table against it
$(B)/tests/test_chartab: tests/test_chartab.c $(B)/libfahras.a | $(B)/tests
	$(CC) $(CFLAGS) -Wno-missing-prototypes -Isrc $< $(B)/libfahras.a -o $@ -lcmocka -lutf8proc $(LDFLAGS) $(LIBS)

# fuzz harnesses: the replay driver (any compiler), the libFuzzer binary (FUZZ=1)
$(B)/fuzz/replay_%: fuzz/fuzz_%.c fuzz/replay.c fuzz/*.h src/*.h $(B)/libfahras.a | $(B)/fuzz
	$(CC) $(CFLAGS) -DFZ_REPLAY -Isrc fuzz/fuzz_$*.c fuzz/replay.c $(B)/libfahras.a -o $@ $(LDFLAGS) $(LIBS)

$(B)/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/*.h src/*.h $(B)/libfahras.a | $(B)/fuzz
	$(CC) $(CFLAGS) -fsanitize=fuzzer -Isrc $< $(B)/libfahras.a -o $@ $(LDFLAGS) -fsanitize=fuzzer $(LIBS)

fuzz-build:
	$(MAKE) FUZZ=1 $(FUZZERS:%=build-fuzz/fuzz/fuzz_%)

fuzz: fuzz-build
	for n in $(FUZZERS); do sh fuzz/run.sh $$n || exit 1; done

$(B)/analyze_bench $(B)/segment_bench $(B)/fts5_bench $(B)/analyze_dump: $(B)/%: bench/%.c bench/bench.h $(B)/libfahras.a
	$(CC) $(CFLAGS) $< $(B)/libfahras.a -o $@ $(LDFLAGS) $(LIBS)

test: all
	@B=$(B) sh tests/run.sh

# robustness, long: valgrind memcheck over the unit tests and a CLI smoke
# run; 20 kills on news.tsv, a 200 MB line, a 1 GB input (tests/robust/)
valgrind: all
	@B=$(B) sh tests/robust/valgrind.sh
robust-long: all
	@B=$(B) sh tests/robust/long.sh

# ---- generated data -------------------------------------------------
chartab: | build/tools
	$(CC) -std=c11 -O2 $(WARN) tools/gen_chartab.c -o build/tools/gen_chartab -lutf8proc
	build/tools/gen_chartab > src/chartab.c.tmp && mv src/chartab.c.tmp src/chartab.c

lexicon: $(B)/fahras
	sh tools/gen_lexicon.sh

segdata: $(B)/fahras
	sh tools/gen_segdata.sh

# ---- measurements ----------------------------------------------------
eval: all
	sh eval/run.sh

bench: all
	sh bench/run.sh
	sh bench/segment.sh
	bash bench/search.sh
	sh bench/fts5.sh

check-clang:
	$(MAKE) CC=clang B=build-clang all

clean:
	rm -rf build build-san build-clang build-fuzz build-ab
	-git worktree prune 2>/dev/null
