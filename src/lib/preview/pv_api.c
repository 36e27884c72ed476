/* pv_api.c - the public API of the lifecycle preview (ecrlint_preview_*): the policy, the
 * images, the run, the report order, the GetLifecyclePolicyPreview response and the findings
 * of --protect. */
#include <stdio.h>
#include <string.h>

#include "preview/el_preview.h"
#include "report/el_result.h"
#include "rules/el_engine.h"
#include "rules/el_rules.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_error.h"
#include "util/el_json.h"
#include "util/el_text.h"

#define PROTECT_RULE "ECR9001"

struct ecrlint_preview {
    const ecrlint_engine *engine;
    el_pv_pool pool;
    const char *source;
    const char *policy_text;
    el_pv_rule *rules; /* in rulePriority order */
    ecrlint_preview_rule *pub_rules;
    size_t nrules;
    char **protect;
    size_t nprotect, cap_protect;
    el_pv_images images;
    bool ran;
    ecrlint_preview_image *pub; /* report order */
    int32_t *pub_entry;         /* each one's index in its file's imageDetails, or -1 */
    ecrlint_preview_summary sum;
};

int ecrlint_time_parse(const char *text, long long *usec)
{
    int64_t t;
    if (!usec || !el_pv_time_parse(text, &t))
        return 0;
    *usec = t;
    return 1;
}

static int by_priority(const void *a, const void *b)
{
    const el_pv_rule *x = a, *y = b;
    return x->priority < y->priority ? -1 : x->priority > y->priority;
}

static const char *const TAG_STATUS[] = {"tagged", "untagged", "any"};
static const char *const COUNT_TYPE[] = {"imageCountMoreThan", "sinceImagePushed",
                                         "sinceImagePulled", "sinceImageTransitioned"};
static const char *const STORAGE[] = {"standard", "archive"};

static ecrlint_status describe_rules(ecrlint_preview *p)
{
    p->pub_rules = el_pv_pool_alloc(&p->pool, p->nrules * sizeof *p->pub_rules);
    if (!p->pub_rules)
        return ECRLINT_ERR_NOMEM;
    for (size_t i = 0; i < p->nrules; i++) {
        const el_pv_rule *r = &p->rules[i];
        ecrlint_preview_rule *o = &p->pub_rules[i];
        memset(o, 0, sizeof *o);
        o->priority = r->priority;
        o->description = r->description;
        o->tag_status = TAG_STATUS[r->tag_status];
        o->tag_patterns = r->patterns;
        o->storage_class = STORAGE[r->storage];
        o->count_type = COUNT_TYPE[r->count_type];
        o->count_number = r->count_number;
        o->action = r->action == EL_PV_EXPIRE ? ECRLINT_PREVIEW_EXPIRE : ECRLINT_PREVIEW_TRANSITION;
        if (r->ntags) {
            el_buf b;
            el_buf_init(&b);
            for (size_t t = 0; t < r->ntags; t++) {
                if (t)
                    el_buf_puts(&b, ", ");
                el_buf_puts(&b, r->tags[t]);
            }
            o->tag_list = b.failed ? NULL : el_pv_pool_strdup(&p->pool, b.data, b.len);
            bool failed = b.failed || !o->tag_list;
            el_buf_free(&b);
            if (failed)
                return ECRLINT_ERR_NOMEM;
        }
    }
    return ECRLINT_OK;
}

/* The policy file as the checker reads it (input/driver.c), so that a policy it accepts is one
 * the preview reads: past a byte-order mark, the last of duplicate names, NUL escapes allowed,
 * and valid JSON that jansson cannot hold (a number beyond its range, an unpaired surrogate,
 * nesting past the default depth limit) rewritten by el_json_relax. */
static json_t *load_policy(const char *text, size_t len, json_error_t *jerr, bool *oom)
{
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    json_t *doc = el_json_loadb(text, len, JSON_ALLOW_NUL, jerr, oom);
    if (doc || *oom)
        return doc;
    el_json_relax_notes notes;
    char *relaxed = el_json_relax(text, len, ECRLINT_DEFAULT_MAX_DEPTH, &notes);
    if (!relaxed) {
        *oom = true;
        return NULL;
    }
    size_t n = 0;
    for (int k = 0; k < EL_RELAX_KINDS; k++)
        n += notes.count[k];
    json_error_t again;
    if (n && (doc = el_json_loadb(relaxed, len, JSON_ALLOW_NUL, &again, oom)) == NULL && !*oom)
        *jerr = again;
    el_free(relaxed);
    return doc;
}

ecrlint_preview *ecrlint_preview_new(const ecrlint_engine *engine, const char *source,
                                     const char *text, size_t len, ecrlint_error *err)
{
    if (!source)
        source = "-";
    if (!text) {
        el_error_set(err, ECRLINT_ERR_USAGE, source, 0, 0, "no policy text");
        return NULL;
    }
    ecrlint_preview *p = el_calloc(1, sizeof *p);
    if (!p) {
        el_error_set(err, ECRLINT_ERR_NOMEM, source, 0, 0, "out of memory");
        return NULL;
    }
    p->engine = engine;
    json_error_t jerr;
    bool no_mem = false;
    json_t *doc = NULL, *policy = NULL;
    ecrlint_status st = ECRLINT_OK;
    if (!(p->source = el_pv_pool_strdup(&p->pool, source, strlen(source)))) {
        st = el_error_set(err, ECRLINT_ERR_NOMEM, source, 0, 0, "out of memory");
    } else if (!(doc = load_policy(text, len, &jerr, &no_mem))) {
        st = no_mem ? el_error_set(err, ECRLINT_ERR_NOMEM, source, 0, 0, "out of memory")
                    : el_error_set(err, ECRLINT_ERR_USAGE, source, jerr.line, jerr.column,
                                   "not JSON: %s", jerr.text);
    } else if (!(st = el_pv_policy_find(doc, &p->pool, &p->policy_text, &policy, err, source)) &&
               !(st = el_pv_policy_rules(policy, &p->pool, &p->rules, &p->nrules, err, source))) {
        if (!p->policy_text) { /* the file is the policy: its text, without the last newline */
            size_t n = len;
            while (n && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
                n--;
            p->policy_text = el_pv_pool_strdup(&p->pool, text, n);
        }
        el_sort(p->rules, p->nrules, sizeof *p->rules, by_priority);
        if (!p->policy_text || describe_rules(p))
            st = el_error_set(err, ECRLINT_ERR_NOMEM, source, 0, 0, "out of memory");
    }
    json_decref(policy);
    json_decref(doc);
    if (st) {
        ecrlint_preview_free(p);
        return NULL;
    }
    return p;
}

ecrlint_status ecrlint_preview_protect(ecrlint_preview *p, const char *pattern, ecrlint_error *err)
{
    if (!p || !pattern || !*pattern)
        return el_error_set(err, ECRLINT_ERR_USAGE, "--protect", 0, 0, "an empty pattern");
    if (!el_grow(&p->protect, &p->cap_protect, p->nprotect + 1, sizeof *p->protect, 4) ||
        !(p->protect[p->nprotect] = el_strdup(pattern)))
        return el_error_set(err, ECRLINT_ERR_NOMEM, "--protect", 0, 0, "out of memory");
    p->nprotect++;
    return ECRLINT_OK;
}

ecrlint_status ecrlint_preview_add_images(ecrlint_preview *p, const char *source, const char *buf,
                                          size_t len, ecrlint_error *err)
{
    if (!p || !buf || p->ran)
        return el_error_set(err, ECRLINT_ERR_USAGE, source, 0, 0,
                            "images are added to a preview before it runs");
    return el_pv_images_read(&p->images, &p->pool, source, buf, len, err);
}

typedef struct by_digest_item {
    const char *digest;
    size_t index;
} by_digest_item;

static int by_digest(const void *a, const void *b)
{
    const by_digest_item *x = a, *y = b;
    int c = strcmp(x->digest, y->digest);
    return c ? c : x->index < y->index ? -1 : x->index > y->index;
}

static long find_digest(const by_digest_item *d, size_t n, const char *digest)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(d[mid].digest, digest);
        if (c == 0)
            return (long)d[mid].index;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* the children of indexes, as image indexes (children not among the images are dropped) */
static ecrlint_status resolve(ecrlint_preview *p, by_digest_item *d, el_pv_edge **edges,
                              size_t *nedges, ecrlint_error *err)
{
    el_pv_images *im = &p->images;
    for (size_t i = 0; i < im->n; i++)
        d[i] = (by_digest_item){im->items[i].digest, i};
    el_sort(d, im->n, sizeof *d, by_digest);
    for (size_t i = 1; i < im->n; i++) {
        if (strcmp(d[i - 1].digest, d[i].digest) == 0) {
            const el_pv_image *a = &im->items[d[i - 1].index], *b = &im->items[d[i].index];
            return el_error_set(err, ECRLINT_ERR_USAGE, im->sources[b->source], b->line, b->column,
                                "image %s appears twice (first at %s:%d:%d)", b->digest,
                                im->sources[a->source], a->line, a->column);
        }
    }
    *edges = NULL;
    *nedges = 0;
    if (!im->nrefs)
        return ECRLINT_OK;
    el_pv_edge *e = el_malloc(im->nrefs * sizeof *e);
    if (!e)
        return el_error_set(err, ECRLINT_ERR_NOMEM, p->source, 0, 0, "out of memory");
    size_t k = 0;
    for (size_t r = 0; r < im->nrefs; r++) {
        long c = find_digest(d, im->n, im->refs[r].child);
        if (c < 0)
            continue;
        long par = find_digest(d, im->n, im->refs[r].parent);
        e[k++] = (el_pv_edge){(int32_t)c, (int32_t)par, im->refs[r].parent};
    }
    *edges = e;
    *nedges = k;
    return ECRLINT_OK;
}

typedef struct order_key {
    int group; /* 0 acted on, 1 held back, 2 kept */
    size_t rule;
    int64_t pushed;
    const char *digest;
    size_t index;
} order_key;

static int by_report_order(const void *a, const void *b)
{
    const order_key *x = a, *y = b;
    if (x->group != y->group)
        return x->group - y->group;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1;
    if (x->pushed != y->pushed)
        return x->pushed < y->pushed ? -1 : 1;
    int c = strcmp(x->digest, y->digest);
    return c ? c : x->index < y->index ? -1 : x->index > y->index;
}

static void protect_hit(const ecrlint_preview *p, ecrlint_preview_image *o)
{
    for (size_t t = 0; t < o->ntags; t++)
        for (size_t k = 0; k < p->nprotect; k++)
            if (el_glob_match(p->protect[k], o->tags[t], true)) {
                o->protected_pattern = p->protect[k];
                o->protected_tag = o->tags[t];
                return;
            }
}

ecrlint_status ecrlint_preview_run(ecrlint_preview *p, long long now, ecrlint_error *err)
{
    if (!p || p->ran)
        return el_error_set(err, ECRLINT_ERR_USAGE, NULL, 0, 0, "a preview runs once");
    p->ran = true;
    el_pv_images *im = &p->images;
    size_t n = im->n;
    by_digest_item *d = el_malloc((n ? n : 1) * sizeof *d);
    if (!d)
        return el_error_set(err, ECRLINT_ERR_NOMEM, p->source, 0, 0, "out of memory");
    el_pv_edge *edges = NULL;
    size_t nedges = 0;
    ecrlint_status st = resolve(p, d, &edges, &nedges, err);
    el_free(d);
    if (st)
        return st;
    el_pv_missing miss = {0, 0, NULL};
    st = el_pv_evaluate(p->rules, p->nrules, im->items, n, edges, nedges, now, &miss);
    el_free(edges);
    if (st == ECRLINT_ERR_USAGE) {
        const el_pv_image *x = &im->items[miss.image];
        return el_error_set(err, st, im->sources[x->source], x->line, x->column,
                            "image %s has no %s, which rule %lld (%s) needs", x->digest, miss.field,
                            (long long)p->rules[miss.rule].priority,
                            COUNT_TYPE[p->rules[miss.rule].count_type]);
    }
    if (st)
        return el_error_set(err, st, p->source, 0, 0, "out of memory");

    order_key *keys = el_malloc((n ? n : 1) * sizeof *keys);
    p->pub = el_malloc((n ? n : 1) * sizeof *p->pub);
    p->pub_entry = el_malloc((n ? n : 1) * sizeof *p->pub_entry);
    if (!keys || !p->pub || !p->pub_entry) {
        el_free(keys);
        return el_error_set(err, ECRLINT_ERR_NOMEM, p->source, 0, 0, "out of memory");
    }
    memset(&p->sum, 0, sizeof p->sum);
    p->sum.images = n;
    for (size_t i = 0; i < n; i++) {
        const el_pv_image *x = &im->items[i];
        bool acted = x->rule >= 0 && x->action != EL_PV_KEEP;
        keys[i] = (order_key){acted ? (x->held_by ? 1 : 0) : 2, acted ? (size_t)x->rule : 0,
                              x->pushed, x->digest, i};
    }
    el_sort(keys, n, sizeof *keys, by_report_order);
    for (size_t k = 0; k < n; k++) {
        const el_pv_image *x = &im->items[keys[k].index];
        ecrlint_preview_image *o = &p->pub[k];
        memset(o, 0, sizeof *o);
        o->digest = x->digest;
        o->tags = x->tags;
        o->ntags = x->ntags;
        o->pushed_at = x->pushed;
        o->storage_class = x->status == EL_PV_ARCHIVED ? "ARCHIVE" : "STANDARD";
        o->rule = x->rule >= 0 ? (size_t)x->rule : (size_t)-1;
        o->source = im->sources[x->source];
        o->line = x->line;
        o->column = x->column;
        p->pub_entry[k] = x->index;
        if (keys[k].group == 1) {
            o->held_by = x->held_by;
            p->pub_rules[x->rule].held++;
            p->sum.held++;
        } else if (keys[k].group == 0) {
            o->action =
                x->action == EL_PV_EXPIRE ? ECRLINT_PREVIEW_EXPIRE : ECRLINT_PREVIEW_TRANSITION;
            p->pub_rules[x->rule].acted++;
            if (o->action == ECRLINT_PREVIEW_EXPIRE) {
                p->sum.expire++;
                protect_hit(p, o);
                p->sum.protected_expired += o->protected_tag != NULL;
            } else {
                p->sum.transition++;
            }
        }
    }
    p->sum.kept = n - p->sum.expire - p->sum.transition;
    el_free(keys);
    return ECRLINT_OK;
}

size_t ecrlint_preview_rule_count(const ecrlint_preview *p)
{
    return p ? p->nrules : 0;
}

const ecrlint_preview_rule *ecrlint_preview_rule_at(const ecrlint_preview *p, size_t i)
{
    return p && i < p->nrules ? &p->pub_rules[i] : NULL;
}

size_t ecrlint_preview_image_count(const ecrlint_preview *p)
{
    return p && p->pub ? p->images.n : 0;
}

const ecrlint_preview_image *ecrlint_preview_image_at(const ecrlint_preview *p, size_t i)
{
    return i < ecrlint_preview_image_count(p) ? &p->pub[i] : NULL;
}

void ecrlint_preview_get_summary(const ecrlint_preview *p, ecrlint_preview_summary *out)
{
    if (p)
        *out = p->sum;
    else
        memset(out, 0, sizeof *out);
}

size_t ecrlint_preview_source_count(const ecrlint_preview *p)
{
    return p ? p->images.nsources : 0;
}

/* ---- the GetLifecyclePolicyPreview response ------------------------------------------ */

typedef struct out {
    el_buf b;
    ecrlint_write_fn write;
    void *ud;
    bool io_failed;
} out;

static void flush(out *o, bool force)
{
    if (o->b.failed || o->io_failed || (!force && o->b.len < 65536))
        return;
    if (o->b.len && o->write(o->b.data, o->b.len, o->ud) != 0)
        o->io_failed = true;
    el_buf_reset(&o->b);
}

static void member(out *o, const char *indent, const char *name)
{
    el_buf_puts(&o->b, indent);
    el_buf_json_string(&o->b, name, strlen(name));
    el_buf_puts(&o->b, ": ");
}

static void time_member(out *o, const char *indent, const char *name, int64_t t)
{
    char text[40];
    member(o, indent, name);
    el_buf_puts(&o->b, el_pv_time_epoch(t, text));
}

ecrlint_status ecrlint_preview_write_json(const ecrlint_preview *p, ecrlint_write_fn write,
                                          void *ud, ecrlint_error *err)
{
    if (!p || !p->pub || !write)
        return el_error_set(err, ECRLINT_ERR_USAGE, NULL, 0, 0,
                            "a preview is written after it ran, to a writer");
    out o = {.write = write, .ud = ud};
    el_buf_init(&o.b);
    el_buf_puts(&o.b, "{\n");
    const char *ids[] = {"registryId",          p->images.registry_id,
                         "repositoryName",      p->images.repository_name,
                         "lifecyclePolicyText", p->policy_text};
    for (size_t k = 0; k < 6; k += 2) {
        if (!ids[k + 1])
            continue;
        member(&o, "    ", ids[k]);
        el_buf_json_string(&o.b, ids[k + 1], strlen(ids[k + 1]));
        el_buf_puts(&o.b, ",\n");
    }
    el_buf_puts(&o.b, "    \"status\": \"COMPLETE\",\n    \"previewResults\": [");
    size_t acted = p->sum.expire + p->sum.transition;
    for (size_t i = 0; i < acted; i++) {
        const ecrlint_preview_image *x = &p->pub[i];
        el_buf_puts(&o.b, i ? ",\n        {\n" : "\n        {\n");
        if (x->ntags) {
            member(&o, "            ", "imageTags");
            el_buf_putc(&o.b, '[');
            for (size_t t = 0; t < x->ntags; t++) {
                if (t)
                    el_buf_puts(&o.b, ", ");
                el_buf_json_string(&o.b, x->tags[t], strlen(x->tags[t]));
            }
            el_buf_puts(&o.b, "],\n");
        }
        member(&o, "            ", "imageDigest");
        el_buf_json_string(&o.b, x->digest, strlen(x->digest));
        el_buf_puts(&o.b, ",\n");
        if (x->pushed_at != ECRLINT_NO_TIME) {
            time_member(&o, "            ", "imagePushedAt", x->pushed_at);
            el_buf_puts(&o.b, ",\n");
        }
        member(&o, "            ", "action");
        el_buf_puts(&o.b,
                    x->action == ECRLINT_PREVIEW_EXPIRE
                        ? "{\"type\": \"EXPIRE\"},\n"
                        : "{\"type\": \"TRANSITION\", \"targetStorageClass\": \"ARCHIVE\"},\n");
        member(&o, "            ", "appliedRulePriority");
        char num[EL_INT_TEXT];
        el_buf_puts(&o.b, el_fmt_int(num, p->rules[x->rule].priority));
        el_buf_puts(&o.b, ",\n");
        member(&o, "            ", "storageClass");
        el_buf_json_string(&o.b, x->storage_class, strlen(x->storage_class));
        el_buf_puts(&o.b, "\n        }");
        flush(&o, false);
    }
    el_buf_puts(&o.b, acted ? "\n    ],\n" : "],\n");
    el_buf_puts(&o.b, "    \"summary\": {\n        \"expiringImageTotalCount\": ");
    el_buf_put_uint(&o.b, p->sum.expire);
    el_buf_puts(&o.b, ",\n        \"transitioningImageTotalCounts\": [{\"targetStorageClass\": "
                      "\"ARCHIVE\", \"imageTotalCount\": ");
    el_buf_put_uint(&o.b, p->sum.transition);
    el_buf_puts(&o.b, "}]\n    }\n}\n");
    flush(&o, true);
    bool failed = o.b.failed, io = o.io_failed;
    el_buf_free(&o.b);
    if (failed)
        return el_error_set(err, ECRLINT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (io)
        return el_error_set(err, ECRLINT_ERR_IO, NULL, 0, 0, "the output could not be written");
    return ECRLINT_OK;
}

/* ---- the findings of --protect --------------------------------------------------------- */

/* The rule's message with its variables {image}, {tag}, {pattern} and {priority}. */
static bool protect_message(const el_rule *rule, const ecrlint_preview_image *x, long long priority,
                            el_buf *b)
{
    char num[EL_INT_TEXT];
    const char *names[] = {"image", "tag", "pattern", "priority"};
    const char *values[] = {x->digest, x->protected_tag, x->protected_pattern,
                            el_fmt_int(num, priority)};
    const el_tpl *t = &rule->message_tpl;
    if (!t->n)
        return el_buf_puts(b, rule->info.title);
    for (size_t i = 0; i < t->n; i++) {
        const el_tpl_part *part = &t->parts[i];
        const char *v = NULL;
        for (size_t k = 0; part->var && k < 4; k++)
            if (strlen(names[k]) == part->len - 2 &&
                memcmp(part->text + 1, names[k], part->len - 2) == 0)
                v = values[k];
        if (v)
            el_buf_puts(b, v);
        else
            el_buf_append(b, part->text, part->len);
    }
    return !b->failed;
}

ecrlint_status ecrlint_preview_findings(const ecrlint_preview *p, size_t i, ecrlint_result **result,
                                        ecrlint_error *err)
{
    *result = NULL;
    if (!p || !p->pub || i >= p->images.nsources)
        return el_error_set(err, ECRLINT_ERR_USAGE, NULL, 0, 0,
                            "findings of an images file of a preview that ran");
    const el_rule *rule = p->engine ? el_ruleset_find(p->engine->rs, PROTECT_RULE) : NULL;
    if (!rule)
        return el_error_set(err, ECRLINT_ERR_USAGE, NULL, 0, 0,
                            "the engine has no rule %s for the findings of --protect",
                            PROTECT_RULE);
    const char *path = p->images.sources[i];
    ecrlint_result *r = el_result_new(path, 0);
    if (!r)
        return el_error_set(err, ECRLINT_ERR_NOMEM, path, 0, 0, "out of memory");
    r->kind = ECRLINT_KIND_RESPONSE;
    bool ok = el_result_keep(r, &r->operation, "DescribeImages");
    el_buf msg, ptr;
    el_buf_init(&msg);
    el_buf_init(&ptr);
    for (size_t k = 0; ok && k < p->sum.expire + p->sum.transition; k++) {
        const ecrlint_preview_image *x = &p->pub[k];
        if (!x->protected_tag || x->source != path)
            continue;
        size_t tag = 0;
        while (x->tags[tag] != x->protected_tag)
            tag++;
        el_buf_reset(&msg);
        el_buf_reset(&ptr);
        if (p->pub_entry[k] >= 0)
            el_buf_printf(&ptr, "/imageDetails/%ld/imageTags/%zu", (long)p->pub_entry[k], tag);
        else
            el_buf_printf(&ptr, "/imageTags/%zu", tag);
        bool dropped = false;
        el_diag *dg = NULL;
        ok = protect_message(rule, x, p->rules[x->rule].priority, &msg) && !ptr.failed &&
             ((dg = el_result_add_diag(r, rule->info.id, rule->info.severity, ptr.data, msg.data,
                                       &dropped)) != NULL ||
              dropped);
        if (dg) {
            dg->placed = true;
            dg->pub.line = x->line;
            dg->pub.column = x->column;
        }
    }
    el_buf_free(&msg);
    el_buf_free(&ptr);
    if (!ok) {
        ecrlint_result_free(r);
        return el_error_set(err, ECRLINT_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    el_result_sort(r);
    *result = r;
    return ECRLINT_OK;
}

void ecrlint_preview_free(ecrlint_preview *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nprotect; i++)
        el_free(p->protect[i]);
    el_free(p->protect);
    el_free(p->pub);
    el_free(p->pub_entry);
    el_pv_images_free(&p->images);
    el_pv_pool_free(&p->pool);
    el_free(p);
}
