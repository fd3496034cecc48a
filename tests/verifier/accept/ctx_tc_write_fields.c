// expect: accept
// tc may write mark, priority, tc_index, tc_classid, queue_mapping, cb[] and tstamp.
#include "../include/vt.h"

SEC("tc")
int ctx_tc_writes(struct __sk_buff *skb)
{
	skb->mark = 0x42;
	asm volatile("" ::: "memory");
	skb->priority = 3;
	asm volatile("" ::: "memory");
	skb->tc_index = 1;
	asm volatile("" ::: "memory");
	skb->tc_classid = 0x10001;
	asm volatile("" ::: "memory");
	skb->queue_mapping = 0;
	asm volatile("" ::: "memory");
	skb->cb[0] = 1;
	asm volatile("" ::: "memory");
	skb->cb[4] = 5;
	asm volatile("" ::: "memory");
	skb->tstamp = 0;
	return TC_ACT_OK;
}
