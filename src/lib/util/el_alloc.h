/* el_alloc.h - the library's allocator, the per-check arena for jansson's values, and allocation
 * failure injection for tests.
 *
 * Every allocation of the library goes through el_malloc and friends (util/alloc.c), so that a
 * test can make the Nth one fail and check that each failure ends in ECRLINT_ERR_NOMEM. */
#ifndef EL_UTIL_EL_ALLOC_H
#define EL_UTIL_EL_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

void *el_malloc(size_t size);
void *el_calloc(size_t n, size_t size);
void *el_realloc(void *ptr, size_t size);
char *el_strdup(const char *s);
char *el_strndup(const char *s, size_t n);
void el_free(void *ptr);

/* Memory from this size on is offered huge pages by el_advise_huge. */
#define EL_HUGE_FROM ((size_t)2 * 1024 * 1024)
/* Asks Linux for transparent huge pages over p[0..len) (its default "madvise" mode grants them
 * only on request): a buffer of many megabytes is touched page by page, and each new page costs
 * a fault; with huge pages, thousands of faults become a few. Advice only: where the system
 * says no, or has no such call, nothing changes. */
void el_advise_huge(void *p, size_t len);
/* el_malloc, except that a block of EL_HUGE_FROM bytes or more starts on a multiple of
 * EL_HUGE_FROM and is offered huge pages: each whole huge page it spans can then be one.
 * Freed with el_free. */
void *el_malloc_huge(size_t size);
/* Makes room for at least `need` items of `size` bytes in the array *items_ptr (a pointer to
 * the array's pointer, of any element type) whose capacity is *cap: the capacity doubles,
 * starting at `first`. Returns false when memory ran out or the size would overflow; the array
 * and *cap are then unchanged. The library's one way to grow an array. */
bool el_grow(void *items_ptr, size_t *cap, size_t need, size_t size, size_t first);
/* Allocations that failed on this thread so far. */
unsigned long el_alloc_failures(void);

/* ---- util/arena.c: jansson's allocations during one check ----------------------------- */

typedef struct el_arena {
    struct chunk *head;
    size_t total;
    struct el_arena *outer;
    struct chunk **spare;
} el_arena;

/* Between these two, jansson allocates on this thread from the arena, and frees nothing one by
 * one: every jansson value made in between must be dropped before el_arena_end, which releases
 * them all. Text jansson returns (json_dumps) is released with el_json_free, and copied out
 * when it must outlive the arena. `spare` (may be NULL) keeps the arena's first chunk from one
 * arena to the next on the same thread (a checker's): el_arena_begin takes it, el_arena_end
 * puts the first chunk back instead of freeing it, el_arena_spare_free frees it. */
void el_arena_begin(el_arena *a, struct chunk **spare);
void el_arena_end(el_arena *a);
void el_arena_spare_free(struct chunk **spare);
bool el_arena_active(void);
/* The allocator jansson is given: from the active arena, else el_malloc. The per-check state
 * of PCRE2 (match data and context) comes from it too. */
void *el_arena_malloc(size_t n);
void el_json_free(void *p);

/* ---- failure injection, for tests only ------------------------------------------------- */

/* el_alloc_fail_after(n) makes the nth allocation from now (n >= 1) and every later one fail,
 * until it is called again; n = 0 turns failure injection off. The counters are process-wide,
 * and count only once el_alloc_fail_after has been called (el_alloc_fail_after(0) to count
 * without failing). */
void el_alloc_fail_after(long n);
/* Allocations made since the last el_alloc_fail_after() call. */
long el_alloc_call_count(void);

#endif
