#!/bin/sh
# install_test.sh BUILD ROOT CC [CFLAG...] - installs the build into a scratch prefix with
# `cmake --install BUILD --prefix DIR` and uses it as a consumer would:
#   - libecrlint.so carries a versioned SONAME and exports exactly the functions ecrlint.h
#     declares ECRLINT_EXPORT (all ecrlint_*), nothing else;
#   - tests/package/consumer.c built with `pkg-config --cflags --libs ecrlint` (no --static)
#     links the shared library and runs with LD_LIBRARY_PATH pointing into the prefix;
#   - built with `pkg-config --static` against a copy of the prefix without the shared library,
#     it links libecrlint.a and the private requirements, and runs without the prefix.
# The consumer is compiled with -Wall -Wextra -Wpedantic -Werror (the public header must not warn)
# and the CFLAGs: the flags the library was built with that a consumer must share (sanitizers).
set -u
BUILD=$1
ROOT=$2
CC=$3
shift 3
. "$ROOT/tests/tools/common.sh"

for t in pkg-config nm readelf; do
    command -v "$t" >/dev/null 2>&1 || fail "$t not found (apt-get install pkg-config binutils)"
done
make_scratch
PREFIX="$SCRATCH/prefix"
cmake --install "$BUILD" --prefix "$PREFIX" > "$SCRATCH/install.log" 2>&1 ||
    { cat "$SCRATCH/install.log"; fail "cmake --install"; }

echo "--- installed files"
(cd "$PREFIX" && find . ! -type d | LC_ALL=C sort)
[ -x "$PREFIX/bin/ecrlint" ] || fail "bin/ecrlint not installed"
[ -f "$PREFIX/include/ecrlint/ecrlint.h" ] || fail "include/ecrlint/ecrlint.h not installed"
PC=$(find "$PREFIX" -name ecrlint.pc)
[ -n "$PC" ] && [ "$(echo "$PC" | wc -l)" = 1 ] || fail "not exactly one ecrlint.pc: '$PC'"
SYSTEM_PKG_CONFIG_PATH=${PKG_CONFIG_PATH:-}
PKG_CONFIG_PATH="$(dirname "$PC")${SYSTEM_PKG_CONFIG_PATH:+:$SYSTEM_PKG_CONFIG_PATH}"
export PKG_CONFIG_PATH
VERSION=$(pkg-config --modversion ecrlint) || fail "pkg-config cannot read ecrlint.pc"
LIBDIR=$(cd "$(pkg-config --variable=libdir ecrlint)" && pwd) || fail "the .pc file's libdir does not exist"
[ -f "$LIBDIR/libecrlint.a" ] || fail "libdir $LIBDIR has no libecrlint.a"
[ -L "$LIBDIR/libecrlint.so" ] || fail "libdir $LIBDIR has no libecrlint.so link"
[ -f "$LIBDIR/libecrlint.so.$VERSION" ] || fail "no libecrlint.so.$VERSION (the project version)"
grep -q "^#define ECRLINT_VERSION \"$VERSION\"" "$PREFIX/include/ecrlint/ecrlint_version.h" ||
    fail "ecrlint_version.h does not say $VERSION"
"$PREFIX/bin/ecrlint" --version | grep -q "^ecrlint $VERSION " || fail "ecrlint --version is not $VERSION"

echo "--- rule documentation: the installed reference, linked from each finding"
REF="$PREFIX/share/doc/ecrlint/REFERENCE.md"
[ -f "$REF" ] || fail "share/doc/ecrlint/REFERENCE.md (the rule reference) not installed"
LINK=$(env -u ECRLINT_RULES_URL "$PREFIX/bin/ecrlint" --no-config -v "$ROOT/testdata/examples/requests/describe-images-typo.json" 2>&1 |
       sed -n 's/^    see //p' | head -n 1)
echo "link: $LINK"
case "$LINK" in
    "file://$(cd "$(dirname "$REF")" && pwd -P)/REFERENCE.md#"?*) ;;
    *) fail "the installed ecrlint's -v link is not the installed reference: '$LINK'" ;;
esac
grep -q "<a id=\"${LINK##*#}\"></a>" "$REF" || fail "the installed reference has no anchor '${LINK##*#}'"
echo "--- libecrlint.so: SONAME and exported symbols"
SONAME=$(readelf -d "$LIBDIR/libecrlint.so.$VERSION" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
echo "SONAME $SONAME"
case "$SONAME" in
    libecrlint.so.[0-9]*) ;;
    *) fail "SONAME '$SONAME' is not libecrlint.so.<version>" ;;
esac
case "$VERSION" in
    "${SONAME#libecrlint.so.}".*) ;;
    *) fail "SONAME $SONAME is not a prefix of the version $VERSION" ;;
esac
[ "$(readlink "$LIBDIR/$SONAME")" = "libecrlint.so.$VERSION" ] || fail "$SONAME does not link to libecrlint.so.$VERSION"
nm -D --defined-only "$LIBDIR/libecrlint.so.$VERSION" | awk '{print $NF}' | LC_ALL=C sort > "$SCRATCH/exported"
sed -n 's/^ECRLINT_EXPORT .*[ *]\(ecrlint_[a-z0-9_]*\)(.*/\1/p' "$PREFIX/include/ecrlint/ecrlint.h" |
    LC_ALL=C sort > "$SCRATCH/declared"
echo "$(wc -l < "$SCRATCH/exported") symbols exported, $(wc -l < "$SCRATCH/declared") declared ECRLINT_EXPORT"
[ -s "$SCRATCH/declared" ] || fail "no ECRLINT_EXPORT declaration found in ecrlint.h"
diff "$SCRATCH/declared" "$SCRATCH/exported" ||
    fail "the exported symbols (+) differ from the header's ECRLINT_EXPORT functions (-)"

BAD='{"repositoryName": "team/app", "maxResults": 0}'
GOOD='{"repositoryName": "team/app", "imageIds": [{"imageTag": "v1"}]}'
# Runs the consumer on a bad and a good request and checks what it prints.
check_consumer() {
    out=$("$@" "$BAD") || fail "the consumer failed on the bad request"
    echo "bad request:  $out"
    [ "$out" = "request DescribeImages InvalidParameterException" ] || fail "unexpected: $out"
    out=$("$@" "$GOOD") || fail "the consumer failed on the good request"
    echo "good request: $out"
    [ "$out" = "request BatchGetImage none" ] || fail "unexpected: $out"
}

echo "--- shared: cc consumer.c \$(pkg-config --cflags --libs ecrlint)"
echo "pkg-config: $(pkg-config --cflags --libs ecrlint)"
# shellcheck disable=SC2046
"$CC" -Wall -Wextra -Wpedantic -Werror "$@" -o "$SCRATCH/consumer" "$ROOT/tests/package/consumer.c" $(pkg-config --cflags --libs ecrlint) ||
    fail "building against the shared library"
readelf -d "$SCRATCH/consumer" | grep -q "(NEEDED).*\[$SONAME\]" || fail "the consumer does not need $SONAME"
LD_LIBRARY_PATH="$LIBDIR" ldd "$SCRATCH/consumer" | grep -q "$SONAME => $LIBDIR/$SONAME" ||
    fail "the consumer does not load $SONAME from the prefix"
check_consumer env LD_LIBRARY_PATH="$LIBDIR" "$SCRATCH/consumer"

echo "--- static: cc consumer.c \$(pkg-config --static --cflags --libs ecrlint), libecrlint.a only"
cp -R "$PREFIX" "$SCRATCH/static-prefix" || fail "copying the prefix"
rm -f "$SCRATCH/static-prefix/${LIBDIR#"$PREFIX"/}"/libecrlint.so*
PKG_CONFIG_PATH="$(dirname "$(find "$SCRATCH/static-prefix" -name ecrlint.pc)")${SYSTEM_PKG_CONFIG_PATH:+:$SYSTEM_PKG_CONFIG_PATH}"
echo "pkg-config: $(pkg-config --static --cflags --libs ecrlint)"
# shellcheck disable=SC2046
"$CC" -Wall -Wextra -Wpedantic -Werror "$@" -o "$SCRATCH/consumer-static" "$ROOT/tests/package/consumer.c" \
    $(pkg-config --static --cflags --libs ecrlint) || fail "building against the static library"
readelf -d "$SCRATCH/consumer-static" | grep -q "(NEEDED).*libecrlint" && fail "the static consumer needs libecrlint.so"
check_consumer "$SCRATCH/consumer-static"
echo "PASSED: install"
