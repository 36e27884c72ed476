/* parse_only.c - the benchmark's floor: parse JSON with jansson and do nothing else.
 *
 *   parse_only FILE...        json_load_file() on each file
 *   parse_only -l LIST        the same for each path listed in LIST, one per line
 *   parse_only --jsonl FILE   json_loads() on each line of a JSON Lines file
 *
 * Prints "<parsed> parsed, <failed> failed". Exit 0 when every input parsed, 1 otherwise, 2 on
 * usage or I/O trouble. Built by run.sh: cc -O2 parse_only.c $(pkg-config --cflags --libs jansson)
 */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t parsed, failed;

static void parse_file(const char *path)
{
    json_error_t err;
    json_t *v = json_load_file(path, 0, &err);
    if (v) {
        parsed++;
        json_decref(v);
    } else {
        failed++;
    }
}

/* Reads lines of any length; calls fn on each non-empty one (without its newline). */
static int each_line(const char *path, void (*fn)(const char *, size_t))
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n > 0)
            fn(line, (size_t)n);
    }
    free(line);
    fclose(f);
    return 0;
}

static void parse_path_line(const char *line, size_t n)
{
    (void)n;
    parse_file(line);
}

static void parse_json_line(const char *line, size_t n)
{
    json_error_t err;
    json_t *v = json_loadb(line, n, 0, &err);
    if (v) {
        parsed++;
        json_decref(v);
    } else {
        failed++;
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: parse_only FILE... | -l LIST | --jsonl FILE\n");
        return 2;
    }
    if (argc == 3 && strcmp(argv[1], "-l") == 0) {
        if (each_line(argv[2], parse_path_line) != 0)
            return 2;
    } else if (argc == 3 && strcmp(argv[1], "--jsonl") == 0) {
        if (each_line(argv[2], parse_json_line) != 0)
            return 2;
    } else {
        for (int i = 1; i < argc; i++)
            parse_file(argv[i]);
    }
    printf("%zu parsed, %zu failed\n", parsed, failed);
    return failed ? 1 : 0;
}
