// expect: accept
// bpf_printk: the format lives in .rodata, its size is a constant.
#include "../include/vt.h"

SEC("tc")
int helper_printk(struct __sk_buff *skb)
{
	bpf_printk("len %u mark %u", skb->len, skb->mark);
	return TC_ACT_OK;
}
