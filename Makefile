# containr - GNU make build.
#   make            build libcontainr.a and ./containr
#   make test       unit tests (Criterion) + end-to-end tests (real binary)
#   make asan       the same tests on an ASan+UBSan build
#   make check      test + asan (what CI runs)
#   make lint       clang-format check + cppcheck
#   make deps       install build/test dependencies (Debian, as root)
#   make install PREFIX=/usr/local
#   make man        regenerate docs/containr.1 from the command table

PREFIX  ?= /usr/local
BUILD   ?= build
CC      ?= gcc
# The engine binary links only what `run`, `ps`, `stop`... need; the big
# libraries go into containr-ext.so, loaded on first use (src/ext/ext.h).
CORE_PKGS := libcjson libseccomp libcap libmnl
EXT_PKGS  := libcurl libarchive libnftables
PKGS    := $(CORE_PKGS) $(EXT_PKGS)
SAN     ?=
OPT     ?= -O2

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GIT_COMMIT := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

CFLAGS  ?= $(OPT) -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter \
           -Iinclude -Isrc -D_GNU_SOURCE \
           -DCONTAINR_LIBEXEC_DIR='"$(PREFIX)/libexec/containr"' \
           -DCONTAINR_VERSION='"$(VERSION)"' -DCONTAINR_COMMIT='"$(GIT_COMMIT)"' \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CORE_LIBS := $(shell pkg-config --libs $(CORE_PKGS) 2>/dev/null) -lutil -lm -ldl
EXT_LIBS  := $(shell pkg-config --libs $(EXT_PKGS) 2>/dev/null) -lcrypto -lreadline -lncursesw -ltinfo

ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

# containr-ext.so: what needs libcurl, libarchive, OpenSSL, readline or
# ncurses (pulling, logins, writing images, the REPL, the dashboard).
# src/ext/table.c is the plugin's side of the split (src/ext/nft.c: libnftables); src/ext/forward.c the
# binary's (the forwarders that load it).
EXT_SRCS  := $(sort $(wildcard src/registry/*.c) \
               $(addprefix src/image/,archive.c blob_write.c create.c default.c export.c \
               extract.c layer.c saveload.c) \
               src/cli/repl.c $(wildcard ui/*.c) src/ext/table.c src/ext/nft.c)
LIB_SRCS  := $(sort $(filter-out $(EXT_SRCS),$(shell find src -name '*.c' -not -path 'src/cli/*')))
CLI_SRCS  := $(sort $(filter-out src/cli/main.c $(EXT_SRCS),$(wildcard src/cli/*.c)))
UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
HELPER_SRCS := $(sort $(wildcard tests/helper/*.c))
ALL_SRCS  := $(LIB_SRCS) $(CLI_SRCS) $(EXT_SRCS) src/cli/main.c

LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/%.o)
EXT_OBJS  := $(EXT_SRCS:%.c=$(BUILD)/%.o)
MAIN_OBJ  := $(BUILD)/src/cli/main.o
UNIT_OBJS := $(UNIT_SRCS:%.c=$(BUILD)/%.o)

LIB     := $(BUILD)/libcontainr.a
BIN     := $(BUILD)/containr
UNIT    := $(BUILD)/unit-tests
HELPER  := $(BUILD)/ctr-helper
MONITOR := $(BUILD)/containr-monitor
EXT     := $(BUILD)/containr-ext.so
LIBEXEC_DIR := $(PREFIX)/libexec/containr
# Distribution locations; zsh and fish look there for PREFIX=/usr.  With
# PREFIX=/usr/local, zsh reads share/zsh/site-functions: override these.
ZSH_COMPLETION_DIR  ?= $(PREFIX)/share/zsh/vendor-completions
FISH_COMPLETION_DIR ?= $(PREFIX)/share/fish/vendor_completions.d

.PHONY: all test unit e2e asan check lint format deps install man clean bench
all: $(BIN) $(EXT) $(MONITOR) containr $(if $(HELPER_SRCS),$(HELPER))

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# -rdynamic and the whole archive: containr-ext.so calls back into the
# engine, so every engine function must be in the binary and exported.
$(BIN): $(MAIN_OBJ) $(CLI_OBJS) $(LIB)
	$(CC) $(LDFLAGS) -rdynamic -o $@ $(MAIN_OBJ) $(CLI_OBJS) \
	  -Wl,--whole-archive $(LIB) -Wl,--no-whole-archive $(CORE_LIBS)

$(EXT_OBJS): CFLAGS += -fPIC
$(EXT): $(EXT_OBJS)
	$(CC) $(LDFLAGS) -shared -o $@ $(EXT_OBJS) $(EXT_LIBS)

# ./containr is a convenience link to the default build.
containr: $(BUILD)/containr
	@if [ "$(BUILD)" = build ]; then ln -sf build/containr containr; fi

# The test helper runs inside containers: static, no sanitizers.
$(HELPER): $(HELPER_SRCS)
	@mkdir -p $(dir $@)
	gcc -static -O2 -Wall -Wextra -Werror -o $@ $^

# What a container's monitor becomes once it runs (tools/monitor/): static,
# libc only, no sanitizers.  musl when installed (~50 KiB, 52 KiB RSS);
# glibc's static libc works too but maps ~700 KiB of text.  It links the
# ctr.log encoder (libc only) so there is one writer of the format.
MONITOR_CC ?= $(shell command -v musl-gcc 2>/dev/null || echo gcc)
MONITOR_SRCS := tools/monitor/containr-monitor.c src/lib/ctrlog_write.c
$(MONITOR): $(MONITOR_SRCS) src/lib/ctrlog.h
	@mkdir -p $(dir $@)
	$(MONITOR_CC) -static -Os -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -Isrc \
	  -o $@ $(MONITOR_SRCS)

# The unit tests link both halves statically (no dlopen: ext/forward.c finds the table).
$(UNIT): $(UNIT_OBJS) $(CLI_OBJS) $(EXT_OBJS) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(UNIT_OBJS) $(CLI_OBJS) $(EXT_OBJS) $(LIB) $(CORE_LIBS) $(EXT_LIBS) -lcriterion

unit: $(UNIT) $(BIN) $(EXT)
	CONTAINR_BIN=$(abspath $(BIN)) $(UNIT) --jobs 2

e2e: all
	CONTAINR_BIN=$(abspath $(BIN)) CONTAINR_HELPER=$(abspath $(HELPER)) tests/run-e2e.sh

test: unit e2e

# What CI runs: the whole suite, then again under ASan+UBSan.
check: test asan

asan:
	$(MAKE) BUILD=build-asan SAN=1 OPT=-O1 test

lint:
	clang-format --dry-run --Werror $(ALL_SRCS) $(UNIT_SRCS) $(wildcard include/containr/*.h src/*/*.h ui/*.h) tools/monitor/*.c
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	  --suppress=missingIncludeSystem -Iinclude -Isrc -D_GNU_SOURCE \
	  --library=scripts/cppcheck.cfg src ui tools

format:
	clang-format -i $(ALL_SRCS) $(UNIT_SRCS) $(wildcard include/containr/*.h src/*/*.h ui/*.h) tools/monitor/*.c

deps:
	scripts/install-deps.sh

man: $(BIN)
	$(BIN) __man > docs/containr.1

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/containr/themes $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	  $(DESTDIR)$(ZSH_COMPLETION_DIR) $(DESTDIR)$(FISH_COMPLETION_DIR)
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/containr
	install -d $(DESTDIR)$(LIBEXEC_DIR)
	install -m 0755 $(MONITOR) $(DESTDIR)$(LIBEXEC_DIR)/containr-monitor
	install -m 0755 $(EXT) $(DESTDIR)$(LIBEXEC_DIR)/containr-ext.so
	install -m 0644 docs/containr.1 $(DESTDIR)$(PREFIX)/share/man/man1/containr.1
	-install -m 0644 themes/*.theme $(DESTDIR)$(PREFIX)/share/containr/themes/ 2>/dev/null
	$(BIN) completion bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/containr
	$(BIN) completion zsh > $(DESTDIR)$(ZSH_COMPLETION_DIR)/_containr
	$(BIN) completion fish > $(DESTDIR)$(FISH_COMPLETION_DIR)/containr.fish

bench: all
	bench/run.sh

clean:
	rm -rf build build-asan containr

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
