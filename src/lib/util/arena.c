/* arena.c - a bump allocator for jansson's values during one check.
 *
 * A check parses its input into a tree of small jansson allocations (every value, key, hash
 * table and string buffer), uses it, and drops it whole. With malloc that is hundreds of
 * malloc/free pairs per small file and a tree walk to free them. Inside el_arena_begin and
 * el_arena_end on a thread, jansson allocates from chunks instead, frees nothing one by one, and
 * the tree is dropped with its chunks.
 *
 * Chunks come from el_malloc, so allocation failures are counted and can be injected as
 * anywhere else. A chunk is at least ARENA_MIN bytes and grows with what the arena holds, up
 * to ARENA_STEP, so that a large input needs few chunks and wastes at most one partly used
 * chunk. A checker keeps the first chunk from one check to the next (el_arena_begin's spare).
 * Memory jansson frees inside an arena is reused only when it was the last allocation
 * (its string buffers grow that way); the rest waits for the end of the check. Under
 * AddressSanitizer the arena is off, so that every jansson allocation stays visible to it. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>
#if defined(__linux__)
#include <sys/random.h>
#endif

#include "ecrlint/ecrlint.h"
#include "util/el_alloc.h"

#define ARENA_ALIGN 16
#define ARENA_MIN ((size_t)32 * 1024)
#define ARENA_STEP ((size_t)4 * 1024 * 1024)

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_OFF 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_OFF 1
#endif
#endif

typedef struct chunk {
    struct chunk *prev;
    size_t size; /* usable bytes after the header */
    size_t used;
    size_t last; /* offset of the last allocation, for LIFO frees */
} chunk;

#define HEADER ((sizeof(chunk) + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN)

static _Thread_local el_arena *active;
/* jansson allocates through el_arena_malloc (ecrlint_global_init): until then an arena is
 * never made active, since jansson's values would not come from it. */
static atomic_bool installed;

static unsigned char *chunk_data(chunk *c)
{
    return (unsigned char *)c + HEADER;
}

void el_arena_begin(el_arena *a, chunk **spare)
{
    memset(a, 0, sizeof *a);
    a->spare = spare;
    if (spare && *spare) {
        chunk *c = *spare;
        *spare = NULL;
        c->prev = NULL;
        c->used = c->last = 0;
        a->head = c;
        a->total = c->size;
    }
#ifndef ARENA_OFF
    a->outer = active;
    if (atomic_load_explicit(&installed, memory_order_relaxed))
        active = a;
#endif
}

void el_arena_end(el_arena *a)
{
#ifndef ARENA_OFF
    active = a->outer;
#endif
    chunk *c = a->head;
    while (c) {
        chunk *prev = c->prev;
        /* the first chunk (the smallest) waits for the next arena, when there is a place */
        if (!prev && a->spare && !*a->spare && c->size == ARENA_MIN)
            *a->spare = c;
        else
            el_free(c);
        c = prev;
    }
    a->head = NULL;
}

void el_arena_spare_free(chunk **spare)
{
    if (spare) {
        el_free(*spare);
        *spare = NULL;
    }
}

bool el_arena_active(void)
{
    return active != NULL;
}

/* The slow path of el_arena_malloc, kept out of line so that the fast one saves no registers. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void *
arena_alloc(el_arena *a, size_t n)
{
    if (n > SIZE_MAX - ARENA_ALIGN - HEADER)
        return NULL;
    n = (n + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
    if (n == 0)
        n = ARENA_ALIGN;
    chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = a->total < ARENA_MIN    ? ARENA_MIN
                      : a->total > ARENA_STEP ? ARENA_STEP
                                              : a->total;
        if (size < n)
            size = n;
        if (size > SIZE_MAX - HEADER - EL_HUGE_FROM)
            return NULL;
        /* The values of a large input: in whole huge pages (see el_malloc_huge), thousands of
         * page faults fewer; the rounding is room for more values. */
        if (size >= EL_HUGE_FROM)
            size = (HEADER + size + EL_HUGE_FROM - 1) / EL_HUGE_FROM * EL_HUGE_FROM - HEADER;
        chunk *fresh = el_malloc_huge(HEADER + size);
        if (!fresh)
            return NULL;
        fresh->prev = c;
        fresh->size = size;
        fresh->used = 0;
        fresh->last = 0;
        a->head = c = fresh;
        a->total += size;
    }
    c->last = c->used;
    c->used += n;
    return chunk_data(c) + c->last;
}

/* Does the arena hold p? The newest chunks are searched first: they are the largest. */
static chunk *owner(const el_arena *a, const void *p)
{
    const unsigned char *q = p;
    for (chunk *c = a->head; c; c = c->prev)
        if (q >= chunk_data(c) && q < chunk_data(c) + c->size)
            return c;
    return NULL;
}

void *el_arena_malloc(size_t n)
{
    el_arena *a = active;
    if (!a)
        return el_malloc(n);
    /* The usual case, room in the current chunk: sizes and offsets are multiples of
     * ARENA_ALIGN, so n fits rounded up when it fits as it is. */
    chunk *c = a->head;
    if (c && n && n <= c->size - c->used) {
        c->last = c->used;
        c->used += (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
        return chunk_data(c) + c->last;
    }
    return arena_alloc(a, n);
}

void el_json_free(void *p)
{
    if (!p)
        return;
    if (active) {
        chunk *c = owner(active, p);
        if (c) {
            if (c == active->head && (unsigned char *)p == chunk_data(c) + c->last)
                c->used = c->last; /* the last allocation: give it back */
            return;
        }
    }
    el_free(p);
}

static void install(void)
{
    json_set_alloc_funcs(el_arena_malloc, el_json_free);
#if defined(__linux__)
    /* jansson seeds its hash function on the first object it makes by opening and reading
     * /dev/urandom; getrandom(2) gives the same entropy in one system call, which a run on one
     * small file notices. When it fails, jansson seeds itself as before. */
    uint32_t seed = 0;
    if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) == (ssize_t)sizeof seed && seed != 0)
        json_object_seed(seed);
#endif
    atomic_store(&installed, true);
}

ecrlint_status ecrlint_global_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install);
    return ECRLINT_OK;
}
