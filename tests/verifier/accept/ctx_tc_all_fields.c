// expect: accept
// The __sk_buff fields a tc classifier reads, each with its full size.
#include "../include/vt.h"

SEC("tc")
int ctx_tc_fields(struct __sk_buff *skb)
{
	__u64 s = skb->len + skb->pkt_type + skb->mark + skb->queue_mapping + skb->protocol;

	s += skb->vlan_present + skb->vlan_tci + skb->vlan_proto + skb->priority;
	s += skb->ingress_ifindex + skb->ifindex + skb->tc_index + skb->hash + skb->tc_classid;
	s += skb->cb[0] + skb->cb[1] + skb->cb[2] + skb->cb[3] + skb->cb[4];
	s += skb->napi_id + skb->tstamp + skb->wire_len + skb->gso_segs + skb->gso_size;
	__u32 data = skb->data, end = skb->data_end, meta = skb->data_meta;

	VT_OPAQUE(data);
	VT_OPAQUE(end);
	VT_OPAQUE(meta);
	VT_OPAQUE(s);
	return s & 1;
}
