# nyuki - build entry point. `make` builds everything into build/.
#
#   make            library (static + shared), nyuki, nyuki-conformance-plugin, unit tests
#   make test       all tests, also under AddressSanitizer + UndefinedBehaviorSanitizer
#   make demo       run bundled examples and verify two XDP programs
#   make bench      benchmarks: native, JIT, interpreter, kernel JIT
#   make difftest   a long differential run: random programs, interpreter vs JIT and vs the kernel
#   make verify-sound  a long soundness run: what the verifier accepts must run checked without a fault
#   make bench-verifier  the verifier's benchmark only (part of make bench)
#   make fuzz       libFuzzer harnesses (clang)
#
# Variables: CC (cc), BUILD (build), SAN=1 (ASan+UBSan build), KERNEL=0|1
# (the Linux kernel backend; default 1 on Linux).

CC ?= cc
BUILD ?= build
UNAME := $(shell uname -s)
ifeq ($(UNAME),Linux)
KERNEL ?= 1
else
KERNEL ?= 0
endif

CSTD := -std=c11
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
OPT ?= -O2 -g
CPPFLAGS += -Iinclude -Isrc -D_DEFAULT_SOURCE
CFLAGS += $(CSTD) $(WARN) $(OPT) -fPIC
LDLIBS += -lm

ifeq ($(SAN),1)
CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

CORE_DIRS := src/util src/isa src/vm src/loader src/conformance src/btf src/maps src/progtypes src/helpers src/verifier
ifeq ($(KERNEL),1)
CORE_DIRS += src/kernel
CPPFLAGS += -DNYK_HAVE_KERNEL=1
endif

LIB_SRCS := $(foreach d,$(CORE_DIRS),$(wildcard $(d)/*.c))
CLI_SRCS := $(wildcard src/cli/*.c)
PLUGIN_SRCS := $(wildcard src/plugin/*.c)
UNIT_SRCS := $(wildcard tests/unit/*.c) tests/difftest/gen.c
DIFF_SRCS := tests/difftest/difftest.c tests/difftest/gen.c
VSOUND_SRCS := tests/difftest/verify_sound.c tests/difftest/gen.c tests/difftest/gen_pkt.c

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
LIB_OBJS := $(call obj,$(LIB_SRCS))
CLI_OBJS := $(call obj,$(CLI_SRCS))
PLUGIN_OBJS := $(call obj,$(PLUGIN_SRCS))
UNIT_OBJS := $(call obj,$(UNIT_SRCS))
DIFF_OBJS := $(call obj,$(DIFF_SRCS))
VSOUND_OBJS := $(call obj,$(VSOUND_SRCS))

# capstone (libcapstone-dev), when pkg-config finds it, disassembles `prog dump ... jited`.
CAPSTONE_LIBS := $(shell pkg-config --libs capstone 2>/dev/null)
ifneq ($(CAPSTONE_LIBS),)
$(call obj,src/cli/prog_jited.c): CPPFLAGS += -DNYK_HAVE_CAPSTONE=1
CLI_LIBS += $(CAPSTONE_LIBS)
endif

LIBA := $(BUILD)/libnyuki.a
LIBSO := $(BUILD)/libnyuki.so
BINS := $(BUILD)/nyuki $(BUILD)/nyuki-conformance-plugin $(BUILD)/nyuki-unit-tests $(BUILD)/nyuki-difftest \
	$(BUILD)/nyuki-verify-sound

.PHONY: all test demo bench fuzz difftest verify-sound bench-verifier clean
all: $(LIBA) $(LIBSO) $(BINS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIBA): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# Only nyk_* symbols leave the shared library.
$(LIBSO): $(LIB_OBJS) src/libnyuki.map
	$(CC) -shared $(LDFLAGS) -Wl,--version-script=src/libnyuki.map -o $@ $(LIB_OBJS) $(LDLIBS)

$(BUILD)/nyuki: $(CLI_OBJS) $(LIBA)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(LIBA) $(LDLIBS) $(CLI_LIBS)

$(BUILD)/nyuki-conformance-plugin: $(PLUGIN_OBJS) $(LIBA)
	$(CC) $(LDFLAGS) -o $@ $(PLUGIN_OBJS) $(LIBA) $(LDLIBS)

$(BUILD)/nyuki-unit-tests: $(UNIT_OBJS) $(LIBA)
	$(CC) $(LDFLAGS) -o $@ $(UNIT_OBJS) $(LIBA) $(LDLIBS)

$(BUILD)/nyuki-difftest: $(DIFF_OBJS) $(LIBA)
	$(CC) $(LDFLAGS) -o $@ $(DIFF_OBJS) $(LIBA) $(LDLIBS)

# Random programs through the interpreter and the JIT (DIFFTEST_COUNT of them),
# then kernel-compatible ones through the interpreter and the kernel (skipped without bpf()).
DIFFTEST_COUNT ?= 200000
DIFFTEST_KERNEL_COUNT ?= 20000
difftest: $(BUILD)/nyuki-difftest
	$(BUILD)/nyuki-difftest $(DIFFTEST_COUNT)
	$(BUILD)/nyuki-difftest --kernel $(DIFFTEST_KERNEL_COUNT)

$(BUILD)/nyuki-verify-sound: $(VSOUND_OBJS) $(LIBA)
	$(CC) $(LDFLAGS) -o $@ $(VSOUND_OBJS) $(LIBA) $(LDLIBS)

# Random programs through the verifier; each accepted one must run checked without a fault.
VERIFY_SOUND_COUNT ?= 200000
verify-sound: $(BUILD)/nyuki-verify-sound
	$(BUILD)/nyuki-verify-sound $(VERIFY_SOUND_COUNT)

test:
	tests/run.sh

demo: all
	@echo "== examples/fib.s: the 50th Fibonacci number, computed by eBPF in nyuki's interpreter"
	@$(BUILD)/nyuki prog run examples/fib.s
	@echo
	@echo "== examples/checksum.s: the Internet checksum of an IPv4 header (expect 0xb1e6)"
	@$(BUILD)/nyuki prog run examples/checksum.s --mem-hex "$(DEMO_IPV4)"
	@echo
	@echo "== the same program, disassembled in the llvm-objdump syntax"
	@$(BUILD)/nyuki disasm examples/checksum.s | head -12
	@echo "   ..."
	@echo
	@echo "== the verifier: an XDP program that checks the packet length before reading it"
	@$(BUILD)/nyuki prog verify examples/xdp_ethertype.s type xdp
	@echo
	@echo "== and one that does not: refused, naming the instruction and why (exit status 1)"
	@$(BUILD)/nyuki prog verify examples/xdp_unchecked.s type xdp || true

DEMO_IPV4 := 45 00 00 3c 1c 46 40 00 40 06 00 00 ac 10 0a 63 ac 10 0a 0c

bench: all
	bench/run.sh

bench-verifier: $(LIBA)
	BUILD=$(BUILD) bench/run.sh verifier

fuzz:
	$(MAKE) -f tests/fuzz/Makefile

clean:
	rm -rf $(BUILD)

-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d) $(PLUGIN_OBJS:.o=.d) $(UNIT_OBJS:.o=.d) $(DIFF_OBJS:.o=.d) $(VSOUND_OBJS:.o=.d)
