# fahras — build with `make`; test with `make test`.
#
#   make                 library (static + shared), CLI at build/fahras, tests
#   make test            the whole test suite (unit + golden + CLI)
#   make SAN=1 test      the same under AddressSanitizer + UBSan (build-san/)
#   make CC=clang        any C11 compiler; warnings are errors
#   make chartab         regenerate src/chartab.c from utf8proc's Unicode data
#   make lexicon         regenerate data/lexicon.tsv from ../shared/data (ANT rows)
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
LIBS    := -lsqlite3 -lm

LIB_SRC := src/analyzer.c src/normalize.c src/tokenize.c src/stem.c src/lexicon.c src/chartab.c \
           src/index.c src/search.c src/ingest.c
CORE_OBJ := $(LIB_SRC:src/%.c=$(B)/obj/%.o) $(B)/obj/gen_stoplist.o
# two stages: the stage-1 library has a lexicon of counts only; its stemmer
# computes the stem of every lexicon word into the final lexicon
LIB_OBJ := $(CORE_OBJ) $(B)/obj/gen_lexicon.o
STAGE1_OBJ := $(CORE_OBJ) $(B)/obj/gen_lexicon0.o
# the word-table generator needs the normalizer only
GENTOOL_OBJ := $(B)/obj/analyzer.o $(B)/obj/normalize.o $(B)/obj/chartab.o

TESTS   := test_utf8 test_normalize test_tokenize test_stem test_api test_ingest test_search
TEST_BIN := $(TESTS:%=$(B)/tests/%)

# fuzz harnesses: fuzz/fuzz_NAME.c each; a new harness is its file and its name here
FUZZERS := analyze query jsonl tsv trec txt
# each harness without libFuzzer: replays fuzz/seeds and fuzz/regress in make test
REPLAY_BIN := $(FUZZERS:%=$(B)/fuzz/replay_%)

.PHONY: all test clean chartab lexicon eval bench check-clang fuzz fuzz-build
all: $(B)/libfahras.a $(B)/libfahras.so $(B)/fahras $(TEST_BIN) $(B)/tests/test_chartab $(REPLAY_BIN)

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
	$(GENENV) $(B)/tools/gen_stemtab fh_lexicon < $< > $@.tmp && mv $@.tmp $@

$(B)/gen/stoplist.c: data/stopwords.txt $(B)/tools/gen_wordtab | $(B)/gen
	$(GENENV) $(B)/tools/gen_wordtab fh_stoplist < $< > $@.tmp && mv $@.tmp $@

$(B)/libfahras.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(B)/libfahras.so: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libfahras.so.0 $^ -o $@ $(LDFLAGS) $(LIBS)

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
	$(CC) $(CFLAGS) -Isrc fuzz/fuzz_$*.c fuzz/replay.c $(B)/libfahras.a -o $@ $(LDFLAGS) $(LIBS)

$(B)/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/*.h src/*.h $(B)/libfahras.a | $(B)/fuzz
	$(CC) $(CFLAGS) -fsanitize=fuzzer -Isrc $< $(B)/libfahras.a -o $@ $(LDFLAGS) -fsanitize=fuzzer $(LIBS)

fuzz-build:
	$(MAKE) FUZZ=1 $(FUZZERS:%=build-fuzz/fuzz/fuzz_%)

fuzz: fuzz-build
	for n in $(FUZZERS); do sh fuzz/run.sh $$n || exit 1; done

$(B)/analyze_bench: bench/analyze_bench.c $(B)/libfahras.a
	$(CC) $(CFLAGS) $< $(B)/libfahras.a -o $@ $(LDFLAGS) $(LIBS)

test: all
	@B=$(B) sh tests/run.sh

# ---- generated data -------------------------------------------------
chartab: | build/tools
	$(CC) -std=c11 -O2 $(WARN) tools/gen_chartab.c -o build/tools/gen_chartab -lutf8proc
	build/tools/gen_chartab > src/chartab.c.tmp && mv src/chartab.c.tmp src/chartab.c

lexicon: $(B)/fahras
	sh tools/gen_lexicon.sh

# ---- measurements ----------------------------------------------------
eval: all
	sh eval/run.sh

bench: all
	sh bench/run.sh
	bash bench/search.sh

check-clang:
	$(MAKE) CC=clang B=build-clang all

clean:
	rm -rf build build-san build-clang build-fuzz
