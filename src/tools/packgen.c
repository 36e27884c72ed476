/* packgen.c - build tool: compiles the rule packs into C.
 *
 *     ecrlint_packgen OUT.c PACK.json...
 *
 * The packs are loaded with the library's own loader (so a malformed built-in pack, or a pattern
 * that does not compile, fails the build with the usual key-path message), and the resulting
 * ruleset is written out as static C data: at run time ecrlint starts with its rules in place,
 * without parsing JSON or allocating. The packs' JSON text is embedded as well, for --rules,
 * which rebuilds the ruleset from the texts plus the user's packs. Patterns are written in
 * PCRE2's serialized form as well, so that the first use decodes them instead of compiling.
 * Errors follow the rules module's convention (src/lib/rules/el_rules.h): functions that can
 * fail return ecrlint_status, and main turns the first failure into exit status 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/el_rules.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_file.h"

static FILE *out;

/* The generated data is one initializer per array, every struct with designated fields
 * (.kind = ...), so that reordering the fields of el_rules.h cannot silently swap data. Strings
 * and arrays are compound literals, which at file scope have static storage: (char[]){"..."}
 * for the char * fields (writable, as the library's types say), (el_check[]){...} for arrays.
 * Only the serialized patterns are named arrays, since they must be aligned. */

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

/* Writes a const char * value: a string literal, or, for a text longer than the 4095 bytes a
 * C99 compiler must accept in a literal (a long rule example), a compound literal of its
 * bytes. */
#define LIT_MAX 4000
static void lit_long(const char *s)
{
    if (!s || strlen(s) <= LIT_MAX) {
        lit(s);
        return;
    }
    fputs("(const char[]){", out);
    for (size_t i = 0; s[i]; i++)
        fprintf(out, "%d,%s", (unsigned char)s[i], i % 32 == 31 ? "\n" : "");
    fputs("0}", out);
}

/* Writes ".field = " and a writable copy of s (for char * fields), or NULL. */
static void str_field(const char *field, const char *s)
{
    fprintf(out, ".%s = ", field);
    if (s) {
        fputs("(char[]){", out);
        lit(s);
        fputc('}', out);
    } else {
        fputs("NULL", out);
    }
}

/* ".field = " and an array of n writable strings, or NULL. */
static void strs_field(const char *field, char *const *v, size_t n)
{
    fprintf(out, ".%s = ", field);
    if (!n) {
        fputs("NULL", out);
        return;
    }
    fputs("(char *[]){", out);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", (char[]){" : "(char[]){", out);
        lit(v[i]);
        fputc('}', out);
    }
    fputc('}', out);
}

/* ".field = " and an array of n unsigned numbers, or NULL. */
static void uints_field(const char *field, const unsigned *v, size_t n)
{
    fprintf(out, ".%s = ", field);
    if (!n) {
        fputs("NULL", out);
        return;
    }
    fputs("(unsigned[]){", out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s%u", i ? "," : "", i && i % 32 == 0 ? "\n" : "", v[i]);
    fputc('}', out);
}

/* ".field = " and a split template. */
static void tpl_field(const char *field, const el_tpl *t)
{
    fprintf(out, ".%s = {.parts = ", field);
    if (!t->n) {
        fputs("NULL, .n = 0}", out);
        return;
    }
    fputs("(const el_tpl_part[]){", out);
    for (size_t i = 0; i < t->n; i++) {
        fputs(i ? ", {.text = " : "{.text = ", out);
        lit_n(t->parts[i].text, t->parts[i].len);
        fprintf(out, ", .len = %zu, .var = %s}", t->parts[i].len,
                t->parts[i].var ? "true" : "false");
    }
    fprintf(out, "}, .n = %zu}", t->n);
}

/* ".field = &shapes[i]" for shape s of rs, or NULL; ECRLINT_ERR_INTERNAL when s is not one of
 * rs's shapes (a resolved ruleset's shapes point only into it). */
static ecrlint_status shape_field(const el_ruleset *rs, const char *field, const el_shape *s)
{
    fprintf(out, ".%s = ", field);
    if (!s) {
        fputs("NULL", out);
        return ECRLINT_OK;
    }
    for (size_t i = 0; i < rs->nshapes; i++)
        if (rs->shapes[i] == s) {
            fprintf(out, "&shapes[%zu]", i);
            return ECRLINT_OK;
        }
    fprintf(stderr, "packgen: shape '%s' is not in the ruleset\n", s->name);
    return ECRLINT_ERR_INTERNAL;
}

static void emit_rules(const el_ruleset *rs)
{
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
            lit_long(info[k].value);
        }
        fputs("},\n     ", out);
        str_field("message", r->message);
        fputs(", ", out);
        str_field("item_message", r->item_message);
        fprintf(out, ", .after_validation = %s, .breaks_spec = %s, .client_refuses = %s,\n     ",
                r->after_validation ? "true" : "false", r->breaks_spec ? "true" : "false",
                r->client_refuses ? "true" : "false");
        tpl_field("message_tpl", &r->message_tpl);
        fputs(",\n     ", out);
        tpl_field("exception_tpl", &r->exception_tpl);
        fputs(",\n     ", out);
        tpl_field("reason_tpl", &r->reason_tpl);
        fputs(",\n     ", out);
        tpl_field("item_tpl", &r->item_tpl);
        fputs(",\n     ", out);
        strs_field("vars", r->vars, r->nvars);
        fprintf(out, ", .nvars = %zu},\n", r->nvars);
    }
    fputs("};\n", out);
}

/* The next entry of regexes[] that emit_check refers to: the checks are emitted in the order
 * emit_regexes wrote their patterns. */
static size_t next_regex;

/* Every pattern of the ruleset in one array, regexes[], in the order of the shapes and their
 * checks, after the serialized form of each that has one (z<shape>_<check>). A pattern is
 * written to when first used (its compiled form, its use count), and the pages of a static
 * executable's data cost a fault each the first time they are written: a run that uses a few
 * patterns then writes one or two pages, not one per pattern. ECRLINT_ERR_NOMEM when memory
 * ran out. */
static ecrlint_status emit_regexes(const el_ruleset *rs)
{
    size_t n = 0;
    for (size_t i = 0; i < rs->nshapes; i++)
        for (size_t k = 0; k < rs->shapes[i]->nchecks; k++)
            n += rs->shapes[i]->checks[k].regex != NULL;
    next_regex = 0;
    if (!n)
        return ECRLINT_OK;
    bool *serialized = calloc(n, sizeof *serialized);
    if (!serialized)
        return ECRLINT_ERR_NOMEM;
    size_t j = 0;
    for (size_t i = 0; i < rs->nshapes; i++)
        for (size_t k = 0; k < rs->shapes[i]->nchecks; k++) {
            el_regex *re = rs->shapes[i]->checks[k].regex;
            if (!re)
                continue;
            size_t zlen = 0;
            unsigned char *z = el_regex_serialize(re, &zlen);
            serialized[j++] = z != NULL;
            if (!z)
                continue;
            /* aligned: PCRE2 reads the header through a struct */
            fprintf(out, "static _Alignas(16) const unsigned char z%zu_%zu[] = {", i, k);
            for (size_t b = 0; b < zlen; b++)
                fprintf(out, "%s%u", b ? (b % 24 ? "," : ",\n") : "", z[b]);
            fputs("};\n", out);
            pcre2_serialize_free(z);
        }
    fprintf(out, "static el_regex regexes[%zu] = {\n", n);
    j = 0;
    for (size_t i = 0; i < rs->nshapes; i++)
        for (size_t k = 0; k < rs->shapes[i]->nchecks; k++) {
            const el_regex *re = rs->shapes[i]->checks[k].regex;
            if (!re)
                continue;
            fputs("    {", out);
            str_field("source", re->source);
            fputs(", .lock = PTHREAD_MUTEX_INITIALIZER", out);
            if (serialized[j++])
                fprintf(out, ", .serialized = z%zu_%zu, .serialized_by = pcre2_build", i, k);
            fputs("},\n", out);
        }
    fputs("};\n", out);
    free(serialized);
    return ECRLINT_OK;
}

static void emit_check(const el_check *c)
{
    fprintf(out, "        {.kind = (el_check_kind)%d, ", (int)c->kind);
    str_field("rule_id", c->rule_id);
    fprintf(out, ", .if_valid = %s, .number = %lldLL,\n         .regex = ",
            c->if_valid ? "true" : "false", c->number);
    if (c->regex)
        fprintf(out, "&regexes[%zu]", next_regex++);
    else
        fputs("NULL", out);
    fputs(",\n         ", out);
    strs_field("values", c->values, c->nvalues);
    fprintf(out, ", .nvalues = %zu, ", c->nvalues);
    str_field("values_text", c->values_text);
    fputs(", ", out);
    str_field("document", c->document);
    fputs(", ", out);
    str_field("media_type_member", c->media_type_member);
    fputs(", ", out);
    str_field("digest_member", c->digest_member);
    fprintf(out, ",\n         .covers = %lluULL, .value_lengths = %lluULL},\n",
            (unsigned long long)c->covers, (unsigned long long)c->value_lengths);
}

static ecrlint_status emit_members(const el_ruleset *rs, const el_shape *s)
{
    fputs("(el_member[]){\n", out);
    for (size_t k = 0; k < s->nmembers; k++) {
        const el_member *m = &s->members[k];
        fputs("        {", out);
        str_field("name", m->name);
        fputs(", ", out);
        str_field("shape_name", m->shape_name);
        fputs(", ", out);
        ecrlint_status st = shape_field(rs, "shape", m->shape);
        if (st)
            return st;
        fputs(", ", out);
        str_field("required_rule", m->required_rule);
        fprintf(out, ", .key_char = %u},\n", (unsigned)m->key_char);
    }
    fputs("    }", out);
    return ECRLINT_OK;
}

static void emit_groups(const el_shape *s)
{
    fputs("(el_group[]){\n", out);
    for (size_t k = 0; k < s->ngroups; k++) {
        const el_group *g = &s->groups[k];
        fprintf(out, "        {.kind = (el_group_kind)%d, ", (int)g->kind);
        strs_field("members", g->members, g->nmembers);
        fprintf(out, ", .nmembers = %zu, ", g->nmembers);
        str_field("with", g->with);
        fputs(", ", out);
        str_field("rule_id", g->rule_id);
        fputs(", .member_idx = (int[]){", out);
        for (size_t m = 0; m < g->nmembers; m++)
            fprintf(out, "%s%d", m ? "," : "", g->member_idx[m]);
        fprintf(out, "}, .with_idx = %d, ", g->with_idx);
        str_field("when_member", g->when_member);
        fputs(", ", out);
        strs_field("when_values", g->when_values, g->nwhen_values);
        fprintf(out, ", .nwhen_values = %zu, .when_not = %s, .when_idx = %d},\n", g->nwhen_values,
                g->when_not ? "true" : "false", g->when_idx);
    }
    fputs("    }", out);
}

static ecrlint_status emit_shapes(const el_ruleset *rs)
{
    ecrlint_status st = emit_regexes(rs);
    if (st)
        return st;
    /* declared first: shapes point to each other */
    fprintf(out, "static el_shape shapes[%zu];\n", rs->nshapes);
    fprintf(out, "static el_shape shapes[%zu] = {\n", rs->nshapes);
    for (size_t i = 0; i < rs->nshapes; i++) {
        const el_shape *s = rs->shapes[i];
        fputs("    {", out);
        str_field("name", s->name);
        fprintf(out, ", .type = (el_type)%d, .open = %s, .capitalize = %s, .key_pos = %u,\n     ",
                (int)s->type, s->open ? "true" : "false", s->capitalize ? "true" : "false",
                (unsigned)s->key_pos);
        str_field("item_name", s->item_name);
        fputs(", ", out);
        str_field("confidence", s->confidence);
        fputs(", ", out);
        st = shape_field(rs, "item", s->item);
        if (st)
            return st;
        fprintf(out, ",\n     .nchecks = %zu, .checks = ", s->nchecks);
        if (s->nchecks) {
            fputs("(el_check[]){\n", out);
            for (size_t k = 0; k < s->nchecks; k++)
                emit_check(&s->checks[k]);
            fputs("    }", out);
        } else {
            fputs("NULL", out);
        }
        fprintf(out, ",\n     .nmembers = %zu, .members = ", s->nmembers);
        st = s->nmembers ? emit_members(rs, s) : (fputs("NULL", out), ECRLINT_OK);
        if (st)
            return st;
        fprintf(out, ",\n     .ngroups = %zu, .groups = ", s->ngroups);
        if (s->ngroups)
            emit_groups(s);
        else
            fputs("NULL", out);
        fputs("},\n", out);
    }
    fputs("};\n", out);
    fprintf(out, "static el_shape *shape_ptrs[%zu] = {", rs->nshapes);
    for (size_t i = 0; i < rs->nshapes; i++)
        fprintf(out, "%s&shapes[%zu]", i ? ", " : "", i);
    fputs("};\n", out);
    return ECRLINT_OK;
}

static void emit_detects(const el_operation *op)
{
    fputs("(el_detect[]){", out);
    for (size_t k = 0; k < op->ndetects; k++) {
        const el_detect *d = &op->detects[k];
        fputs("\n        {", out);
        strs_field("members", d->members, d->nmembers);
        fprintf(out, ", .nmembers = %zu, .all = %s, .priority = %d, ", d->nmembers,
                d->all ? "true" : "false", d->priority);
        uints_field("ids", d->ids, d->nmembers);
        fprintf(out, ", .mask = 0x%llxULL, .narrow = %s},", (unsigned long long)d->mask,
                d->narrow ? "true" : "false");
    }
    fputs("}", out);
}

static ecrlint_status emit_ops(const el_ruleset *rs)
{
    fprintf(out, "static el_operation ops[%zu] = {\n", rs->nops ? rs->nops : 1);
    for (size_t i = 0; i < rs->nops; i++) {
        const el_operation *op = &rs->ops[i];
        fputs("    {", out);
        str_field("name", op->name);
        fprintf(out, ", .kind = (ecrlint_kind)%d, ", (int)op->kind);
        str_field("target", op->target);
        fputs(",\n     ", out);
        str_field("input_name", op->input_name);
        fputs(", ", out);
        ecrlint_status st = shape_field(rs, "input", op->input);
        if (st)
            return st;
        fputs(", ", out);
        str_field("failure_list", op->failure_list);
        fprintf(out, ",\n     .nremaps = %zu, .remaps = ", op->nremaps);
        if (op->nremaps) {
            fputs("(el_remap[]){", out);
            for (size_t k = 0; k < op->nremaps; k++) {
                fputs(k ? ", {" : "{", out);
                str_field("from", op->remaps[k].from);
                fputs(", ", out);
                str_field("to", op->remaps[k].to);
                fputs("}", out);
            }
            fputs("}", out);
        } else {
            fputs("NULL", out);
        }
        fprintf(out, ",\n     .ndetects = %zu, .detects = ", op->ndetects);
        if (op->ndetects)
            emit_detects(op);
        else
            fputs("NULL", out);
        fputs(",\n     ", out);
        strs_field("name_hints", op->name_hints, op->nname_hints);
        fprintf(out, ", .nname_hints = %zu,\n     ", op->nname_hints);
        uints_field("member_ids", op->member_ids, op->input->nmembers);
        fputs("},\n", out);
    }
    fputs("};\n", out);
    return ECRLINT_OK;
}

static void emit_type_errors(const el_ruleset *rs)
{
    fprintf(out, "static el_type_error type_errors[%zu] = {",
            rs->ntype_errors ? rs->ntype_errors : 1);
    for (size_t i = 0; i < rs->ntype_errors; i++) {
        fprintf(out, "\n    {.expected = (el_type)%d, ", (int)rs->type_errors[i].expected);
        str_field("actual", rs->type_errors[i].actual);
        fputs(", ", out);
        str_field("message", rs->type_errors[i].message);
        fputs("},", out);
    }
    fputs("};\n", out);
}

static void emit_ruleset(const el_ruleset *rs)
{
    fprintf(out,
            "el_ruleset el_builtin_ruleset = {.rules = rules, .nrules = %zu, .shapes = shape_ptrs, "
            ".nshapes = %zu, .ops = ops, .nops = %zu,\n    .type_errors = type_errors, "
            ".ntype_errors = %zu, ",
            rs->nrules, rs->nshapes, rs->nops, rs->ntype_errors);
    str_field("version", rs->version);
    fputs(", .is_static = true,\n    .top = {", out);
    strs_field("names", rs->top.names, rs->top.n);
    fprintf(out, ", .n = %zu, ", rs->top.n);
    uints_field("slots", rs->top.slots, rs->top.nslots);
    fprintf(out, ", .nslots = %zu}};\n", rs->top.nslots);
}

/* The packs' text and the ruleset built from them, as C. */
static ecrlint_status emit(const el_ruleset *rs, const el_pack_doc *packs, char *const *texts,
                           const size_t *lens, size_t n)
{
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
    ecrlint_status st = emit_shapes(rs);
    if (st)
        return st;
    st = emit_ops(rs);
    if (st)
        return st;
    emit_type_errors(rs);
    emit_ruleset(rs);
    return ECRLINT_OK;
}

/* Reads and parses the pack files paths[0..n); texts[i] keeps each file's text. */
static ecrlint_status read_packs(char *const *paths, size_t n, el_pack_doc *packs, char **texts,
                                 size_t *lens)
{
    for (size_t i = 0; i < n; i++) {
        el_file f = {0};
        /* the limit of ecrlint_engine_load_rules_dir: a pack the library would refuse fails */
        if (el_file_read(&f, paths[i], (size_t)16 * 1024 * 1024) != EL_FILE_OK) {
            el_file_free(&f);
            fprintf(stderr, "packgen: cannot read %s\n", paths[i]);
            return ECRLINT_ERR_IO;
        }
        lens[i] = f.len;
        texts[i] = el_file_take(&f);
        json_error_t jerr;
        packs[i].doc = json_loadb(texts[i], lens[i], JSON_REJECT_DUPLICATES, &jerr);
        if (!packs[i].doc) {
            fprintf(stderr, "%s:%d:%d: invalid JSON: %s\n", paths[i], jerr.line, jerr.column,
                    jerr.text);
            return ECRLINT_ERR_RULES;
        }
        const char *slash = strrchr(paths[i], '/');
        char source[256];
        snprintf(source, sizeof source, "rules/%s", slash ? slash + 1 : paths[i]);
        const json_t *name = json_object_get(packs[i].doc, "name");
        packs[i].source = el_strdup(source);
        packs[i].name = el_strdup(json_is_string(name) ? json_string_value(name) : source);
        if (!packs[i].source || !packs[i].name) {
            fprintf(stderr, "packgen: out of memory\n");
            return ECRLINT_ERR_NOMEM;
        }
    }
    return ECRLINT_OK;
}

/* A rule ID given by two built-in packs: a later pack's rule replaces an earlier one (that is
 * how a user's pack overrides a built-in rule), so among the built-in packs it is a mistake
 * that would silently drop a rule. Returns false, after saying where, when there is one. */
static bool rule_ids_unique(const el_pack_doc *packs, size_t n)
{
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        const json_t *rules = json_object_get(packs[i].doc, "rules");
        for (size_t r = 0; r < json_array_size(rules); r++) {
            const char *id = json_string_value(json_object_get(json_array_get(rules, r), "id"));
            for (size_t j = 0; id && j <= i; j++) {
                const json_t *other = json_object_get(packs[j].doc, "rules");
                size_t end = j == i ? r : json_array_size(other);
                for (size_t q = 0; q < end; q++) {
                    const char *o =
                        json_string_value(json_object_get(json_array_get(other, q), "id"));
                    if (o && strcmp(o, id) == 0) {
                        fprintf(stderr, "%s: rule %s is also defined in %s\n", packs[i].source, id,
                                packs[j].source);
                        ok = false;
                    }
                }
            }
        }
    }
    return ok;
}

/* Builds the ruleset from the packs and writes it to path (through path.tmp, renamed when
 * complete, so that an interrupted build leaves no half-written file). */
static ecrlint_status generate(const char *path, const el_pack_doc *packs, char *const *texts,
                               const size_t *lens, size_t n)
{
    ecrlint_error err = {0};
    if (!rule_ids_unique(packs, n))
        return ECRLINT_ERR_RULES;
    el_ruleset *rs = el_ruleset_build(packs, n, true, &err);
    if (!rs) {
        fprintf(stderr, "%s: %s\n", err.source, err.text);
        return err.code;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    ecrlint_status st = ECRLINT_ERR_IO;
    out = fopen(tmp, "w");
    if (out) {
        st = emit(rs, packs, texts, lens, n);
        if (ferror(out) && !st)
            st = ECRLINT_ERR_IO;
        if (fclose(out) != 0 && !st)
            st = ECRLINT_ERR_IO;
        if (!st && rename(tmp, path) != 0)
            st = ECRLINT_ERR_IO;
    }
    if (st == ECRLINT_ERR_IO)
        fprintf(stderr, "packgen: cannot write %s\n", path);
    el_ruleset_free(rs);
    return st;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: ecrlint_packgen OUT.c PACK.json...\n");
        return 2;
    }
    size_t n = (size_t)argc - 2;
    el_pack_doc *packs = calloc(n, sizeof *packs);
    char **texts = calloc(n, sizeof *texts);
    size_t *lens = calloc(n, sizeof *lens);
    ecrlint_status st = ECRLINT_ERR_NOMEM;
    if (packs && texts && lens) {
        st = read_packs(argv + 2, n, packs, texts, lens);
        if (!st)
            st = generate(argv[1], packs, texts, lens, n);
    } else {
        fprintf(stderr, "packgen: out of memory\n");
    }
    for (size_t i = 0; packs && texts && lens && i < n; i++) {
        json_decref(packs[i].doc);
        el_free(packs[i].name);
        el_free(packs[i].source);
        el_free(texts[i]);
    }
    free(packs);
    free(texts);
    free(lens);
    return st ? 1 : 0;
}
