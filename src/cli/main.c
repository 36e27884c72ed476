/* main.c - ecrlint's entry point; everything else is in cli_*.c. */
#include "cli.h"

int main(int argc, char **argv)
{
    /* Before any jansson call (the configuration file is read with it): the library's
     * allocator for jansson, for the speed of its per-check arena (ecrlint.h). */
    ecrlint_global_init();
    return cli_main(argc, argv);
}
