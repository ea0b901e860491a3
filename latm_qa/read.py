"""Read a source file (.md, .txt, .pdf) into blocks; check the file is ingestible first."""

from __future__ import annotations

import codecs
import hashlib
import html
import re
import stat
from collections import Counter
from pathlib import Path

from .errors import InputFileError
from .pdf_lines import PAGE_NUMBER
from .text_pages import DATED, ITEM, NUMBERED, TERMINAL, is_paged, line_key, paged_blocks
from .types import Block, RawDocument

SUPPORTED = (".md", ".markdown", ".txt", ".pdf")

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SUP = re.compile(r"<sup>\s*(\d+)\s*</sup>|\[\^[^\]\s]+\](?!:)")  # "<sup>2</sup>", pandoc's "[^2]"
_FOOTNOTE_START = re.compile(r"^\s*(?:<sup>\s*(\d+)\s*</sup>|\[\^([^\]\s]+)\]:)\s*(.*)$")
_ATTRIBUTES = re.compile(r"\s*\{[#.][^{}]*\}\s*$")  # pandoc's "## 2.4. Case studies {#case-studies}"
_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_BOLD_LINE = re.compile(r"^\s{0,3}(\*\*|__)(?=\S)(?:(?!\1).)+(?<=\S)\1\s*$")  # "**2.4. Case studies**" alone on a line
_UNDERLINE = re.compile(r"^\s*([=\-~*])\1{2,}\s*$")  # "=====" under a heading, or a rule
_TEXT_FOOTNOTE = re.compile(r"^\s*\[\d{1,3}\]\s+\S")


def check_file(path: Path, max_mb: float = 50.0) -> bytes:
    """Return the file's bytes, or raise InputFileError naming the file and the reason."""
    if path.suffix.lower() not in SUPPORTED:
        raise InputFileError(
            f"{path}: unsupported file type {path.suffix or '(none)'!r}; latm-qa reads {', '.join(SUPPORTED)} files"
        )
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputFileError(f"{path}: is a folder named like a file; expected a {path.suffix} file")
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(f"{path}: not a regular file (a pipe, socket or device); copy the report into a file")
        if info.st_size > max_mb * 1024 * 1024:
            raise InputFileError(
                f"{path}: {_size(info.st_size)} is over the {max_mb:g} MB limit; "
                "raise it with --max-file-mb or LATM_QA_MAX_FILE_MB"
            )
        data = path.read_bytes()
    except PermissionError:
        raise InputFileError(f"{path}: permission denied; make the file readable (chmod +r)") from None
    except FileNotFoundError:
        broken = " (a broken link)" if path.is_symlink() else ""
        raise InputFileError(f"{path}: no such file{broken}") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror or exc.__class__.__name__})") from None
    if not data.strip():
        raise InputFileError(f"{path}: the file is empty; nothing to ingest")
    if path.suffix.lower() != ".pdf":
        decode_text(path, data)
    return data


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """A text file's text and the encoding it was read in: UTF-8, UTF-16 with its byte-order mark
    (Notepad's "Unicode"), or else Windows-1252 (Notepad's "ANSI"), the one other that Windows saves."""
    for bom, codec, name in ((codecs.BOM_UTF8, "utf-8-sig", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
                             (codecs.BOM_UTF16_BE, "utf-16", "UTF-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError as exc:
                raise InputFileError(f"{path}: not valid {name} text (byte {exc.start}); save it as UTF-8") from None
    if b"\x00" in data[:8192]:
        raise InputFileError(f"{path}: looks binary, not text; expected UTF-8 {path.suffix} text")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise InputFileError(
            f"{path}: not valid UTF-8 text (byte {utf8_error}), nor UTF-16 or Windows-1252; save it as UTF-8"
        ) from None


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 104858 else f"{n / 1024:.1f} KB"


def read_document(path: Path, max_mb: float = 50.0) -> RawDocument:
    """Read one supported file into a RawDocument."""
    path = Path(path)
    data = check_file(path, max_mb)
    sha = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from .read_pdf import read_pdf

        return read_pdf(path, data, sha)
    text, encoding = decode_text(path, data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    page_count = 0
    blocks = _markdown_blocks(text) if suffix in (".md", ".markdown") else []
    if any(b.kind == "heading" for b in blocks):
        blocks = drop_running_lines(blocks)
    elif is_paged(text):  # text taken from a PDF, pages split by form feeds (pdftotext)
        blocks, page_count = paged_blocks(text, _is_page_heading, _text_heading_hint)
    else:  # plain text, or "markdown" without a heading marked (a PDF's text saved as .md)
        blocks = drop_running_lines(_text_blocks(text))
    if not any(b.kind != "heading" and len(b.text.split()) > 0 for b in blocks):
        raise InputFileError(f"{path}: no readable text found; nothing to ingest")
    title = next((b.text for b in blocks if b.kind == "heading"), path.stem)
    return RawDocument(
        path=str(path), title=title, sha256=sha, blocks=tuple(blocks), page_count=page_count, encoding=encoding
    )


def drop_running_lines(blocks: list[Block]) -> list[Block]:
    """A converter's running header, footer and page numbers, kept as paragraphs of their own ("Local
    Government Association 7", "Page 7"): short paragraphs that end no sentence and recur, digits
    aside, three times or more, or that are a bare page number. Dropped, so the text they cut rejoins."""

    def short(block: Block) -> bool:
        return block.kind == "paragraph" and len(block.text.split()) <= 8 and not ends_sentence(block.text)

    counts = Counter(line_key(b.text) for b in blocks if short(b))
    return [
        b for b in blocks if not (short(b) and (counts[line_key(b.text)] >= 3 or PAGE_NUMBER.fullmatch(b.text)))
    ]


def clean_inline(text: str) -> str:
    """Markdown inline markup to plain text: links, emphasis, footnote refs, tags, escapes."""
    text = _SUP.sub("", text)
    text = _LINK.sub(lambda m: m.group(1) or "", text)
    for _ in range(2):
        text = _EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", text)
    text = _TAG.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    text = html.unescape(text).replace("\u00a0", " ")
    return re.sub(r"[ \t]+", " ", text).strip()


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines of one paragraph; a line ending in a hyphen joins without a space."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("-") and not out.endswith(" -"):
            out += line
        else:
            out += " " + line
    return out


def _markdown_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []
    kind = "paragraph"

    def flush() -> None:
        nonlocal para, kind
        raw = join_lines(para)
        para, current = [], kind
        kind = "paragraph"
        footnote = _FOOTNOTE_START.match(raw)
        if footnote:
            current, raw = "footnote", f"[{footnote.group(1) or footnote.group(2)}] {footnote.group(3)}"
        cleaned = clean_inline(raw)
        if cleaned and re.search(r"\w", cleaned):
            blocks.append(Block(kind=current, text=cleaned))  # type: ignore[arg-type]

    for line in text.split("\n"):
        heading = _HEADING.match(line)
        item = ITEM.match(line)
        setext = _SETEXT.match(line)
        if heading:
            flush()
            title = clean_inline(_ATTRIBUTES.sub("", heading.group(2)))
            if title:
                blocks.append(Block(kind="heading", text=title, heading_hint=len(heading.group(1))))
        elif setext and len(para) == 1 and kind == "paragraph":  # "Title" underlined with === or ---
            title, para = clean_inline(para[0]), []
            if title:
                blocks.append(Block(kind="heading", text=title, heading_hint=1 if setext.group(1)[0] == "=" else 2))
        elif _RULE.match(line) or not line.strip():
            flush()
        elif not para and _BOLD_LINE.match(line) and looks_like_heading(title := clean_inline(line)):
            # a converter that sets headings as bold lines: as weak a heading as a lone line of plain text
            blocks.append(Block(kind="heading", text=title, heading_hint=_text_heading_hint(title)))
        elif item:
            flush()
            kind, para = "item", [item.group(1)]
        else:
            para.append(line)
    flush()
    return blocks


def looks_like_heading(line: str) -> bool:
    """A lone short line in plain text that reads as a heading (numbered, or title-like)."""
    words = line.split()
    if not words or len(words) > 25 or line[-1] in ".,;:!?" or not line[0].isupper() and not line[0].isdigit():
        return False
    if NUMBERED.match(line):
        return line.count(",") < 2  # not an address: "10 Storey's Gate, Westminster, SW1P 3AY"
    return len(words) <= 12 or bool(DATED.search(line))


def _title_case(line: str) -> bool:
    """A heading set as a title ("About Localis", "Further Reading"): every word of four letters or
    more capitalised, no digits or colon; as sure a heading as a markdown "#" line."""
    words = re.findall(r"[^\W\d_][\w'’-]*", line)
    long_words = [w for w in words if len(w) >= 4]
    return len(words) >= 2 and not re.search(r"[\d:]", line) and all(w[0].isupper() for w in long_words)


def _text_heading_hint(line: str) -> int:
    """The level of a heading found by its look alone: 1 (strong) when set as a title, else 0 (weak)."""
    return 1 if _title_case(line) else 0


def _text_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text):
        for part in _underlined_parts([ln.rstrip() for ln in chunk.split("\n") if ln.strip()]):
            blocks.extend([part] if isinstance(part, Block) else _run_blocks(part))
    return blocks


def _underlined_parts(lines: list[str]) -> list[list[str] | Block]:
    """A chunk's lines as runs of text and the headings underlined in it with "===" or "---" (as
    markdown's setext headings are); a line of such characters under no heading is a rule, dropped."""
    parts: list[list[str] | Block] = []
    run: list[str] = []
    for line in lines:
        underline = _UNDERLINE.match(line)
        if underline and run and looks_like_heading(run[-1].strip()):
            title = run.pop().strip()
            parts += [run] if run else []
            parts.append(Block(kind="heading", text=title, heading_hint=1 if underline.group(1) == "=" else 2))
            run = []
        elif underline:
            parts += [run] if run else []
            run = []
        else:
            run.append(line)
    return parts + ([run] if run else [])


def _run_blocks(lines: list[str]) -> list[Block]:
    """The blocks of a run of lines with no blank line between them."""
    if _one_block_a_line(lines):  # a word processor's "plain text": a paragraph a line, no blank lines
        groups = [[line] for line in lines]
    elif len(lines) > 1 and NUMBERED.match(lines[0].strip()) and looks_like_heading(lines[0].strip()):
        groups = [lines[:1], lines[1:]]  # "2.4. Case studies" right above its text
    else:
        groups = [lines]
    return [block for group in groups for block in _chunk_blocks(group)]


def _one_block_a_line(lines: list[str]) -> bool:
    """Whether each line of a chunk is a whole paragraph, item or heading rather than one paragraph
    wrapped: nearly every line but the last ends a sentence, is an item, or is a numbered or title-set
    heading. In wrapped text few lines end where a sentence does."""
    if len(lines) < 3:
        return False
    whole = sum(
        ends_sentence(line) or bool(ITEM.match(line)) or _is_set_heading(line.strip()) for line in lines[:-1]
    )
    return whole >= 0.8 * (len(lines) - 1)


def _is_set_heading(line: str) -> bool:
    """A line that is a heading by its form, not only its length: numbered, or set as a title."""
    return looks_like_heading(line) and (bool(NUMBERED.match(line)) or _title_case(line))


def _is_page_heading(line: str) -> bool:
    """A line of paged text that is a heading: numbered, set as a title, or a dated case study."""
    return _is_set_heading(line) or (looks_like_heading(line) and bool(DATED.search(line)))


def _chunk_blocks(lines: list[str]) -> list[Block]:
    """The blocks of one chunk of plain text: a lone heading-like line, or paragraphs and items."""
    if not lines:
        return []
    if len(lines) == 1 and looks_like_heading(lines[0].strip()):
        line = lines[0].strip()
        return [Block(kind="heading", text=line, heading_hint=_text_heading_hint(line))]
    if _TEXT_FOOTNOTE.match(lines[0]):  # "[2] RSA (2013) - New approaches to commissioning ..."
        return [Block(kind="footnote", text=join_lines(lines))]
    blocks: list[Block] = []
    current: list[str] = []
    is_item = False
    for line in lines:
        item = ITEM.match(line)
        if item:
            if current:
                blocks.append(Block(kind="item" if is_item else "paragraph", text=join_lines(current)))
            current, is_item = [item.group(1)], True
        else:
            current.append(line)
    if current:
        blocks.append(Block(kind="item" if is_item else "paragraph", text=join_lines(current)))
    return blocks


def ends_sentence(text: str) -> bool:
    return bool(text) and text.rstrip()[-1] in TERMINAL
