/* alloc.c - the one place where the library (and jansson, through it) allocates memory.
 *
 * Routing every allocation here lets a test make the Nth allocation fail (see el_alloc.h) and
 * check that each failure ends in ECRLINT_ERR_NOMEM without a crash or a leak. */
#define _DEFAULT_SOURCE /* madvise's MADV_HUGEPAGE (Linux), beside POSIX */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/el_alloc.h"
#include "util/el_json.h"

/* 0 = never fail; otherwise the countdown to the allocation that fails. Nothing is counted
 * until a test first calls el_alloc_fail_after: a shared counter updated by every allocation
 * of every thread would cost a locked instruction and a contended cache line each time. */
static atomic_bool armed;
static atomic_long fail_countdown;
static atomic_long alloc_calls;
/* Allocations that returned NULL on this thread (injected or real): jansson reports some of
 * its allocation failures as syntax errors, so callers compare this count around a parse. */
static _Thread_local unsigned long failures;

unsigned long el_alloc_failures(void)
{
    return failures;
}

void el_alloc_fail_after(long n)
{
    atomic_store(&alloc_calls, 0);
    atomic_store(&fail_countdown, n);
    atomic_store(&armed, true);
}

long el_alloc_call_count(void)
{
    return atomic_load(&alloc_calls);
}

static bool should_fail(void)
{
    if (!atomic_load_explicit(&armed, memory_order_relaxed))
        return false;
    atomic_fetch_add(&alloc_calls, 1);
    long left = atomic_load(&fail_countdown);
    if (left <= 0)
        return false;
    /* Once the countdown reaches 1, this and every later allocation fail. */
    if (left == 1)
        return true;
    atomic_fetch_sub(&fail_countdown, 1);
    return false;
}

static void *counted(void *p)
{
    if (!p)
        failures++;
    return p;
}

void *el_malloc(size_t size)
{
    if (should_fail())
        return counted(NULL);
    return counted(malloc(size ? size : 1));
}

void *el_calloc(size_t n, size_t size)
{
    if (should_fail())
        return counted(NULL);
    return counted(calloc(n ? n : 1, size ? size : 1));
}

void *el_realloc(void *ptr, size_t size)
{
    if (should_fail())
        return counted(NULL);
    return counted(realloc(ptr, size ? size : 1));
}

char *el_strndup(const char *s, size_t n)
{
    char *p = el_malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *el_strdup(const char *s)
{
    return s ? el_strndup(s, strlen(s)) : NULL;
}

void el_free(void *ptr)
{
    free(ptr);
}

json_t *el_json_loadb(const char *buf, size_t len, size_t flags, json_error_t *err, bool *oom)
{
    unsigned long before = failures;
    json_t *v = json_loadb(buf, len, flags, err);
    *oom = !v && (failures != before || json_error_code(err) == json_error_out_of_memory);
    return v;
}

bool el_grow(void *items_ptr, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : (first ? first : 1);
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return false;
        n *= 2;
    }
    if (size && n > SIZE_MAX / size)
        return false;
    void *old; /* the array's pointer, whatever its element type, copied as bytes */
    memcpy(&old, items_ptr, sizeof old);
    void *p = el_realloc(old, n * size);
    if (!p)
        return false;
    memcpy(items_ptr, &p, sizeof p);
    *cap = n;
    return true;
}

void el_advise_huge(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
    long page = sysconf(_SC_PAGESIZE);
    if (!p || page <= 0)
        return;
    uintptr_t start = ((uintptr_t)p + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    uintptr_t end = (uintptr_t)p + len;
    if (end > start)
        (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)p;
    (void)len;
#endif
}

void *el_malloc_huge(size_t size)
{
    if (size < EL_HUGE_FROM)
        return el_malloc(size);
    if (should_fail())
        return counted(NULL);
    void *p = NULL;
    if (posix_memalign(&p, EL_HUGE_FROM, size) != 0)
        p = NULL;
    el_advise_huge(p, size);
    return counted(p);
}
