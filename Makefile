# Makefile - builds the accel.mk tools and runs their tests.
#
#   make                 bin/accel-* (installs missing Debian packages first,
#                        or names the apt-get command: scripts/install-deps)
#   make check           every test, in parallel (tests/run); the last line
#                        is "N passed, N failed, N skipped"
#   make lint            cppcheck over src/ and tools/
#   make fuzz            each libFuzzer target for FUZZ_SECONDS (clang)
#   make bench           benchmarks, each beside its peer (tests/bench/)
#   make install         PREFIX=/usr/local DESTDIR=
#   make clean
#
# Knobs:
#   SANITIZE=address,undefined   build everything with those sanitizers
#   CC, CFLAGS, LDFLAGS          as usual; changing any rebuilds everything
#   FUZZ_SECONDS=60              time per fuzz target in make fuzz
#   TESTS=tests/cli              what make check runs (tests, directories)
#   CHECK_JOBS=N                 tests at once (default: the number of cores)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
SHAREDIR ?= $(PREFIX)/share/accel
FUZZ_SECONDS ?= 60
SANITIZE ?=

VERSION := 0.1.0
PKGS := yaml-0.1 libcjson libcurl libcrypto libarchive zlib expat

CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 \
	-Wno-format-nonliteral
ACCEL_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE \
	-DACCEL_VERSION='"$(VERSION)"' -Isrc $(WARN)
ifneq ($(SANITIZE),)
ACCEL_CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SANITIZE)
endif

LIB_SRC := $(sort $(wildcard src/*.c))
LIB_OBJ := $(LIB_SRC:src/%.c=build/obj/%.o)
TOOLS := $(patsubst tools/%.c,bin/%,$(sort $(wildcard tools/accel-*.c)))
MANS := $(sort $(wildcard tools/*.1 tools/*.7))
UNIT_TESTS := $(patsubst tests/unit/test-%.c,build/tests/unit-%,\
	$(sort $(wildcard tests/unit/test-*.c)))
FUZZERS := $(patsubst tests/fuzz/fuzz-%.c,%,$(sort $(wildcard tests/fuzz/fuzz-*.c)))
FUZZ_REPLAYS := $(FUZZERS:%=build/tests/fuzz-replay-%)
# Test drivers the tests/aws/*.t scripts run (never installed).
AWS_DRIVERS := $(patsubst tests/aws/%.c,build/tests/aws-%,\
	$(sort $(wildcard tests/aws/*.c)))
BENCHES := $(patsubst tests/bench/bench-%.c,build/tests/bench-%,\
	$(sort $(wildcard tests/bench/bench-*.c)))

all: $(TOOLS)
tools: $(TOOLS)

# The flags a tree was built with; a change rebuilds everything (kbuild's
# if_changed, by content so the stamp only moves when the flags do).
FLAGS_TEXT := $(CC) $(CFLAGS) $(ACCEL_CFLAGS) $(LDFLAGS)
$(shell mkdir -p build && { [ "$$(cat build/.flags 2>/dev/null)" = '$(FLAGS_TEXT)' ] || \
	printf '%s' '$(FLAGS_TEXT)' > build/.flags; })

build/.deps: scripts/install-deps
	@scripts/install-deps
	@touch $@

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm

build/obj/%.o: src/%.c build/.flags | build/.deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(ACCEL_CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

build/libaccel.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

build/obj/tools/%.o: tools/%.c build/.flags | build/.deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(ACCEL_CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

bin/%: build/obj/tools/%.o build/libaccel.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< build/libaccel.a $(PKG_LIBS)

build/obj/tests/%.o: tests/%.c build/.flags | build/.deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(ACCEL_CFLAGS) -Itests/unit $(PKG_CFLAGS) -MMD -MP \
		-c -o $@ $<

build/tests/unit-%: build/obj/tests/unit/test-%.o build/libaccel.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< build/libaccel.a $(PKG_LIBS)

build/tests/bench-%: build/obj/tests/bench/bench-%.o build/libaccel.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< build/libaccel.a $(PKG_LIBS)

build/tests/fuzz-replay-%: build/obj/tests/fuzz/fuzz-%.o \
		build/obj/tests/fuzz/replay.o build/libaccel.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

build/tests/aws-%: build/obj/tests/aws/%.o build/libaccel.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< build/libaccel.a $(PKG_LIBS)

# The test prerequisites (tests/python-requirements.txt and the Debian
# commands) are checked on every run; outside CI a missing one only warns,
# and the tests that need it print SKIP lines that the summary counts.
check: $(TOOLS) $(UNIT_TESTS) $(FUZZ_REPLAYS) $(AWS_DRIVERS) lint
	@scripts/install-deps --test || [ "$$CI" != true ]
	tests/run $(if $(CHECK_JOBS),-j $(CHECK_JOBS)) $(TESTS)

lint: | build/.deps
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--inline-suppr --std=c11 -Isrc src tools tests/fuzz

# libFuzzer needs clang; each target gets its own build of the library.
FUZZ_CC ?= clang
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all
fuzz: | build/.deps
	@mkdir -p build/fuzz
	@for f in $(FUZZERS); do \
		$(FUZZ_CC) $(FUZZ_FLAGS) $(ACCEL_CFLAGS) $(PKG_CFLAGS) \
			-o build/fuzz/$$f tests/fuzz/fuzz-$$f.c $(LIB_SRC) \
			$(PKG_LIBS) || exit 1; \
		mkdir -p build/fuzz/corpus-$$f; \
		cp -n tests/fuzz/corpus/$$f/* build/fuzz/corpus-$$f/ 2>/dev/null; \
		echo "fuzz: $$f for $(FUZZ_SECONDS)s"; \
		build/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) \
			-print_final_stats=1 build/fuzz/corpus-$$f \
			> build/fuzz/$$f.log 2>&1 || \
			{ tail -50 build/fuzz/$$f.log; exit 1; }; \
		grep -E 'stat::number_of_executed_units|Done' build/fuzz/$$f.log; \
	done

bench: $(TOOLS) $(BENCHES) $(AWS_DRIVERS)
	@scripts/install-deps --bench
	@for b in tests/bench/*.sh; do [ -f "$$b" ] && sh "$$b" || exit 1; done

install: $(TOOLS)
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(SHAREDIR)/templates
	cp -f $(TOOLS) $(DESTDIR)$(BINDIR)/
	for m in $(MANS); do \
		cp -f $$m $(DESTDIR)$(MANDIR)/man$${m##*.}/; done
	cp -f accel.mk $(DESTDIR)$(SHAREDIR)/
	cp -Rf templates/. $(DESTDIR)$(SHAREDIR)/templates/

clean:
	rm -rf bin build

.PHONY: all tools check lint fuzz bench install clean
.SECONDARY:
-include $(shell find build/obj -name '*.d' 2>/dev/null)
