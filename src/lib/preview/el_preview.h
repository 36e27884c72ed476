/* el_preview.h - the lifecycle preview (library-internal): which images a lifecycle policy would
 * expire or move to archive, evaluated as ECR documents it.
 *
 * The module sits on layer 4, above the checkers, so that it may take a checked policy from the
 * lifecycle checker of layer 3 (its reader, el_lc_policy_read: one reader of lifecycle policies);
 * besides lifecycle/ it includes only util/, rules/ (a rule's message template) and report/ (the
 * findings of --protect). It never prints.
 *
 * Three parts:
 * - pv_engine.c: the evaluation over a typed rule array and a typed image array;
 * - pv_policy.c: a policy document (or the request or template carrying one) as a rule array,
 *   read by the lifecycle module's reader and converted;
 * - pv_images.c: DescribeImages responses, JSON Lines of imageDetails entries and BatchGetImage
 *   responses (the manifests of indexes, for the guard of their children) as an image array;
 * and pv_api.c, the public API (ecrlint_preview_*), its JSON output and findings. */
#ifndef EL_PREVIEW_EL_PREVIEW_H
#define EL_PREVIEW_EL_PREVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ecrlint/ecrlint.h"

/* A time: microseconds since 1970-01-01T00:00:00Z; EL_PV_NO_TIME when absent. */
#define EL_PV_NO_TIME INT64_MIN
#define EL_PV_DAY ((int64_t)86400 * 1000000)

typedef enum el_pv_tag_status { EL_PV_TAGGED = 0, EL_PV_UNTAGGED, EL_PV_ANY } el_pv_tag_status;

typedef enum el_pv_count_type {
    EL_PV_COUNT_MORE_THAN = 0, /* imageCountMoreThan */
    EL_PV_SINCE_PUSHED,        /* sinceImagePushed */
    EL_PV_SINCE_PULLED,        /* sinceImagePulled */
    EL_PV_SINCE_TRANSITIONED   /* sinceImageTransitioned */
} el_pv_count_type;

typedef enum el_pv_storage { EL_PV_STANDARD = 0, EL_PV_ARCHIVE } el_pv_storage;

typedef enum el_pv_action { EL_PV_KEEP = 0, EL_PV_EXPIRE, EL_PV_TRANSITION } el_pv_action;

/* imageStatus: ACTIVE images are in the standard storage class, ARCHIVED ones in archive;
 * ACTIVATING ones (being restored) are in neither, and no rule selects them. */
typedef enum el_pv_status { EL_PV_ACTIVE = 0, EL_PV_ARCHIVED, EL_PV_ACTIVATING } el_pv_status;

/* One rule of a policy. Strings are borrowed (from the preview's pool). */
typedef struct el_pv_rule {
    int64_t priority; /* rulePriority */
    const char *description;
    el_pv_tag_status tag_status;
    bool patterns;           /* tagPatternList (globs) rather than tagPrefixList */
    const char *const *tags; /* the list's entries */
    size_t ntags;
    el_pv_storage storage; /* selection.storageClass */
    el_pv_count_type count_type;
    int64_t count_number;
    el_pv_action action; /* EXPIRE, or TRANSITION to archive */
} el_pv_rule;

/* One image. The first part is the input; the engine fills the outcome. */
typedef struct el_pv_image {
    const char *digest;
    const char *const *tags;
    uint32_t ntags;
    el_pv_status status;
    int64_t pushed;    /* imagePushedAt */
    int64_t pulled;    /* lastRecordedPullTime */
    int64_t archived;  /* lastArchivedAt */
    int64_t activated; /* lastActivatedAt */
    /* where the entry is: source index (the preview's list of files), its position, and its
       JSON pointer's array part ("/imageDetails/3"; "" for a JSON Lines record) */
    uint32_t source;
    int line, column;
    int32_t index; /* the entry's index in the source's imageDetails; -1 for JSON Lines */
    /* outcome */
    el_pv_action action; /* EXPIRE or TRANSITION: what rule `rule` does to it */
    int32_t rule;        /* the index of the rule that decides it (the first whose selection
                            it matches), or -1 */
    const char *held_by; /* when the rule's action is held back because an index that stays
                            references it: that index's digest; NULL otherwise */
} el_pv_image;

/* A child of an image index or manifest list: child and parent are image indexes, parent -1
 * for an index not among the images (it exists, since its manifest was read). */
typedef struct el_pv_edge {
    int32_t child, parent;
    const char *parent_digest;
} el_pv_edge;

/* What the engine could not decide: image `image` lacks `field`, which rule `rule` needs. */
typedef struct el_pv_missing {
    size_t image, rule;
    const char *field;
} el_pv_missing;

/* Whether image `im` is in the match set of rule `r`: same storage class, and its tag status
 * and list (every entry matches at least one tag). */
bool el_pv_selects(const el_pv_rule *r, const el_pv_image *im);

/*
 * Evaluates `rules` over `images` at time `now` and fills each image's outcome (action, rule,
 * held_by). Rules may come in any order (they are applied by rulePriority). `edges` (may be
 * NULL) are the children of indexes. Returns ECRLINT_OK, ECRLINT_ERR_NOMEM, or
 * ECRLINT_ERR_USAGE when an image lacks a time a rule needs (*missing says which). Time
 * O(n log n + n * rules), memory O(n + edges).
 */
ecrlint_status el_pv_evaluate(const el_pv_rule *rules, size_t nrules, el_pv_image *images, size_t n,
                              const el_pv_edge *edges, size_t nedges, int64_t now,
                              el_pv_missing *missing);

/* ---- strings and arrays that live as long as the preview (pv_policy.c) ----------------- */

typedef struct el_pv_pool {
    struct el_pv_chunk *head;
} el_pv_pool;

void *el_pv_pool_alloc(el_pv_pool *p, size_t size);
char *el_pv_pool_strdup(el_pv_pool *p, const char *s, size_t len);
void el_pv_pool_free(el_pv_pool *p);

/* ---- the policy (pv_policy.c) -------------------------------------------------------- */

/* The lifecycle policy document inside `doc`: the document itself (a "rules" member), a
 * request's lifecyclePolicyText or a repository creation template's lifecyclePolicy (both
 * strings holding one). On success *text is the policy's text (in the pool: the string member's
 * value, or NULL when the document itself is the policy) and *policy a new reference. */
ecrlint_status el_pv_policy_find(json_t *doc, el_pv_pool *pool, const char **text, json_t **policy,
                                 ecrlint_error *err, const char *source);

/* The rules of a policy document, in the pool, read by el_lc_policy_read (the checker's reader).
 * The policy must have passed the lifecycle checks; a rule that does not have ECR's form is
 * ECRLINT_ERR_USAGE with the member's path and the validator's words in the message, two rules
 * with one priority too: never guessed. */
ecrlint_status el_pv_policy_rules(const json_t *policy, el_pv_pool *pool, el_pv_rule **rules,
                                  size_t *nrules, ecrlint_error *err, const char *source);

/* ---- times (pv_images.c) ------------------------------------------------------------- */

/* A time as ECR's SDKs write it: epoch seconds (an integer or a fraction, possibly as a
 * string) or ISO 8601 ("2026-12-04T02:30:00Z", "2026-12-04T02:30:00.123456+01:00"; no zone
 * means UTC). False when it is neither. */
bool el_pv_time_parse(const char *text, int64_t *out);
bool el_pv_time_json(const json_t *v, int64_t *out);
/* "2026-12-04T02:30:00Z" (with ".123456" when there is a fraction); out holds 40 bytes. */
char *el_pv_time_format(int64_t t, char out[40]);
/* Epoch seconds with the fraction as written by the AWS JSON protocol: "1733280000.5". */
char *el_pv_time_epoch(int64_t t, char out[40]);

/* ---- the images (pv_images.c) -------------------------------------------------------- */

typedef struct el_pv_images {
    el_pv_image *items;
    size_t n, cap;
    /* children of indexes, by digest until resolved */
    struct el_pv_ref {
        const char *child, *parent;
    } * refs;
    size_t nrefs, cap_refs;
    char **sources; /* file names */
    size_t nsources, cap_sources;
    const char *registry_id, *repository_name; /* the first seen */
} el_pv_images;

/* Reads one file of images: a DescribeImages response (imageDetails), a BatchGetImage response
 * (images with their manifests: the children of indexes), or JSON Lines of imageDetails
 * entries. Errors name the file, the line and the image. */
ecrlint_status el_pv_images_read(el_pv_images *im, el_pv_pool *pool, const char *source,
                                 const char *buf, size_t len, ecrlint_error *err);
void el_pv_images_free(el_pv_images *im);

#endif
