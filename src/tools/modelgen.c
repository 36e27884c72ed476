/* modelgen.c - build tool: writes rule packs from AWS service models.
 *
 *     ecrlint_modelgen OUTDIR MODEL.json...
 *
 * Each MODEL.json is a service model in the form the AWS SDKs are generated from (botocore's
 * service-2.json: "metadata", "operations", "shapes"); rules/models/ keeps the ones ecrlint
 * uses. For each model, OUTDIR/<signingName>.json is written: a rule pack (rules/README.md)
 * with, for every operation,
 *
 *   - a request operation: its X-Amz-Target (targetPrefix "." name), its input shape, the file
 *     names people give its fixtures (create-repository, createrepository, create_repository);
 *   - a response operation "<name>Response" over its output shape;
 *
 * and the shapes they reach, in the model's member order, with the model's constraints as
 * checks: string lengths (code points), patterns (whole string), enums, number ranges, list
 * sizes, required members. The checks refer to the generic rules of rules/model.json (one per
 * constraint kind; ECR1000 for a missing required member), so the rule list stays short.
 *
 * Naming: the model whose targetPrefix is ECR's keeps the model's names (BatchGetImage,
 * RepositoryName), so the hand-written packs, which use the same names and load later, replace
 * the generated shape or operation wherever ECR's wording differs. Every other model's names
 * are prefixed with its signingName and ':' (ecr-public:DescribeImages,
 * ecr-public:RepositoryName): the services share shape and operation names but not their
 * constraints. A shape reached from both an input and an output is written twice, the
 * response's copy named "<name>@response" with the response rules (lint findings, no
 * predicted exception), since a response is a fixture of what the service sent, not a request
 * it would refuse.
 *
 * Not expressed (the pack format has no place for them): constraints on map keys and map
 * sizes, lengths of blobs (base64 text in JSON, not the bytes the model counts).
 *
 * And OUTDIR/client_models.c: the tables of the client's validation (src/lib/client/), that is
 * what botocore's ParamValidator reads of a model: every operation's input shape and the
 * shapes it reaches, with their types, members (in the model's order), required members (in
 * the order of the model's "required" list, which is the order botocore reports them in) and
 * "min" bounds; nothing else (botocore checks no maximum, pattern or enum).
 *
 * The output is deterministic: the same models give the same bytes, one shape and one
 * operation per line, so that a model update is reviewed as a diff. */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ECR_TARGET_PREFIX "AmazonEC2ContainerRegistry_V20150921"

/* Rule IDs (rules/model.json; ECR1000 is shapes.json's required-member rule). */
typedef struct rule_set {
    const char *required, *min_length, *max_length, *pattern, *enumeration, *min, *max, *min_items,
        *max_items;
} rule_set;

static const rule_set request_rules = {"ECR1000", "ECR7001", "ECR7002", "ECR7003", "ECR7004",
                                       "ECR7005", "ECR7006", "ECR7007", "ECR7008"};
static const rule_set response_rules = {"ECR7100", "ECR7101", "ECR7102", "ECR7103", "ECR7104",
                                        "ECR7105", "ECR7106", "ECR7107", "ECR7108"};

typedef struct model {
    const char *path;
    json_t *doc;
    const json_t *shapes, *ops;
    const char *target_prefix;
    const char *signing_name;
    char prefix[64]; /* "" for ECR, "ecr-public:" for the others */
} model;

/* Prints "modelgen: " and the parts, and exits 1. */
static void die(const char *a, const char *b, const char *c)
{
    fprintf(stderr, "modelgen: %s%s%s\n", a, b, c);
    exit(1);
}

static const json_t *shape_of(const model *m, const char *name)
{
    const json_t *s = json_object_get(m->shapes, name);
    if (!json_is_object(s))
        die(m->path, ": no shape ", name);
    return s;
}

static const char *ref_name(const model *m, const json_t *ref)
{
    const char *n = json_string_value(json_object_get(ref, "shape"));
    if (!n)
        die(m->path, ": a shape reference without \"shape\"", "");
    return n;
}

/* Adds `name` and every shape it reaches to the set `seen` (an object used as a set). */
static void reach(const model *m, const char *name, json_t *seen)
{
    if (json_object_get(seen, name))
        return;
    json_object_set_new(seen, name, json_true());
    const json_t *s = shape_of(m, name);
    const json_t *members = json_object_get(s, "members");
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)members, key, v) reach(m, ref_name(m, v), seen);
    const char *parts[] = {"member", "value", NULL};
    for (size_t i = 0; parts[i]; i++) {
        const json_t *r = json_object_get(s, parts[i]);
        if (r)
            reach(m, ref_name(m, r), seen);
    }
}

/* The pack's name for a model shape: prefixed for other services, "@response" for the
 * response copy of a shape requests use too. */
static char *pack_name(const model *m, const char *name, bool response, const json_t *in)
{
    bool copy = response && json_object_get(in, name);
    size_t n = strlen(m->prefix) + strlen(name) + sizeof "@response";
    char *s = malloc(n);
    if (!s)
        die("out of memory", "", "");
    snprintf(s, n, "%s%s%s", m->prefix, name, copy ? "@response" : "");
    return s;
}

/* pack_name as a JSON string. */
static json_t *jname(const model *m, const char *name, bool response, const json_t *in)
{
    char *s = pack_name(m, name, response, in);
    json_t *j = json_string(s);
    free(s);
    return j;
}

static void add_check(json_t *checks, const char *key, json_t *value, const char *rule)
{
    json_t *c = json_object();
    json_object_set_new(c, key, value);
    json_object_set_new(c, "rule", json_string(rule));
    json_array_append_new(checks, c);
}

/* A model bound ("min", "max") as an integer, or -1 when absent; a bound that is not a
 * non-negative integer is an error (the pack format has integer limits only). */
static json_int_t bound(const model *m, const char *name, const json_t *s, const char *key)
{
    const json_t *v = json_object_get(s, key);
    if (!v)
        return -1;
    if (json_is_real(v) && json_real_value(v) == (double)(json_int_t)json_real_value(v))
        return (json_int_t)json_real_value(v);
    if (!json_is_integer(v))
        die(m->path, ": a bound that is not an integer in shape ", name);
    return json_integer_value(v);
}

/* The pack shape for model shape `name`, in the request or the response family. */
static json_t *make_shape(const model *m, const char *name, bool response, const json_t *in)
{
    const rule_set *r = response ? &response_rules : &request_rules;
    const json_t *s = shape_of(m, name);
    const char *type = json_string_value(json_object_get(s, "type"));
    if (!type)
        die(m->path, ": no type in shape ", name);
    json_t *out = json_object();
    json_t *checks = json_array();
    json_int_t lo = bound(m, name, s, "min"), hi = bound(m, name, s, "max");
    if (strcmp(type, "structure") == 0) {
        json_object_set_new(out, "type", json_string("structure"));
        json_t *members = json_array();
        const json_t *req = json_object_get(s, "required");
        const char *key;
        const json_t *v;
        json_object_foreach((json_t *)json_object_get(s, "members"), key, v)
        {
            json_t *mem = json_object();
            json_object_set_new(mem, "name", json_string(key));
            json_object_set_new(mem, "shape", jname(m, ref_name(m, v), response, in));
            size_t i;
            const json_t *rn;
            json_array_foreach(req, i, rn)
            {
                if (json_is_string(rn) && strcmp(json_string_value(rn), key) == 0)
                    json_object_set_new(mem, "required", json_string(r->required));
            }
            json_array_append_new(members, mem);
        }
        json_object_set_new(out, "members", members);
    } else if (strcmp(type, "list") == 0) {
        json_object_set_new(out, "type", json_string("list"));
        json_object_set_new(out, "member",
                            jname(m, ref_name(m, json_object_get(s, "member")), response, in));
        if (lo > 0)
            add_check(checks, "minItems", json_integer(lo), r->min_items);
        if (hi >= 0)
            add_check(checks, "maxItems", json_integer(hi), r->max_items);
    } else if (strcmp(type, "map") == 0) {
        json_object_set_new(out, "type", json_string("map"));
        json_object_set_new(out, "value",
                            jname(m, ref_name(m, json_object_get(s, "value")), response, in));
    } else if (strcmp(type, "string") == 0) {
        json_object_set_new(out, "type", json_string("string"));
        if (lo > 0)
            add_check(checks, "minLength", json_integer(lo), r->min_length);
        if (hi >= 0)
            add_check(checks, "maxLength", json_integer(hi), r->max_length);
        const json_t *p = json_object_get(s, "pattern");
        if (json_is_string(p))
            add_check(checks, "pattern", json_copy((json_t *)p), r->pattern);
        const json_t *e = json_object_get(s, "enum");
        if (json_is_array(e))
            add_check(checks, "enum", json_deep_copy(e), r->enumeration);
    } else if (strcmp(type, "blob") == 0) {
        /* base64 text in JSON: the model's bounds count decoded bytes */
        json_object_set_new(out, "type", json_string("blob"));
        if (lo > 0)
            add_check(checks, "minLength", json_integer(lo), r->min_length);
        if (hi >= 0)
            add_check(checks, "maxLength", json_integer(hi), r->max_length);
    } else if (strcmp(type, "integer") == 0 || strcmp(type, "long") == 0 ||
               strcmp(type, "double") == 0 || strcmp(type, "float") == 0) {
        /* the packs' integer is 32 bits and long 64, as the model's (Smithy's simple types) */
        const char *t = type[0] == 'i' ? "integer" : type[0] == 'l' ? "long" : "double";
        json_object_set_new(out, "type", json_string(t));
        if (lo >= 0)
            add_check(checks, "min", json_integer(lo), r->min);
        if (hi >= 0)
            add_check(checks, "max", json_integer(hi), r->max);
    } else if (strcmp(type, "boolean") == 0 || strcmp(type, "timestamp") == 0) {
        json_object_set_new(out, "type", json_string(type));
    } else {
        die(m->path, ": a type this generator does not know in shape ", name);
    }
    if (json_array_size(checks))
        json_object_set(out, "checks", checks);
    json_decref(checks);
    return out;
}

/* "CreateRepository" -> "create-repository" (sep '-') or "create_repository" (sep '_');
 * sep 0: "createrepository". */
static void split_name(const char *name, char sep, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; name[i] && n + 2 < cap; i++) {
        char c = name[i];
        bool upper = c >= 'A' && c <= 'Z';
        /* a word starts at an upper-case letter after a lower-case one or a digit, or before a
         * lower-case one ("ECRRepository" has none here, but keep runs of capitals together) */
        if (upper && i > 0 && sep &&
            ((name[i - 1] >= 'a' && name[i - 1] <= 'z') ||
             (name[i - 1] >= '0' && name[i - 1] <= '9') ||
             (name[i + 1] >= 'a' && name[i + 1] <= 'z' && name[i - 1] >= 'A' &&
              name[i - 1] <= 'Z')))
            out[n++] = sep;
        out[n++] = upper ? (char)(c + 32) : c;
    }
    out[n] = '\0';
}

/* Writes `v` on one line, as the hand-written packs are laid out. */
static void dump_line(FILE *f, const json_t *v)
{
    char *s = json_dumps(v, JSON_PRESERVE_ORDER | JSON_ENCODE_ANY | JSON_INDENT(0));
    if (!s)
        die("out of memory", "", "");
    fputs(s, f);
    free(s);
}

static void write_pack(const model *m, const char *dir)
{
    json_t *in = json_object(), *outs = json_object();
    const char *opname;
    const json_t *op;
    json_object_foreach((json_t *)m->ops, opname, op)
    {
        const json_t *i = json_object_get(op, "input"), *o = json_object_get(op, "output");
        if (i)
            reach(m, ref_name(m, i), in);
        if (o)
            reach(m, ref_name(m, o), outs);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.json", dir, m->signing_name);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        die("cannot write ", tmp, "");
    const char *base = strrchr(m->path, '/');
    base = base ? base + 1 : m->path;
    fprintf(f, "{\n  \"format\": 1,\n  \"name\": \"%s-model\",\n", m->signing_name);
    fprintf(
        f,
        "  \"doc\": \"Generated by src/tools/modelgen.c from rules/models/%s (%s, API "
        "version %s): do not edit; regenerate with 'cmake --build build --target "
        "regen-packs'. Every operation's request and response shapes with the model's "
        "constraints; the hand-written packs, loaded later, replace shapes and operations "
        "of the same name.\",\n",
        base,
        json_string_value(json_object_get(json_object_get(m->doc, "metadata"), "serviceFullName")),
        json_string_value(json_object_get(json_object_get(m->doc, "metadata"), "apiVersion")));
    fputs("  \"shapes\": {", f);
    bool first = true;
    for (int pass = 0; pass < 2; pass++) {
        const json_t *set = pass ? outs : in;
        const char *name;
        const json_t *v;
        json_object_foreach((json_t *)m->shapes, name, v)
        {
            if (!json_object_get(set, name))
                continue;
            char *pn = pack_name(m, name, pass == 1, in);
            json_t *shape = make_shape(m, name, pass == 1, in);
            fprintf(f, "%s\n    ", first ? "" : ",");
            json_t *key = json_string(pn);
            dump_line(f, key);
            fputs(": ", f);
            dump_line(f, shape);
            json_decref(key);
            json_decref(shape);
            free(pn);
            first = false;
        }
    }
    fputs("\n  },\n  \"operations\": [", f);
    first = true;
    json_object_foreach((json_t *)m->ops, opname, op)
    {
        const json_t *i = json_object_get(op, "input"), *o = json_object_get(op, "output");
        char full[256], target[256], cli[256], flat[256], snake[256];
        snprintf(full, sizeof full, "%s%s", m->prefix, opname);
        snprintf(target, sizeof target, "%s.%s", m->target_prefix, opname);
        split_name(opname, '-', cli, sizeof cli);
        split_name(opname, 0, flat, sizeof flat);
        split_name(opname, '_', snake, sizeof snake);
        json_t *rq = json_object();
        json_object_set_new(rq, "name", json_string(full));
        json_object_set_new(rq, "kind", json_string("request"));
        json_object_set_new(rq, "target", json_string(target));
        if (i) {
            char *pn = pack_name(m, ref_name(m, i), false, in);
            json_object_set_new(rq, "input", json_string(pn));
            free(pn);
        }
        json_t *names = json_array();
        json_array_append_new(names, json_string(cli));
        json_array_append_new(names, json_string(flat));
        json_array_append_new(names, json_string(snake));
        json_object_set_new(rq, "names", names);
        fprintf(f, "%s\n    ", first ? "" : ",");
        dump_line(f, rq);
        json_decref(rq);
        first = false;
        if (o) {
            json_t *rs = json_object();
            char rname[300];
            snprintf(rname, sizeof rname, "%sResponse", full);
            json_object_set_new(rs, "name", json_string(rname));
            json_object_set_new(rs, "kind", json_string("response"));
            char *pn = pack_name(m, ref_name(m, o), true, in);
            json_object_set_new(rs, "input", json_string(pn));
            free(pn);
            fputs(",\n    ", f);
            dump_line(f, rs);
            json_decref(rs);
        }
    }
    fputs("\n  ]\n}\n", f);
    json_decref(in);
    json_decref(outs);
    if (fclose(f) != 0 || rename(tmp, path) != 0)
        die("cannot write ", path, "");
}

/* ---- the client's tables (src/lib/client/el_client.h) ------------------------------------ */

/* The client's type of a model type (EL_CT_*), or NULL for one its validator does not take:
 * botocore accepts a timestamp as anything dateutil parses, which the client module does not
 * reproduce, so a model whose requests have one must not pass silently. */
static const char *client_type(const model *m, const char *name, const char *type)
{
    static const char *const map[][2] = {
        {"structure", "EL_CT_STRUCTURE"}, {"list", "EL_CT_LIST"},     {"map", "EL_CT_MAP"},
        {"string", "EL_CT_STRING"},       {"blob", "EL_CT_BLOB"},     {"integer", "EL_CT_INTEGER"},
        {"long", "EL_CT_LONG"},           {"double", "EL_CT_DOUBLE"}, {"float", "EL_CT_DOUBLE"},
        {"boolean", "EL_CT_BOOLEAN"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(type, map[i][0]) == 0)
            return map[i][1];
    die(m->path, ": a request shape of a type the client tables do not take: ", name);
    return NULL;
}

/* The index of shape `name` of model `mi` in the tables: its place in `order`. */
static size_t client_index(const json_t *order, size_t mi, const char *name)
{
    char key[512];
    snprintf(key, sizeof key, "%zu/%s", mi, name);
    const json_t *v = json_object_get(order, key);
    if (!v)
        die("internal: no client shape ", key, "");
    return (size_t)json_integer_value(v);
}

static void write_client(const model *models, size_t n, const char *dir)
{
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/client_models.c", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        die("cannot write ", tmp, "");
    /* every model's request shapes, in the model's shape order: "<model>/<name>" -> index */
    json_t *order = json_object();
    size_t count = 0;
    for (size_t mi = 0; mi < n; mi++) {
        const model *m = &models[mi];
        json_t *in = json_object();
        const char *opname, *name;
        const json_t *op, *v;
        json_object_foreach((json_t *)m->ops, opname, op)
        {
            const json_t *i = json_object_get(op, "input");
            if (i)
                reach(m, ref_name(m, i), in);
        }
        json_object_foreach((json_t *)m->shapes, name, v)
        {
            if (!json_object_get(in, name))
                continue;
            char key[512];
            snprintf(key, sizeof key, "%zu/%s", mi, name);
            json_object_set_new(order, key, json_integer((json_int_t)count++));
        }
        json_decref(in);
    }
    fputs(
        "/* client_models.c - generated by src/tools/modelgen.c from rules/models/: do not edit;\n"
        " * regenerate with 'cmake --build build --target regen-packs'. What botocore's\n"
        " * ParamValidator reads of the models: the request shapes (types, members, required\n"
        " * members, min bounds) and each operation's input shape. */\n"
        "#include \"client/el_client.h\"\n\n"
        "const el_client_shape el_client_shapes[] = {\n",
        f);
    for (size_t mi = 0; mi < n; mi++) {
        const model *m = &models[mi];
        const char *name;
        const json_t *s;
        json_object_foreach((json_t *)m->shapes, name, s)
        {
            char key[512];
            snprintf(key, sizeof key, "%zu/%s", mi, name);
            if (!json_object_get(order, key))
                continue;
            const char *type = json_string_value(json_object_get(s, "type"));
            fprintf(f, "    /* %s%s */ {.type = %s", m->prefix, name,
                    client_type(m, name, type ? type : ""));
            const json_t *min = json_object_get(s, "min");
            if (min)
                fprintf(f, ", .has_min = true, .min = %lld", (long long)bound(m, name, s, "min"));
            if (strcmp(type, "list") == 0)
                fprintf(f, ", .member = %zu",
                        client_index(order, mi, ref_name(m, json_object_get(s, "member"))));
            if (strcmp(type, "map") == 0)
                fprintf(f, ", .key = %zu, .value = %zu",
                        client_index(order, mi, ref_name(m, json_object_get(s, "key"))),
                        client_index(order, mi, ref_name(m, json_object_get(s, "value"))));
            if (strcmp(type, "structure") == 0) {
                const json_t *members = json_object_get(s, "members");
                const json_t *req = json_object_get(s, "required");
                fprintf(f, ", .nmembers = %zu", json_object_size(members));
                if (json_object_size(members)) {
                    fputs(", .members = (const el_client_member[]){", f);
                    const char *mn;
                    const json_t *mr;
                    bool first = true;
                    json_object_foreach((json_t *)members, mn, mr)
                    {
                        fprintf(f, "%s{\"%s\", %zu}", first ? "" : ", ", mn,
                                client_index(order, mi, ref_name(m, mr)));
                        first = false;
                    }
                    fputs("}", f);
                }
                if (json_array_size(req)) {
                    fprintf(f, ", .nrequired = %zu, .required = (const char *const[]){",
                            json_array_size(req));
                    size_t i;
                    const json_t *rn;
                    json_array_foreach(req, i, rn)
                    {
                        if (!json_is_string(rn))
                            die(m->path, ": a required name that is not a string in ", name);
                        fprintf(f, "%s\"%s\"", i ? ", " : "", json_string_value(rn));
                    }
                    fputs("}", f);
                }
            }
            fputs("},\n", f);
        }
    }
    fputs("};\n\nconst el_client_op el_client_ops[] = {\n", f);
    size_t nops = 0;
    for (size_t mi = 0; mi < n; mi++) {
        const model *m = &models[mi];
        const char *base = strrchr(m->path, '/');
        base = base ? base + 1 : m->path;
        char ver[256];
        snprintf(ver, sizeof ver, "%s", base);
        char *dot = strrchr(ver, '.');
        if (dot)
            *dot = '\0';
        const char *opname;
        const json_t *op;
        json_object_foreach((json_t *)m->ops, opname, op)
        {
            const json_t *i = json_object_get(op, "input");
            fprintf(f, "    {\"%s%s\", \"%s\", %ld},\n", m->prefix, opname, ver,
                    i ? (long)client_index(order, mi, ref_name(m, i)) : -1L);
            nops++;
        }
    }
    fprintf(f, "};\n\nconst size_t el_client_nops = %zu;\n", nops);
    json_decref(order);
    if (fclose(f) != 0 || rename(tmp, path) != 0)
        die("cannot write ", path, "");
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: ecrlint_modelgen OUTDIR MODEL.json...\n");
        return 2;
    }
    size_t n = (size_t)argc - 2;
    model *models = calloc(n, sizeof *models);
    if (!models)
        die("out of memory", "", "");
    for (size_t i = 0; i < n; i++) {
        model *m = &models[i];
        m->path = argv[i + 2];
        json_error_t jerr;
        m->doc = json_load_file(m->path, JSON_REJECT_DUPLICATES, &jerr);
        if (!m->doc)
            die(m->path, ": ", jerr.text);
        const json_t *meta = json_object_get(m->doc, "metadata");
        m->shapes = json_object_get(m->doc, "shapes");
        m->ops = json_object_get(m->doc, "operations");
        m->target_prefix = json_string_value(json_object_get(meta, "targetPrefix"));
        m->signing_name = json_string_value(json_object_get(meta, "signingName"));
        if (!json_is_object(m->shapes) || !json_is_object(m->ops) || !m->target_prefix ||
            !m->signing_name)
            die(m->path,
                ": not a service model (metadata.targetPrefix, signingName, operations, shapes)",
                "");
        if (strcmp(m->target_prefix, ECR_TARGET_PREFIX) != 0)
            snprintf(m->prefix, sizeof m->prefix, "%s:", m->signing_name);
    }
    for (size_t i = 0; i < n; i++)
        write_pack(&models[i], argv[1]);
    write_client(models, n, argv[1]);
    for (size_t i = 0; i < n; i++)
        json_decref(models[i].doc);
    free(models);
    return 0;
}
