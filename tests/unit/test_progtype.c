/*
 * test_progtype.c - program types: the section table, the descriptors,
 * the context-access dataflow and rewriting, and nyk_program_test_run's
 * contexts (xdp, __sk_buff, bytes, an embedder's type) and tail calls.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nyuki/asm.h"
#include "nyuki/helpers.h"
#include "nyuki/map.h"
#include "nyuki/object.h"
#include "nyuki/progtype.h"
#include "test.h"
#include "test_rt.h"

static const char *type_of(const char *section)
{
	const struct nyk_progtype *t = nyk_progtype_for_section(section);
	return t ? nyk_progtype_name(t) : "(none)";
}

TEST(progtype_sections_as_libbpf)
{
	static const char *const cases[][2] = {
		{ "xdp", "xdp" }, { "xdp.frags", "xdp" }, { "xdp/devmap", "xdp_devmap" }, { "xdp.frags/cpumap", "xdp" },
		{ "tc", "sched_cls" }, { "tc/ingress", "sched_cls" }, { "tcx/egress", "sched_cls" },
		{ "classifier", "sched_cls" }, { "action", "sched_act" }, { "socket", "socket_filter" },
		{ "kprobe/do_sys_open", "kprobe" }, { "kprobe", "kprobe" }, { "kretprobe/x", "kprobe" },
		{ "uprobe//bin/sh:main", "kprobe" }, { "uretprobe/x", "kprobe" }, { "usdt/a:b:c", "kprobe" },
		{ "tracepoint/syscalls/sys_enter_openat", "tracepoint" }, { "tp/sched/sched_switch", "tracepoint" },
		{ "raw_tp/sys_enter", "raw_tracepoint" }, { "raw_tracepoint/x", "raw_tracepoint" },
		{ "raw_tp.w/x", "raw_tracepoint_writable" }, { "tp_btf/sched_switch", "tracing" },
		{ "fentry/do_unlinkat", "tracing" }, { "fexit/x", "tracing" }, { "fmod_ret/x", "tracing" },
		{ "lsm/file_open", "lsm" }, { "perf_event", "perf_event" }, { "cgroup_skb/ingress", "cgroup_skb" },
		{ "cgroup_skb/egress", "cgroup_skb" }, { "cgroup/skb", "cgroup_skb" }, { "syscall", "syscall" },
		/* libbpf before 1.0 matched by prefix */
		{ "xdp_prog", "xdp" }, { "socket1", "socket_filter" }, { "classifier_ingress", "sched_cls" },
		/* no table knows these: the caller gives a type */
		{ "2/7", "(none)" }, { "tail-3", "(none)" }, { "tcp_stuff", "(none)" }, { "kprobe_", "kprobe" },
		{ "", "(none)" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(type_of(cases[i][0]), cases[i][1]);
	CHECK(!strcmp(type_of("kprobe+"), "(none)") || !strcmp(type_of("kprobe+"), "kprobe"));
}

TEST(progtype_names_and_kernel_numbers)
{
	static const struct {
		const char *name, *type;
		uint32_t kernel;
	} cases[] = {
		{ "xdp", "xdp", 6 }, { "sched_cls", "sched_cls", 3 }, { "tc", "sched_cls", 3 },
		{ "classifier", "sched_cls", 3 }, { "sched_act", "sched_act", 4 }, { "socket", "socket_filter", 1 },
		{ "socket_filter", "socket_filter", 1 }, { "kprobe", "kprobe", 2 }, { "tracepoint", "tracepoint", 5 },
		{ "perf_event", "perf_event", 7 }, { "cgroup_skb", "cgroup_skb", 8 }, { "raw_tp", "raw_tracepoint", 17 },
		{ "fentry", "tracing", 26 }, { "lsm", "lsm", 29 }, { "syscall", "syscall", 31 }, { "memory", "memory", 0 },
		{ "raw", "memory", 0 }, { "kprobe/foo", "kprobe", 2 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct nyk_progtype *t = nyk_progtype_by_name(cases[i].name);
		CHECK_MSG(t, "%s", cases[i].name);
		CHECK_STR(nyk_progtype_name(t), cases[i].type);
		CHECK_EQ(nyk_progtype_kernel_type(t), cases[i].kernel);
	}
	CHECK(!nyk_progtype_by_name("no_such_type"));
	CHECK(!nyk_progtype_by_name(NULL));
	CHECK(nyk_progtype_count() >= 14);
}

/* The field tables match the UAPI structs, and the built-in descriptors pass the registration checks. */
TEST(progtype_tables_are_consistent)
{
	const struct nyk_progtype *xdp = nyk_progtype_by_name("xdp"), *tc = nyk_progtype_by_name("tc");
	const struct nyk_ctx_field *f;
	struct nyk_error err;

	CHECK_EQ(nyk_progtype_desc(xdp)->ctx_size, 24);
	CHECK((f = nyk_progtype_field_at(xdp, 20)) && !strcmp(f->name, "egress_ifindex"));
	CHECK((f = nyk_progtype_field_at(tc, 76)) && !strcmp(f->name, "data") && f->kind == NYK_CTX_PKT);
	CHECK((f = nyk_progtype_field_at(tc, 60)) && !strcmp(f->name, "cb"));
	CHECK((f = nyk_progtype_field_at(tc, 188)) && !strcmp(f->name, "hwtstamp"));
	CHECK(!nyk_progtype_field_at(tc, 148));   /* flow_keys' upper half: not a field */
	CHECK_EQ(nyk_progtype_runtime_ctx_size(xdp, 24), 24 + 3 * 8);
	CHECK_EQ(nyk_progtype_slot_offset(xdp, 0), 24);
	CHECK_EQ(nyk_progtype_slot_offset(xdp, 2), 40);
	CHECK_EQ(nyk_progtype_slot_offset(xdp, 3), -1);
	CHECK_EQ(nyk_progtype_slot_offset(tc, 15), 192);   /* data */
	CHECK_EQ(nyk_progtype_slot_offset(tc, 16), 200);   /* data_end */
	CHECK_EQ(nyk_progtype_slot_offset(tc, 25), 208);   /* data_meta */
	CHECK(nyk_progtype_helper_allowed(xdp, 44));
	CHECK(!nyk_progtype_helper_allowed(xdp, 9));
	CHECK(nyk_progtype_helper_allowed(nyk_progtype_by_name("memory"), 1));

	for (size_t i = 0; i < nyk_progtype_count(); i++) {
		struct nyk_progtype_desc d = *nyk_progtype_desc(nyk_progtype_at(i));
		char name[64];
		snprintf(name, sizeof(name), "copy_of_%s", d.name);
		d.name = name;
		d.sections = NULL;
		d.aliases = NULL;
		nyk_error_clear(&err);
		CHECK_MSG(nyk_progtype_register(&d, &err) == 0, "%s: %s", d.name, err.message);
		CHECK(nyk_progtype_unregister(name) == 0);
	}
}

TEST(progtype_register_refuses_bad_descriptors)
{
	static const struct nyk_ctx_field overlap[] = {
		{ "a", 0, 4, 4, NYK_CTX_SCALAR, NYK_CTX_READ },
		{ "b", 2, 4, 4, NYK_CTX_SCALAR, NYK_CTX_READ },
	};
	static const struct nyk_ctx_field wptr[] = {
		{ "data", 0, 4, 4, NYK_CTX_PKT, NYK_CTX_READ | NYK_CTX_WRITE },
	};
	struct nyk_progtype_desc d = { .size = sizeof(d), .name = "xdp", .ctx_size = 8, .ret_max = 1 };
	struct nyk_error err;

	nyk_error_clear(&err);
	CHECK_EQ(nyk_progtype_register(&d, &err), -EEXIST);
	d.name = "bad";
	d.fields = overlap;
	d.nfields = 2;
	CHECK_EQ(nyk_progtype_register(&d, &err), -EINVAL);
	CHECK(strstr(err.message, "overlaps"));
	d.fields = wptr;
	d.nfields = 1;
	CHECK_EQ(nyk_progtype_register(&d, &err), -EINVAL);
	d.size = 8;
	CHECK_EQ(nyk_progtype_register(&d, &err), -EINVAL);
	CHECK(!nyk_progtype_by_name("bad"));
}

/* ---- the dataflow --------------------------------------------------------------------------- */

/* Assemble, rewrite for `type`; returns the rewrite result, the program in *out (freed by the caller). */
static int rewrite(const char *type, const char *text, struct nyk_insn **out, size_t *count, struct nyk_error *err)
{
	int rc;

	nyk_error_clear(err);
	*out = NULL;
	if (nyk_asm(text, strlen(text), "t.s", out, count, err) < 0)
		return -1000;
	rc = nyk_progtype_rewrite_ctx(nyk_progtype_by_name(type), *out, *count, err);
	return rc;
}

#define LDXDW_OP 0x79
#define LDXW_OP 0x61

TEST(progtype_rewrites_pointer_loads)
{
	struct nyk_insn *p;
	size_t n;
	struct nyk_error err;

	/* Direct loads, through ctx + const, and of a scalar field (left alone). */
	CHECK(rewrite("xdp",
		      "r2 = *(u32 *)(r1 + 0)\n"
		      "r3 = *(u32 *)(r1 + 4)\n"
		      "r4 = *(u32 *)(r1 + 12)\n"
		      "r1 += 8\n"
		      "r5 = *(u32 *)(r1 + 0)\n"
		      "r0 = 0\n"
		      "exit\n",
		      &p, &n, &err) == 0);
	CHECK_EQ(p[0].opcode, LDXDW_OP);
	CHECK_EQ(p[0].off, 24);
	CHECK_EQ(p[1].opcode, LDXDW_OP);
	CHECK_EQ(p[1].off, 32);
	CHECK_EQ(p[2].opcode, LDXW_OP);
	CHECK_EQ(p[2].off, 12);
	CHECK_EQ(p[4].opcode, LDXDW_OP);
	CHECK_EQ(p[4].off, 40 - 8);   /* data_meta's slot, from ctx + 8 */
	free(p);

	/* Spilled to the stack directly and through a copy of r10, filled into another register. */
	CHECK(rewrite("xdp",
		      "*(u64 *)(r10 - 8) = r1\n"
		      "r7 = r10\n"
		      "r7 += -16\n"
		      "*(u64 *)(r7 + 0) = r1\n"
		      "r1 = 0\n"
		      "r6 = *(u64 *)(r10 - 8)\n"
		      "r2 = *(u32 *)(r6 + 0)\n"
		      "r8 = *(u64 *)(r10 - 16)\n"
		      "r3 = *(u32 *)(r8 + 4)\n"
		      "*(u64 *)(r10 - 8) = r2\n"
		      "r9 = *(u64 *)(r10 - 8)\n"
		      "r0 = *(u32 *)(r9 + 0)\n"
		      "exit\n",
		      &p, &n, &err) == 0);
	CHECK_EQ(p[6].opcode, LDXDW_OP);
	CHECK_EQ(p[6].off, 24);
	CHECK_EQ(p[8].opcode, LDXDW_OP);
	CHECK_EQ(p[8].off, 32);
	CHECK_EQ(p[11].opcode, LDXW_OP);   /* the slot now holds a packet pointer, not the context */
	free(p);

	/* Through a bpf-to-bpf call, across a loop, and in a bpf_loop callback. */
	CHECK(rewrite("tc",
		      "r6 = r1\n"
		      "call local sub\n"
		      "r7 = 3\n"
		      "loop:\n"
		      "r0 = *(u32 *)(r6 + 80)\n"
		      "r7 += -1\n"
		      "if r7 != 0 goto loop\n"
		      "r3 = r6\n"
		      "r1 = 4\n"
		      "r2 = func[cb] ll\n"
		      "r4 = 0\n"
		      "call 181\n"
		      "exit\n"
		      "sub:\n"
		      "r0 = *(u32 *)(r1 + 76)\n"
		      "exit\n"
		      "cb:\n"
		      "r0 = *(u32 *)(r2 + 140)\n"
		      "r0 = 0\n"
		      "exit\n",
		      &p, &n, &err) == 0);
	CHECK_EQ(p[3].opcode, LDXDW_OP);
	CHECK_EQ(p[3].off, 200);   /* data_end */
	CHECK_EQ(p[13].opcode, LDXDW_OP);
	CHECK_EQ(p[13].off, 192);  /* data, in sub */
	CHECK_EQ(p[15].opcode, LDXDW_OP);
	CHECK_EQ(p[15].off, 208);  /* data_meta, in the callback */
	free(p);
}

TEST(progtype_refuses_bad_context_accesses)
{
	static const struct {
		const char *type, *text, *msg;
		long insn;
	} cases[] = {
		/* the context on one path, the stack on the other */
		{ "xdp",
		  "if r2 == 0 goto l\n"
		  "r1 = r10\n"
		  "r1 += -8\n"
		  "l:\n"
		  "r0 = *(u32 *)(r1 + 0)\n"
		  "exit\n",
		  "some paths", 3 },
		{ "xdp", "*(u32 *)(r1 + 12) = 1\nr0 = 0\nexit\n", "writing struct xdp_md.ingress_ifindex", 0 },
		{ "xdp", "*(u32 *)(r1 + 0) = r2\nr0 = 0\nexit\n", "writing struct xdp_md.data", 0 },
		{ "xdp", "r0 = *(u32 *)(r1 + 24)\nexit\n", "no field", 0 },
		{ "xdp", "r0 = *(u16 *)(r1 + 12)\nexit\n", "2-byte load of struct xdp_md.ingress_ifindex", 0 },
		{ "xdp", "r0 = *(u64 *)(r1 + 0)\nexit\n", "8-byte load", 0 },
		{ "xdp", "r0 = *(u32 *)(r1 + 2)\nexit\n", "misaligned", 0 },
		{ "xdp", "r2 = 1\nlock *(u32 *)(r1 + 12) += r2\nr0 = 0\nexit\n", "atomic", 1 },
		{ "xdp", "r2 = 8\nr1 += r2\nr0 = *(u32 *)(r1 + 0)\nexit\n", "different offsets", 2 },
		{ "tc", "r0 = *(u8 *)(r1 + 76)\nexit\n", "1-byte load", 0 },
		{ "tc", "*(u32 *)(r1 + 0) = 1\nr0 = 0\nexit\n", "writing struct __sk_buff.len", 0 },
		{ "tc", "*(u16 *)(r1 + 8) = 1\nr0 = 0\nexit\n", "2-byte store", 0 },
		{ "socket", "r0 = *(u32 *)(r1 + 76)\nexit\n", "reading struct __sk_buff.data is not allowed in socket_filter",
		  0 },
		{ "socket", "*(u32 *)(r1 + 8) = 1\nr0 = 0\nexit\n", "writing struct __sk_buff.mark", 0 },
		{ "socket", "r0 = *(u32 *)(r1 + 88)\nexit\n", "family", 0 },
		{ "cgroup_skb", "r0 = *(u32 *)(r1 + 140)\nexit\n", "data_meta", 0 },
		{ "kprobe", "*(u64 *)(r1 + 8) = 1\nr0 = 0\nexit\n", "writing the context of kprobe", 0 },
		{ "xdp", "r6 = r1\nr0 = *(u8 *)skb[12]\nexit\n", "legacy packet loads", 1 },
		/* through a subprogram's argument */
		{ "xdp", "call local s\nexit\ns:\n*(u32 *)(r1 + 4) = 0\nr0 = 0\nexit\n", "data_end", 2 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nyk_insn *p;
		size_t n;
		struct nyk_error err;
		int rc = rewrite(cases[i].type, cases[i].text, &p, &n, &err);
		free(p);
		CHECK_MSG(rc == -EACCES, "case %zu: rc %d (%s)", i, rc, err.message);
		CHECK_MSG(strstr(err.message, cases[i].msg), "case %zu: %s", i, err.message);
		CHECK_MSG(err.insn == cases[i].insn, "case %zu: insn %ld", i, err.insn);
	}
}

TEST(progtype_accepts_allowed_accesses)
{
	static const struct {
		const char *type, *text;
	} cases[] = {
		{ "tc", "r0 = *(u8 *)(r1 + 0)\nr0 = *(u16 *)(r1 + 2)\nexit\n" },   /* narrow loads of len */
		{ "tc", "*(u64 *)(r1 + 48) = r2\nr0 = *(u64 *)(r1 + 56)\nexit\n" },   /* 8-byte cb */
		{ "tc", "*(u32 *)(r1 + 8) = 7\n*(u64 *)(r1 + 152) = r2\nr0 = 0\nexit\n" },   /* mark, tstamp */
		{ "socket", "*(u32 *)(r1 + 48) = 1\nr0 = *(u32 *)(r1 + 0)\nexit\n" },
		{ "cgroup_skb", "r2 = *(u32 *)(r1 + 76)\nr0 = *(u32 *)(r1 + 92)\nexit\n" },
		{ "kprobe", "r0 = *(u64 *)(r1 + 112)\nexit\n" },
		{ "memory", "*(u64 *)(r1 + 0) = 1\nr0 = 0\nexit\n" },
		/* the register is the context on some paths, but no pointer field is touched */
		{ "xdp", "if r2 == 0 goto l\nr1 = r10\nr1 += -16\nl:\nr0 = *(u32 *)(r1 + 12)\nexit\n" },
		/* a dead context pointer merged with something else is fine */
		{ "xdp", "if r2 == 0 goto l\nr1 = 5\nl:\nr0 = 0\nexit\n" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nyk_insn *p;
		size_t n;
		struct nyk_error err;
		int rc = rewrite(cases[i].type, cases[i].text, &p, &n, &err);
		free(p);
		CHECK_MSG(rc == 0, "case %zu: %d %s", i, rc, err.message);
	}
}

TEST(progtype_checks_helpers)
{
	struct nyk_insn p[] = { T_CALL(197), T_EXIT };
	struct nyk_insn q[] = { T_CALL(9), T_EXIT };
	struct nyk_insn r[] = { T_CALL(999), T_EXIT };
	struct nyk_error err;

	nyk_error_clear(&err);
	CHECK_EQ(nyk_progtype_check_helpers(nyk_progtype_by_name("xdp"), p, 2, &err), -ENOTSUP);
	CHECK(strstr(err.message, "helper 197 (bpf_dynptr_from_mem) is not available in user space"));
	CHECK_EQ(nyk_progtype_check_helpers(nyk_progtype_by_name("socket"), q, 2, &err), -EINVAL);
	CHECK(strstr(err.message, "helper 9 (bpf_skb_store_bytes) is not allowed in socket_filter"));
	CHECK_EQ(nyk_progtype_check_helpers(nyk_progtype_by_name("xdp"), r, 2, &err), -EINVAL);
	CHECK(strstr(err.message, "unknown helper 999"));
	CHECK_EQ(err.insn, 0);
	CHECK_EQ(nyk_progtype_check_helpers(nyk_progtype_by_name("tc"), q, 2, &err), 0);
	CHECK_STR(nyk_helper_name(1), "bpf_map_lookup_elem");
	CHECK_STR(nyk_helper_name(181), "bpf_loop");
	CHECK_STR(nyk_helper_name(211), "bpf_cgrp_storage_delete");
	CHECK(!nyk_helper_name(0));
	CHECK(!nyk_helper_name(212));
}

/* An allowed helper user space does not have is refused at load with its kernel name. */
TEST(progtype_unavailable_helper_refused_at_load)
{
	struct nyk_insn p[] = { T_MOV_K(1, 0), T_CALL(35), T_EXIT };   /* bpf_get_current_task (kprobe) */
	struct nyk_test_run run = { .size = sizeof(run) };
	struct nyk_error err;
	uint64_t regs[21] = { 0 };

	nyk_error_clear(&err);
	run.ctx_in = regs;
	run.ctx_size_in = sizeof(regs);
	CHECK_EQ(tobj_run1("kprobe/x", p, T_N(p), &run, &err), -ENOTSUP);
	CHECK_MSG(strstr(err.message, "helper 35 (bpf_get_current_task) is not available in user space"), "%s",
		  err.message);
	CHECK_MSG(strstr(err.message, "program 'prog' in section 'kprobe/x'"), "%s", err.message);
	CHECK_EQ(err.insn, 1);
}

/* ---- test runs: xdp ---------------------------------------------------------------------------- */

static void packet(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7 + 1);
	p[12] = 0x08;
	p[13] = 0x00;
}

TEST(progtype_xdp_reads_the_packet)
{
	/* Bounds-checked read of the EtherType, plus ingress_ifindex; XDP_DROP when too short. */
	static const char *text =
		"r2 = *(u32 *)(r1 + 0)\n"
		"r3 = *(u32 *)(r1 + 4)\n"
		"r4 = r2\n"
		"r4 += 14\n"
		"if r4 > r3 goto drop\n"
		"r0 = *(u16 *)(r2 + 12)\n"
		"r5 = *(u32 *)(r1 + 12)\n"
		"r5 <<= 16\n"
		"r0 |= r5\n"
		"exit\n"
		"drop:\n"
		"r0 = 1\n"
		"exit\n";
	struct nyk_object *obj = tobj_load_asm("xdp", text);
	uint8_t in[60], out[128];
	struct nyk_test_run run = { .size = sizeof(run) };
	struct nyk_error err;

	CHECK(obj);
	packet(in, sizeof(in));
	run.data_in = in;
	run.data_size_in = sizeof(in);
	run.data_out = out;
	run.data_size_out = sizeof(out);
	run.repeat = 3;
	nyk_error_clear(&err);
	CHECK_MSG(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err) == 0, "%s", err.message);
	CHECK_EQ(run.retval, 0x10008);   /* ifindex 1 (loopback), EtherType 0x0800 read as host u16 */
	CHECK_EQ(run.data_size_out, 60);
	CHECK(memcmp(in, out, 60) == 0);
	/* Unchecked runs give the same. */
	run.flags = NYK_RUN_UNCHECKED;
	CHECK(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err) == 0);
	CHECK_EQ(run.retval, 0x10008);
	/* Too short a packet for the kernel's test run. */
	run.data_size_in = 10;
	CHECK_EQ(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err), -EINVAL);
	/* data_out too small: truncated, the full size reported, -ENOSPC. */
	run.data_size_in = 60;
	run.data_size_out = 20;
	CHECK_EQ(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err), -ENOSPC);
	CHECK_EQ(run.data_size_out, 60);
	CHECK_EQ(run.retval, 0x10008);
	nyk_object_close(obj);
}

/* adjust_head(delta) then return data_end - data, or the error in the upper half. */
static const char *adjust_text(const char *helper, int delta)
{
	static char text[512];
	snprintf(text, sizeof(text),
		 "r6 = r1\n"
		 "r2 = %d\n"
		 "call %s\n"
		 "if r0 != 0 goto fail\n"
		 "r2 = *(u32 *)(r6 + 0)\n"
		 "r3 = *(u32 *)(r6 + 4)\n"
		 "r4 = *(u32 *)(r6 + 8)\n"
		 "r0 = r3\n"
		 "r0 -= r2\n"
		 "r2 -= r4\n"
		 "r2 <<= 16\n"
		 "r0 |= r2\n"
		 "exit\n"
		 "fail:\n"
		 "r0 <<= 32\n"
		 "exit\n",
		 delta, helper);
	return text;
}

static int64_t run_adjust(const char *helper, int delta, uint8_t *out, size_t *out_len)
{
	struct nyk_object *obj = tobj_load_asm("xdp", adjust_text(helper, delta));
	uint8_t in[60];
	struct nyk_test_run run = { .size = sizeof(run) };
	struct nyk_error err;
	int rc;

	if (!obj)
		return -1000;
	packet(in, sizeof(in));
	run.data_in = in;
	run.data_size_in = sizeof(in);
	run.data_out = out;
	run.data_size_out = *out_len;
	nyk_error_clear(&err);
	rc = nyk_program_test_run(nyk_object_program(obj, 0), &run, &err);
	nyk_object_close(obj);
	if (rc)
		return -2000;
	*out_len = run.data_size_out;
	return (int64_t)run.retval;
}

TEST(progtype_xdp_adjust_head_tail_meta)
{
	uint8_t out[4096], in[60];
	size_t len;

	packet(in, sizeof(in));
	/* head: grow by 4 (zeroed headroom in front), shrink by 10 */
	len = sizeof(out);
	CHECK_EQ(run_adjust("44", -4, out, &len), 64);
	CHECK_EQ(len, 64);
	CHECK(out[0] == 0 && out[3] == 0 && memcmp(out + 4, in, 60) == 0);
	len = sizeof(out);
	CHECK_EQ(run_adjust("44", 10, out, &len), 50);
	CHECK(memcmp(out, in + 10, 50) == 0);
	/* the headroom is 256 bytes, 40 of which hold struct xdp_frame; at least 14 bytes stay */
	len = sizeof(out);
	CHECK_EQ(run_adjust("44", -216, out, &len), 276);
	len = sizeof(out);
	CHECK_EQ(run_adjust("44", -217, out, &len), (int64_t)((uint64_t)(uint32_t)-EINVAL << 32));
	len = sizeof(out);
	CHECK_EQ(run_adjust("44", 46, out, &len), 14);
	len = sizeof(out);
	CHECK_EQ(run_adjust("44", 47, out, &len), (int64_t)((uint64_t)(uint32_t)-EINVAL << 32));
	/* tail: grow (zeroed) up to 4096 - 256 - 320 bytes, shrink to 14 */
	len = sizeof(out);
	CHECK_EQ(run_adjust("65", 100, out, &len), 160);
	CHECK(memcmp(out, in, 60) == 0 && out[60] == 0 && out[159] == 0);
	len = sizeof(out);
	CHECK_EQ(run_adjust("65", 4096 - 256 - 320 - 60, out, &len), 4096 - 256 - 320);
	len = sizeof(out);
	CHECK_EQ(run_adjust("65", 4096 - 256 - 320 - 60 + 1, out, &len), (int64_t)((uint64_t)(uint32_t)-EINVAL << 32));
	len = sizeof(out);
	CHECK_EQ(run_adjust("65", -46, out, &len), 14);
	len = sizeof(out);
	CHECK_EQ(run_adjust("65", -47, out, &len), (int64_t)((uint64_t)(uint32_t)-EINVAL << 32));
	/* meta: 8 bytes of metadata before data; data_out starts at data_meta */
	len = sizeof(out);
	CHECK_EQ(run_adjust("54", -8, out, &len), 60 | 8 << 16);
	CHECK_EQ(len, 68);
	CHECK(memcmp(out + 8, in, 60) == 0);
	len = sizeof(out);
	CHECK_EQ(run_adjust("54", -6, out, &len), (int64_t)((uint64_t)(uint32_t)-EACCES << 32));
	len = sizeof(out);
	CHECK_EQ(run_adjust("54", -36, out, &len), (int64_t)((uint64_t)(uint32_t)-EACCES << 32));
	len = sizeof(out);
	CHECK_EQ(run_adjust("54", 4, out, &len), (int64_t)((uint64_t)(uint32_t)-EINVAL << 32));
}

TEST(progtype_xdp_ctx_in_metadata)
{
	/* r0 = data - data_meta, data_end - data in the upper half */
	static const char *text =
		"r2 = *(u32 *)(r1 + 0)\n"
		"r3 = *(u32 *)(r1 + 4)\n"
		"r4 = *(u32 *)(r1 + 8)\n"
		"r0 = r2\n"
		"r0 -= r4\n"
		"r3 -= r2\n"
		"r3 <<= 32\n"
		"r0 |= r3\n"
		"exit\n";
	struct nyk_object *obj = tobj_load_asm("xdp", text);
	uint8_t in[64], out[64];
	uint32_t md[6] = { 8, 64, 0, 0, 0, 0 }, md_out[6];
	struct nyk_test_run run = { .size = sizeof(run) };
	struct nyk_error err;

	CHECK(obj);
	packet(in, sizeof(in));
	run.data_in = in;
	run.data_size_in = sizeof(in);
	run.data_out = out;
	run.data_size_out = sizeof(out);
	run.ctx_in = md;
	run.ctx_size_in = sizeof(md);
	run.ctx_out = md_out;
	run.ctx_size_out = sizeof(md_out);
	nyk_error_clear(&err);
	CHECK_MSG(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err) == 0, "%s", err.message);
	CHECK_EQ(run.retval, 8 | (uint64_t)56 << 32);
	CHECK_EQ(run.data_size_out, 64);
	CHECK(memcmp(in, out, 64) == 0);
	CHECK_EQ(md_out[0], 8);
	CHECK_EQ(md_out[1], 64);
	/* the kernel's rules for ctx_in */
	md[0] = 6;
	CHECK_EQ(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err), -EINVAL);
	md[0] = 0;
	md[2] = 4;
	CHECK_EQ(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err), -EINVAL);
	md[2] = 0;
	md[5] = 1;
	CHECK_EQ(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err), -EINVAL);
	md[5] = 0;
	md[4] = 1;
	CHECK_EQ(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err), -EINVAL);
	nyk_object_close(obj);
}

/* ---- test runs: __sk_buff -------------------------------------------------------------------------- */

static size_t ipv4_tcp(uint8_t *p)
{
	static const uint8_t frame[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00,          /* broadcast, IPv4 */
		0x45, 0x00, 0x00, 0x28, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,       /* TCP */
		0xac, 0x10, 0x0a, 0x63, 0xac, 0x10, 0x0a, 0x0c,                                /* 172.16.10.99 -> .12 */
		0x30, 0x39, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0x20, 0x00, 0, 0, 0, 0,
	};
	memcpy(p, frame, sizeof(frame));
	return sizeof(frame);
}

TEST(progtype_tc_skb_fields)
{
	/* len | pkt_type << 8 ... packed in r0; writes mark = mark + 1 and cb[2] = data_end - data. */
	static const char *text =
		"r0 = *(u32 *)(r1 + 0)\n"           /* len */
		"r2 = *(u32 *)(r1 + 4)\n"           /* pkt_type */
		"r2 <<= 16\n"
		"r0 |= r2\n"
		"r2 = *(u16 *)(r1 + 16)\n"          /* protocol, narrow */
		"r2 <<= 20\n"
		"r0 |= r2\n"
		"r2 = *(u32 *)(r1 + 40)\n"          /* ifindex */
		"r2 <<= 40\n"
		"r0 |= r2\n"
		"r2 = *(u32 *)(r1 + 8)\n"
		"r2 += 1\n"
		"*(u32 *)(r1 + 8) = r2\n"
		"r3 = *(u32 *)(r1 + 76)\n"
		"r4 = *(u32 *)(r1 + 80)\n"
		"r4 -= r3\n"
		"*(u32 *)(r1 + 56) = r4\n"
		"exit\n";
	struct nyk_object *obj = tobj_load_asm("tc", text);
	uint8_t in[128], out[128], skb[192] = { 0 }, skb_out[192];
	size_t n = ipv4_tcp(in);
	struct nyk_test_run run = { .size = sizeof(run) };
	struct nyk_error err;
	uint32_t v;

	CHECK(obj);
	v = 41;
	memcpy(skb + 8, &v, 4);
	run.data_in = in;
	run.data_size_in = n;
	run.data_out = out;
	run.data_size_out = sizeof(out);
	run.ctx_in = skb;
	run.ctx_size_in = sizeof(skb);
	run.ctx_out = skb_out;
	run.ctx_size_out = sizeof(skb_out);
	nyk_error_clear(&err);
	CHECK_MSG(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err) == 0, "%s", err.message);
	/* len 54, PACKET_BROADCAST, protocol 0x0008 (htons(ETH_P_IP) read on a little-endian host), ifindex 1 */
	CHECK_EQ(run.retval, 54 | 1 << 16 | (uint64_t)0x0008 << 20 | (uint64_t)1 << 40);
	CHECK_EQ(run.data_size_out, n);
	CHECK(memcmp(in, out, n) == 0);
	memcpy(&v, skb_out + 8, 4);
	CHECK_EQ(v, 42);
	memcpy(&v, skb_out + 56, 4);
	CHECK_EQ(v, 54);
	memcpy(&v, skb_out + 40, 4);
	CHECK_EQ(v, 1);
	memcpy(&v, skb_out + 160, 4);   /* wire_len */
	CHECK_EQ(v, 54);
	/* ctx_in may not set len */
	skb[0] = 1;
	CHECK_EQ(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err), -EINVAL);
	CHECK(strstr(err.message, "must be zero"));
	nyk_object_close(obj);
}

TEST(progtype_socket_filter_l3_and_legacy_loads)
{
	/* The IP protocol with LD_ABS (offset 9 of the network header) and len. */
	struct nyk_insn p[] = {
		T_MOV_X(6, 1),
		TI(0x30, 0, 0, 0, 9),              /* r0 = *(u8 *)skb[9] */
		T_MOV_X(7, 0),
		T_LDXW(0, 6, 0),                   /* len */
		TI(0x67, 0, 0, 0, 8),              /* r0 <<= 8 */
		TI(0x4f, 0, 7, 0, 0),              /* r0 |= r7 */
		T_EXIT,
	};
	/* Out of bounds: the program ends with 0, as the kernel's. */
	struct nyk_insn q[] = { T_MOV_X(6, 1), T_MOV_K(0, 5), TI(0x30, 0, 0, 0, 200), T_MOV_K(0, 9), T_EXIT };
	uint8_t in[128], out[128];
	size_t n = ipv4_tcp(in);
	struct nyk_object *obj = tobj_load1("socket", p, T_N(p));
	struct nyk_test_run run = { .size = sizeof(run) };
	struct nyk_error err;

	CHECK(obj);
	run.data_in = in;
	run.data_size_in = n;
	run.data_out = out;
	run.data_size_out = sizeof(out);
	nyk_error_clear(&err);
	CHECK_MSG(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err) == 0, "%s", err.message);
	CHECK_EQ(run.retval, 40 << 8 | 6);
	/* the frame comes back with its Ethernet header zeroed, as the kernel's test run gives it */
	CHECK_EQ(run.data_size_out, n);
	CHECK(out[0] == 0 && out[12] == 0 && out[13] == 0 && memcmp(out + 14, in + 14, n - 14) == 0);
	nyk_object_close(obj);

	obj = tobj_load1("socket", q, T_N(q));
	CHECK(obj);
	CHECK(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err) == 0);
	CHECK_EQ(run.retval, 0);
	nyk_object_close(obj);
}

TEST(progtype_cgroup_skb_socket_fields)
{
	static const char *text =
		"r0 = *(u32 *)(r1 + 88)\n"          /* family */
		"r2 = *(u32 *)(r1 + 96)\n"          /* local_ip4 = source */
		"r2 <<= 32\n"
		"r0 |= r2\n"
		"exit\n";
	struct nyk_object *obj = tobj_load_asm("cgroup_skb/egress", text);
	uint8_t in[128];
	size_t n = ipv4_tcp(in);
	struct nyk_test_run run = { .size = sizeof(run) };
	struct nyk_error err;
	uint32_t src;

	CHECK(obj);
	memcpy(&src, in + 26, 4);
	run.data_in = in;
	run.data_size_in = n;
	nyk_error_clear(&err);
	CHECK_MSG(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err) == 0, "%s", err.message);
	CHECK_EQ(run.retval, 2 | (uint64_t)src << 32);
	CHECK_EQ(run.data_size_out, n);
	nyk_object_close(obj);
}

/* ---- bytes contexts ----------------------------------------------------------------------------------- */

TEST(progtype_bytes_context)
{
	/* kprobe: r1 = ctx_in's bytes (pt_regs); return regs[14] + size */
	struct nyk_insn p[] = { T_LDXDW(0, 1, 112), T_ADD_X(0, 2), T_EXIT };
	/* memory: r1 = data_in, written back */
	struct nyk_insn m[] = { T_STDW(1, 0, 0x55), T_MOV_X(0, 2), T_EXIT };
	uint64_t regs[21] = { 0 }, buf[2] = { 1, 2 }, out[2];
	struct nyk_test_run run = { .size = sizeof(run) };
	struct nyk_error err;

	regs[14] = 1000;
	run.ctx_in = regs;
	run.ctx_size_in = sizeof(regs);
	nyk_error_clear(&err);
	CHECK_MSG(tobj_run1("kprobe/do_nanosleep", p, T_N(p), &run, &err) == 0, "%s", err.message);
	CHECK_EQ(run.retval, 1000 + sizeof(regs));
	/* reading past the bytes given faults in checked mode */
	run.ctx_size_in = 64;
	CHECK_EQ(tobj_run1("kprobe/do_nanosleep", p, T_N(p), &run, &err), -EFAULT);
	CHECK_MSG(strstr(err.message, "program 'prog' in section 'kprobe/do_nanosleep'"), "%s", err.message);
	CHECK_EQ(err.insn, 0);

	memset(&run, 0, sizeof(run));
	run.size = sizeof(run);
	run.data_in = buf;
	run.data_size_in = sizeof(buf);
	run.data_out = out;
	run.data_size_out = sizeof(out);
	{
		struct nyk_object *obj = tobj_load1("anything", m, T_N(m));
		CHECK(obj);
		CHECK_EQ(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err), -ENOENT);
		CHECK(strstr(err.message, "no known type"));
		CHECK(nyk_program_set_type(nyk_object_program(obj, 0), "memory", &err) == 0);
		CHECK_MSG(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err) == 0, "%s", err.message);
		nyk_object_close(obj);
	}
	CHECK_EQ(run.retval, 16);
	CHECK_EQ(out[0], 0x55);
	CHECK_EQ(out[1], 2);
	CHECK_EQ(run.data_size_out, 16);
}

/* ---- an embedder's type ---------------------------------------------------------------------------- */

static uint64_t my_helper(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, struct nyk_exec *x)
{
	return a * 2 + 1;
}

TEST(progtype_embedder_type)
{
	/* struct my_ctx { u32 flags; u32 data; u32 data_end; u32 out; } */
	static const struct nyk_ctx_field fields[] = {
		{ "flags", 0, 4, 4, NYK_CTX_SCALAR, NYK_CTX_READ },
		{ "data", 4, 4, 4, NYK_CTX_PKT, NYK_CTX_READ },
		{ "data_end", 8, 4, 4, NYK_CTX_PKT_END, NYK_CTX_READ },
		{ "out", 12, 4, 4, NYK_CTX_SCALAR, NYK_CTX_READ | NYK_CTX_WRITE },
	};
	/*
	 * An embedder's helper id. The object loader refuses ids no kernel
	 * names, so the test borrows one no built-in type allows.
	 */
	static const struct nyk_helper_def extra[] = { { 206, "my_helper", my_helper } };
	static const uint32_t helpers[] = { 1, 5 };
	static const char *const secs[] = { "my+", NULL };
	struct nyk_progtype_desc d = {
		.size = sizeof(d), .name = "my_type", .sections = secs, .ctx_name = "struct my_ctx", .ctx_size = 16,
		.fields = fields, .nfields = 4, .run_model = NYK_MODEL_PACKET, .helpers = helpers, .nhelpers = 2,
		.extra_helpers = extra, .nextra_helpers = 1, .ret_min = 0, .ret_max = 100,
	};
	static const char *text =
		"r6 = r1\n"
		"r1 = *(u32 *)(r6 + 0)\n"
		"call 206\n"
		"r2 = *(u32 *)(r6 + 4)\n"
		"r3 = *(u32 *)(r6 + 8)\n"
		"r3 -= r2\n"
		"*(u32 *)(r6 + 12) = r3\n"
		"r4 = *(u8 *)(r2 + 1)\n"
		"r0 += r4\n"
		"exit\n";
	uint8_t data[5] = { 1, 2, 3, 4, 5 };
	uint32_t ctx[4] = { 10, 0, 0, 0 }, ctx_out[4];
	struct nyk_test_run run = { .size = sizeof(run) };
	struct nyk_error err;
	struct nyk_object *obj;

	nyk_error_clear(&err);
	CHECK_MSG(nyk_progtype_register(&d, &err) == 0, "%s", err.message);
	CHECK_STR(type_of("my/thing"), "my_type");
	obj = tobj_load_asm("my/thing", text);
	CHECK(obj);
	run.data_in = data;
	run.data_size_in = sizeof(data);
	run.ctx_in = ctx;
	run.ctx_size_in = sizeof(ctx);
	run.ctx_out = ctx_out;
	run.ctx_size_out = sizeof(ctx_out);
	CHECK_MSG(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err) == 0, "%s", err.message);
	CHECK_EQ(run.retval, 21 + 2);
	CHECK_EQ(ctx_out[3], 5);
	CHECK_EQ(ctx_out[0], 10);
	nyk_object_close(obj);
	/* helpers outside the type's list are refused */
	obj = tobj_load_asm("my/thing", "call 7\nexit\n");
	CHECK(obj);
	CHECK_EQ(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err), -EINVAL);
	CHECK(strstr(err.message, "bpf_get_prandom_u32) is not allowed in my_type"));
	nyk_object_close(obj);
	CHECK(nyk_progtype_unregister("my_type") == 0);
}

/* ---- tail calls ------------------------------------------------------------------------------------- */

/*
 * prog 0 "count": counter += 1, tail call slot `slot` of "jmp", return the counter.
 * prog 1 "other": return 42.
 */
static struct nyk_object *tail_object(int slot)
{
	static uint64_t zero;
	static char text[512];
	struct tobj o;

	snprintf(text, sizeof(text),
		 "r6 = r1\n"
		 "r1 = 0x5eed00ff ll\n"
		 "r2 = *(u64 *)(r1 + 0)\n"
		 "r2 += 1\n"
		 "*(u64 *)(r1 + 0) = r2\n"
		 "r1 = r6\n"
		 "r2 = 0x5eed0000 ll\n"
		 "r3 = %d\n"
		 "call 12\n"
		 "r1 = 0x5eed00ff ll\n"
		 "r0 = *(u64 *)(r1 + 0)\n"
		 "exit\n",
		 slot);
	memset(&o, 0, sizeof(o));
	o.progs[0] = (struct tobj_prog){ "xdp", "count", text, NULL, 0 };
	o.progs[1] = (struct tobj_prog){ "xdp/other", "other", "r0 = 42\nexit\n", NULL, 0 };
	/* a program that cannot run in user space (bpf_xdp_get_buff_len is fine, bpf_fib_lookup is not) */
	o.progs[2] = (struct tobj_prog){ "xdp/broken", "broken", "call 69\nexit\n", NULL, 0 };
	o.nprogs = 3;
	o.maps[0] = (struct tobj_map){ "jmp", 3, 4, 4, 4, 0 };
	o.nmaps = 1;
	o.data = &zero;
	o.data_len = sizeof(zero);
	return tobj_load(&o);
}

static unsigned run_flags;   /* NYK_RUN_* for run_xdp */

static int run_xdp(struct nyk_object *obj, size_t prog, uint64_t repeat, uint64_t *retval, struct nyk_error *err)
{
	uint8_t in[60];
	struct nyk_test_run run = { .size = sizeof(run) };
	int rc;

	packet(in, sizeof(in));
	run.data_in = in;
	run.data_size_in = sizeof(in);
	run.repeat = repeat;
	run.flags = run_flags;
	nyk_error_clear(err);
	rc = nyk_program_test_run(nyk_object_program(obj, prog), &run, err);
	*retval = run.retval;
	return rc;
}

TEST(progtype_tail_calls_and_their_limit)
{
	struct nyk_object *obj = tail_object(0);
	struct nyk_map *jmp;
	struct nyk_error err;
	uint32_t key = 0, prog = 0;
	uint64_t r0, counter;

	CHECK(obj);
	jmp = nyk_object_find_map(obj, "jmp");
	CHECK(jmp);
	/* an empty slot: the program goes on */
	CHECK_MSG(run_xdp(obj, 0, 1, &r0, &err) == 0, "%s", err.message);
	CHECK_EQ(r0, 1);
	/* slot 0 is the program itself: it runs 1 + 33 times, then the 34th tail call fails */
	CHECK(nyk_map_update(jmp, &key, &prog, 0) == 0);
	CHECK_MSG(run_xdp(obj, 0, 1, &r0, &err) == 0, "%s", err.message);
	CHECK_EQ(r0, 1 + 34);
	/* the count starts again with each run */
	CHECK(run_xdp(obj, 0, 2, &r0, &err) == 0);
	CHECK_EQ(r0, 35 + 68);
	CHECK(nyk_object_get_var(obj, "gdata", &counter, sizeof(counter), &err) == 0);
	CHECK_EQ(counter, 103);
	/* slot 0 -> the other program, whose r0 ends the run */
	prog = 1;
	CHECK(nyk_map_update(jmp, &key, &prog, 0) == 0);
	CHECK(run_xdp(obj, 0, 1, &r0, &err) == 0);
	CHECK_EQ(r0, 42);
	/* a target that cannot be prepared ends the run with its reason */
	prog = 2;
	CHECK(nyk_map_update(jmp, &key, &prog, 0) == 0);
	CHECK_EQ(run_xdp(obj, 0, 1, &r0, &err), -ENOTSUP);
	CHECK_MSG(strstr(err.message, "tail call to program 2") && strstr(err.message, "bpf_fib_lookup"), "%s",
		  err.message);
	CHECK_EQ(err.insn, 10);
	nyk_object_close(obj);

	/* an index past max_entries fails without counting */
	obj = tail_object(7);
	CHECK(obj);
	CHECK(run_xdp(obj, 0, 1, &r0, &err) == 0);
	CHECK_EQ(r0, 1);
	nyk_object_close(obj);
}

TEST(progtype_global_data_and_maps)
{
	/* .data through a direct value pointer, a hash map through lookup/update helpers */
	static const char *text =
		"r1 = 0x5eed00ff ll\n"
		"r6 = *(u64 *)(r1 + 0)\n"
		"*(u32 *)(r10 - 4) = 7\n"
		"*(u64 *)(r10 - 16) = r6\n"
		"r1 = 0x5eed0000 ll\n"
		"r2 = r10\n"
		"r2 += -4\n"
		"r3 = r10\n"
		"r3 += -16\n"
		"r4 = 0\n"
		"call 2\n"
		"r1 = 0x5eed0000 ll\n"
		"r2 = r10\n"
		"r2 += -4\n"
		"call 1\n"
		"if r0 == 0 goto none\n"
		"r0 = *(u64 *)(r0 + 0)\n"
		"exit\n"
		"none:\n"
		"r0 = 99\n"
		"exit\n";
	static uint64_t gdata = 1234;
	struct tobj o;
	struct nyk_object *obj;
	uint64_t r0, v;
	uint32_t key = 7;
	struct nyk_error err;

	memset(&o, 0, sizeof(o));
	o.progs[0] = (struct tobj_prog){ "xdp", "prog", text, NULL, 0 };
	o.nprogs = 1;
	o.maps[0] = (struct tobj_map){ "h", 1, 4, 8, 16, 0 };
	o.nmaps = 1;
	o.data = &gdata;
	o.data_len = sizeof(gdata);
	obj = tobj_load(&o);
	CHECK(obj);
	CHECK_MSG(run_xdp(obj, 0, 1, &r0, &err) == 0, "%s", err.message);
	CHECK_EQ(r0, 1234);
	CHECK(nyk_map_lookup(nyk_object_find_map(obj, "h"), &key, &v) == 0);
	CHECK_EQ(v, 1234);
	nyk_object_close(obj);
}

/* The same runs on the JIT (where this build has one), checked and unchecked. */
TEST(progtype_runs_on_the_jit)
{
	static const unsigned modes[] = { NYK_RUN_JIT, NYK_RUN_JIT | NYK_RUN_UNCHECKED, 0 };
	struct nyk_error err;
	uint64_t r0;

	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		struct nyk_object *obj = tail_object(0);
		uint32_t key = 0, prog = 0;
		uint8_t out[4096];
		size_t len = sizeof(out);

		run_flags = modes[m];
		CHECK(obj);
		CHECK(nyk_map_update(nyk_object_find_map(obj, "jmp"), &key, &prog, 0) == 0);
		CHECK_MSG(run_xdp(obj, 0, 1, &r0, &err) == 0, "mode %u: %s", modes[m], err.message);
		CHECK_EQ(r0, 34);   /* 1 + 33 tail calls */
		/* the vm switches mode between runs of one program */
		run_flags = modes[(m + 1) % 3];
		CHECK(run_xdp(obj, 0, 1, &r0, &err) == 0);
		CHECK_EQ(r0, 34 + 34);
		nyk_object_close(obj);
		run_flags = 0;
		CHECK_EQ(run_adjust("44", -4, out, &len), 64);
	}
	run_flags = 0;
}
