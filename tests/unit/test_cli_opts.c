/* test_cli_opts.c - option parsing, globs, rule filters and configuration files of the CLI
 * (ecrlint_cli_core). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "suite_run.h"

static FILE *sink_out, *sink_err;
static char errbuf[4096];

static void setup(void)
{
    sink_out = tmpfile();
    sink_err = tmpfile();
}

static void teardown(void)
{
    fclose(sink_out);
    fclose(sink_err);
}

/* What was written to sink_err so far. */
static const char *err_text(void)
{
    fflush(sink_err);
    rewind(sink_err);
    size_t n = fread(errbuf, 1, sizeof errbuf - 1, sink_err);
    errbuf[n] = '\0';
    return errbuf;
}

static cli_status parse(cli_options *o, const char *const *args)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)"ecrlint";
    for (; *args; args++)
        argv[argc++] = (char *)*args;
    argv[argc] = NULL;
    return cli_parse_args(argc, argv, o, sink_out, sink_err);
}

START_TEST(several_formats_with_files)
{
    cli_options o;
    const char *args[] = {"-f", "text", "--format=sarif:out/r.sarif", "-fjunit:-", "a.json", NULL};
    ck_assert_int_eq(parse(&o, args), CLI_OK);
    ck_assert_uint_eq(o.noutputs, 3);
    ck_assert_str_eq(o.outputs[0].format, "text");
    ck_assert_ptr_null(o.outputs[0].file);
    ck_assert_str_eq(o.outputs[1].format, "sarif");
    ck_assert_str_eq(o.outputs[1].file, "out/r.sarif");
    ck_assert_str_eq(o.outputs[2].format, "junit");
    ck_assert_ptr_null(o.outputs[2].file); /* '-' is standard output */
    ck_assert_uint_eq(o.npaths, 1);
    cli_options_free(&o);
}
END_TEST

START_TEST(bad_formats)
{
    cli_options o;
    const char *a1[] = {"-f", "xml", NULL};
    ck_assert_int_eq(parse(&o, a1), CLI_USAGE);
    ck_assert_ptr_nonnull(
        strstr(err_text(), "unknown format 'xml' (known: text, json, gcc, sarif"));
    cli_options_free(&o);
    const char *a2[] = {"-f", "sarif:", NULL};
    ck_assert_int_eq(parse(&o, a2), CLI_USAGE);
    cli_options_free(&o);
    const char *a3[] = {"rules", "-f", "sarif", NULL};
    ck_assert_int_eq(parse(&o, a3), CLI_USAGE);
    cli_options_free(&o);
}
END_TEST

START_TEST(subcommands)
{
    cli_options o;
    const char *a1[] = {"rules", "--format", "markdown", NULL};
    ck_assert_int_eq(parse(&o, a1), CLI_OK);
    ck_assert_int_eq(o.command, CLI_CMD_RULES);
    ck_assert_str_eq(o.outputs[0].format, "markdown");
    cli_options_free(&o);
    const char *a2[] = {"explain", "ECR1012", NULL};
    ck_assert_int_eq(parse(&o, a2), CLI_OK);
    ck_assert_int_eq(o.command, CLI_CMD_EXPLAIN);
    ck_assert_str_eq(o.explain_id, "ECR1012");
    ck_assert_uint_eq(o.npaths, 0);
    cli_options_free(&o);
    const char *a3[] = {"explain", NULL};
    ck_assert_int_eq(parse(&o, a3), CLI_USAGE);
    cli_options_free(&o);
    const char *a4[] = {"rules", "--baseline", "b.json", NULL};
    ck_assert_int_eq(parse(&o, a4), CLI_USAGE);
    ck_assert_ptr_nonnull(strstr(err_text(), "does not apply to 'ecrlint rules'"));
    cli_options_free(&o);
    /* Only the first argument is a subcommand: here "rules" is a path. */
    const char *a5[] = {"-q", "rules", NULL};
    ck_assert_int_eq(parse(&o, a5), CLI_OK);
    ck_assert_int_eq(o.command, CLI_CMD_CHECK);
    ck_assert_uint_eq(o.npaths, 1);
    cli_options_free(&o);
}
END_TEST

START_TEST(disable_enable_lists)
{
    cli_options o;
    const char *args[] = {"--disable", "ECR1, ECR3001", "-e", "ECR1012", "-dECR0020", NULL};
    ck_assert_int_eq(parse(&o, args), CLI_OK);
    ck_assert_uint_eq(o.cli_rules.n, 4);
    ck_assert_str_eq(o.cli_rules.items[1].pattern, "ECR3001");
    ck_assert(!o.cli_rules.items[1].on);
    ck_assert(o.cli_rules.items[2].on);
    cli_filter f;
    ck_assert(cli_filter_build(&o, "a.json", &f));
    ck_assert(!cli_filter_rule_on(&f, "ECR1010"));
    ck_assert(cli_filter_rule_on(&f, "ECR1012")); /* the ID beats the prefix */
    ck_assert(!cli_filter_rule_on(&f, "ECR3001"));
    ck_assert(cli_filter_rule_on(&f, "ECR3002"));
    ck_assert(!cli_filter_rule_on(&f, "ECR0020"));
    ck_assert(cli_filter_rule_on(&f, "ECR0001"));
    cli_filter_free(&f);
    cli_options_free(&o);
}
END_TEST

START_TEST(filter_order_and_specificity)
{
    cli_rule_entries cfg = {0}, cli = {0};
    cli_rule_entries_add(&cfg, "ECR1012", false);
    cli_rule_entries_add(&cli, "ECR1", true);
    cli_rule_entries_add(&cli, "ECR2", false);
    cli_rule_entries_add(&cli, "ECR2", true); /* equally specific: the later wins */
    const cli_rule_entry *e[] = {&cfg.items[0], &cli.items[0], &cli.items[1], &cli.items[2]};
    cli_filter f = {e, 4, NULL, ECRLINT_CLIENT_DEFAULT};
    ck_assert(!cli_filter_rule_on(&f, "ECR1012"));
    ck_assert(cli_filter_rule_on(&f, "ECR1013"));
    ck_assert(cli_filter_rule_on(&f, "ECR2003"));
    cli_rule_entries_free(&cfg);
    cli_rule_entries_free(&cli);
}
END_TEST

START_TEST(levels)
{
    cli_options o;
    const char *args[] = {"--severity", "warning", "--fail-on", "none", NULL};
    ck_assert_int_eq(parse(&o, args), CLI_OK);
    ck_assert_int_eq(o.severity, ECRLINT_SEVERITY_WARNING);
    ck_assert_int_eq(o.fail_on, CLI_LEVEL_NONE);
    ck_assert(o.set_severity && o.set_fail_on);
    cli_options_free(&o);
    const char *bad[] = {"--severity", "none", NULL};
    ck_assert_int_eq(parse(&o, bad), CLI_USAGE);
    cli_options_free(&o);
}
END_TEST

START_TEST(help_mentions_every_option)
{
    cli_options o;
    const char *args[] = {"--help", NULL};
    ck_assert_int_eq(parse(&o, args), CLI_EXIT_NOW);
    fflush(sink_out);
    rewind(sink_out);
    static char help[8192];
    size_t n = fread(help, 1, sizeof help - 1, sink_out);
    help[n] = '\0';
    const char *want[] = {"--format",         "--severity",
                          "--fail-on",        "--disable",
                          "--enable",         "--baseline",
                          "--write-baseline", "--config",
                          "--no-config",      "--exclude",
                          "--stdin-filename", "--jobs",
                          "ecrlint rules",    "ecrlint explain",
                          "Exit status",      "sarif",
                          "github",           "junit"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(strstr(help, want[i]) != NULL, "--help lacks %s", want[i]);
    /* short: fits a screen or two */
    size_t lines = 0;
    for (char *p = help; *p; p++)
        lines += *p == '\n';
    ck_assert_uint_le(lines, 50);
    cli_options_free(&o);
}
END_TEST

/* -j: explicit values win; the default is the number of online CPUs, 1 under pre-commit. */
START_TEST(jobs_default_and_explicit)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int want = cpus < 1 ? 1 : cpus > CLI_MAX_JOBS ? CLI_MAX_JOBS : (int)cpus;
    char *saved = getenv("PRE_COMMIT") ? strdup(getenv("PRE_COMMIT")) : NULL;

    unsetenv("PRE_COMMIT");
    ck_assert_int_eq(cli_default_jobs(), want);
    setenv("PRE_COMMIT", "", 1); /* set but empty: not pre-commit */
    ck_assert_int_eq(cli_default_jobs(), want);
    setenv("PRE_COMMIT", "1", 1);
    ck_assert_int_eq(cli_default_jobs(), 1);

    cli_options o;
    const char *none[] = {"a.json", NULL};
    ck_assert_int_eq(parse(&o, none), CLI_OK);
    ck_assert_int_eq(o.jobs, 0); /* 0: the default, looked up only when needed */
    cli_options_free(&o);
    const char *three[] = {"-j", "3", "a.json", NULL}; /* wins over PRE_COMMIT */
    ck_assert_int_eq(parse(&o, three), CLI_OK);
    ck_assert_int_eq(o.jobs, 3);
    cli_options_free(&o);
    const char *most[] = {"--jobs=256", NULL};
    ck_assert_int_eq(parse(&o, most), CLI_OK);
    ck_assert_int_eq(o.jobs, 256);
    cli_options_free(&o);
    const char *cpus_any[] = {"-j", "0", "a.json", NULL}; /* one per CPU, even under PRE_COMMIT */
    ck_assert_int_eq(parse(&o, cpus_any), CLI_OK);
    ck_assert_int_eq(o.jobs, want);
    cli_options_free(&o);
    const char *bad[][3] = {{"-j", "257", NULL}, {"-j", "two", NULL}, {"-j", "-1", NULL}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(parse(&o, bad[i]), CLI_USAGE);
        cli_options_free(&o);
    }
    ck_assert_ptr_nonnull(strstr(err_text(), "--jobs takes a number from 0 (one per CPU) to 256"));

    if (saved)
        setenv("PRE_COMMIT", saved, 1);
    else
        unsetenv("PRE_COMMIT");
    free(saved);
}
END_TEST

START_TEST(size_limits)
{
    cli_options o;
    const char *mib[] = {"--max-file-size", "5M", "a.json", NULL};
    ck_assert_int_eq(parse(&o, mib), CLI_OK);
    ck_assert_uint_eq(o.limits.max_file_size, 5u * 1024 * 1024);
    cli_options_free(&o);
    const char *ceiling[] = {"--max-file-size=1G", "a.json", NULL};
    ck_assert_int_eq(parse(&o, ceiling), CLI_OK);
    ck_assert_uint_eq(o.limits.max_file_size, ECRLINT_MAX_FILE_SIZE);
    cli_options_free(&o);
    /* One byte over the ceiling, or far over: refused, not clamped behind the user's back. */
    const char *over[][3] = {{"--max-file-size", "1073741825", NULL},
                             {"--max-file-size", "2G", NULL},
                             {"--max-file-size", "0", NULL}};
    for (size_t i = 0; i < sizeof over / sizeof over[0]; i++) {
        ck_assert_int_eq(parse(&o, over[i]), CLI_USAGE);
        cli_options_free(&o);
    }
    const char *said = err_text();
    ck_assert_ptr_nonnull(
        strstr(said, "--max-file-size is at most 1G (1073741824 bytes); not '2G'"));
    ck_assert_ptr_nonnull(strstr(said, "--max-file-size takes a positive number; not '0'"));
}
END_TEST

START_TEST(globs)
{
    struct {
        const char *pattern, *path;
        bool hit;
    } cases[] = {
        {"legacy/**", "legacy/a.json", true},
        {"legacy/**", "legacy/x/y/a.json", true},
        {"legacy/**", "new/legacy.json", false},
        {"legacy/", "legacy/x/a.json", true},
        {"legacy", "src/legacy/a.json", true}, /* no '/': a name at any depth */
        {"/legacy", "src/legacy/a.json", false},
        {"**/fixtures/*.json", "a/b/fixtures/x.json", true},
        {"**/fixtures/*.json", "fixtures/x.json", true},
        {"**/fixtures/*.json", "fixtures/sub/x.json", false},
        {"*.json", "deep/dir/x.json", true},
        {"req/*.json", "req/sub/x.json", false},
        {"req/?.json", "req/a.json", true},
        {"req/[a-c].json", "req/b.json", true},
        {"req/[!a-c].json", "req/b.json", false},
        {"a/b.json", "./a/b.json", true},
        {"package.json", "node/package.json", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_msg(cli_glob_match(cases[i].pattern, cases[i].path) == cases[i].hit, "%s vs %s",
                      cases[i].pattern, cases[i].path);
}
END_TEST

START_TEST(paths)
{
    char *p = cli_path_relative("/repo", "/repo/a/../b/./c.json");
    ck_assert_str_eq(p, "b/c.json");
    free(p);
    p = cli_path_relative("/repo", "/other/c.json");
    ck_assert_str_eq(p, "/other/c.json");
    free(p);
    p = cli_path_relative("/", "/x/y");
    ck_assert_str_eq(p, "x/y");
    free(p);
}
END_TEST

/* ---- configuration files, in a scratch directory ---- */

static char scratch[256];

static void scratch_setup(void)
{
    setup();
    snprintf(scratch, sizeof scratch, "%s/ecrlint-cfg.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(scratch));
}

static void scratch_teardown(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    ck_assert_int_eq(system(cmd), 0);
    teardown();
}

static void write_file(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", scratch, rel);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static cli_status load(cli_options *o, const char *text)
{
    write_file(".ecrlint.json", text);
    char path[512];
    snprintf(path, sizeof path, "%s/.ecrlint.json", scratch);
    const char *none[] = {NULL};
    ck_assert_int_eq(parse(o, none), CLI_OK);
    return cli_config_load(o, path, sink_err);
}

START_TEST(config_unknown_key_names_file_and_key)
{
    cli_options o;
    ck_assert_int_eq(load(&o, "{\"disable\": [], \"failOnn\": \"error\"}"), CLI_USAGE);
    ck_assert_ptr_nonnull(strstr(err_text(), ".ecrlint.json: unknown key 'failOnn'"));
    cli_options_free(&o);
    ck_assert_int_eq(load(&o, "{\"paths\": {\"a/**\": {\"disabel\": []}}}"), CLI_USAGE);
    ck_assert_ptr_nonnull(strstr(err_text(), "unknown key 'paths.a/**.disabel'"));
    cli_options_free(&o);
}
END_TEST

START_TEST(config_type_errors)
{
    cli_options o;
    ck_assert_int_eq(load(&o, "{\"severity\": \"loud\"}"), CLI_USAGE);
    ck_assert_ptr_nonnull(strstr(err_text(), "'severity' must be"));
    cli_options_free(&o);
    ck_assert_int_eq(load(&o, "{\"disable\": [1]}"), CLI_USAGE);
    cli_options_free(&o);
    ck_assert_int_eq(load(&o, "{\"format\": \"pdf\"}"), CLI_USAGE);
    cli_options_free(&o);
    ck_assert_int_eq(load(&o, "{\"disable\": [\"A\"], \"disable\": [\"B\"]}"), CLI_USAGE);
    ck_assert_ptr_nonnull(strstr(err_text(), "invalid configuration"));
    cli_options_free(&o);
    ck_assert_int_eq(load(&o, "[]"), CLI_USAGE);
    cli_options_free(&o);
}
END_TEST

START_TEST(config_values_and_precedence)
{
    cli_options o;
    const char *args[] = {"--fail-on", "warning", "-d", "ECR3", NULL};
    ck_assert_int_eq(parse(&o, args), CLI_OK);
    write_file(
        ".ecrlint.json",
        "{\"$schema\": \"x\", \"disable\": [\"ECR1\"], \"enable\": \"ECR1012\", "
        "\"severity\": \"warning\", \"failOn\": \"none\", \"format\": [\"text\", "
        "\"sarif:out.sarif\"], \"operation\": \"BatchGetImage\", \"exclude\": [\"vendor/\"], "
        "\"rules\": \"myrules\", \"baseline\": \"b.json\", "
        "\"paths\": {\"legacy/**\": {\"disable\": [\"ECR0020\"]}}}");
    char path[512];
    snprintf(path, sizeof path, "%s/.ecrlint.json", scratch);
    ck_assert_int_eq(cli_config_load(&o, path, sink_err), CLI_OK);
    ck_assert_int_eq(o.severity, ECRLINT_SEVERITY_WARNING); /* from the file */
    ck_assert_int_eq(o.fail_on, ECRLINT_SEVERITY_WARNING);  /* the command line wins */
    ck_assert_str_eq(o.operation, "BatchGetImage");
    ck_assert_uint_eq(o.noutputs, 2);
    ck_assert_ptr_nonnull(strstr(o.outputs[1].file, "/out.sarif")); /* relative to the file */
    ck_assert_ptr_nonnull(strstr(o.rules_dir, "/myrules"));
    ck_assert_ptr_nonnull(strstr(o.baseline, "/b.json"));
    ck_assert_uint_eq(o.nexcludes, 1);
    ck_assert_uint_eq(o.npath_rules, 1);

    char legacy[512], other[512];
    snprintf(legacy, sizeof legacy, "%s/legacy/x/a.json", scratch);
    snprintf(other, sizeof other, "%s/new/a.json", scratch);
    cli_filter f;
    ck_assert(cli_filter_build(&o, legacy, &f));
    ck_assert(!cli_filter_rule_on(&f, "ECR0020"));
    ck_assert(!cli_filter_rule_on(&f, "ECR1010"));
    ck_assert(cli_filter_rule_on(&f, "ECR1012"));
    ck_assert(!cli_filter_rule_on(&f, "ECR3001")); /* command line */
    cli_filter_free(&f);
    ck_assert(cli_filter_build(&o, other, &f));
    ck_assert(cli_filter_rule_on(&f, "ECR0020"));
    cli_filter_free(&f);
    char vendored[512];
    snprintf(vendored, sizeof vendored, "%s/vendor/v.json", scratch);
    ck_assert(cli_glob_matches_input(&o.excludes[0], vendored));
    ck_assert(!cli_glob_matches_input(&o.excludes[0], other));
    cli_options_free(&o);
}
END_TEST

START_TEST(config_discovery_stops_at_repository_root)
{
    char dir[512], found_at[512];
    snprintf(dir, sizeof dir, "%s/repo/a/b", scratch);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' '%s/repo/.git'", dir, scratch);
    ck_assert_int_eq(system(cmd), 0);
    /* above the repository: never found from inside it */
    write_file(".ecrlint.json", "{}");
    ck_assert_ptr_null(cli_config_find(dir));
    write_file("repo/a/.ecrlint.json", "{}");
    char *f = cli_config_find(dir);
    snprintf(found_at, sizeof found_at, "%s/repo/a/.ecrlint.json", scratch);
    ck_assert_str_eq(f, found_at);
    free(f);
    /* outside any repository the walk goes on up */
    snprintf(dir, sizeof dir, "%s/plain/x", scratch);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    f = cli_config_find(dir);
    snprintf(found_at, sizeof found_at, "%s/.ecrlint.json", scratch);
    ck_assert_str_eq(f, found_at);
    free(f);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("options");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, several_formats_with_files);
    tcase_add_test(tc, bad_formats);
    tcase_add_test(tc, subcommands);
    tcase_add_test(tc, disable_enable_lists);
    tcase_add_test(tc, filter_order_and_specificity);
    tcase_add_test(tc, levels);
    tcase_add_test(tc, help_mentions_every_option);
    tcase_add_test(tc, jobs_default_and_explicit);
    tcase_add_test(tc, size_limits);
    tcase_add_test(tc, globs);
    tcase_add_test(tc, paths);
    suite_add_tcase(s, tc);
    TCase *cfg = tcase_create("config");
    tcase_add_checked_fixture(cfg, scratch_setup, scratch_teardown);
    tcase_add_test(cfg, config_unknown_key_names_file_and_key);
    tcase_add_test(cfg, config_type_errors);
    tcase_add_test(cfg, config_values_and_precedence);
    tcase_add_test(cfg, config_discovery_stops_at_repository_root);
    suite_add_tcase(s, cfg);
    return s;
}

int main(void)
{
    return suite_run(suite());
}
