/* lc_schema.c - ECR's schema of a lifecycle policy, and the validator that walks it.
 *
 * ECR validates a policy text against a JSON schema with the java-json-tools
 * json-schema-validator (its messages are that library's English bundle, word for word), then
 * applies the rules between rules in code (lifecycle.c). The schema is not published; the one
 * below is the best fit to the documented grammar ("Lifecycle policy properties") and to the
 * answers users have reported:
 *   - `countUnit: null` in a selection fails with "instance failed to match exactly one schema
 *     (matched 0 out of 2)": the selection is a oneOf of two forms, one per kind of count, and
 *     countUnit lives only in the second;
 *   - `tagPatternList: null` and `tagPrefixList: null` fail with two type messages: the lists
 *     are plain {"type": "array"} properties of the selection, outside the oneOf;
 *   - `"action": {"type": "expire", "targetStorageClass": null}` fails with one oneOf message:
 *     the action is a oneOf of expire and transition.
 * Inferred, not observed (confidence low; each is one line below): that both forms of the
 * selection stay two since the archive storage class came (VARIANTS), where storageClass is
 * checked, the item type of the tag lists, that unknown top-level members are allowed, that
 * rulePriority has a minimum of 1 (the API model's LifecyclePolicyRulePriority).
 *
 * The walk is the library's (InstanceValidator): at each node, the keywords that apply to the
 * node's JSON type run in the order of their names (additionalProperties, enum, minimum, not,
 * oneOf, required, type); then, unless the report already holds a failure anywhere, the
 * members in the order of their names (Java's String order) and the items in order. A oneOf
 * validates each branch into a report of its own and adds one message.
 */
#include <stdint.h>
#include <string.h>

#include "lifecycle/lc_schema.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_json.h"
#include "util/el_text.h"

/* ---- the schema ------------------------------------------------------------------------------ */

#define NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})

static const lc_schema s_tag_entry = {.role = LC_TAG_ENTRY, .type = LC_T_STRING};
static const lc_schema s_tag_list = {
    .role = LC_TAG_LIST, .type = LC_T_ARRAY, .items = &s_tag_entry};
static const lc_schema s_tag_status = {.role = LC_TAG_STATUS,
                                       .enums = NAMES("tagged", "untagged", "any")};
static const lc_schema s_count_number = {
    .role = LC_COUNT_NUMBER, .type = LC_T_INTEGER, .has_minimum = true, .minimum = 1};
static const lc_schema s_count_type = {.role = LC_COUNT_TYPE};
static const lc_schema s_count_unit = {.role = LC_COUNT_UNIT};
static const lc_schema s_storage_class = {.role = LC_STORAGE_CLASS,
                                          .enums = NAMES("standard", "archive")};

/* The selection's two forms: a count of images, without countUnit; or an age in days. */
static const lc_schema s_has_count_unit = {.role = LC_SELECTION, .required = NAMES("countUnit")};
static const lc_schema s_count_images = {
    .role = LC_SELECTION,
    .props =
        (const lc_prop[]){{"countType", &(const lc_schema){.role = LC_COUNT_TYPE,
                                                           .enums = NAMES("imageCountMoreThan")}},
                          {NULL, NULL}},
    .not_schema = &s_has_count_unit};
static const lc_schema s_count_days = {
    .role = LC_SELECTION,
    .required = NAMES("countUnit"),
    .props = (const lc_prop[]){
        {"countType", &(const lc_schema){.role = LC_COUNT_TYPE,
                                         .enums = NAMES("sinceImagePushed", "sinceImagePulled",
                                                        "sinceImageTransitioned")}},
        {"countUnit", &(const lc_schema){.role = LC_COUNT_UNIT, .enums = NAMES("days")}},
        {NULL, NULL}}};
/* VARIANTS: the forms of the selection's oneOf; its message counts them. */
static const lc_schema *const selection_forms[] = {&s_count_images, &s_count_days, NULL};

static const lc_schema s_selection = {.role = LC_SELECTION,
                                      .type = LC_T_OBJECT,
                                      .required = NAMES("countNumber", "countType", "tagStatus"),
                                      .props = (const lc_prop[]){{"countNumber", &s_count_number},
                                                                 {"countType", &s_count_type},
                                                                 {"countUnit", &s_count_unit},
                                                                 {"storageClass", &s_storage_class},
                                                                 {"tagPatternList", &s_tag_list},
                                                                 {"tagPrefixList", &s_tag_list},
                                                                 {"tagStatus", &s_tag_status},
                                                                 {NULL, NULL}},
                                      .closed = true,
                                      .one_of = selection_forms};

/* The action's two forms: expire, with nothing else; transition, to the archive class. */
static const lc_schema s_expire = {
    .role = LC_ACTION,
    .required = NAMES("type"),
    .props = (const lc_prop[]){{"type", &(const lc_schema){.role = LC_ACTION_TYPE,
                                                           .enums = NAMES("expire")}},
                               {NULL, NULL}},
    .closed = true};
static const lc_schema s_transition = {
    .role = LC_ACTION,
    .required = NAMES("targetStorageClass", "type"),
    .props =
        (const lc_prop[]){
            {"targetStorageClass",
             &(const lc_schema){.role = LC_TARGET_STORAGE_CLASS, .enums = NAMES("archive")}},
            {"type", &(const lc_schema){.role = LC_ACTION_TYPE, .enums = NAMES("transition")}},
            {NULL, NULL}},
    .closed = true};
static const lc_schema *const action_forms[] = {&s_expire, &s_transition, NULL};
static const lc_schema s_action = {.role = LC_ACTION, .type = LC_T_OBJECT, .one_of = action_forms};

const lc_schema lc_rule_schema = {
    .role = LC_RULE,
    .type = LC_T_OBJECT,
    .required = NAMES("action", "rulePriority", "selection"),
    .props =
        (const lc_prop[]){
            {"action", &s_action},
            {"description", &(const lc_schema){.role = LC_DESCRIPTION, .type = LC_T_STRING}},
            {"rulePriority",
             &(const lc_schema){
                 .role = LC_PRIORITY, .type = LC_T_INTEGER, .has_minimum = true, .minimum = 1}},
            {"selection", &s_selection},
            {NULL, NULL}},
    .closed = true};

const lc_schema lc_policy_schema = {
    .role = LC_ROOT,
    .type = LC_T_OBJECT,
    .required = NAMES("rules"),
    .props = (const lc_prop[]){
        {"rules",
         &(const lc_schema){.role = LC_RULES, .type = LC_T_ARRAY, .items = &lc_rule_schema}},
        {NULL, NULL}}};

/* ---- Java's order of strings ----------------------------------------------------------------- */

/* The next UTF-16 code unit of a UTF-8 string at *p (advancing it), with *pending holding the
 * low surrogate of a supplementary character; 0 at the end. */
static unsigned next_unit(const unsigned char **p, const unsigned char *end, unsigned *pending)
{
    if (*pending) {
        unsigned u = *pending;
        *pending = 0;
        return u;
    }
    if (*p >= end)
        return 0;
    unsigned c = **p;
    size_t k = c < 0x80 ? 1 : el_utf8_sequence(*p, (size_t)(end - *p));
    if (k <= 1) {
        (*p)++;
        return c;
    }
    unsigned cp = k == 2 ? c & 0x1F : k == 3 ? c & 0x0F : c & 0x07;
    for (size_t i = 1; i < k; i++)
        cp = (cp << 6) | ((*p)[i] & 0x3F);
    *p += k;
    if (cp < 0x10000)
        return cp;
    cp -= 0x10000;
    *pending = 0xDC00 | (cp & 0x3FF);
    return 0xD800 | (cp >> 10);
}

/* String.compareTo: by UTF-16 code units. Keys hold no NUL here (the walker skips them). */
static int java_cmp(const char *a, const char *b)
{
    const unsigned char *pa = (const unsigned char *)a, *pb = (const unsigned char *)b;
    const unsigned char *ea = pa + strlen(a), *eb = pb + strlen(b);
    unsigned qa = 0, qb = 0;
    for (;;) {
        bool enda = pa >= ea && !qa, endb = pb >= eb && !qb;
        if (enda || endb)
            return enda && endb ? 0 : enda ? -1 : 1;
        unsigned ua = next_unit(&pa, ea, &qa), ub = next_unit(&pb, eb, &qb);
        if (ua != ub)
            return ua < ub ? -1 : 1;
    }
}

static int cmp_key(const void *x, const void *y)
{
    return java_cmp(*(const char *const *)x, *(const char *const *)y);
}

/* ---- the validator --------------------------------------------------------------------------- */

const char *lc_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
        return "integer";
    case JSON_REAL:
        return "number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "boolean";
    case JSON_NULL:
    default:
        return "null";
    }
}

static unsigned type_bit(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return LC_T_OBJECT;
    case JSON_ARRAY:
        return LC_T_ARRAY;
    case JSON_STRING:
        return LC_T_STRING;
    case JSON_INTEGER:
        return LC_T_INTEGER;
    case JSON_REAL:
        return LC_T_NUMBER;
    case JSON_TRUE:
    case JSON_FALSE:
        return LC_T_BOOLEAN;
    case JSON_NULL:
    default:
        return LC_T_NULL;
    }
}

static const char *const type_names[] = {"array",  "boolean", "integer", "null",
                                         "number", "object",  "string"};

typedef struct walk {
    lc_report *r;
    bool deep;
    el_buf ptr; /* the instance's pointer */
} walk;

static void nomem(walk *w)
{
    w->r->nomem = true;
}

/* Adds a failure: the message is made only when it is kept. */
static void add(walk *w, lc_kw kw, const lc_schema *s, const json_t *inst, const el_buf *text,
                const char *name)
{
    lc_report *r = w->r;
    r->errors++;
    if (r->n >= r->keep || !text)
        return;
    if (!el_grow(&r->msgs, &r->cap, r->n + 1, sizeof *r->msgs, 4)) {
        nomem(w);
        return;
    }
    lc_msg *m = &r->msgs[r->n];
    m->kw = kw;
    m->schema = s;
    m->instance = inst;
    m->pointer = el_strdup(w->ptr.data ? w->ptr.data : "");
    m->text = el_strdup(text->data ? text->data : "");
    m->name = name ? el_strdup(name) : NULL;
    if (!m->pointer || !m->text || (name && !m->name) || text->failed || w->ptr.failed) {
        el_free(m->pointer);
        el_free(m->text);
        el_free(m->name);
        nomem(w);
        return;
    }
    r->n++;
}

static bool keeping(const walk *w)
{
    return w->r->n < w->r->keep;
}

/* A JSON array of names, compact, as the validator prints a set of names. */
static void names_array(el_buf *b, const char *const *names, size_t n)
{
    el_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            el_buf_putc(b, ',');
        el_buf_json_string(b, names[i], strlen(names[i]));
    }
    el_buf_putc(b, ']');
}

static bool has_prop(const lc_schema *s, const char *name)
{
    for (const lc_prop *p = s->props; p && p->name; p++)
        if (strcmp(p->name, name) == 0)
            return true;
    return false;
}

static const lc_schema *prop_schema(const lc_schema *s, const char *name)
{
    for (const lc_prop *p = s->props; p && p->name; p++)
        if (strcmp(p->name, name) == 0)
            return p->schema;
    return NULL;
}

#define SMALL_KEYS 16

/* The object's member names sorted as Java sorts them, into keys (the caller's small array, or
 * a new one it frees when it is not small). */
static const char **sorted_keys(const json_t *obj, const char **small, size_t *n)
{
    *n = json_object_size(obj);
    const char **keys = *n <= SMALL_KEYS ? small : el_malloc(*n * sizeof *keys);
    if (!keys)
        return NULL;
    size_t i = 0;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v)
    {
        (void)v;
        if (i < *n)
            keys[i++] = k;
    }
    *n = i;
    el_sort(keys, *n, sizeof *keys, cmp_key);
    return keys;
}

static void node(walk *w, const lc_schema *s, const json_t *inst);

/* A oneOf branch: validated into a report of its own, as the library does; matched when it
 * has no failure. */
static bool branch_matches(walk *w, const lc_schema *s, const json_t *inst)
{
    lc_report sub = {.keep = 0};
    walk bw = {.r = &sub, .deep = false};
    el_buf_init(&bw.ptr);
    node(&bw, s, inst);
    el_buf_free(&bw.ptr);
    if (sub.nomem)
        nomem(w);
    return sub.errors == 0;
}

static void node(walk *w, const lc_schema *s, const json_t *inst)
{
    if (w->r->nomem)
        return;
    char mem[256];
    el_buf text;
    el_buf_init_in(&text, mem, sizeof mem);
    const bool keep = keeping(w);
    unsigned t = type_bit(inst);

    /* additionalProperties */
    if (s->closed && t == LC_T_OBJECT && !keep) {
        /* no message to write: whether there is an unknown name, in any order */
        const char *name;
        const json_t *v;
        bool bad = false;
        EL_OBJECT_EACH(inst, it, name, v)
        {
            (void)v;
            if (!bad && !has_prop(s, name))
                bad = true;
        }
        if (bad)
            add(w, LC_KW_ADDITIONAL, s, inst, NULL, NULL);
    } else if (s->closed && t == LC_T_OBJECT) {
        const char *small[SMALL_KEYS];
        size_t n;
        const char **keys = sorted_keys(inst, small, &n);
        if (!keys) {
            nomem(w);
            return;
        }
        size_t bad = 0;
        for (size_t i = 0; i < n; i++)
            if (!has_prop(s, keys[i]))
                keys[bad++] = keys[i]; /* still sorted */
        if (bad) {
            if (keep) {
                el_buf_puts(&text, "object instance has properties which are not allowed by the "
                                   "schema: ");
                names_array(&text, keys, bad);
            }
            add(w, LC_KW_ADDITIONAL, s, inst, keep ? &text : NULL, keys[0]);
            el_buf_reset(&text);
        }
        if (keys != small)
            el_free(keys);
    }
    /* enum */
    if (s->enums) {
        bool found = false;
        for (const char *const *e = s->enums; *e && !found; e++)
            found = json_is_string(inst) && strcmp(json_string_value(inst), *e) == 0 &&
                    strlen(*e) == json_string_length(inst);
        if (!found) {
            if (keep) {
                el_buf_puts(&text, "instance value (");
                el_buf_json_value(&text, inst);
                el_buf_puts(&text, ") not found in enum (possible values: ");
                size_t ne = 0;
                while (s->enums[ne])
                    ne++;
                names_array(&text, s->enums, ne);
                el_buf_putc(&text, ')');
            }
            add(w, LC_KW_ENUM, s, inst, keep ? &text : NULL, NULL);
            el_buf_reset(&text);
        }
    }
    /* minimum */
    if (s->has_minimum && (t == LC_T_INTEGER || t == LC_T_NUMBER)) {
        bool low = t == LC_T_INTEGER ? json_integer_value(inst) < s->minimum
                                     : json_real_value(inst) < (double)s->minimum;
        if (low) {
            if (keep) {
                el_buf_printf(&text,
                              "numeric instance is lower than the required minimum (minimum: "
                              "%lld, found: ",
                              s->minimum);
                el_buf_json_value(&text, inst);
                el_buf_putc(&text, ')');
            }
            add(w, LC_KW_MINIMUM, s, inst, keep ? &text : NULL, NULL);
            el_buf_reset(&text);
        }
    }
    /* not */
    if (s->not_schema && branch_matches(w, s->not_schema, inst)) {
        if (keep)
            el_buf_puts(&text, "instance matched a schema which it should not have");
        add(w, LC_KW_NOT, s, inst, keep ? &text : NULL, NULL);
        el_buf_reset(&text);
    }
    /* oneOf */
    if (s->one_of) {
        size_t n = 0, matched = 0;
        for (const lc_schema *const *b = s->one_of; *b; b++, n++)
            if (branch_matches(w, *b, inst))
                matched++;
        if (matched != 1) {
            if (keep)
                el_buf_printf(&text,
                              "instance failed to match exactly one schema (matched %zu out of "
                              "%zu)",
                              matched, n);
            add(w, LC_KW_ONE_OF, s, inst, keep ? &text : NULL, NULL);
            el_buf_reset(&text);
        }
    }
    /* required */
    if (s->required && t == LC_T_OBJECT) {
        const char *missing[16];
        size_t nm = 0;
        for (const char *const *q = s->required; *q && nm < 16; q++)
            if (!json_object_get(inst, *q))
                missing[nm++] = *q; /* the list is sorted */
        if (nm) {
            if (keep) {
                el_buf_puts(&text, "object has missing required properties (");
                names_array(&text, missing, nm);
                el_buf_putc(&text, ')');
            }
            add(w, LC_KW_REQUIRED, s, inst, keep ? &text : NULL, missing[0]);
            el_buf_reset(&text);
        }
    }
    /* type */
    if (s->type && !(s->type & t) && !(t == LC_T_INTEGER && (s->type & LC_T_NUMBER))) {
        if (keep) {
            el_buf_printf(&text,
                          "instance type (%s) does not match any allowed primitive type "
                          "(allowed: [",
                          lc_type_name(inst));
            bool first = true;
            for (unsigned i = 0; i < 7; i++)
                if (s->type & (1u << i) || (i == 2 && (s->type & LC_T_NUMBER))) {
                    el_buf_printf(&text, "%s\"%s\"", first ? "" : ",", type_names[i]);
                    first = false;
                }
            el_buf_puts(&text, "])");
        }
        add(w, LC_KW_TYPE, s, inst, keep ? &text : NULL, NULL);
    }
    el_buf_free(&text);

    /* the children, unless the report holds a failure already */
    if (!w->deep && w->r->errors)
        return;
    /* the pointer is kept only for messages: a oneOf branch keeps none */
    const bool track = w->r->keep > 0;
    size_t mark = w->ptr.len;
    if (t == LC_T_OBJECT && s->props && !keeping(w)) {
        /* no message will be kept: only whether there is a failure counts, which the order of
           the members does not change (the validator's order is for its messages) */
        const char *name;
        const json_t *v;
        EL_OBJECT_EACH(inst, it, name, v)
        {
            const lc_schema *c = prop_schema(s, name);
            if (!c || w->r->nomem)
                continue;
            if (track)
                el_pointer_append(&w->ptr, name);
            node(w, c, v);
            w->ptr.len = mark;
            if (w->ptr.data)
                w->ptr.data[mark] = '\0';
        }
    } else if (t == LC_T_OBJECT && s->props) {
        const char *small[SMALL_KEYS];
        size_t n;
        const char **keys = sorted_keys(inst, small, &n);
        if (!keys) {
            nomem(w);
            return;
        }
        for (size_t i = 0; i < n && !w->r->nomem; i++) {
            const lc_schema *c = prop_schema(s, keys[i]);
            if (!c)
                continue;
            if (track)
                el_pointer_append(&w->ptr, keys[i]);
            node(w, c, json_object_get(inst, keys[i]));
            w->ptr.len = mark;
            if (w->ptr.data)
                w->ptr.data[mark] = '\0';
        }
        if (keys != small)
            el_free(keys);
    } else if (t == LC_T_ARRAY && s->items) {
        for (size_t i = 0; i < json_array_size(inst) && !w->r->nomem; i++) {
            if (track) {
                el_buf_putc(&w->ptr, '/');
                el_buf_put_uint(&w->ptr, i);
            }
            node(w, s->items, json_array_get(inst, i));
            w->ptr.len = mark;
            if (w->ptr.data)
                w->ptr.data[mark] = '\0';
        }
    }
    if (w->ptr.failed)
        nomem(w);
}

bool lc_validate(const lc_schema *schema, const json_t *instance, const char *pointer, bool deep,
                 lc_report *r)
{
    walk w = {.r = r, .deep = deep};
    el_buf_init(&w.ptr);
    el_buf_puts(&w.ptr, pointer ? pointer : "");
    node(&w, schema, instance);
    el_buf_free(&w.ptr);
    return !r->nomem;
}

void lc_report_free(lc_report *r)
{
    for (size_t i = 0; i < r->n; i++) {
        el_free(r->msgs[i].pointer);
        el_free(r->msgs[i].text);
        el_free(r->msgs[i].name);
    }
    el_free(r->msgs);
    r->msgs = NULL;
    r->n = r->cap = 0;
}

bool lc_conforms(const lc_schema *schema, const json_t *instance)
{
    lc_report r = {.keep = 0};
    walk w = {.r = &r, .deep = false};
    el_buf_init(&w.ptr);
    node(&w, schema, instance);
    el_buf_free(&w.ptr);
    return r.errors == 0 && !r.nomem;
}
