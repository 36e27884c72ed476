#!/usr/bin/env python3
"""Writes the JSON Lines inputs of the input-jsonl-chunks-* and input-jsonl-mixed-* cases
(deterministic; run from anywhere, the files go next to this script):

  chunks.jsonl       about 5 chunks of ecrlint's 64 KiB (CLI_JSONL_CHUNK_BYTES in src/cli/cli.h):
                     the last line of every chunk and the first one after it have findings (a
                     record ending in LF, one in CRLF, or a line that is not JSON, in turn),
                     blank and white-space lines here and there (one opening a chunk), and the
                     file ends with a record with a finding and no newline
  blank-lines.jsonl  over one chunk of blank and white-space lines: no record at all
"""
import os

CHUNK = 64 * 1024
HERE = os.path.dirname(os.path.abspath(__file__))


def record(length, bad, eol):
    head = '{"repositoryName": "Web",' if bad else '{"repositoryName": "web",'
    tail = '"maxResults": 0}' if bad else '"maxResults": 5}'
    return head + " " * (length - len(head) - len(tail) - len(eol)) + tail + eol


def chunks_file():
    out, n, line, chunk_start, chunks = [], 0, 1, 0, 1
    seed, after_boundary, opened_blank = 7, False, False
    while n < 5 * CHUNK:
        seed = (seed * 1103515245 + 12345) % 2**32
        length = 200 + (seed >> 8) % 4000
        ends_chunk = n + length - 1 >= chunk_start + CHUNK - 1
        kind = chunks % 3
        if after_boundary and chunks == 3 and not opened_blank:
            text, ends_chunk, opened_blank = " \t\r\n", False, True  # a blank line opening a chunk
        elif ends_chunk or after_boundary:
            if kind == 2:
                text = "not json" + " " * (length - 9) + "\n"
            else:
                text = record(length, True, "\r\n" if kind == 1 else "\n")
            after_boundary = False
        elif (seed >> 12) % 11 == 0:
            text = "\n" if (seed >> 16) % 2 else "   \r\n"
        elif (seed >> 12) % 13 == 0:
            text = record(length, True, "\n")
        else:
            text = record(length, False, "\r\n" if (seed >> 20) % 5 == 0 else "\n")
        out.append(text)
        n += len(text)
        line += 1
        if ends_chunk:
            chunk_start, chunks, after_boundary = n, chunks + 1, True
    out.append(record(80, True, ""))
    return "".join(out)


def blank_file():
    return "   \t\r\n\n" * (CHUNK // 7 + 100)


for name, body in (("chunks.jsonl", chunks_file()), ("blank-lines.jsonl", blank_file())):
    with open(os.path.join(HERE, name), "w", encoding="ascii", newline="") as f:
        f.write(body)
