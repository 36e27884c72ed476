/* cli_rules.c - rules as documentation: `ecrlint rules` (text, json, markdown) and
 * `ecrlint explain ID`. Everything comes from the loaded rule packs (ecrlint_rule_info), so the
 * documentation cannot drift from what runs; rules/REFERENCE.md is `ecrlint rules --no-config
 * --format markdown`, checked by a CTest. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* ---- text ---- */

static void list_text(const ecrlint_engine *eng, FILE *out)
{
    size_t n = ecrlint_engine_rule_count(eng);
    for (size_t i = 0; i < n; i++) {
        const ecrlint_rule_info *r = ecrlint_engine_rule(eng, i);
        fprintf(out, "%-8s %-7s %-15s %s", r->id, ecrlint_severity_str(r->severity),
                or_empty(r->scope), or_empty(r->title));
        if (r->source && *r->source)
            fprintf(out, "  <%s>", r->source);
        fputc('\n', out);
    }
}

/* ---- json ---- */

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *pair_or_null(const char *k1, const char *v1, const char *k2, const char *v2)
{
    if (!v1)
        return json_null();
    json_t *o = json_object();
    json_object_set_new(o, k1, json_string(v1));
    json_object_set_new(o, k2, str_or_null(v2));
    return o;
}

static int list_json(const ecrlint_engine *eng, FILE *out)
{
    json_t *doc = json_object();
    json_t *rules = json_array();
    json_object_set_new(doc, "version", json_integer(1));
    json_object_set_new(doc, "rulesVersion", str_or_null(ecrlint_engine_rules_version(eng)));
    json_object_set_new(doc, "rules", rules);
    for (size_t i = 0; i < ecrlint_engine_rule_count(eng); i++) {
        const ecrlint_rule_info *r = ecrlint_engine_rule(eng, i);
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(r->id));
        json_object_set_new(o, "severity", json_string(ecrlint_severity_str(r->severity)));
        json_object_set_new(o, "scope", str_or_null(r->scope));
        json_object_set_new(o, "title", str_or_null(r->title));
        json_object_set_new(o, "help", str_or_null(r->help));
        json_object_set_new(o, "source", str_or_null(r->source));
        json_object_set_new(o, "confidence", str_or_null(r->confidence));
        json_object_set_new(o, "exception",
                            pair_or_null("code", r->exception, "message", r->exception_message));
        json_object_set_new(o, "failure",
                            pair_or_null("code", r->failure, "reason", r->failure_reason));
        json_t *ex = json_object();
        json_object_set_new(ex, "bad", str_or_null(r->bad_example));
        json_object_set_new(ex, "good", str_or_null(r->good_example));
        json_t *how = r->example_options ? json_loads(r->example_options, 0, NULL) : NULL;
        json_object_update(ex, how); /* the pack's other keys of "examples", as written there */
        json_decref(how);
        json_object_set_new(o, "examples", ex);
        json_object_set_new(o, "pack", str_or_null(r->pack));
        json_array_append_new(rules, o);
    }
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (!text)
        return CLI_EXIT_TROUBLE;
    fputs(text, out);
    fputc('\n', out);
    free(text);
    return CLI_EXIT_OK;
}

/* ---- markdown ---- */

/* Text inside a table cell: no line breaks, '|' escaped. */
static void md_cell(FILE *out, const char *s)
{
    for (const char *p = or_empty(s); *p; p++) {
        if (*p == '|')
            fputs("\\|", out);
        else if (*p == '\n' || *p == '\r')
            fputc(' ', out);
        else
            fputc(*p, out);
    }
}

/* A fenced code block long enough not to be closed by the text. */
static void md_code(FILE *out, const char *lang, const char *s)
{
    size_t run = 0, longest = 0;
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    size_t fence = longest >= 3 ? longest + 1 : 3;
    for (size_t i = 0; i < fence; i++)
        fputc('`', out);
    fprintf(out, "%s\n%s\n", lang, s);
    for (size_t i = 0; i < fence; i++)
        fputc('`', out);
    fputc('\n', out);
}

/* GitHub's heading anchor for "ECR1012: title" is long; an explicit id is simpler. */
static void anchor(FILE *out, const char *id)
{
    for (const char *p = id; *p; p++)
        fputc(tolower((unsigned char)*p), out);
}

static void md_source(FILE *out, const char *src)
{
    if (strncmp(src, "http://", 7) == 0 || strncmp(src, "https://", 8) == 0)
        fprintf(out, "<%s>", src);
    else if (strncmp(src, "README.md", 9) == 0)
        fprintf(out, "[%s](../%s)", src, src); /* REFERENCE.md lives in rules/ */
    else
        fputs(src, out);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const ecrlint_operation_info *)a)->name,
                  ((const ecrlint_operation_info *)b)->name);
}

/* The requests of one service (ECR Public's are named "ecr-public:<Operation>"), by name;
 * NULL when out of memory. */
static ecrlint_operation_info *service_requests(const ecrlint_engine *eng, bool public,
                                                size_t *count)
{
    size_t n = ecrlint_engine_operation_count(eng), k = 0;
    ecrlint_operation_info *ops = malloc((n ? n : 1) * sizeof *ops);
    if (!ops)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        ecrlint_operation_info op = ecrlint_engine_operation(eng, i);
        if (op.kind == ECRLINT_KIND_REQUEST && (strncmp(op.name, "ecr-public:", 11) == 0) == public)
            ops[k++] = op;
    }
    qsort(ops, k, sizeof *ops, by_name);
    *count = k;
    return ops;
}

/* What the packs cover, operation by operation: a request's members are checked against
 * its shapes (types, required members, the model's constraints) and the rules below. */
static void md_operations(FILE *out, const ecrlint_operation_info *const ops[2],
                          const size_t count[2])
{
    fputs(
        "\n<a id=\"operations\"></a>\n## Operations\n\n"
        "The requests ecrlint checks, each with its X-Amz-Target, and the response of each "
        "(`<Operation>Response`). Every member is checked against the model's shapes: JSON "
        "types (ECR0010), required members (ECR1000), lengths, patterns, enums, ranges and "
        "list sizes (ECR7xxx), with ECR's own wording and rules where the rules above name "
        "the operation or its members.\n\n| Service | Operation | X-Amz-Target |\n|---|---|---|\n",
        out);
    static const char *const service[2] = {"ECR", "ECR Public"};
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < count[s]; i++) {
            fprintf(out, "| %s | ", service[s]);
            md_cell(out, ops[s][i].name);
            fputs(" | ", out);
            if (ops[s][i].target)
                md_cell(out, ops[s][i].target);
            fputs(" |\n", out);
        }
}

static int list_markdown(const ecrlint_engine *eng, FILE *out, FILE *err)
{
    size_t count[2];
    ecrlint_operation_info *ecr = service_requests(eng, false, &count[0]);
    ecrlint_operation_info *pub = ecr ? service_requests(eng, true, &count[1]) : NULL;
    if (!pub) {
        free(ecr);
        cli_errorf(err, "out of memory");
        return CLI_EXIT_TROUBLE;
    }
    size_t n = ecrlint_engine_rule_count(eng);
    fputs("<!-- Generated by `ecrlint rules --no-config --format markdown`; do not edit.\n"
          "     Regenerate: build/src/ecrlint rules --no-config --format markdown > "
          "rules/REFERENCE.md -->\n",
          out);
    fprintf(out, "# ecrlint rule reference\n\nRule data version %s, %zu rules. ",
            or_empty(ecrlint_engine_rules_version(eng)), n);
    fputs("Severity is the default; `--disable ID|PREFIX` turns rules off, `ecrlint explain ID` "
          "prints one rule.\n\n",
          out);
    fprintf(out,
            "The rules cover the requests of %zu operations, ECR's %zu and ECR Public's %zu (see "
            "[Operations](#operations)), the responses of each, image manifests, image layouts "
            "and archives, and lifecycle, repository, registry and IAM policies.\n\n",
            count[0] + count[1], count[0], count[1]);
    fputs("| ID | Severity | Scope | Title | Predicts |\n|---|---|---|---|---|\n", out);
    for (size_t i = 0; i < n; i++) {
        const ecrlint_rule_info *r = ecrlint_engine_rule(eng, i);
        fprintf(out, "| [%s](#", r->id);
        anchor(out, r->id);
        fprintf(out, ") | %s | ", ecrlint_severity_str(r->severity));
        md_cell(out, r->scope);
        fputs(" | ", out);
        md_cell(out, r->title);
        fputs(" | ", out);
        if (r->exception)
            md_cell(out, r->exception);
        else if (r->failure)
            md_cell(out, r->failure);
        fputs(" |\n", out);
    }
    for (size_t i = 0; i < n; i++) {
        const ecrlint_rule_info *r = ecrlint_engine_rule(eng, i);
        fputs("\n<a id=\"", out);
        anchor(out, r->id);
        fprintf(out, "\"></a>\n## %s: ", r->id);
        md_cell(out, r->title);
        fprintf(out, "\n\n- Severity: %s\n- Scope: ", ecrlint_severity_str(r->severity));
        md_cell(out, r->scope);
        fputs("\n", out);
        if (r->confidence)
            fprintf(out, "- Confidence: %s\n", r->confidence);
        if (r->exception)
            fprintf(out, "- ECR answers: `%s`\n", r->exception);
        if (r->failure)
            fprintf(out, "- Per-image failure: `%s`\n", r->failure);
        if (r->source && *r->source) {
            fputs("- Source: ", out);
            md_source(out, r->source);
            fputc('\n', out);
        }
        if (r->pack)
            fprintf(out, "- Rule pack: %s\n", r->pack);
        if (r->exception_message) {
            fputs("\nMessage:\n\n", out);
            md_code(out, "text", r->exception_message);
        }
        if (r->failure_reason) {
            fputs("\nFailure reason:\n\n", out);
            md_code(out, "text", r->failure_reason);
        }
        if (r->help && *r->help)
            fprintf(out, "\n%s\n", r->help);
        if (r->bad_example) {
            fputs("\nBad:\n\n", out);
            md_code(out, "json", r->bad_example);
        }
        if (r->good_example) {
            fputs("\nGood:\n\n", out);
            md_code(out, "json", r->good_example);
        }
        if (r->example_options)
            fprintf(out, "\nChecked with: `%s`\n", r->example_options);
    }
    const ecrlint_operation_info *const ops[2] = {ecr, pub};
    md_operations(out, ops, count);
    free(ecr);
    free(pub);
    return CLI_EXIT_OK;
}

int cli_rules_list(const ecrlint_engine *eng, const char *format, FILE *out, FILE *err)
{
    int status = CLI_EXIT_OK;
    if (!format || strcmp(format, "text") == 0)
        list_text(eng, out);
    else if (strcmp(format, "json") == 0)
        status = list_json(eng, out);
    else if (strcmp(format, "markdown") == 0)
        status = list_markdown(eng, out, err);
    else {
        cli_errorf(err, "unknown rules format '%s' (known: text, json, markdown)", format);
        return CLI_EXIT_TROUBLE;
    }
    if (fflush(out) != 0 || ferror(out)) {
        if (errno == EPIPE) /* the reader went away (| head): end quietly, as checking does */
            return status;
        cli_errorf(err, "cannot write the rule list");
        return CLI_EXIT_TROUBLE;
    }
    return status;
}

/* Prints text indented by two spaces, line by line. */
static void indented(FILE *out, const char *s)
{
    fputs("  ", out);
    for (const char *p = s; *p; p++) {
        fputc(*p, out);
        if (*p == '\n' && p[1])
            fputs("  ", out);
    }
    fputc('\n', out);
}

int cli_rules_explain(const ecrlint_engine *eng, const char *id, FILE *out, FILE *err)
{
    const ecrlint_rule_info *r = ecrlint_engine_find_rule(eng, id);
    if (!r) {
        char up[64];
        size_t i = 0;
        for (; id[i] && i < sizeof up - 1; i++)
            up[i] = (char)toupper((unsigned char)id[i]);
        up[i] = '\0';
        r = ecrlint_engine_find_rule(eng, up);
    }
    if (!r) {
        cli_errorf(err, "unknown rule '%s' (list them with: ecrlint rules)", id);
        return CLI_EXIT_TROUBLE;
    }
    fprintf(out, "%s: %s\n\n", r->id, or_empty(r->title));
    fprintf(out, "Severity:    %s\n", ecrlint_severity_str(r->severity));
    fprintf(out, "Scope:       %s\n", or_empty(r->scope));
    if (r->confidence)
        fprintf(out, "Confidence:  %s (how sure ecrlint is of ECR's answer)\n", r->confidence);
    if (r->exception)
        fprintf(out, "ECR answers: %s\n", r->exception);
    if (r->exception_message)
        fprintf(out, "Message:     %s\n", r->exception_message);
    if (r->failure)
        fprintf(out, "Per-image failure: %s\n", r->failure);
    if (r->failure_reason)
        fprintf(out, "Reason:      %s\n", r->failure_reason);
    if (r->source && *r->source)
        fprintf(out, "Source:      %s\n", r->source);
    if (r->pack)
        fprintf(out, "Rule pack:   %s\n", r->pack);
    if (r->help && *r->help)
        fprintf(out, "\n%s\n", r->help);
    if (r->bad_example) {
        fputs("\nBad:\n", out);
        indented(out, r->bad_example);
    }
    if (r->good_example) {
        fputs("\nGood:\n", out);
        indented(out, r->good_example);
    }
    if (r->bad_example || r->good_example)
        fprintf(out, "\nChecked with: %s\n",
                r->example_options ? r->example_options
                                   : "defaults (the input's kind recognised from its text)");
    fprintf(out, "\nTurn it off with --disable %s or \"disable\": [\"%s\"] in .ecrlint.json.\n",
            r->id, r->id);
    if (fflush(out) != 0 || ferror(out))
        return CLI_EXIT_TROUBLE;
    return CLI_EXIT_OK;
}
