/* pv_engine.c - the evaluation of a lifecycle policy over images, as ECR documents it
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html, "How
 * lifecycle policies work"):
 *
 * 1. the match set of a rule: the images of its storage class that its tag status and list
 *    select (every entry of the list matches at least one tag of the image);
 * 2. an image is decided by the first rule, in rulePriority order, whose match set holds it:
 *    it gets that rule's action when the rule marks it, and nothing otherwise (a lower rule
 *    never acts on an image a higher rule selects, though it counts it);
 * 3. imageCountMoreThan N marks the images of the match set after the N newest by push time;
 *    the since... types mark those whose reference time is strictly before now - N days;
 * 4. an image that an index or manifest list still references is not acted on.
 *
 * The images are sorted once (newest first) for all the count rules: O(n log n + n * rules). */
#include <string.h>

#include "lifecycle/el_lifecycle.h"
#include "preview/el_preview.h"
#include "util/el_alloc.h"
#include "util/el_text.h"

static bool entry_matches(const el_pv_rule *r, const char *entry, const el_pv_image *im)
{
    size_t len = r->patterns ? 0 : strlen(entry);
    for (uint32_t t = 0; t < im->ntags; t++) {
        if (r->patterns ? el_lc_glob_match(entry, im->tags[t])
                        : strncmp(im->tags[t], entry, len) == 0)
            return true;
    }
    return false;
}

bool el_pv_selects(const el_pv_rule *r, const el_pv_image *im)
{
    if (im->status == EL_PV_ACTIVATING)
        return false;
    el_pv_storage sc = im->status == EL_PV_ARCHIVED ? EL_PV_ARCHIVE : EL_PV_STANDARD;
    if (sc != r->storage)
        return false;
    switch (r->tag_status) {
    case EL_PV_ANY:
        return true;
    case EL_PV_UNTAGGED:
        return im->ntags == 0;
    case EL_PV_TAGGED:
        break;
    }
    if (im->ntags == 0)
        return false;
    for (size_t e = 0; e < r->ntags; e++)
        if (!entry_matches(r, r->tags[e], im))
            return false;
    return true;
}

/* The push time that orders images and that sinceImagePushed measures: lastActivatedAt for an
 * image restored from archive, imagePushedAt otherwise. */
static int64_t push_time(const el_pv_image *im)
{
    if (im->status == EL_PV_ACTIVE && im->activated != EL_PV_NO_TIME &&
        (im->pushed == EL_PV_NO_TIME || im->activated > im->pushed))
        return im->activated;
    return im->pushed;
}

/* The reference time of sinceImagePulled: the later of the last recorded pull and the restore
 * from archive, else the push time. */
static int64_t pull_time(const el_pv_image *im)
{
    int64_t t = im->pulled;
    if (im->status == EL_PV_ACTIVE && im->activated != EL_PV_NO_TIME &&
        (t == EL_PV_NO_TIME || im->activated > t))
        t = im->activated;
    return t != EL_PV_NO_TIME ? t : im->pushed;
}

typedef struct order_item {
    int64_t key;
    const char *digest;
    size_t index;
} order_item;

/* rules by rulePriority */
static int by_key_up(const void *a, const void *b)
{
    const order_item *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* images newest first; the same time: the smaller digest first (counted as the newer); images
 * without a push time last */
static int by_push_down(const void *a, const void *b)
{
    const order_item *x = a, *y = b;
    if (x->key != y->key)
        return x->key > y->key ? -1 : 1;
    int c = strcmp(x->digest, y->digest);
    if (c)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

static int by_parent(const void *a, const void *b)
{
    const el_pv_edge *x = a, *y = b;
    if (x->parent != y->parent)
        return x->parent < y->parent ? -1 : 1;
    return x->child < y->child ? -1 : x->child > y->child;
}

static ecrlint_status missing_field(el_pv_missing *m, size_t image, size_t rule, const char *field)
{
    if (m) {
        m->image = image;
        m->rule = rule;
        m->field = field;
    }
    return ECRLINT_ERR_USAGE;
}

/* The time before which a since... rule marks: now - n days; false when that is before any
 * time the images can carry (years 1 to 9999: el_pv_time_parse), so that nothing is marked. */
static bool threshold(int64_t now, int64_t days, int64_t *out)
{
    if (days < 0 || days > 4000000)
        return false;
    *out = now - days * EL_PV_DAY;
    return true;
}

/* An index that stays keeps its children: one not among the images, or one that this
 * evaluation neither expires nor archives and that is not archived already. */
static bool parent_stays(const el_pv_image *images, int32_t p)
{
    if (p < 0)
        return true;
    const el_pv_image *im = &images[p];
    bool acted = im->rule >= 0 && im->action != EL_PV_KEEP && !im->held_by;
    return !acted && im->status != EL_PV_ARCHIVED;
}

static bool acts(const el_pv_image *im)
{
    return im->rule >= 0 && im->action != EL_PV_KEEP && !im->held_by;
}

/* Holds back the actions on children of indexes that stay; an index held back in turn keeps
 * its own children (nested indexes), through a work list: each image is held back once. */
static ecrlint_status guard_children(el_pv_image *images, size_t n, const el_pv_edge *edges,
                                     size_t nedges)
{
    if (!nedges)
        return ECRLINT_OK;
    el_pv_edge *by_p = el_malloc(nedges * sizeof *by_p);
    size_t *work = el_malloc(n * sizeof *work);
    if (!by_p || !work) {
        el_free(by_p);
        el_free(work);
        return ECRLINT_ERR_NOMEM;
    }
    memcpy(by_p, edges, nedges * sizeof *by_p);
    el_sort(by_p, nedges, sizeof *by_p, by_parent);
    size_t nwork = 0;
    for (size_t e = 0; e < nedges; e++) {
        el_pv_image *c = &images[edges[e].child];
        if (acts(c) && parent_stays(images, edges[e].parent)) {
            c->held_by = edges[e].parent_digest;
            work[nwork++] = (size_t)edges[e].child;
        }
    }
    while (nwork) {
        int32_t p = (int32_t)work[--nwork];
        /* the first edge of parent p */
        size_t lo = 0, hi = nedges;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (by_p[mid].parent < p)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t e = lo; e < nedges && by_p[e].parent == p; e++) {
            el_pv_image *c = &images[by_p[e].child];
            if (acts(c) && parent_stays(images, p)) {
                c->held_by = by_p[e].parent_digest;
                work[nwork++] = (size_t)by_p[e].child;
            }
        }
    }
    el_free(by_p);
    el_free(work);
    return ECRLINT_OK;
}

ecrlint_status el_pv_evaluate(const el_pv_rule *rules, size_t nrules, el_pv_image *images, size_t n,
                              const el_pv_edge *edges, size_t nedges, int64_t now,
                              el_pv_missing *missing)
{
    order_item *ord = nrules ? el_malloc(nrules * sizeof *ord) : NULL;
    if (nrules && !ord)
        return ECRLINT_ERR_NOMEM;
    bool any_count = false;
    for (size_t k = 0; k < nrules; k++) {
        ord[k] = (order_item){rules[k].priority, NULL, k};
        any_count |= rules[k].count_type == EL_PV_COUNT_MORE_THAN;
    }
    el_sort(ord, nrules, sizeof *ord, by_key_up);

    /* 2. the deciding rule of each image, and the time-based marks */
    ecrlint_status st = ECRLINT_OK;
    for (size_t i = 0; i < n && !st; i++) {
        el_pv_image *im = &images[i];
        im->rule = -1;
        im->action = EL_PV_KEEP;
        im->held_by = NULL;
        for (size_t o = 0; o < nrules; o++) {
            if (el_pv_selects(&rules[ord[o].index], im)) {
                im->rule = (int32_t)ord[o].index;
                break;
            }
        }
        if (im->rule < 0)
            continue;
        size_t k = (size_t)im->rule;
        const el_pv_rule *r = &rules[k];
        int64_t ref = EL_PV_NO_TIME, limit;
        switch (r->count_type) {
        case EL_PV_COUNT_MORE_THAN:
            continue;
        case EL_PV_SINCE_PUSHED:
            ref = push_time(im);
            if (ref == EL_PV_NO_TIME)
                st = missing_field(missing, i, k, "imagePushedAt");
            break;
        case EL_PV_SINCE_PULLED:
            ref = pull_time(im);
            if (ref == EL_PV_NO_TIME)
                st = missing_field(missing, i, k, "lastRecordedPullTime or imagePushedAt");
            break;
        case EL_PV_SINCE_TRANSITIONED:
            ref = im->archived;
            if (ref == EL_PV_NO_TIME)
                st = missing_field(missing, i, k, "lastArchivedAt");
            break;
        }
        if (!st && threshold(now, r->count_number, &limit) && ref < limit)
            im->action = r->action;
    }

    /* 3. imageCountMoreThan: one order, newest first, walked once per count rule */
    if (!st && any_count && n) {
        order_item *imgs = el_malloc(n * sizeof *imgs);
        if (!imgs) {
            st = ECRLINT_ERR_NOMEM;
        } else {
            for (size_t i = 0; i < n; i++)
                imgs[i] = (order_item){push_time(&images[i]), images[i].digest, i};
            el_sort(imgs, n, sizeof *imgs, by_push_down);
            for (size_t o = 0; o < nrules && !st; o++) {
                size_t k = ord[o].index;
                const el_pv_rule *r = &rules[k];
                if (r->count_type != EL_PV_COUNT_MORE_THAN)
                    continue;
                int64_t seen = 0;
                for (size_t j = 0; j < n; j++) {
                    el_pv_image *im = &images[imgs[j].index];
                    if (!el_pv_selects(r, im))
                        continue;
                    if (imgs[j].key == EL_PV_NO_TIME) {
                        st = missing_field(missing, imgs[j].index, k, "imagePushedAt");
                        break;
                    }
                    if (++seen > r->count_number && im->rule == (int32_t)k)
                        im->action = r->action;
                }
            }
            el_free(imgs);
        }
    }
    el_free(ord);

    /* 4. the children of indexes that stay */
    if (!st)
        st = guard_children(images, n, edges, nedges);
    return st;
}
