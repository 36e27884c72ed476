# A small runtime image of ecrlint for CI systems that run jobs in containers, and for the
# ecrlint-docker pre-commit hook (pre-commit builds this file).
#
#   docker build -t ecrlint .
#   docker run --rm -v "$PWD:/work:ro" ecrlint                  # checks the mounted tree (.)
#   docker run --rm -v "$PWD:/work:ro" ecrlint -f sarif requests/
#
# The build stage compiles ecrlint as a static executable (jansson, PCRE2, Nettle and libc linked in;
# the stage fails if ldd finds a dynamic executable), so the runtime stage holds the program and
# its manual page only, and runs it as an unprivileged user.

FROM debian:bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends cmake gcc libc6-dev make pkg-config \
        libjansson-dev libpcre2-dev nettle-dev libarchive-dev libzstd-dev zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY src/ src/
COPY rules/ rules/
RUN cmake -S . -B build -DBUILD_TESTING=OFF \
 && cmake --build build -j"$(nproc)" --target ecrlint_cli \
 && strip build/src/ecrlint \
 && ldd build/src/ecrlint 2>&1 | grep -Eq 'statically linked|not a dynamic executable' \
 && build/src/ecrlint --version

FROM debian:bookworm-slim
COPY --from=build /src/build/src/ecrlint /usr/local/bin/ecrlint
COPY --from=build /src/src/cli/ecrlint.1 /usr/local/share/man/man1/ecrlint.1
COPY --from=build /src/rules/REFERENCE.md /usr/local/share/doc/ecrlint/REFERENCE.md
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin ecrlint
USER ecrlint
WORKDIR /work
ENTRYPOINT ["ecrlint"]
CMD ["."]
