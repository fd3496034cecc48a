/*
 * ringbuf.c - events to user space through a ring buffer: a reserved and
 * submitted record, a reserved and discarded one (never seen), and one
 * copied with bpf_ringbuf_output. The CLI prints the records after the run.
 * Returns the bytes waiting in the ring (BPF_RB_AVAIL_DATA): records are
 * rounded up to 8 bytes and have an 8-byte header, discarded ones included.
 */
//! case two-events
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 21 1c 46 40 00 40 11 0a 84 0a 00 00 01 0a 00 00 02 04 d2 00 09 00 0d a3 24 68 65 6c 6c 6f
//! retval 64
//! event events 2f000000 01000000 0200000000020200
//! event events 8877665544332211
//! stdout 2f 00 00 00 01 00 00 00 02 00 00 00 00 02 02 00
//! kernel
//! case too-short-for-a-record
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00
//! retval 16
//! event events 8877665544332211
//! kernel
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

struct event {
	__u32 len;
	__u32 kind;
	__u8 head[8];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("xdp")
int report(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 marker = 0x1122334455667788ULL;
	struct event *e, *dropped;

	if (data + 16 <= data_end) {
		e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
		if (!e)
			return -1;
		dropped = bpf_ringbuf_reserve(&events, sizeof(*dropped), 0);
		if (!dropped) {
			bpf_ringbuf_discard(e, 0);
			return -1;
		}
		e->len = data_end - data;
		e->kind = 1;
		__builtin_memcpy(e->head, data, 8);
		bpf_ringbuf_submit(e, 0);
		bpf_ringbuf_discard(dropped, 0);
	}
	bpf_ringbuf_output(&events, &marker, sizeof(marker), 0);
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
}

char LICENSE[] SEC("license") = "GPL";
