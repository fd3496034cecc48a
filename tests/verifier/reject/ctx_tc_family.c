// expect: reject context access off=88 size=4
// tc programs cannot read the socket fields.
#include "../include/vt.h"

SEC("tc")
int ctx_tc_family(struct __sk_buff *skb)
{
	return skb->family == 2 ? TC_ACT_OK : TC_ACT_SHOT;
}
