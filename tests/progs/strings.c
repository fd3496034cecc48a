/*
 * strings.c - string helpers: bpf_strtol and bpf_strtoul (base in the
 * flags, 0 = auto), bpf_strncmp against a literal. The packet after the
 * Ethernet header holds "CMD NUMBER"; results go to `parsed` (.bss) and
 * the return value is the command's code.
 */
//! case set-decimal-negative
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00
//! data 73 65 74 20 2d 34 32 20 72 65 73 74 00 00 00 00
//! retval 1
//! var parsed = d6ffffffffffffff 0300000000000000 0000000000000000 0000000000000000
//! kernel .bss
//! case add-hex-auto-base
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00
//! data 61 64 64 20 30 78 31 66 00 00 00 00 00 00 00 00
//! retval 2
//! var parsed = 1f00000000000000 0400000000000000 1f00000000000000 0200000000000000
//! kernel .bss
//! case unknown-command
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00
//! data 64 65 6c 20 31 00 00 00 00 00 00 00 00 00 00 00
//! retval 0
//! kernel .bss
//! case not-a-number
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00
//! data 73 65 74 20 78 79 7a 00 00 00 00 00 00 00 00 00
//! retval 3
//! var parsed = 0000000000000000 eaffffffffffffff 0000000000000000 0000000000000000
//! kernel .bss
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

struct {
	long value;
	long used;       /* characters bpf_strtol consumed, or its error */
	unsigned long hex;
	long hex_used;
} parsed;

SEC("xdp")
int command(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	char buf[16];

	if (data + 14 + sizeof(buf) > data_end)
		return -1;
	__builtin_memcpy(buf, data + 14, sizeof(buf));
	buf[sizeof(buf) - 1] = 0;

	if (bpf_strncmp(buf, 4, "set ") == 0) {
		parsed.used = bpf_strtol(buf + 4, 8, 10, &parsed.value);
		return parsed.used < 0 ? 3 : 1;
	}
	if (bpf_strncmp(buf, 4, "add ") == 0) {
		parsed.used = bpf_strtol(buf + 4, 8, 0, &parsed.value);
		parsed.hex_used = bpf_strtoul(buf + 6, 8, 16, &parsed.hex);
		return 2;
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
