/* detect.c - which operation a JSON body is, in automatic mode (documented in README.md,
 * "How ecrlint recognises a file").
 *
 * A body is taken for an operation only on evidence: its file name (create-repository.json,
 * with an ecr/ or ecr-public/ folder as more), or the member sets below. A file named like
 * another API operation, or named like one of ECR's but with members that operation lacks, is
 * skipped with its reason: among every AWS service's files, a guess would raise false errors.
 * So is a file whose folder is named after another AWS service (codecommit/, lambda/): only
 * --operation (or a config paths entry's) and X-Amz-Target, which do not come here, outweigh it.
 *
 * Each operation's pack lists member sets that select it ("detect"), with priorities: a
 * member only one operation has (acceptedMediaTypes, maxResults) outranks members several
 * share (repositoryName + imageIds). Ties are broken by the file name (batch-get-image.json).
 * A body whose top-level members are mostly unknown to the chosen operation is not taken for a
 * request at all: a deployment config that happens to have a repositoryName stays skipped. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "request/el_request.h"
#include "rules/el_rules.h"
#include "util/el_alloc.h"

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
        json_object_foreach((json_t *)ks->root, key, v)
        {
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

/* ---- the file name as evidence ------------------------------------------------------------ */

/* Does the lower-cased file stem start with `name` spelt with `sep` between its words (sep 0:
 * run together), followed by the end or a '-', '_' or '.'? `name` is an operation's name
 * without a service prefix (CreateRepository: create-repository, create_repository,
 * createrepository). Returns the length matched, 0 when it does not. */
static size_t stem_names(const char *stem, const char *name, char sep)
{
    size_t i = 0;
    for (size_t k = 0; name[k]; k++) {
        bool upper = name[k] >= 'A' && name[k] <= 'Z';
        if (upper && k > 0 && sep) {
            if (stem[i] != sep)
                return 0;
            i++;
        }
        char c = upper ? (char)(name[k] + 32) : name[k];
        if (stem[i] != c)
            return 0;
        i++;
    }
    return stem[i] == '\0' || stem[i] == '-' || stem[i] == '_' || stem[i] == '.' ? i : 0;
}

/* The request operation the file's name names, the way people name fixtures: the AWS CLI's
 * command (create-repository.json), the API name (CreateRepository.json), snake case
 * (create_repository.json), optionally followed by more words (create-repository-ok.json).
 * The longest name wins (put-image-scanning-configuration over put-image). When ECR and ECR
 * Public both have it, a parent folder named ecr-public chooses ECR Public. *strong is set when
 * the parent folder is named ecr or ecr-public, *exact when the stem is the name alone. */
static const el_operation *named_operation(const el_ruleset *rs, const char *stem,
                                           const char *folder, bool *strong, bool *exact)
{
    bool public_folder = strcmp(folder, "ecr-public") == 0 || strcmp(folder, "ecr_public") == 0 ||
                         strcmp(folder, "ecrpublic") == 0;
    *strong = public_folder || strcmp(folder, "ecr") == 0;
    const el_operation *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < rs->nops; i++) {
        const el_operation *op = &rs->ops[i];
        if (op->kind != ECRLINT_KIND_REQUEST)
            continue;
        /* API names are PascalCase; only a service prefix (ecr-public:) starts in lower case
         * (ASCII tests, not the locale's: this runs for every operation on every file) */
        char first = op->name[0];
        const char *colon = first >= 'a' && first <= 'z' ? strchr(op->name, ':') : NULL;
        bool is_public = colon != NULL;
        const char *base = colon ? colon + 1 : op->name;
        first = base[0] >= 'A' && base[0] <= 'Z' ? (char)(base[0] + 32) : base[0];
        if (stem[0] != first)
            continue; /* every form starts with the name's first letter: most names end here */
        size_t len = 0;
        static const char seps[] = {'-', '_', 0};
        for (size_t k = 0; k < sizeof seps; k++) {
            size_t n = stem_names(stem, base, seps[k]);
            if (n > len)
                len = n;
        }
        if (!len)
            continue;
        /* longer wins; at equal length, the service the folder names (ECR by default) */
        if (len > best_len || (len == best_len && is_public == public_folder)) {
            best = op;
            best_len = len;
        }
    }
    *exact = best && stem[best_len] == '\0';
    return best;
}

/* Is w, the last word of the stem, one people describe a fixture with (describe-bad, put-ok)?
 * Then the stem names a test case, not an operation. */
static bool fixture_word(const char *w)
{
    static const char *const words[] = {
        "bad",   "broken", "empty",  "error",   "errors", "example", "fail",    "failing",
        "fixed", "full",   "good",   "invalid", "max",    "min",     "minimal", "missing",
        "ok",    "pass",   "sample", "test",    "typo",   "valid",   "wrong",   NULL};
    size_t n = strcspn(w, "-_");
    if (w[n])
        return false; /* list-test-grid-projects: more words, an operation's name */
    for (size_t i = 0; words[i]; i++)
        if (strlen(words[i]) == n && strncmp(w, words[i], n) == 0)
            return true;
    return false;
}

/* Does the stem read like an API operation's name (list-apps, get_repository,
 * DescribeComputeEnvironments): a verb AWS APIs start operation names with, then more words?
 * Such a file that names none of ECR's operations is taken for another service's. */
static bool stem_is_operation(const char *stem, const char *orig)
{
    static const char *const verbs[] = {
        "accept",     "add",       "allocate",  "analyze", "apply",       "associate",
        "attach",     "authorize", "batch",     "cancel",  "check",       "complete",
        "confirm",    "copy",      "create",    "decrypt", "delete",      "deploy",
        "deregister", "describe",  "detach",    "detect",  "disable",     "disassociate",
        "enable",     "encrypt",   "execute",   "export",  "generate",    "get",
        "import",     "initiate",  "invoke",    "list",    "merge",       "modify",
        "post",       "preview",   "publish",   "purge",   "put",         "query",
        "reboot",     "receive",   "register",  "reject",  "release",     "remove",
        "request",    "reset",     "restore",   "revoke",  "rotate",      "run",
        "search",     "send",      "set",       "sign",    "start",       "stop",
        "subscribe",  "tag",       "terminate", "test",    "unsubscribe", "untag",
        "update",     "upload",    "validate",  "verify",  NULL};
    for (size_t i = 0; verbs[i]; i++) {
        if (stem[0] != verbs[i][0])
            continue; /* most verbs end here */
        size_t n = strlen(verbs[i]);
        if (strncmp(stem, verbs[i], n) != 0)
            continue;
        if (stem[n] == '-' || stem[n] == '_')
            return stem[n + 1] >= 'a' && stem[n + 1] <= 'z' && !fixture_word(stem + n + 1);
        /* CamelCase: the verb, then an upper-case letter in the name as written */
        if (orig[n] >= 'A' && orig[n] <= 'Z' && orig[0] >= 'A' && orig[0] <= 'Z')
            return true;
    }
    return false;
}

/* Is op one of the tagging operations every AWS service has under the same names and members
 * (TagResource, UntagResource, ListTagsForResource: resourceArn, tags, tagKeys)? Their file
 * names and members say nothing of the service: only the folder can. */
static bool tagging_only(const el_operation *op)
{
    for (size_t i = 0; i < op->input->nmembers; i++) {
        const char *m = op->input->members[i].name;
        if (strcmp(m, "resourceArn") != 0 && strcmp(m, "tags") != 0 && strcmp(m, "tagKeys") != 0)
            return false;
    }
    return op->input->nmembers > 0;
}

/* Every top-level member is one of op's (an empty body fits). */
static bool all_known(const el_operation *op, const json_t *root)
{
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)root, key, v)
    {
        if (!is_member(op, key))
            return false;
    }
    return true;
}

/* The member sets of the packs' detect sets, as today; see el_detect_operation. */
static const el_operation *by_members(const el_ruleset *rs, const json_t *root, const char *path,
                                      const char **reason, bool *ambiguous);

/* The file's stem (lower case, up to the first '.', and as written) and its folder's name
 * (lower case). */
#define NAME_PART EL_NAME_PART

static void name_parts(const char *path, char stem[NAME_PART], char orig[NAME_PART],
                       char folder[NAME_PART])
{
    size_t n = 0;
    const char *p = path ? path : "";
    const char *slash = strrchr(p, '/');
    const char *base = slash ? slash + 1 : p;
    for (; base[n] && base[n] != '.' && n + 1 < NAME_PART; n++) {
        orig[n] = base[n];
        stem[n] = (char)tolower((unsigned char)base[n]);
    }
    stem[n] = orig[n] = '\0';
    n = 0;
    if (slash) {
        const char *f = slash;
        while (f > p && f[-1] != '/')
            f--;
        for (; f + n < slash && n + 1 < NAME_PART; n++)
            folder[n] = (char)tolower((unsigned char)f[n]);
    }
    folder[n] = '\0';
}

/* ---- another service's folder ------------------------------------------------------------ */

static int service_cmp(const void *key, const void *row)
{
    return strcmp(key, row);
}

/* The AWS service the (lower-cased) folder is named after, '_' read as '-' (cognito_idp), or
 * NULL. The names are rules/generated/aws_services.c, generated from botocore's models by
 * src/tools/aws_services.py: service names, the AWS CLI's (s3api, configservice), one-word
 * endpoint prefixes. It leaves out ECR's own and the names that are also ordinary folder names
 * (config, batch, cases, logs, events, ...): a repository's tests/fixtures/config/ holds its
 * fixtures of anything, ECR's included, and keeps its checks; a file there is recognised as in
 * any other folder. One bsearch over a table compiled in: nothing is built at start-up. */
static const char *other_service(const char *folder)
{
    char key[EL_AWS_SERVICE_WIDTH];
    size_t n = strlen(folder);
    if (n == 0 || n >= sizeof key)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        key[i] = folder[i] == '_' ? '-' : folder[i];
    return bsearch(key, el_aws_services, el_aws_nservices, sizeof el_aws_services[0], service_cmp);
}

const char *el_folder_other_service(const char *path)
{
    char stem[NAME_PART], orig[NAME_PART], folder[NAME_PART];
    name_parts(path, stem, orig, folder);
    return other_service(folder);
}

bool el_named_for_ecr(const el_ruleset *rs, const char *path)
{
    char stem[NAME_PART], orig[NAME_PART], folder[NAME_PART];
    name_parts(path, stem, orig, folder);
    if (other_service(folder))
        return false; /* codecommit/delete-repository.json is CodeCommit's, JSON or not */
    bool strong = false, exact = false;
    return (stem[0] && named_operation(rs, stem, folder, &strong, &exact)) || strong ||
           strcmp(folder, "ecr") == 0;
}

void el_name_memo_clear(el_name_memo *m)
{
    el_free(m->path);
    m->path = NULL;
    m->rs = NULL;
}

/* Works out what `path` says into *m, or finds it there already. */
static void name_evidence(const el_ruleset *rs, const char *path, el_name_memo *m, bool keep)
{
    if (m->path && m->rs == rs && path && strcmp(m->path, path) == 0)
        return;
    el_name_memo_clear(m);
    name_parts(path, m->stem, m->orig, m->folder);
    m->service = other_service(m->folder);
    m->strong = m->exact = false;
    m->named = m->stem[0] ? named_operation(rs, m->stem, m->folder, &m->strong, &m->exact) : NULL;
    m->looks_operation = !m->named && m->stem[0] && stem_is_operation(m->stem, m->orig);
    if (path && keep) {
        m->path = el_strdup(path); /* out of memory: only the next input works it out again */
        m->rs = rs;
    }
}

const el_operation *el_detect_operation(const el_ruleset *rs, const json_t *root, const char *path,
                                        el_name_memo *memo, const char **reason, bool *ambiguous)
{
    *ambiguous = false;
    el_name_memo local = {0};
    el_name_memo *ev = memo ? memo : &local;
    name_evidence(rs, path, ev, memo != NULL);

    /* A folder named after another AWS service is evidence against ECR that neither the file's
     * name nor its members outweigh: CodeCommit's delete-repository.json is {"repositoryName":
     * ""}, the very file ECR's DeleteRepository fixture would be. The reason names the service,
     * so it is written per thread, valid until this thread's next call. */
    if (ev->service) {
        static _Thread_local char why[128 + EL_AWS_SERVICE_WIDTH];
        snprintf(why, sizeof why,
                 "the file is in a folder named after another AWS service, %s; pass --operation "
                 "to check it as ECR's",
                 ev->service);
        *reason = why;
        return NULL;
    }

    const el_operation *named = ev->named;
    bool strong = ev->strong, exact = ev->exact, looks_operation = ev->looks_operation;
    if (named && !exact && !strong) {
        /* more words after the name (create-repository-ok.json, but also ECS's
         * put-account-setting-default.json): evidence only when the members agree */
        const el_operation *m = by_members(rs, root, path, reason, ambiguous);
        if (m && (m == named || m->kind == ECRLINT_KIND_RESPONSE))
            return m;
        *ambiguous = false;
        *reason = "the file is named like an ECR operation followed by more words, which another "
                  "service's operation may be, and its members do not confirm it (pass "
                  "--operation to check it)";
        return NULL;
    }
    if (named) {
        /* The name is evidence; the members must not contradict it (codecommit's
         * create-repository.json has members ECR's CreateRepository does not) unless the folder
         * says ECR too, or the member sets choose the same operation (a typo in a member of
         * describe-images.json), or a response (describe-images-output.json). */
        const el_operation *m = by_members(rs, root, path, reason, ambiguous);
        if (m && (m == named || m->kind == ECRLINT_KIND_RESPONSE))
            return m; /* they agree, or a response named after its operation */
        *ambiguous = false;
        if (strong || (all_known(named, root) && !tagging_only(named)))
            return named;
        if (tagging_only(named)) {
            *reason = "the file is named like a tagging operation every AWS service has; only a "
                      "folder named ecr or ecr-public says it is ECR's (or pass --operation)";
            return NULL;
        }
        *reason = "the file is named like an ECR operation, but has members that operation does "
                  "not have: another service's file? (pass --operation to check it)";
        return NULL;
    }
    if (looks_operation) {
        *reason = "the file is named like an API operation that is not ECR's or ECR Public's "
                  "(pass --operation to check it as one of theirs)";
        return NULL;
    }
    return by_members(rs, root, path, reason, ambiguous);
}

static const el_operation *by_members(const el_ruleset *rs, const json_t *root, const char *path,
                                      const char **reason, bool *ambiguous)
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
