/* el_alloc.h - allocation failure injection, for tests only.
 *
 * el_alloc_fail_after(n) makes the nth allocation from now (n >= 1) and every later one fail,
 * until it is called again; n = 0 turns failure injection off. The counters are process-wide,
 * and count only once el_alloc_fail_after has been called (el_alloc_fail_after(0) to count
 * without failing). */
#ifndef EL_ALLOC_H
#define EL_ALLOC_H

void el_alloc_fail_after(long n);
/* Allocations made since the last el_alloc_fail_after() call. */
long el_alloc_call_count(void);

#endif
