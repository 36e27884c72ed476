/* parse_only.c - the floor: parse every file named on the command line with jansson and do
 * nothing else. Prints the number parsed. With --lines FILE, parses each line of a JSON Lines
 * file instead. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t lines(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t ok = 0, cap = 1 << 16;
    char *line = malloc(cap);
    while (fgets(line, (int)cap, f)) {
        json_t *v = json_loads(line, 0, NULL);
        if (v) {
            ok++;
            json_decref(v);
        }
    }
    free(line);
    fclose(f);
    return ok;
}

int main(int argc, char **argv)
{
    size_t ok = 0;
    if (argc == 3 && strcmp(argv[1], "--lines") == 0) {
        printf("%zu\n", lines(argv[2]));
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        json_error_t err;
        json_t *v = json_load_file(argv[i], 0, &err);
        if (v) {
            ok++;
            json_decref(v);
        }
    }
    printf("%zu\n", ok);
    return 0;
}
