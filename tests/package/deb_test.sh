#!/bin/sh
# deb_test.sh BUILD ROOT CC [CFLAG...] - builds the Debian package with `cpack -G DEB` from the
# build directory and checks it:
#   - dpkg-deb --info: name, version, maintainer, section, description; Depends names exactly the
#     packages that hold the shared libraries the package's ELF files load (found here with
#     readelf and dpkg -S, independently of dpkg-shlibdeps, which wrote the field); the shlibs
#     file names libecrlint's SONAME;
#   - dpkg-deb --contents: everything under /usr, the program, manual, libraries, header, .pc;
#   - lintian, when it is installed (otherwise it is not run, quietly);
#   - only as root with CI=true: installs it with apt-get, runs /usr/bin/ecrlint on
#     testdata/examples (the report must be the build's), builds tests/package/consumer.c against
#     it with pkg-config alone, and removes it with dpkg -r. Elsewhere that step is skipped
#     (exit 77), since it changes the machine.
set -u
BUILD=$1
ROOT=$2
CC=$3
shift 3
. "$ROOT/tests/tools/common.sh"

command -v dpkg-deb >/dev/null 2>&1 || missing_tool "dpkg-deb not found (not a Debian system?)"
command -v dpkg-shlibdeps >/dev/null 2>&1 ||
    missing_tool "dpkg-shlibdeps not found (apt-get install dpkg-dev): it computes Depends"
command -v cpack >/dev/null 2>&1 || fail "cpack not found (it comes with cmake)"
make_scratch
cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$SCRATCH/out" > "$SCRATCH/cpack.log" 2>&1 ||
    { cat "$SCRATCH/cpack.log"; fail "cpack -G DEB"; }
DEB=$(find "$SCRATCH/out" -maxdepth 1 -name 'ecrlint_*.deb')
[ -n "$DEB" ] && [ "$(echo "$DEB" | wc -l)" = 1 ] || fail "not exactly one ecrlint_*.deb: '$DEB'"
echo "--- $(basename "$DEB")"
dpkg-deb --info "$DEB" || fail "dpkg-deb --info"
VERSION=$("$BUILD/src/ecrlint" --version | sed -n 's/^ecrlint \([^ ]*\) .*/\1/p')
ARCH=$(dpkg --print-architecture)
field() { dpkg-deb --field "$DEB" "$1"; }
[ "$(field Package)" = ecrlint ] || fail "Package is '$(field Package)'"
case "$(field Version)" in
    "$VERSION"-[0-9]*) ;;
    *) fail "Version '$(field Version)' is not $VERSION-<release>" ;;
esac
[ "$(basename "$DEB")" = "ecrlint_$(field Version)_$ARCH.deb" ] || fail "file name is not ecrlint_VERSION_ARCH.deb"
[ "$(field Architecture)" = "$ARCH" ] || fail "Architecture is '$(field Architecture)'"
field Maintainer | grep -q '^[^<>]* <[^<>@ ]*@[^<>@ ]*>$' || fail "Maintainer is not 'Name <address>'"
[ -n "$(field Section)" ] || fail "no Section"
[ "$(field Description | wc -l)" -gt 2 ] || fail "no extended Description"
dpkg-deb --ctrl-tarfile "$DEB" | tar -xOf - ./shlibs > "$SCRATCH/shlibs" 2>/dev/null || fail "no shlibs file"

echo "--- contents"
dpkg-deb --contents "$DEB" || fail "dpkg-deb --contents"
dpkg-deb --contents "$DEB" | awk '{print $6}' > "$SCRATCH/contents"
grep -v '^\./usr/' "$SCRATCH/contents" && fail "files outside /usr"
for f in usr/bin/ecrlint 'usr/share/man/man1/ecrlint\.1.*' 'usr/lib/.*libecrlint\.so' \
         'usr/lib/.*libecrlint\.so\.[0-9.]*' 'usr/lib/.*libecrlint\.a' usr/include/ecrlint/ecrlint\\.h \
         'usr/lib/.*pkgconfig/ecrlint\.pc'; do
    grep -q "^\./$f\$" "$SCRATCH/contents" || fail "the package has no /$f"
done
mkdir "$SCRATCH/root" && dpkg-deb -x "$DEB" "$SCRATCH/root" || fail "dpkg-deb -x"
SONAME=$(readelf -d "$SCRATCH/root"/usr/lib/*libecrlint.so | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
grep -q "^libecrlint ${SONAME#libecrlint.so.} ecrlint" "$SCRATCH/shlibs" ||
    fail "shlibs does not name $SONAME: $(cat "$SCRATCH/shlibs")"

echo "--- Depends against what the ELF files load"
: > "$SCRATCH/needed"
find "$SCRATCH/root" -type f | while read -r f; do
    readelf -h "$f" >/dev/null 2>&1 || continue
    readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | while read -r so; do
        echo "${f#"$SCRATCH/root"}: $so" >> "$SCRATCH/loads"
        [ "$so" = "$SONAME" ] && continue
        pkgs=$(dpkg -S "*/$so" 2>/dev/null | sed -n "s/^\([^:,]*\):$ARCH: .*/\1/p" | sort -u)
        [ -n "$pkgs" ] || pkgs=$(dpkg -S "*/$so" 2>/dev/null | sed -n 's/^\([^:,]*\): .*/\1/p' | sort -u)
        [ "$(echo "$pkgs" | wc -l)" = 1 ] && [ -n "$pkgs" ] || { echo "?$so"; continue; }
        echo "$pkgs"
    done >> "$SCRATCH/needed"
done
cat "$SCRATCH/loads" 2>/dev/null
grep '^?' "$SCRATCH/needed" && fail "no single installed package holds these libraries"
sort -u "$SCRATCH/needed" > "$SCRATCH/expected"
field Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//' | sed '/^$/d' | sort -u > "$SCRATCH/depends"
echo "Depends: $(field Depends)"
diff "$SCRATCH/expected" "$SCRATCH/depends" ||
    fail "Depends (+) is not the set of packages holding the loaded libraries (-)"

if command -v lintian >/dev/null 2>&1; then
    echo "--- lintian"
    # The package is not made for the Debian archive: it has no Debian changelog, and no
    # copyright file because the project states no licence. Any other error fails the test;
    # warnings are shown (one package holding the program and the library draws some).
    lintian --fail-on error --suppress-tags no-changelog,no-copyright-file "$DEB" || fail "lintian"
fi

if [ "$(id -u)" != 0 ] || [ "${CI:-}" != true ]; then
    echo "SKIPPED: installing the package (only as root with CI=true: it changes the machine)"
    exit 77
fi
echo "--- apt-get install $(basename "$DEB") (CI)"
case "$(dpkg-query -W -f '${Status}' ecrlint 2>/dev/null)" in
    "" | *" not-installed" | *" config-files") ;;
    *) fail "a package ecrlint is installed already; this test would replace and then remove it" ;;
esac
cp "$DEB" "$SCRATCH/out/pkg.deb" # apt-get reads the file as user _apt: use a world-readable path
chmod 755 "$SCRATCH" "$SCRATCH/out" && chmod 644 "$SCRATCH/out/pkg.deb"
trap 'dpkg --purge ecrlint >/dev/null 2>&1; rm -rf "$SCRATCH"' EXIT
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$SCRATCH/out/pkg.deb" ||
    fail "apt-get install"
[ "$(dpkg-query -W -f '${Status}' ecrlint)" = "install ok installed" ] || fail "not installed"
/usr/bin/ecrlint --version || fail "/usr/bin/ecrlint --version"
/usr/bin/ecrlint --version | grep -q "^ecrlint $VERSION " || fail "the installed ecrlint is not $VERSION"
cd "$ROOT" || fail "cd"
/usr/bin/ecrlint --color never testdata/examples > "$SCRATCH/installed.txt" 2>&1
rc=$?
"$BUILD/src/ecrlint" --color never testdata/examples > "$SCRATCH/built.txt" 2>&1
cat "$SCRATCH/installed.txt"
[ "$rc" = 1 ] || fail "the installed ecrlint exits $rc on testdata/examples (findings: 1)"
cmp "$SCRATCH/built.txt" "$SCRATCH/installed.txt" || fail "the installed and built ecrlint report differently"
echo "--- the library from the package, found by pkg-config and the dynamic loader alone"
unset PKG_CONFIG_PATH LD_LIBRARY_PATH
# shellcheck disable=SC2046
"$CC" -Wall -Wextra -Werror "$@" -o "$SCRATCH/consumer" "$ROOT/tests/package/consumer.c" \
    $(pkg-config --cflags --libs ecrlint) || fail "building against the installed package"
out=$("$SCRATCH/consumer" '{"repositoryName": "team/app", "maxResults": 0}') || fail "consumer"
echo "$out"
[ "$out" = "request DescribeImages InvalidParameterException" ] || fail "unexpected: $out"
dpkg -r ecrlint || fail "dpkg -r ecrlint"
[ -e /usr/bin/ecrlint ] && fail "/usr/bin/ecrlint is still there after dpkg -r"
ls /usr/lib/libecrlint* /usr/lib/*/libecrlint* 2>/dev/null && fail "libecrlint is still there after dpkg -r"
dpkg --purge ecrlint || fail "dpkg --purge ecrlint" # what dpkg -r keeps: the postrm, for a purge
echo "PASSED: Debian package"
