# Fibonacci: r0 = fib(50), computed with a bounded loop.
# Run it: build/nyuki prog run examples/fib.s
	r1 = 50          # n
	r2 = 0           # fib(i)
	r3 = 1           # fib(i + 1)
loop:
	if r1 == 0 goto done
	r4 = r2
	r4 += r3
	r2 = r3
	r3 = r4
	r1 -= 1
	goto loop
done:
	r0 = r2
	exit
