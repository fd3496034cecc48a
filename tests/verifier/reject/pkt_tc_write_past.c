// expect: reject is beyond the checked range
// tc writes the IPv4 checksum (off 24 size 2) after proving only 24 bytes.
#include "../include/vt.h"

SEC("tc")
int tc_write_past(struct __sk_buff *skb)
{
	__u8 *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;

	if (data + 24 > end)
		return TC_ACT_OK;
	*(__u16 *)(data + 24) = 0;
	return TC_ACT_OK;
}
