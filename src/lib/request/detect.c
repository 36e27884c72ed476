/* detect.c - which operation a JSON body is, in automatic mode (documented in README.md,
 * "How ecrlint recognises a file").
 *
 * Each operation's pack lists member sets that select it ("detect"), with priorities: a
 * member only one operation has (acceptedMediaTypes, maxResults) outranks members several
 * share (repositoryName + imageIds). Ties are broken by the file name (batch-get-image.json).
 * A body whose top-level members are mostly unknown to the chosen operation is not taken for a
 * request at all: a deployment config that happens to have a repositoryName stays skipped. */
#include <ctype.h>
#include <string.h>

#include "request/el_request.h"
#include "rules/el_rules.h"

/* The top-level member names, gathered once and numbered by the ruleset's name index (-1: a
 * name no operation has), so that each operation's members are compared by number, not by name. */
#define FEW_KEYS 16

typedef struct keyset {
    const json_t *root;
    const char *keys[FEW_KEYS];
    long ids[FEW_KEYS];
    uint64_t mask; /* the bits of the numbers below 64 */
    size_t n;
    bool many; /* more than FEW_KEYS: ask the object by name */
} keyset;

static void keyset_init(keyset *ks, const el_ruleset *rs, const json_t *root)
{
    ks->root = root;
    ks->n = 0;
    ks->mask = 0;
    ks->many = json_object_size(root) > FEW_KEYS;
    if (ks->many)
        return;
    for (void *it = json_object_iter((json_t *)root); it;
         it = json_object_iter_next((json_t *)root, it)) {
        ks->keys[ks->n] = json_object_iter_key(it);
        long id = el_name_lookup(&rs->top, ks->keys[ks->n]);
        ks->ids[ks->n++] = id;
        if (id >= 0 && id < 64)
            ks->mask |= (uint64_t)1 << id;
    }
}

/* Is member j of detect set d present? */
static bool has(const keyset *ks, const el_detect *d, size_t j)
{
    if (ks->many)
        return json_object_get(ks->root, d->members[j]) != NULL;
    for (size_t i = 0; i < ks->n; i++)
        if (ks->ids[i] == (long)d->ids[j])
            return true;
    return false;
}

/* Does the body have all (or any) of d's members? */
static bool fits(const keyset *ks, const el_detect *d)
{
    if (d->narrow && !ks->many) /* every member has a bit: all compared at once */
        return d->all ? (ks->mask & d->mask) == d->mask : (ks->mask & d->mask) != 0;
    for (size_t j = 0; j < d->nmembers; j++) {
        bool h = has(ks, d, j);
        if (d->all && !h)
            return false; /* all: the first one missing decides */
        if (!d->all && h)
            return true; /* any: the first one present decides */
    }
    return d->all;
}

/* The highest priority of op's member sets that the body has, or -1; sets below `floor` (an
 * operation already fits better) are not looked at. */
static int match_priority(const el_operation *op, const keyset *root, int floor)
{
    int best = -1;
    for (size_t i = 0; i < op->ndetects; i++) {
        const el_detect *d = &op->detects[i];
        if (d->priority <= best || d->priority < floor)
            continue; /* it could not change the answer */
        if (fits(root, d))
            best = d->priority;
    }
    return best;
}

/* Does the (lower-cased) file name mention the operation ("describe-images", ...)? */
static bool name_hint(const el_operation *op, const char *lower)
{
    for (size_t i = 0; i < op->nname_hints; i++)
        if (strstr(lower, op->name_hints[i]))
            return true;
    return false;
}

static bool is_member(const el_operation *op, const char *key)
{
    for (size_t i = 0; i < op->input->nmembers; i++)
        if (op->input->members[i].name[0] == key[0] && strcmp(op->input->members[i].name, key) == 0)
            return true;
    return false;
}

static bool is_member_id(const el_operation *op, long id)
{
    if (id < 0)
        return false;
    for (size_t i = 0; i < op->input->nmembers; i++)
        if (op->member_ids[i] == (unsigned long)id)
            return true;
    return false;
}

static bool mostly_known(const el_operation *op, const keyset *ks)
{
    size_t known = 0, unknown = 0;
    if (ks->many) {
        const char *key;
        const json_t *v;
        json_object_foreach((json_t *)ks->root, key, v) {
            if (is_member(op, key))
                known++;
            else
                unknown++;
        }
    } else {
        for (size_t i = 0; i < ks->n; i++) {
            if (is_member_id(op, ks->ids[i]))
                known++;
            else
                unknown++;
        }
    }
    return known > 0 && unknown <= known;
}

const el_operation *el_detect_operation(const el_ruleset *rs, const json_t *root,
                                        const char *path, const char **reason, bool *ambiguous)
{
    *ambiguous = false;
    *reason = "no members of an ECR request, response or manifest";
    const el_operation *best = NULL;
    int best_p = -1;
    size_t ties = 0;
    const el_operation *tied[16];
    keyset ks;
    keyset_init(&ks, rs, root);
    for (size_t i = 0; i < rs->nops; i++) {
        const el_operation *op = &rs->ops[i];
        int p = match_priority(op, &ks, best_p);
        if (p < 0 || p < best_p)
            continue;
        if (p > best_p) {
            best = op;
            best_p = p;
            ties = 0;
        }
        if (ties < sizeof tied / sizeof tied[0])
            tied[ties++] = op;
    }
    if (!best)
        return NULL;
    if (ties > 1) {
        /* Equals: the file name decides, else the first is assumed and that is said. */
        char lower[512];
        size_t n = 0;
        for (const char *p = path ? path : ""; *p && n + 1 < sizeof lower; p++)
            lower[n++] = (char)tolower((unsigned char)*p);
        lower[n] = '\0';
        *ambiguous = true;
        for (size_t i = 0; i < ties; i++)
            if (name_hint(tied[i], lower)) {
                best = tied[i];
                *ambiguous = false;
                break;
            }
    }
    if (!mostly_known(best, &ks)) {
        *ambiguous = false;
        *reason = "most top-level members are not those of an ECR request or response";
        return NULL;
    }
    return best;
}

/* ---- operations named explicitly --------------------------------------------------------- */

/* Compares operation names ignoring case, '-' and '_': "batch-get-image" as the AWS CLI spells it
 * names BatchGetImage. */
static bool same_operation(const char *a, const char *b)
{
    for (;;) {
        while (*a == '-' || *a == '_')
            a++;
        while (*b == '-' || *b == '_')
            b++;
        if (!*a || !*b)
            return *a == *b;
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return false;
        a++;
        b++;
    }
}

const el_operation *el_operation_by_name(const el_ruleset *rs, const char *name)
{
    const el_operation *op = el_ruleset_operation(rs, name);
    for (size_t i = 0; !op && i < rs->nops; i++)
        if (same_operation(rs->ops[i].name, name))
            op = &rs->ops[i];
    return op;
}

/* Looks up the operation an X-Amz-Target header names. */
const el_operation *el_operation_for_target(const el_ruleset *rs, const char *t, size_t len)
{
    for (size_t i = 0; i < rs->nops; i++) {
        const char *target = rs->ops[i].target;
        if (target && strlen(target) == len && memcmp(target, t, len) == 0)
            return &rs->ops[i];
    }
    return NULL;
}
