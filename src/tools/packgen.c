/* packgen.c - build tool: compiles the rule packs into C.
 *
 *     ecrlint_packgen OUT.c PACK.json...
 *
 * The packs are loaded with the library's own loader (so a malformed built-in pack, or a pattern
 * that does not compile, fails the build with the usual key-path message), and the resulting
 * ruleset is written out as static C data: at run time ecrlint starts with its rules in place,
 * without parsing JSON or allocating. The packs' JSON text is embedded as well, for --rules,
 * which rebuilds the ruleset from the texts plus the user's packs. Patterns are written in
 * PCRE2's serialized form as well, so that the first use decodes them instead of compiling. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/el_rules.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_file.h"

static FILE *out;

/* calloc for the generator: a build tool that runs out of memory stops the build. */
static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "packgen: out of memory\n");
        exit(1);
    }
    return p;
}
static unsigned next_id;

/* Writes the first n bytes of s as a C string literal. */
static void lit_n(const char *s, size_t n)
{
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f || c == '?')
            fprintf(out, "\\%03o", c); /* octal: never swallows a following digit */
        else
            fputc(c, out);
    }
    fputc('"', out);
}

/* Writes a C string literal, or NULL. */
static void lit(const char *s)
{
    if (s)
        lit_n(s, strlen(s));
    else
        fputs("NULL", out);
}

/* Emits a split template's parts and returns their id (0 when it has none). */
static unsigned tpl_parts(const el_tpl *t)
{
    if (!t->n)
        return 0;
    unsigned id = ++next_id;
    fprintf(out, "static const el_tpl_part t%u[] = {", id);
    for (size_t i = 0; i < t->n; i++) {
        fputs(i ? ", {.text = " : "{.text = ", out);
        lit_n(t->parts[i].text, t->parts[i].len);
        fprintf(out, ", .len = %zu, .var = %s}", t->parts[i].len, t->parts[i].var ? "true" : "false");
    }
    fputs("};\n", out);
    return id;
}

static void tpl_ref(unsigned id, const el_tpl *t)
{
    if (id)
        fprintf(out, "{.parts = t%u, .n = %zu}", id, t->n);
    else
        fputs("{.parts = NULL, .n = 0}", out);
}

/* Emits a mutable char array holding s and returns its id (0 for NULL). */
static unsigned str(const char *s)
{
    if (!s)
        return 0;
    unsigned id = ++next_id;
    fprintf(out, "static char s%u[] = ", id);
    lit(s);
    fputs(";\n", out);
    return id;
}

/* Writes a reference to what was emitted under `prefix` and `id` (s: strings, a: string
 * arrays, u: unsigned arrays, i: int arrays, c: checks, m: members, g: groups, x: remaps,
 * d: detect sets), or NULL for id 0. */
static void id_ref(char prefix, unsigned id)
{
    if (id)
        fprintf(out, "%c%u", prefix, id);
    else
        fputs("NULL", out);
}

/* Emits a char *array[] of strings, returns its id (0 when n == 0). */
static unsigned str_array(char **v, size_t n)
{
    if (n == 0)
        return 0;
    unsigned *ids = xcalloc(n, sizeof *ids);
    for (size_t i = 0; i < n; i++)
        ids[i] = str(v[i]);
    unsigned id = ++next_id;
    fprintf(out, "static char *a%u[] = {", id);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", " : "", out);
        id_ref('s', ids[i]);
    }
    fputs("};\n", out);
    free(ids);
    return id;
}

/* Emits an unsigned array[], returns its id (0 when n == 0). */
static unsigned uint_array(const unsigned *v, size_t n)
{
    if (n == 0)
        return 0;
    unsigned id = ++next_id;
    fprintf(out, "static unsigned u%u[] = {", id);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s%u", i ? "," : "", i % 32 ? "" : "\n", v[i]);
    fputs("};\n", out);
    return id;
}

/* Emits an int array[], returns its id (0 when n == 0). */
static unsigned int_array(const int *v, size_t n)
{
    if (n == 0)
        return 0;
    unsigned id = ++next_id;
    fprintf(out, "static int i%u[] = {", id);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%d", i ? "," : "", v[i]);
    fputs("};\n", out);
    return id;
}

static size_t shape_index(const el_ruleset *rs, const el_shape *s)
{
    for (size_t i = 0; i < rs->nshapes; i++)
        if (rs->shapes[i] == s)
            return i;
    fprintf(stderr, "packgen: shape not in ruleset\n");
    exit(1);
}

static void emit_rules(const el_ruleset *rs)
{
    unsigned *tpls = xcalloc(rs->nrules * 4 + 1, sizeof *tpls);
    for (size_t i = 0; i < rs->nrules; i++) {
        const el_rule *r = &rs->rules[i];
        tpls[4 * i + 3] = str_array(r->vars, r->nvars);
        unsigned msg = str(r->message);
        fprintf(out, "#define RULE%zu_MSG ", i);
        id_ref('s', msg);
        fputc('\n', out);
        tpls[4 * i] = tpl_parts(&r->message_tpl);
        tpls[4 * i + 1] = tpl_parts(&r->exception_tpl);
        tpls[4 * i + 2] = tpl_parts(&r->reason_tpl);
    }
    fputs("static el_rule rules[] = {\n", out);
    for (size_t i = 0; i < rs->nrules; i++) {
        const el_rule *r = &rs->rules[i];
        const ecrlint_rule_info *ri = &r->info;
        const struct {
            const char *field, *value;
        } info[] = {{"id", ri->id},
                    {"scope", ri->scope},
                    {"title", ri->title},
                    {"help", ri->help},
                    {"source", ri->source},
                    {"confidence", ri->confidence},
                    {"exception", ri->exception},
                    {"exception_message", ri->exception_message},
                    {"failure", ri->failure},
                    {"failure_reason", ri->failure_reason},
                    {"bad_example", ri->bad_example},
                    {"good_example", ri->good_example},
                    {"example_options", ri->example_options},
                    {"pack", ri->pack}};
        fprintf(out, "    {.info = {.severity = (ecrlint_severity)%d", (int)ri->severity);
        for (size_t k = 0; k < sizeof info / sizeof info[0]; k++) {
            fprintf(out, ", .%s = ", info[k].field);
            lit(info[k].value);
        }
        fprintf(out, "},\n     .message = RULE%zu_MSG, .after_validation = %s, .message_tpl = ", i,
                r->after_validation ? "true" : "false");
        tpl_ref(tpls[4 * i], &r->message_tpl);
        fputs(", .exception_tpl = ", out);
        tpl_ref(tpls[4 * i + 1], &r->exception_tpl);
        fputs(", .reason_tpl = ", out);
        tpl_ref(tpls[4 * i + 2], &r->reason_tpl);
        fprintf(out, ", .breaks_spec = %s, .vars = ", r->breaks_spec ? "true" : "false");
        id_ref('a', tpls[4 * i + 3]);
        fprintf(out, ", .nvars = %zu},\n", r->nvars);
    }
    fputs("};\n", out);
    free(tpls);
}

static void emit_shapes(const el_ruleset *rs)
{
    fprintf(out, "static el_shape shapes[%zu];\n", rs->nshapes);
    unsigned *checks = xcalloc(rs->nshapes, sizeof *checks);
    unsigned *members = xcalloc(rs->nshapes, sizeof *members);
    unsigned *groups = xcalloc(rs->nshapes, sizeof *groups);
    unsigned *names = xcalloc(rs->nshapes, sizeof *names);
    for (size_t i = 0; i < rs->nshapes; i++) {
        const el_shape *s = rs->shapes[i];
        names[i] = str(s->name);
        if (s->nchecks) {
            unsigned *re = xcalloc(s->nchecks, sizeof *re);
            unsigned *vals = xcalloc(s->nchecks, sizeof *vals);
            unsigned *vtext = xcalloc(s->nchecks, sizeof *vtext);
            unsigned *rid = xcalloc(s->nchecks, sizeof *rid);
            unsigned *mtm = xcalloc(s->nchecks, sizeof *mtm);
            unsigned *dgm = xcalloc(s->nchecks, sizeof *dgm);
            for (size_t k = 0; k < s->nchecks; k++) {
                const el_check *c = &s->checks[k];
                rid[k] = str(c->rule_id);
                if (c->regex) {
                    unsigned src = str(c->regex->source);
                    re[k] = ++next_id;
                    size_t zlen = 0;
                    unsigned char *z = el_regex_serialize(c->regex, &zlen);
                    if (z) {
                        /* aligned: PCRE2 reads the header through a struct */
                        fprintf(out, "static _Alignas(16) const unsigned char z%u[] = {", re[k]);
                        for (size_t b = 0; b < zlen; b++)
                            fprintf(out, "%s%u", b ? (b % 24 ? "," : ",\n") : "", z[b]);
                        fputs("};\n", out);
                        pcre2_serialize_free(z);
                        fprintf(out, "static el_regex r%u = {.source = s%u, .lock = "
                                     "PTHREAD_MUTEX_INITIALIZER, .serialized = z%u, "
                                     ".serialized_by = pcre2_build};\n",
                                re[k], src, re[k]);
                    } else {
                        fprintf(out, "static el_regex r%u = {.source = s%u, .lock = "
                                     "PTHREAD_MUTEX_INITIALIZER};\n",
                                re[k], src);
                    }
                }
                vals[k] = str_array(c->values, c->nvalues);
                vtext[k] = str(c->values_text);
                mtm[k] = str(c->media_type_member);
                dgm[k] = str(c->digest_member);
            }
            checks[i] = ++next_id;
            fprintf(out, "static el_check c%u[] = {\n", checks[i]);
            for (size_t k = 0; k < s->nchecks; k++) {
                const el_check *c = &s->checks[k];
                fprintf(out, "    {.kind = (el_check_kind)%d, .rule_id = s%u, .if_valid = %s, "
                             ".number = %lldLL, .regex = ",
                        (int)c->kind, rid[k], c->if_valid ? "true" : "false", c->number);
                if (re[k])
                    fprintf(out, "&r%u", re[k]);
                else
                    fputs("NULL", out);
                fputs(", .values = ", out);
                id_ref('a', vals[k]);
                fprintf(out, ", .nvalues = %zu, .values_text = ", c->nvalues);
                id_ref('s', vtext[k]);
                fputs(", .media_type_member = ", out);
                id_ref('s', mtm[k]);
                fputs(", .digest_member = ", out);
                id_ref('s', dgm[k]);
                fprintf(out, ", .covers = %lluULL, .value_lengths = %lluULL},\n",
                        (unsigned long long)c->covers, (unsigned long long)c->value_lengths);
            }
            fputs("};\n", out);
            free(mtm);
            free(dgm);
            free(re);
            free(vals);
            free(vtext);
            free(rid);
        }
        if (s->nmembers) {
            unsigned *mn = xcalloc(s->nmembers, sizeof *mn), *ms = xcalloc(s->nmembers, sizeof *ms),
                     *mr = xcalloc(s->nmembers, sizeof *mr);
            for (size_t k = 0; k < s->nmembers; k++) {
                mn[k] = str(s->members[k].name);
                ms[k] = str(s->members[k].shape_name);
                mr[k] = str(s->members[k].required_rule);
            }
            members[i] = ++next_id;
            fprintf(out, "static el_member m%u[] = {\n", members[i]);
            for (size_t k = 0; k < s->nmembers; k++) {
                fprintf(out, "    {.name = s%u, .shape_name = s%u, .shape = &shapes[%zu], "
                             ".required_rule = ",
                        mn[k], ms[k], shape_index(rs, s->members[k].shape));
                id_ref('s', mr[k]);
                fprintf(out, ", .key_char = %u},\n", (unsigned)s->members[k].key_char);
            }
            fputs("};\n", out);
            free(mn);
            free(ms);
            free(mr);
        }
        if (s->ngroups) {
            unsigned *gm = xcalloc(s->ngroups, sizeof *gm), *gw = xcalloc(s->ngroups, sizeof *gw),
                     *gr = xcalloc(s->ngroups, sizeof *gr), *gi = xcalloc(s->ngroups, sizeof *gi);
            for (size_t k = 0; k < s->ngroups; k++) {
                gm[k] = str_array(s->groups[k].members, s->groups[k].nmembers);
                gw[k] = str(s->groups[k].with);
                gr[k] = str(s->groups[k].rule_id);
                gi[k] = int_array(s->groups[k].member_idx, s->groups[k].nmembers);
            }
            groups[i] = ++next_id;
            fprintf(out, "static el_group g%u[] = {\n", groups[i]);
            for (size_t k = 0; k < s->ngroups; k++) {
                fprintf(out, "    {.kind = (el_group_kind)%d, .members = ", (int)s->groups[k].kind);
                id_ref('a', gm[k]);
                fprintf(out, ", .nmembers = %zu, .with = ", s->groups[k].nmembers);
                id_ref('s', gw[k]);
                fputs(", .rule_id = ", out);
                id_ref('s', gr[k]);
                fputs(", .member_idx = ", out);
                id_ref('i', gi[k]);
                fprintf(out, ", .with_idx = %d},\n", s->groups[k].with_idx);
            }
            fputs("};\n", out);
            free(gi);
            free(gm);
            free(gw);
            free(gr);
        }
    }
    unsigned *items = xcalloc(rs->nshapes, sizeof *items);
    for (size_t i = 0; i < rs->nshapes; i++)
        items[i] = str(rs->shapes[i]->item_name);
    fprintf(out, "static el_shape shapes[%zu] = {\n", rs->nshapes);
    for (size_t i = 0; i < rs->nshapes; i++) {
        const el_shape *s = rs->shapes[i];
        fprintf(out, "    {.name = s%u, .type = (el_type)%d, .checks = ", names[i], (int)s->type);
        id_ref('c', checks[i]);
        fprintf(out, ", .nchecks = %zu, .members = ", s->nchecks);
        id_ref('m', members[i]);
        fprintf(out, ", .nmembers = %zu, .groups = ", s->nmembers);
        id_ref('g', groups[i]);
        fprintf(out, ", .ngroups = %zu,\n     .item_name = ", s->ngroups);
        id_ref('s', items[i]);
        if (s->item)
            fprintf(out, ", .item = &shapes[%zu]", shape_index(rs, s->item));
        else
            fputs(", .item = NULL", out);
        fprintf(out, ", .open = %s, .key_pos = %u},\n", s->open ? "true" : "false",
                (unsigned)s->key_pos);
    }
    fputs("};\n", out);
    fprintf(out, "static el_shape *shape_ptrs[%zu] = {", rs->nshapes);
    for (size_t i = 0; i < rs->nshapes; i++)
        fprintf(out, "%s&shapes[%zu]", i ? ", " : "", i);
    fputs("};\n", out);
    free(checks);
    free(members);
    free(groups);
    free(names);
    free(items);
}

static void emit_ops(const el_ruleset *rs)
{
    unsigned *rm = xcalloc(rs->nops, sizeof *rm),
             *dt = xcalloc(rs->nops, sizeof *dt), *nh = xcalloc(rs->nops, sizeof *nh),
             *nm = xcalloc(rs->nops, sizeof *nm), *tg = xcalloc(rs->nops, sizeof *tg),
             *in = xcalloc(rs->nops, sizeof *in), *fl = xcalloc(rs->nops, sizeof *fl),
             *mi = xcalloc(rs->nops, sizeof *mi);
    for (size_t i = 0; i < rs->nops; i++) {
        const el_operation *op = &rs->ops[i];
        nm[i] = str(op->name);
        tg[i] = str(op->target);
        in[i] = str(op->input_name);
        fl[i] = str(op->failure_list);
        if (op->nremaps) {
            unsigned *from = xcalloc(op->nremaps, sizeof *from), *to = xcalloc(op->nremaps, sizeof *to);
            for (size_t k = 0; k < op->nremaps; k++) {
                from[k] = str(op->remaps[k].from);
                to[k] = str(op->remaps[k].to);
            }
            rm[i] = ++next_id;
            fprintf(out, "static el_remap x%u[] = {", rm[i]);
            for (size_t k = 0; k < op->nremaps; k++)
                fprintf(out, "{.from = s%u, .to = s%u}, ", from[k], to[k]);
            fputs("};\n", out);
            free(from);
            free(to);
        }
        if (op->ndetects) {
            unsigned *dm = xcalloc(op->ndetects, sizeof *dm), *di = xcalloc(op->ndetects, sizeof *di);
            for (size_t k = 0; k < op->ndetects; k++) {
                dm[k] = str_array(op->detects[k].members, op->detects[k].nmembers);
                di[k] = uint_array(op->detects[k].ids, op->detects[k].nmembers);
            }
            dt[i] = ++next_id;
            fprintf(out, "static el_detect d%u[] = {", dt[i]);
            for (size_t k = 0; k < op->ndetects; k++) {
                fputs("{.members = ", out);
                id_ref('a', dm[k]);
                fprintf(out, ", .nmembers = %zu, .all = %s, .priority = %d, .ids = ",
                        op->detects[k].nmembers, op->detects[k].all ? "true" : "false",
                        op->detects[k].priority);
                id_ref('u', di[k]);
                fprintf(out, ", .mask = 0x%llxULL, .narrow = %s}, ",
                        (unsigned long long)op->detects[k].mask,
                        op->detects[k].narrow ? "true" : "false");
            }
            fputs("};\n", out);
            free(dm);
            free(di);
        }
        mi[i] = uint_array(op->member_ids, op->input->nmembers);
        nh[i] = str_array(op->name_hints, op->nname_hints);
    }
    fprintf(out, "static el_operation ops[%zu] = {\n", rs->nops ? rs->nops : 1);
    for (size_t i = 0; i < rs->nops; i++) {
        const el_operation *op = &rs->ops[i];
        fprintf(out, "    {.name = s%u, .kind = (ecrlint_kind)%d, .target = ", nm[i], (int)op->kind);
        id_ref('s', tg[i]);
        fprintf(out, ", .input_name = s%u, .input = &shapes[%zu], .failure_list = ", in[i],
                shape_index(rs, op->input));
        id_ref('s', fl[i]);
        fputs(",\n     .remaps = ", out);
        id_ref('x', rm[i]);
        fprintf(out, ", .nremaps = %zu, .detects = ", op->nremaps);
        id_ref('d', dt[i]);
        fprintf(out, ", .ndetects = %zu, .name_hints = ", op->ndetects);
        id_ref('a', nh[i]);
        fprintf(out, ", .nname_hints = %zu, .member_ids = ", op->nname_hints);
        id_ref('u', mi[i]);
        fputs("},\n", out);
    }
    fputs("};\n", out);
    free(mi);
    free(rm);
    free(dt);
    free(nh);
    free(nm);
    free(tg);
    free(in);
    free(fl);
}

static void emit_type_errors(const el_ruleset *rs)
{
    unsigned *a = xcalloc(rs->ntype_errors + 1, sizeof *a), *m = xcalloc(rs->ntype_errors + 1, sizeof *m);
    for (size_t i = 0; i < rs->ntype_errors; i++) {
        a[i] = str(rs->type_errors[i].actual);
        m[i] = str(rs->type_errors[i].message);
    }
    fprintf(out, "static el_type_error type_errors[%zu] = {", rs->ntype_errors ? rs->ntype_errors : 1);
    for (size_t i = 0; i < rs->ntype_errors; i++)
        fprintf(out, "{.expected = (el_type)%d, .actual = s%u, .message = s%u}, ",
                (int)rs->type_errors[i].expected, a[i], m[i]);
    fputs("};\n", out);
    free(a);
    free(m);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: ecrlint_packgen OUT.c PACK.json...\n");
        return 2;
    }
    size_t n = (size_t)argc - 2;
    el_pack_doc *packs = xcalloc(n, sizeof *packs);
    char **texts = xcalloc(n, sizeof *texts);
    size_t *lens = xcalloc(n, sizeof *lens);
    for (size_t i = 0; i < n; i++) {
        const char *path = argv[i + 2];
        el_file f = {0};
        /* the limit of ecrlint_engine_load_rules_dir: a pack the library would refuse fails */
        if (el_file_read(&f, path, (size_t)16 * 1024 * 1024) != EL_FILE_OK) {
            el_file_free(&f);
            fprintf(stderr, "packgen: cannot read %s\n", path);
            return 1;
        }
        lens[i] = f.len;
        texts[i] = el_file_take(&f);
        json_error_t jerr;
        packs[i].doc = json_loadb(texts[i], lens[i], JSON_REJECT_DUPLICATES, &jerr);
        if (!packs[i].doc) {
            fprintf(stderr, "%s:%d:%d: invalid JSON: %s\n", path, jerr.line, jerr.column, jerr.text);
            return 1;
        }
        const char *slash = strrchr(path, '/');
        char source[256];
        snprintf(source, sizeof source, "rules/%s", slash ? slash + 1 : path);
        packs[i].source = el_strdup(source);
        const json_t *name = json_object_get(packs[i].doc, "name");
        packs[i].name = el_strdup(json_is_string(name) ? json_string_value(name) : source);
        if (!packs[i].source || !packs[i].name) {
            fprintf(stderr, "packgen: out of memory\n");
            return 1;
        }
    }
    ecrlint_error err = {0};
    el_ruleset *rs = el_ruleset_build(packs, n, true, &err);
    if (!rs) {
        fprintf(stderr, "%s: %s\n", err.source, err.text);
        return 1;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    out = fopen(tmp, "w");
    if (!out) {
        fprintf(stderr, "packgen: cannot write %s\n", tmp);
        return 1;
    }
    fputs("/* Generated by src/tools/packgen.c from the rule packs: do not edit. */\n"
          "#include \"rules/el_builtin.h\"\n\n",
          out);
    /* the PCRE2 that serialized the patterns below */
    char build[EL_PCRE2_BUILD_MAX];
    fputs("static const char pcre2_build[] = ", out);
    lit(el_regex_pcre2_build(build));
    fputs(";\n", out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "static const unsigned char pack%zu[] = {", i);
        for (size_t k = 0; k < lens[i]; k++)
            fprintf(out, "%s%u,", k % 24 ? "" : "\n", (unsigned char)texts[i][k]);
        fputs("0};\n", out);
    }
    fputs("const el_builtin_pack el_builtin_packs[] = {\n", out);
    for (size_t i = 0; i < n; i++) {
        fputs("    {.name = ", out);
        lit(packs[i].source);
        fprintf(out, ", .text = (const char *)pack%zu, .len = %zu},\n", i, lens[i]);
    }
    fprintf(out, "};\nconst size_t el_builtin_pack_count = %zu;\n\n", n);
    emit_rules(rs);
    emit_shapes(rs);
    emit_ops(rs);
    emit_type_errors(rs);
    unsigned version = str(rs->version);
    unsigned names = str_array(rs->top.names, rs->top.n);
    unsigned slots = uint_array(rs->top.slots, rs->top.nslots);
    fprintf(out,
            "el_ruleset el_builtin_ruleset = {.rules = rules, .nrules = %zu, .shapes = shape_ptrs, "
            ".nshapes = %zu, .ops = ops, .nops = %zu,\n    .type_errors = type_errors, "
            ".ntype_errors = %zu, .version = s%u, .is_static = true, .top = {.names = ",
            rs->nrules, rs->nshapes, rs->nops, rs->ntype_errors, version);
    id_ref('a', names);
    fprintf(out, ", .n = %zu, .slots = ", rs->top.n);
    id_ref('u', slots);
    fprintf(out, ", .nslots = %zu}};\n", rs->top.nslots);
    if (fclose(out) != 0 || rename(tmp, argv[1]) != 0) {
        fprintf(stderr, "packgen: cannot write %s\n", argv[1]);
        return 1;
    }
    el_ruleset_free(rs);
    for (size_t i = 0; i < n; i++) {
        json_decref(packs[i].doc);
        el_free(packs[i].name);
        el_free(packs[i].source);
        el_free(texts[i]);
    }
    free(packs);
    free(texts);
    free(lens);
    return 0;
}
