"""Build the word lists of the password rules into compact package data.

Run from the repository root (needs pip and the network; the runtime needs neither)::

    .venv/bin/python scripts/build_password_lists.py

It downloads, with pip, into a temporary directory that is deleted afterwards:

- **Django** (``django==5.2.*``, BSD-3-Clause): ``django/contrib/auth/common-passwords.txt.gz``,
  the 20 000 most common passwords of leaked corpora as compiled by Royce Williams
  (https://gist.github.com/roycewilliams/226886fd01572964e1431ac8afc999ce), lowercased
  and deduplicated by Django (19 640 lines). Written to
  ``src/selfcare/identity/data/common_passwords.txt.gz``: each entry folded the way
  :func:`selfcare.identity.password_normalize.blocklist_candidates` folds a password
  (NFKC, case, Nordic letters; digits and symbols stripped from both ends), entries
  shorter than three characters dropped, duplicates dropped, Django's order kept.
- **wordfreq** (``wordfreq==3.1.1``; code Apache-2.0, data CC BY-SA 4.0, compiled by
  Robyn Speer from Wikipedia, OpenSubtitles, ParaCrawl, Google Books Ngrams, the Leeds
  Internet Corpus and Twitter): the "small" frequency lists of Finnish, Swedish,
  Norwegian Bokmål and Danish. Written to
  ``src/selfcare/identity/data/nordic_frequency.txt.gz``: the :data:`WORDS_PER_LANGUAGE`
  most frequent words of each language that are letters only and at least three long,
  merged by rank (the first word of each language, then the second...), each followed
  by its form without Nordic marks (``kesä``, ``kesa``). zxcvbn ranks them like its
  own English lists.
- **msgpack** (Apache-2.0), only to read wordfreq's files.

It also writes ``src/selfcare/identity/data/SOURCES.md`` with the versions, the
licences and the SHA-256 of what it read. The hand-written Nordic word classes
(``nordic_words.toml``) are not built: they are edited by hand.
"""

from __future__ import annotations

import gzip
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "selfcare" / "identity" / "data"
DJANGO = "django==5.2.*"
WORDFREQ = "wordfreq==3.1.1"
LANGUAGES = ("fi", "sv", "nb", "da")
WORDS_PER_LANGUAGE = 12_000

sys.path.insert(0, str(ROOT / "src"))
from selfcare.identity.password_normalize import (  # noqa: E402 - needs the path above
    blocklist_candidates,
    fold,
    strip_ends,
)


def _pip(*args: str) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-m", "pip", "-q", *args], check=True
    )


def _download(workdir: Path) -> tuple[Path, Path]:
    _pip("download", "--no-deps", "--only-binary=:all:", "-d", str(workdir), DJANGO, WORDFREQ)
    _pip("install", "--no-deps", "--target", str(workdir / "lib"), "msgpack")
    sys.path.insert(0, str(workdir / "lib"))
    django = next(workdir.glob("django-*.whl"))
    wordfreq = next(workdir.glob("wordfreq-*.whl"))
    return django, wordfreq


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_list(name: str, words: list[str]) -> int:
    data = gzip.compress(("\n".join(words) + "\n").encode("utf-8"), compresslevel=9, mtime=0)
    (DATA / name).write_bytes(data)
    return len(data)


def common_passwords(raw: bytes) -> list[str]:
    """Django's list, folded and stripped like a password (see the module)."""
    found: dict[str, None] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        core = strip_ends(fold(line.strip()))
        if len(core) >= 3:
            found.setdefault(core, None)
    return list(found)


def _letters_only(word: str) -> bool:
    return len(word) >= 3 and word.isalpha()


def frequency_words(lists: dict[str, list[list[str]]]) -> list[str]:
    """wordfreq's buckets of each language, merged by rank (see the module)."""
    ranked: dict[str, list[str]] = {}
    for lang, buckets in lists.items():
        words = [w for bucket in buckets for w in bucket if _letters_only(w)]
        ranked[lang] = words[:WORDS_PER_LANGUAGE]
    merged: dict[str, None] = {}
    for rank in range(WORDS_PER_LANGUAGE):
        for lang in LANGUAGES:
            if rank < len(ranked[lang]):
                word = ranked[lang][rank]
                merged.setdefault(word, None)
                merged.setdefault(fold(word), None)
    return [w for w in merged if w.isalpha()]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        django_wheel, wordfreq_wheel = _download(workdir)
        import msgpack  # noqa: PLC0415 - installed just above, into the temporary dir

        with zipfile.ZipFile(django_wheel) as wheel:
            raw_common = wheel.read("django/contrib/auth/common-passwords.txt.gz")
        lists: dict[str, list[list[str]]] = {}
        digests: dict[str, str] = {}
        with zipfile.ZipFile(wordfreq_wheel) as wheel:
            for lang in LANGUAGES:
                raw = wheel.read(f"wordfreq/data/small_{lang}.msgpack.gz")
                digests[lang] = _sha256(raw)
                header, *buckets = msgpack.unpackb(gzip.decompress(raw), raw=False)
                if header.get("format") != "cB":
                    msg = f"unexpected wordfreq format {header!r}"
                    raise SystemExit(msg)
                lists[lang] = buckets
        common = common_passwords(raw_common)
        frequency = frequency_words(lists)
        size_common = _write_list("common_passwords.txt.gz", common)
        size_frequency = _write_list("nordic_frequency.txt.gz", frequency)
        _write_sources(
            django=django_wheel.name,
            wordfreq=wordfreq_wheel.name,
            common_digest=_sha256(raw_common),
            digests=digests,
            counts=(len(common), len(frequency)),
        )
    print(f"common_passwords.txt.gz: {len(common)} entries, {size_common} bytes")
    print(f"nordic_frequency.txt.gz: {len(frequency)} words, {size_frequency} bytes")
    # The folding must not drop what the blocklist compares: every entry is a candidate.
    lost = [entry for entry in common if entry not in blocklist_candidates(entry)]
    if lost:
        print(f"{len(lost)} entries the blocklist cannot match, e.g. {lost[:5]}")
        return 1
    return 0


def _write_sources(
    *,
    django: str,
    wordfreq: str,
    common_digest: str,
    digests: dict[str, str],
    counts: tuple[int, int],
) -> None:
    lines = [
        "# Sources of the password word lists",
        "",
        "Built by `scripts/build_password_lists.py` (read it for how); do not edit the",
        "`.txt.gz` files by hand. `nordic_words.toml` is hand-written (its sources are",
        "in the file).",
        "",
        "## common_passwords.txt.gz",
        "",
        f"- From `{django}`, `django/contrib/auth/common-passwords.txt.gz`",
        f"  (SHA-256 `{common_digest}`), {counts[0]} entries after folding.",
        "- Licence: BSD-3-Clause (Django Software Foundation and individual",
        "  contributors). The list was compiled by Royce Williams from leaked password",
        "  corpora: https://gist.github.com/roycewilliams/226886fd01572964e1431ac8afc999ce",
        "",
        "## nordic_frequency.txt.gz",
        "",
        f"- From `{wordfreq}`, `wordfreq/data/small_{{fi,sv,nb,da}}.msgpack.gz`,",
        f"  the {WORDS_PER_LANGUAGE} most frequent letter-only words of at least three",
        f"  letters per language, merged by rank with their unmarked forms: {counts[1]} words.",
        *(f"  - `small_{lang}.msgpack.gz`: SHA-256 `{d}`" for lang, d in digests.items()),
        "- Licence: the wordfreq data is under Creative Commons Attribution-ShareAlike 4.0",
        "  (https://creativecommons.org/licenses/by-sa/4.0/), and so is this derived list",
        "  (the rest of selfcare stays MIT). Attribution: wordfreq by Robyn Speer",
        "  (https://github.com/rspeer/wordfreq), built from Wikipedia, OpenSubtitles 2018",
        "  (opensubtitles.org), ParaCrawl, Google Books Ngrams (books.google.com/ngrams),",
        "  the Leeds Internet Corpus, SUBTLEX (Brysbaert et al.) and Twitter.",
        "",
    ]
    (DATA / "SOURCES.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
