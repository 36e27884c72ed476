/* regex.c - whole-string PCRE2 matching, compiled on first use.
 *
 * Start-up cost matters (ecrlint often runs once per file in a pre-commit hook), so a pattern is
 * compiled when first needed, not when the packs load, and JIT-compiled only once it has been
 * used JIT_AFTER times: for one small file the JIT compilation costs more than it saves. The JIT
 * copy is a second compiled object swapped in atomically, because PCRE2 does not allow
 * JIT-compiling code that other threads may be matching with. */

#define JIT_AFTER 64
#include <stdio.h>
#include <string.h>

#include "rules/el_rules.h"
#include "util/el_alloc.h"

static pcre2_code *compile(const char *source, int *errcode, PCRE2_SIZE *off);

static void *pcre_alloc(size_t size, void *ud)
{
    (void)ud;
    return el_malloc(size);
}

static void pcre_free(void *p, void *ud)
{
    (void)ud;
    el_free(p);
}

static pcre2_code *compile(const char *source, int *errcode, PCRE2_SIZE *off)
{
    pcre2_general_context *gc = pcre2_general_context_create(pcre_alloc, pcre_free, NULL);
    pcre2_compile_context *cc = gc ? pcre2_compile_context_create(gc) : NULL;
    pcre2_code *code = NULL;
    if (!cc) {
        *errcode = PCRE2_ERROR_NOMEMORY;
        *off = 0;
    } else {
        /* Anchored at both ends: constraints in the API model are whole-string matches. */
        code = pcre2_compile((PCRE2_SPTR)source, PCRE2_ZERO_TERMINATED,
                             PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_UTF, errcode, off, cc);
    }
    pcre2_compile_context_free(cc);
    pcre2_general_context_free(gc);
    return code;
}

/* The serialized form packgen made, decoded; NULL when there is none or it does not fit the
 * PCRE2 in use (*nomem when memory ran out). */
static pcre2_code *decode(const el_regex *re, bool *nomem)
{
    *nomem = false;
    char build[EL_PCRE2_BUILD_MAX];
    if (!re->serialized || !re->serialized_by ||
        strcmp(re->serialized_by, el_regex_pcre2_build(build)) != 0)
        return NULL;
    if (pcre2_serialize_get_number_of_codes(re->serialized) != 1)
        return NULL;
    pcre2_general_context *gc = pcre2_general_context_create(pcre_alloc, pcre_free, NULL);
    if (!gc) {
        *nomem = true;
        return NULL;
    }
    pcre2_code *code = NULL;
    int32_t rc = pcre2_serialize_decode(&code, 1, re->serialized, gc);
    pcre2_general_context_free(gc);
    if (rc == PCRE2_ERROR_NOMEMORY)
        *nomem = true;
    return rc == 1 ? code : NULL;
}

/* Decoded when it can be, else compiled from the source. */
static pcre2_code *obtain(const el_regex *re, int *errcode, PCRE2_SIZE *off)
{
    bool nomem;
    pcre2_code *code = decode(re, &nomem);
    if (code)
        return code;
    if (nomem) {
        *errcode = PCRE2_ERROR_NOMEMORY;
        *off = 0;
        return NULL;
    }
    return compile(re->source, errcode, off);
}

const char *el_regex_pcre2_build(char out[EL_PCRE2_BUILD_MAX])
{
    char version[48] = "";
    uint32_t link = 0, unicode = 0;
    (void)pcre2_config(PCRE2_CONFIG_VERSION, version);
    (void)pcre2_config(PCRE2_CONFIG_LINKSIZE, &link);
    (void)pcre2_config(PCRE2_CONFIG_UNICODE, &unicode);
    snprintf(out, EL_PCRE2_BUILD_MAX, "%s/link %u/unicode %u", version, (unsigned)link,
             (unsigned)unicode);
    return out;
}

unsigned char *el_regex_serialize(el_regex *re, size_t *len)
{
    const pcre2_code *code = atomic_load(&re->code);
    uint8_t *bytes = NULL;
    PCRE2_SIZE size = 0;
    if (!code || pcre2_serialize_encode(&code, 1, &bytes, &size, NULL) != 1)
        return NULL;
    *len = size;
    return bytes;
}

ecrlint_status el_regex_compile(el_regex *re)
{
    pthread_mutex_lock(&re->lock);
    if (!atomic_load(&re->code) && !re->error) {
        int errcode = 0;
        PCRE2_SIZE off = 0;
        pcre2_code *code = obtain(re, &errcode, &off);
        if (code) {
            atomic_store(&re->code, code);
        } else if (errcode == PCRE2_ERROR_NOMEMORY || errcode == 121 /* ERR21: no heap memory */) {
            /* Transient: the next use tries again (the built-in ruleset outlives any one
             * check, so remembering it would fail every later check too). */
            pthread_mutex_unlock(&re->lock);
            return ECRLINT_ERR_NOMEM;
        } else {
            re->error = errcode;
            re->error_offset = off;
        }
    }
    ecrlint_status st = atomic_load(&re->code) ? ECRLINT_OK : ECRLINT_ERR_RULES;
    pthread_mutex_unlock(&re->lock);
    return st;
}

/* Makes the JIT copy; on any failure the interpreted code simply stays in use. */
static void make_jit(el_regex *re)
{
    pthread_mutex_lock(&re->lock);
    if (!atomic_load(&re->jit)) {
        int errcode;
        PCRE2_SIZE off;
        pcre2_code *code = obtain(re, &errcode, &off);
        if (code && pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0)
            atomic_store(&re->jit, code);
        else
            pcre2_code_free(code);
    }
    pthread_mutex_unlock(&re->lock);
}

static void *state_alloc(size_t size, void *ud)
{
    (void)ud;
    return el_arena_malloc(size);
}

static void state_free(void *p, void *ud)
{
    (void)ud;
    el_json_free(p);
}

bool el_regex_match_state_new(pcre2_match_data **md, pcre2_match_context **mctx, bool lasting)
{
    /* Created through a general context so that matching allocates through the check's arena
     * or el_malloc (counted, and failed on purpose by the allocation-failure tests), not malloc
     * three times per check. */
    pcre2_general_context *gc = lasting
                                    ? pcre2_general_context_create(pcre_alloc, pcre_free, NULL)
                                    : pcre2_general_context_create(state_alloc, state_free, NULL);
    *md = gc ? pcre2_match_data_create(1, gc) : NULL;
    *mctx = gc ? pcre2_match_context_create(gc) : NULL;
    pcre2_general_context_free(gc); /* the two copy its allocator */
    if (!*md || !*mctx) {
        pcre2_match_data_free(*md);
        pcre2_match_context_free(*mctx);
        *md = NULL;
        *mctx = NULL;
        return false;
    }
    /* Bounded matching: a pathological pattern in a user's pack ends in a finding, not a hang
     * or unbounded memory. */
    pcre2_set_match_limit(*mctx, EL_REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(*mctx, EL_REGEX_DEPTH_LIMIT);
    pcre2_set_heap_limit(*mctx, EL_REGEX_HEAP_LIMIT_KIB);
    return true;
}

void el_regex_release(el_regex *re)
{
    pcre2_code_free(atomic_load(&re->code));
    pcre2_code_free(atomic_load(&re->jit));
    atomic_store(&re->code, NULL);
    atomic_store(&re->jit, NULL);
}

el_match el_regex_match(el_regex *re, const char *subject, size_t len, pcre2_match_data *md,
                        pcre2_match_context *mctx)
{
    pcre2_code *code = atomic_load(&re->jit);
    if (!code) {
        code = atomic_load(&re->code); /* set once, never changed */
        if (!code) {
            ecrlint_status st = el_regex_compile(re);
            if (st == ECRLINT_ERR_NOMEM)
                return EL_MATCH_NOMEM;
            if (st)
                return EL_MATCH_BROKEN;
            code = atomic_load(&re->code);
        }
        if (atomic_fetch_add(&re->uses, 1) + 1 == JIT_AFTER)
            make_jit(re);
    }
    /* Subjects are strings jansson decoded, which it guarantees to be valid UTF-8: PCRE2 need
     * not check them again. The JIT copy is entered directly (pcre2_jit_match), without
     * pcre2_match's argument checks. */
    int rc = code == atomic_load(&re->jit)
                 ? pcre2_jit_match(code, (PCRE2_SPTR)subject, len, 0, PCRE2_NO_UTF_CHECK, md, mctx)
                 : pcre2_match(code, (PCRE2_SPTR)subject, len, 0, PCRE2_NO_UTF_CHECK, md, mctx);
    if (rc >= 0)
        return EL_MATCH_YES;
    if (rc == PCRE2_ERROR_NOMATCH)
        return EL_MATCH_NO;
    if (rc == PCRE2_ERROR_NOMEMORY)
        return EL_MATCH_NOMEM;
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT)
        return EL_MATCH_LIMIT; /* could not decide: said so, never taken for a mismatch */
    return EL_MATCH_NO; /* no other error is expected of a valid subject: treated as no match */
}
