/* ruleset_index.c - the operations' top-level member names, numbered once when a ruleset is
 * built (el_name_index in el_rules.h): open addressing over an FNV-1a hash. */
#include <string.h>

#include "rules/el_pack.h"
#include "rules/el_rules.h"
#include "util/el_alloc.h"

/* FNV-1a: names are short, and only spread matters. */
uint32_t el_name_hash(const char *name)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

long el_name_lookup(const el_name_index *ix, const char *name)
{
    if (!ix->nslots)
        return -1;
    size_t mask = ix->nslots - 1;
    for (size_t i = el_name_hash(name) & mask;; i = (i + 1) & mask) {
        unsigned v = ix->slots[i];
        if (!v)
            return -1;
        if (strcmp(ix->names[v - 1], name) == 0)
            return (long)v - 1;
    }
}

/* Puts number k (names[k]) into a table of nslots slots. */
static void slot_put(unsigned *slots, size_t nslots, char *const *names, unsigned k)
{
    size_t mask = nslots - 1;
    size_t i = el_name_hash(names[k]) & mask;
    while (slots[i])
        i = (i + 1) & mask;
    slots[i] = k + 1;
}

/* The number of `name`, given one if it has none yet. */
static ecrlint_status name_number(el_name_index *ix, size_t *cap, char *name, unsigned *out)
{
    long k = el_name_lookup(ix, name);
    if (k >= 0) {
        *out = (unsigned)k;
        return ECRLINT_OK;
    }
    if (!el_grow(&ix->names, cap, ix->n + 1, sizeof *ix->names, 16))
        return ECRLINT_ERR_NOMEM;
    if (2 * (ix->n + 1) >= ix->nslots) { /* at most half full: rehash into twice the room */
        size_t nslots = ix->nslots ? ix->nslots * 2 : 32;
        unsigned *slots = el_calloc(nslots, sizeof *slots);
        if (!slots)
            return ECRLINT_ERR_NOMEM;
        for (unsigned i = 0; i < ix->n; i++)
            slot_put(slots, nslots, ix->names, i);
        el_free(ix->slots);
        ix->slots = slots;
        ix->nslots = nslots;
    }
    ix->names[ix->n] = name;
    slot_put(ix->slots, ix->nslots, ix->names, (unsigned)ix->n);
    *out = (unsigned)ix->n++;
    return ECRLINT_OK;
}

/* The detect sets' names are numbered first, so that they get the numbers below 64 (and each
 * set a one-step mask) however many operations the packs define; then the inputs' members. */
ecrlint_status el_name_index_build(el_ruleset *rs)
{
    ecrlint_status st;
    size_t cap = 0;
    for (size_t i = 0; i < rs->nops; i++) {
        el_operation *op = &rs->ops[i];
        for (size_t j = 0; j < op->ndetects; j++) {
            el_detect *d = &op->detects[j];
            d->ids = el_calloc(d->nmembers + 1, sizeof *d->ids);
            if (!d->ids)
                return ECRLINT_ERR_NOMEM;
            d->narrow = true;
            d->mask = 0;
            for (size_t k = 0; k < d->nmembers; k++) {
                st = name_number(&rs->top, &cap, d->members[k], &d->ids[k]);
                if (st)
                    return st;
                if (d->ids[k] < 64)
                    d->mask |= (uint64_t)1 << d->ids[k];
                else
                    d->narrow = false;
            }
        }
    }
    for (size_t i = 0; i < rs->nops; i++) {
        el_operation *op = &rs->ops[i];
        const el_shape *in = op->input;
        op->member_ids = el_calloc(in->nmembers + 1, sizeof *op->member_ids);
        if (!op->member_ids)
            return ECRLINT_ERR_NOMEM;
        for (size_t j = 0; j < in->nmembers; j++) {
            st = name_number(&rs->top, &cap, in->members[j].name, &op->member_ids[j]);
            if (st)
                return st;
        }
    }
    return ECRLINT_OK;
}
