"""What a document's words tell the question's checks: its vocabulary, the acronyms it writes in capitals,
the acronyms it defines or whose long forms it writes in title case, and the common acronyms it writes
only in words. Worked out per document at ingest (reused for a document whose text is unchanged) and
stored with the index (lexicon.jsonl), so a load merges them instead of reading every text again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from importlib import resources

from ..text import POSSESSIVE, WORD
from ..types import Document

LEXICON_VERSION = 1  # bump when what a document's lexicon holds changes: stored ones are worked out again
MINOR = {"of", "and", "the", "for", "in", "on", "to", "&"}


def initials(words: list[str]) -> str:
    """Initials of the significant words, hyphenated parts counted apart ("arm's-length" -> AL)."""
    parts = [part for w in words if w.lower() not in MINOR for part in w.split("-") if part]
    return "".join(part[0] for part in parts).upper()


def corpus_vocabulary(texts: list[str]) -> set[str]:
    """Lower-cased words of the report, with possessives and hyphenated parts also on their own."""
    vocab: set[str] = set()
    for text in texts:
        for word in WORD.findall(text.lower()):
            word = POSSESSIVE.sub("", word)
            vocab.add(word)
            vocab.update(part for part in re.split(r"[-'’]", word) if part)
    return vocab


def acronym_table(texts: list[str]) -> dict[str, str]:
    """Acronyms the report uses or could stand for, mapped to long forms found in the report.

    From explicit definitions ("arm's-length management organisation (ALMO)") and from title-case
    phrases whose initials spell an acronym ("Local Government Association" -> LGA).
    """
    table: dict[str, str] = {}
    for text in texts:
        for match in re.finditer(r"((?:[\w'’-]+\s+){1,6}?)\(([A-Z]{2,6})\)", text):
            acronym, words = match.group(2), match.group(1).split()
            for start in range(len(words)):
                if initials(words[start:]) == acronym:
                    table.setdefault(acronym, " ".join(words[start:]))
                    break
        for match in re.finditer(r"\b[A-Z][\w'’-]*(?:\s+(?:of|and|the|for|&)?\s*[A-Z][\w'’-]*){1,5}", text):
            words = match.group(0).split()
            for start in range(len(words) - 1):
                for end in range(start + 2, len(words) + 1):
                    phrase = words[start:end]
                    if phrase[0].lower() in MINOR or phrase[-1].lower() in MINOR:
                        continue
                    table.setdefault(initials(phrase), " ".join(phrase))
    return table


@cache
def common_acronyms() -> dict[str, tuple[str, ...]]:
    """Acronyms of public-sector writing and their usual long forms (data/acronyms.tsv): "BME" for
    "black and minority ethnic" or "ethnic minority"."""
    text = resources.files("latm_qa").joinpath("data/acronyms.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines()[1:] if line.strip()]
    return {acronym: tuple(form.strip() for form in forms.split("|")) for acronym, forms in rows}


def spelt_forms(texts: list[str]) -> dict[str, list[str]]:
    """Each common acronym's long forms the texts write, in the order data/acronyms.tsv gives them."""
    joined = re.sub(r"\s+", " ", " ".join(texts)).casefold()
    found: dict[str, list[str]] = {}
    for acronym, forms in common_acronyms().items():
        written = [f for f in forms if re.search(rf"(?<!\w){re.escape(f.casefold())}(?!\w)", joined)]
        if written:
            found[acronym.upper()] = written
    return found


def spelt_out(texts: list[str]) -> dict[str, str]:
    """The common acronyms the report writes only in words ("ethnic minority" for BME), mapped to the long
    form it uses: a question's "BME" is then the report's, not a name it never mentions."""
    return {acronym: forms[0] for acronym, forms in spelt_forms(texts).items()}


def report_acronyms(texts: list[str]) -> set[str]:
    """Acronyms written in upper case in the report (ALMO, LBC, ICT)."""
    return {m for text in texts for m in re.findall(r"\b[A-Z]{2,6}\b", text)}


def document_lexicon(document: Document) -> dict:
    """One document's lexicon, as stored (JSON)."""
    texts = [document.text]
    return {
        "version": LEXICON_VERSION,
        "sha256": document.sha256,
        "vocabulary": sorted(corpus_vocabulary(texts)),
        "acronyms": sorted(report_acronyms(texts)),
        "table": list(acronym_table(texts).items()),
        "spelt": spelt_forms(texts),
    }


def lexicons(documents: Sequence[Document], stored: dict[str, dict] | None = None) -> list[dict]:
    """Every document's lexicon: the stored one (by the text's SHA-256) where it is current, else afresh."""
    stored = stored or {}
    out = []
    for document in documents:
        known = stored.get(document.sha256)
        out.append(known if known and known.get("version") == LEXICON_VERSION else document_lexicon(document))
    return out


def merged(found: Sequence[dict]) -> tuple[set[str], dict[str, str], set[str]]:
    """The library's vocabulary, acronym table (spelt-out common acronyms, then its own definitions and
    title-case phrases, the first document's first) and capitalised acronyms, from its documents' lexicons:
    what reading all their texts together gives."""
    vocabulary = set().union(*(lexicon["vocabulary"] for lexicon in found))
    acronyms = set().union(*(lexicon["acronyms"] for lexicon in found))
    spelt = {}
    for acronym, forms in common_acronyms().items():
        seen = {form for lexicon in found for form in lexicon["spelt"].get(acronym.upper(), ())}
        if first := next((form for form in forms if form in seen), None):
            spelt[acronym.upper()] = first
    table: dict[str, str] = {}
    for lexicon in found:
        for acronym, form in lexicon["table"]:
            table.setdefault(acronym, form)
    return vocabulary, {**spelt, **table}, acronyms

