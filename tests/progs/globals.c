/*
 * globals.c - global variables in every kind of data section, set from the
 * host before load as a skeleton would (`--set VAR=VALUE`):
 *   .rodata          const volatile config (frozen after load)
 *   .rodata.custom   a named read-only section
 *   .data / .bss     counters the program updates
 *   .data.custom     a named writable section
 *   .rodata.str1.1   string literals, passed to bpf_strncmp
 * The return value adds up what the program saw, digit by digit.
 */
//! case defaults
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 68 65 6c 6c 6f 21
//! retval 11050753
//! var seen = 0100000000000000
//! var last_len = 0000000000000000
//! var total = 7800000000000000
//! var custom_val = 08000000
//! var cfg_port = 35000000
//! kernel .bss .data .data.custom .rodata
//! case set-from-the-host
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 68 65 6c 6c 6f 21
//! args --set cfg_port=8080 --set cfg_name="lo" --set custom_val=0x2 --set ro_custom=0
//! args --set total=-20 --set last_len=hex:01020304
//! retval 1008280
//! var total = 0000000000000000
//! var custom_val = 03000000
//! var seen = 0100000000000000
//! var last_len = 0102030400000000
//! var cfg_port = 901f0000
//! var cfg_name = 6c6f000000000000
//! case payload-is-not-hello
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 68 65 6c 70 21 21
//! args repeat 3
//! retval 10050953
//! var seen = 0300000000000000
//! var total = a000000000000000
//! var custom_val = 0a000000
//! kernel .bss .data .data.custom
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

const volatile __u32 cfg_port = 53;
const volatile char cfg_name[8] = "eth0";
const volatile __u32 ro_custom SEC(".rodata.custom") = 5;
__u64 total = 100;
__u32 custom_val SEC(".data.custom") = 7;
__u64 seen;
__u8 last_len[8];

SEC("xdp")
int globals(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	char payload[6] = {};
	__u64 r = cfg_port;

	r += custom_val * 100;
	r += ro_custom * 10000;
	if (data + 14 + 5 <= data_end) {
		__builtin_memcpy(payload, data + 14, 5);
		if (bpf_strncmp(payload, 5, "hello") == 0)
			r += 1000000;
	}
	if (bpf_strncmp((const char *)cfg_name, 3, "eth") == 0)
		r += 10000000;
	seen++;
	total += data_end - data;
	custom_val++;
	return r;
}

char LICENSE[] SEC("license") = "GPL";
