/*
 * exec_kernel.c - the Linux kernel as a conformance executor.
 *
 * A test program cannot be handed to the kernel as it is: the kernel gives
 * a program a context pointer in r1, not the test's memory, and returns
 * only 32 bits of r0. So each run builds a small world around the test
 * (wrap.c puts the body between a prologue and an epilogue):
 *
 *  - mem_map, an array map with one value of mem_len bytes, holds a copy of
 *    the test's memory, written before the run and read back after it; the
 *    prologue points r1 at it (lddw BPF_PSEUDO_MAP_VALUE) and sets r2 =
 *    mem_len, so the test reads and writes its memory through r1 with
 *    offsets the verifier checks against the value size. Without mem,
 *    r1 = r2 = 0.
 *  - result_map, an array map with one u64 value, receives the full 64-bit
 *    r0 from the epilogue.
 *  - The program is XDP, run once by BPF_PROG_TEST_RUN on a dummy 64-byte
 *    packet; programs with LD_ABS/LD_IND are SCHED_CLS instead, run on the
 *    test's memory as the packet, with r6 = the context as those loads
 *    require (a load outside the packet ends the program with r0 = 0, as
 *    in nyuki).
 *
 * Helper 5 is the kernel's own bpf_ktime_get_ns. When the verifier refuses
 * the program, the run is NYK_RUN_REFUSED with the first line of the
 * verifier's verdict as the reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/kernel_internal.h"

enum {
	XDP_PASS_CODE = 2,
	ETH_HEADER_LEN = 14,      /* BPF_PROG_TEST_RUN wants at least an Ethernet header */
	PACKET_LEN = 64,          /* the dummy packet of XDP runs */
	MAX_MEM = 1 << 20,
	MAX_PACKET = 2048,        /* well inside the page a test packet must fit */
};

#define INSN(op, dst, src, off, imm) { (uint8_t)(op), (uint8_t)((dst) | (src) << 4), (off), (imm) }

struct kernel_state {
	int checked;        /* availability has been checked */
	int rc;             /* its result */
	char why[192];
};

static struct kernel_state state;

static int why_errno(char *why, size_t n, const char *what, int rc)
{
	if (why && n) {
		if (rc == -EPERM || rc == -EACCES)
			snprintf(why, n, "kernel bpf() not permitted: %s", strerror(-rc));
		else if (rc == -ENOSYS)
			snprintf(why, n, "kernel bpf() not available: %s", strerror(-rc));
		else
			snprintf(why, n, "kernel %s failed: %s", what, strerror(-rc));
	}
	return rc;
}

int nyk_kernel_available(char *why, size_t n)
{
	static const struct nyk_insn prog[] = {
		INSN(NYK_CLASS_ALU64 | NYK_ALU_MOV | NYK_SRC_K, 0, 0, 0, XDP_PASS_CODE),
		INSN(NYK_CLASS_JMP | NYK_JMP_EXIT, 0, 0, 0, 0),
	};
	struct nyk_kernel_prog_opts opts;
	struct nyk_kernel_test_run run;
	uint8_t packet[PACKET_LEN] = { 0 };
	int map, fd, rc;

	if (why && n)
		why[0] = '\0';
	map = nyk_kernel_map_create(NYK_KMAP_ARRAY, 4, 8, 1, "nyk_probe", NULL);
	if (map < 0)
		return why_errno(why, n, "map create", map);
	close(map);

	memset(&opts, 0, sizeof(opts));
	opts.size = sizeof(opts);
	opts.prog_type = NYK_KPROG_XDP;
	opts.name = "nyk_probe";
	fd = nyk_kernel_prog_load(prog, sizeof(prog) / sizeof(prog[0]), &opts, NULL);
	if (fd < 0)
		return why_errno(why, n, "program load", fd);

	memset(&run, 0, sizeof(run));
	run.size = sizeof(run);
	run.data_in = packet;
	run.data_size_in = sizeof(packet);
	run.repeat = 1;
	rc = nyk_kernel_prog_test_run(fd, &run, NULL);
	close(fd);
	if (rc < 0)
		return why_errno(why, n, "BPF_PROG_TEST_RUN", rc);
	if (run.retval != XDP_PASS_CODE) {
		if (why && n)
			snprintf(why, n, "kernel BPF_PROG_TEST_RUN returned %u, not %u", run.retval, XDP_PASS_CODE);
		return -EIO;
	}
	return 0;
}

static enum nyk_run_status say(enum nyk_run_status st, char *why, size_t n, const struct nyk_error *err)
{
	if (why && n)
		snprintf(why, n, "%s", err->message);
	return st;
}

static enum nyk_run_status kernel_run(void *self, const struct nyk_insn *insns, size_t count, void *mem,
				      size_t mem_len, uint64_t *r0, char *why, size_t why_size)
{
	struct kernel_state *ks = self;
	struct nyk_kernel_prog_opts opts;
	struct nyk_kernel_test_run run;
	struct nyk_error err;
	struct nyk_insn *prog = NULL;
	struct kernel_wrap_opts wo;
	uint8_t packet[PACKET_LEN] = { 0 };
	uint32_t key = 0;
	uint64_t result = 0;
	int mem_fd = -1, res_fd = -1, prog_fd = -1, packet_prog, rc;
	size_t total = 0;
	enum nyk_run_status st = NYK_RUN_OK;

	if (why && why_size)
		why[0] = '\0';
	if (!ks->checked) {
		ks->rc = nyk_kernel_available(ks->why, sizeof(ks->why));
		ks->checked = 1;
	}
	if (ks->rc < 0) {
		if (why && why_size)
			snprintf(why, why_size, "%s", ks->why);
		return NYK_RUN_UNAVAILABLE;
	}
	nyk_error_clear(&err);
	if (!mem)
		mem_len = 0;
	if (mem_len > MAX_MEM) {
		nyk_error_set(&err, -E2BIG, "mem of %zu bytes is more than the kernel executor passes (%d)", mem_len,
			      MAX_MEM);
		return say(NYK_RUN_FAULT, why, why_size, &err);
	}
	packet_prog = kernel_has_packet_access(insns, count);
	if (packet_prog && (mem_len < ETH_HEADER_LEN || mem_len > MAX_PACKET)) {
		nyk_error_set(&err, -EINVAL,
			      "LD_ABS/LD_IND run in the kernel on mem as a packet of %d to %d bytes, not %zu",
			      ETH_HEADER_LEN, MAX_PACKET, mem_len);
		return say(NYK_RUN_FAULT, why, why_size, &err);
	}

	res_fd = nyk_kernel_map_create(NYK_KMAP_ARRAY, 4, 8, 1, "nyk_result", &err);
	if (res_fd < 0) {
		st = NYK_RUN_FAULT;
		goto out;
	}
	if (mem_len) {
		mem_fd = nyk_kernel_map_create(NYK_KMAP_ARRAY, 4, (uint32_t)mem_len, 1, "nyk_mem", &err);
		if (mem_fd < 0 || nyk_kernel_map_update(mem_fd, &key, mem, 0, &err) < 0) {
			st = NYK_RUN_FAULT;
			goto out;
		}
	}
	wo.mem_fd = mem_fd;
	wo.mem_len = (int32_t)mem_len;
	wo.result_fd = res_fd;
	wo.packet = packet_prog;
	if ((rc = kernel_wrap(insns, count, &wo, &prog, &total)) < 0) {
		nyk_error_set(&err, rc, "cannot wrap %zu instructions for the kernel: %s", count, strerror(-rc));
		st = NYK_RUN_FAULT;
		goto out;
	}

	memset(&opts, 0, sizeof(opts));
	opts.size = sizeof(opts);
	opts.prog_type = packet_prog ? NYK_KPROG_SCHED_CLS : NYK_KPROG_XDP;
	opts.name = "nyk_conformance";
	prog_fd = nyk_kernel_prog_load(prog, total, &opts, &err);
	if (prog_fd < 0) {
		st = NYK_RUN_REFUSED;
		goto out;
	}

	memset(&run, 0, sizeof(run));
	run.size = sizeof(run);
	run.data_in = packet_prog ? mem : packet;
	run.data_size_in = packet_prog ? (uint32_t)mem_len : (uint32_t)sizeof(packet);
	run.repeat = 1;
	if (nyk_kernel_prog_test_run(prog_fd, &run, &err) < 0 ||
	    nyk_kernel_map_lookup(res_fd, &key, &result, &err) < 0 ||
	    (mem_len && nyk_kernel_map_lookup(mem_fd, &key, mem, &err) < 0)) {
		st = NYK_RUN_FAULT;
		goto out;
	}
	if (run.retval != KERNEL_WRAP_DONE) {
		/* A packet load outside the packet ends the program with r0 = 0
		   before the epilogue: the result map still holds its 0. */
		if (!(packet_prog && run.retval == 0)) {
			nyk_error_set(&err, -EIO, "the program returned %u without reaching the epilogue", run.retval);
			st = NYK_RUN_FAULT;
			goto out;
		}
	}
	*r0 = result;
out:
	if (st != NYK_RUN_OK)
		say(st, why, why_size, &err);
	if (prog_fd >= 0)
		close(prog_fd);
	if (mem_fd >= 0)
		close(mem_fd);
	if (res_fd >= 0)
		close(res_fd);
	free(prog);
	return st;
}

struct nyk_executor nyk_executor_kernel(void)
{
	struct nyk_executor e = { "kernel", kernel_run, &state };
	return e;
}
