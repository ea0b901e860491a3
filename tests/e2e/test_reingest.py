"""Re-ingestion on the real report: incremental vectors, what changed, atomic swaps, rollback, several reports."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from hashlib import sha256

import numpy as np
import pytest
from conftest import MARKDOWN, PROFILE, ROOT, run_cli, tree_hashes

from latm_qa import Filters, Index, IndexMismatchError, LatmQaError, ingest, load_settings
from latm_qa.build.passages import embedding_text
from latm_qa.store.files import SCHEMA_VERSION, read_index_files, read_manifest
from latm_qa.store.versions import lock_index

REPORT = MARKDOWN.read_text(encoding="utf-8")
ESSEX_OLD = "net revenue of £7 million per year"
ESSEX_NEW = "net revenue of £9.5 million per year"
ESSEX = "Essex County Council (2013-Present)"
OLDHAM = "Oldham Council (2011-Present)"
NEWTOWN = "Newtown Borough Council (2018-Present)"
NEWTOWN_TEXT = (
    f"### {NEWTOWN}\n\nNewtown Borough Council set up a municipal energy company, Newtown Power, which sells "
    "electricity to 40,000 households and returned a dividend of £12.3 million to the council in 2019. The "
    "profits fund libraries, youth centres and adult education across the borough, and residents on low "
    "incomes are offered a social tariff agreed with the council's cabinet.\n\n"
)


def edited_report() -> str:
    """The report with a figure changed in one case study, one case study added and one removed."""
    text = REPORT.replace(ESSEX_OLD, ESSEX_NEW)
    text = text.replace("## 2.5. Further reading", NEWTOWN_TEXT + "## 2.5. Further reading")
    start, end = text.index(f"#### **{OLDHAM}**"), text.index("### 3.5. Further reading")
    text = text[:start] + text[end:]
    assert text.count(ESSEX_NEW) == 1 and NEWTOWN in text and OLDHAM not in text
    return text


def without(text: str, *headings: str) -> str:
    """The text with these case studies cut out: an edit that needs nothing embedded (and no model)."""
    for heading in headings:
        start = text.index(heading)
        end = text.index("\n#", start + len(heading))
        text = text[:start] + text[end + 1 :]
    return text


def without_oldham() -> str:
    return without(REPORT, f"#### **{OLDHAM}**")


def settings_for(index_dir, **overrides):
    return load_settings(index_dir=index_dir, **overrides)


@pytest.fixture
def source(tmp_path):
    """A copy of the report under tmp_path (with its profile beside it), ingested into its own index."""
    path = tmp_path / "src" / "report.md"
    path.parent.mkdir()
    path.write_text(REPORT, encoding="utf-8")
    path.with_suffix(".toml").write_bytes(PROFILE.read_bytes())
    return path


@pytest.fixture
def built(source, md_index_copy, embedder):
    """An index of the copy (vectors reused from the session's index: nothing embedded)."""
    report = ingest([source], settings_for(md_index_copy), sync=True)
    assert report.embedded == 0 and report.changed and report.documents_removed
    return md_index_copy


def test_edited_copy_reembeds_only_the_changed_passages(source, built):
    before = Index.load(built)
    source.write_text(edited_report(), encoding="utf-8")
    report = ingest([source], settings_for(built))
    after = Index.load(built)

    assert report.documents_updated == ("report.md",) and not report.documents_added and not report.documents_removed
    assert report.sections_changed == (f"report.md: 4. Entrepreneurial councils > 4.4. Case studies > {ESSEX}",)
    assert report.sections_added == (f"report.md: 2. Commissioning councils > 2.4. Case studies > {NEWTOWN}",)
    assert report.sections_removed == (f"report.md: 3. Cooperative councils > 3.4. Case studies > {OLDHAM}",)

    old = {(p.heading_path, p.text) for p in before.passages}
    fresh = [p for p in after.passages if (p.heading_path, p.text) not in old]
    assert {p.heading_path[-1] for p in fresh} == {ESSEX, NEWTOWN}
    assert report.embedded == len(fresh) and report.kept == len(after.passages) - len(fresh)
    new = {(p.heading_path, p.text) for p in after.passages}
    gone = [p for p in before.passages if (p.heading_path, p.text) not in new]
    assert {p.heading_path[-1] for p in gone} == {ESSEX, OLDHAM} and report.dropped == len(gone)
    assert report.sentences_embedded < 15

    old_matrix = before.corpus.vectors.reconstruct_n(0, len(before.passages))
    old_vectors = {embedding_text(p): v for p, v in zip(before.passages, old_matrix, strict=True)}
    new_matrix = after.corpus.vectors.reconstruct_n(0, len(after.passages))
    old_tokens = {embedding_text(p): before.corpus.tokens.rows(i) for i, p in enumerate(before.passages)}
    for row, passage in enumerate(after.passages):
        if passage not in fresh:
            assert np.array_equal(new_matrix[row], old_vectors[embedding_text(passage)])  # kept, not re-embedded
            assert np.array_equal(after.corpus.tokens.rows(row), old_tokens[embedding_text(passage)])
        else:
            assert len(after.corpus.tokens.rows(row)) > 0  # fresh word-piece vectors came with the fresh vector

    hits = after.search("How much net revenue do Essex's traded services generate each year?", k=5)
    assert any("£9.5 million" in h.passage.text for h in hits)
    assert not any(ESSEX_OLD in p.text for p in after.passages)
    top = after.search("Which council set up a municipal energy company paying a dividend?", k=1)[0]
    assert top.passage.section_title == NEWTOWN
    assert not any(OLDHAM in " ".join(p.heading_path) for p in after.passages)
    hits = after.search("Oldham Care and Support staff council", k=5)
    assert all(OLDHAM not in h.passage.heading_path[-1] for h in hits)


def test_unchanged_reingest_writes_nothing_and_loads_no_model(md_index_copy):
    before = tree_hashes(md_index_copy)
    code = (
        "import sys; from latm_qa import ingest, load_settings; "
        "r = ingest([sys.argv[1]], load_settings(index_dir=sys.argv[2])); "
        "print(r.changed, r.embedded, r.sentences_embedded, *(m in sys.modules for m in ('sentence_transformers', 'torch')))"  # noqa: E501
    )
    out = subprocess.run([sys.executable, "-c", code, MARKDOWN, md_index_copy], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "0", "0", "False", "False"]
    assert tree_hashes(md_index_copy) == before

    cli = run_cli("ingest", MARKDOWN, "--index", md_index_copy)
    assert cli.returncode == 0 and "is up to date" in cli.stdout and "nothing written" in cli.stdout
    assert tree_hashes(md_index_copy) == before


def test_removal_only_reingest_needs_no_model(source, built):
    """Removing a case study drops its passages from dense and BM25 without loading the model."""
    source.write_text(without_oldham(), encoding="utf-8")
    code = (
        "import sys; from latm_qa import ingest, load_settings; "
        "r = ingest([sys.argv[1]], load_settings(index_dir=sys.argv[2])); "
        "print(r.embedded, r.dropped, 'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code, source, built], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    embedded, dropped, model_loaded = out.stdout.split()
    assert embedded == "0" and int(dropped) >= 1 and model_loaded == "False"
    index = Index.load(built)
    assert not any(OLDHAM in p.heading_path[-1] for p in index.passages)
    assert index.corpus.bm25.size == index.corpus.vectors.ntotal == len(index.passages)


def test_cli_reports_changes_and_json(source, built):
    source.write_text(edited_report(), encoding="utf-8")
    out = run_cli("ingest", source, "--index", built, "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["documents_updated"] == ["report.md"] and data["changed"] is True
    assert [s.rsplit(" > ", 1)[-1] for s in data["sections_added"]] == [NEWTOWN]
    assert [s.rsplit(" > ", 1)[-1] for s in data["sections_removed"]] == [OLDHAM]
    assert [s.rsplit(" > ", 1)[-1] for s in data["sections_changed"]] == [ESSEX]
    assert data["embedded"] >= 2 and data["kept"] + data["embedded"] == data["passages"]
    manifest = read_manifest(built)
    assert data["version"] == manifest["current"] and data["previous_version"] == manifest["previous"]

    source.write_text(without(edited_report(), f"### {NEWTOWN}"), encoding="utf-8")
    out = run_cli("ingest", source, "--index", built)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith(f"Index at {built} is now version v-")
    assert "  documents: 1 updated (report.md)" in lines
    assert "  sections: 0 added, 1 removed, 0 changed" in lines
    assert f"    - report.md: 2. Commissioning councils > 2.4. Case studies > {NEWTOWN}" in lines
    assert any(line.startswith("  passages: ") and line.endswith(" kept, 0 embedded, 1 dropped") for line in lines)
    assert lines[-1] == f'Next: latm-qa search "your question" --index {built}'


def test_rollback_restores_the_previous_version_and_history_records_it(source, built):
    first = read_manifest(built)
    source.write_text(edited_report(), encoding="utf-8")
    ingest([source], settings_for(built))
    second = read_manifest(built)
    assert second["previous"] == first["current"]

    out = run_cli("ingest", "--rollback", "--index", built)
    assert out.returncode == 0, out.stderr
    assert f"Rolled back {built} to version {first['current']}" in out.stdout
    index = Index.load(built)
    assert any(ESSEX_OLD in p.text for p in index.passages)
    assert not any(NEWTOWN in p.heading_path[-1] for p in index.passages)
    history = index.manifest["history"]
    assert [h["action"] for h in history[-3:]] == ["ingest", "ingest", "rollback"]
    assert history[-1]["version"] == first["current"] and history[-1]["from"] == second["current"]
    assert all(len(s["sha256"]) == 64 for h in history for s in h["sources"])
    assert history[-2]["embedded"] >= 2 and history[-2]["documents_updated"] == ["report.md"]

    assert run_cli("ingest", "--rollback", "--index", built).returncode == 0  # and forward again
    assert any("£9.5 million" in p.text for p in Index.load(built).passages)


def test_rollback_without_previous_is_refused(tmp_path, md_index_copy):
    out = run_cli("ingest", "--rollback", "--index", md_index_copy)
    assert out.returncode == 2 and "no previous version to roll back to" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    missing = run_cli("ingest", "--rollback", "--index", tmp_path / "nothing")
    assert missing.returncode == 2 and "no index at" in missing.stderr and "Traceback" not in missing.stderr


def test_other_model_means_full_rebuild_and_search_refuses_mismatch(tmp_path, embedder):
    small = tmp_path / "introduction.md"
    small.write_text(REPORT[: REPORT.index("## 2. Commissioning councils")], encoding="utf-8")
    ingest([small], settings_for(tmp_path / "index"))
    report = ingest([small], settings_for(tmp_path / "index", model="all-MiniLM-L6-v2"))  # same weights, other name
    assert "model changed from 'bundled:all-MiniLM-L6-v2' to 'all-MiniLM-L6-v2'" in report.full_rebuild_reason
    assert report.embedded == report.passages > 0 and report.kept == 0
    assert read_manifest(tmp_path / "index")["model"] == "all-MiniLM-L6-v2"
    assert "  Full rebuild: the model changed" in "\n".join(report.summary())

    with pytest.raises(IndexMismatchError, match="built with model 'all-MiniLM-L6-v2'"):
        Index.load(tmp_path / "index", model="bundled:all-MiniLM-L6-v2")
    refused = ("search", "What did Essex earn?", "--model", "bundled:all-MiniLM-L6-v2", "--index", tmp_path / "index")
    out = run_cli(*refused)
    assert out.returncode == 2 and "Traceback" not in out.stderr and len(out.stderr.splitlines()) == 1
    assert "built with model 'all-MiniLM-L6-v2', not 'bundled:all-MiniLM-L6-v2'" in out.stderr
    assert "latm-qa ingest --model bundled:all-MiniLM-L6-v2" in out.stderr


def test_several_reports_duplicates_titles_and_document_filter(tmp_path, md_index_copy):
    """Two editions of the report (same title), plus a renamed copy of one: two documents, told apart."""
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(MARKDOWN, folder / "latm-2016.md")
    (folder / "latm-2017.md").write_text(edited_report(), encoding="utf-8")
    shutil.copy(MARKDOWN, folder / "zz-copy-of-latm-2016.md")
    settings = settings_for(md_index_copy)
    report = ingest([folder], settings, sync=True)
    assert report.documents == 2 and report.embedded <= 6  # the editions share almost every passage
    assert report.duplicates == ((str(folder / "zz-copy-of-latm-2016.md"), str(folder / "latm-2016.md")),)
    assert "zz-copy-of-latm-2016.md: same content as" in "\n".join(report.summary())
    assert report.documents_added == ("latm-2016.md", "latm-2017.md")
    assert report.documents_removed == ("local-authority-transformational-models.md",)

    index = Index.load(settings.index_dir)
    titles = {p.document: p.document_title for p in index.passages}
    assert sorted(titles.values()) == [
        "Local Authority Transformational Models (latm-2016.md)",
        "Local Authority Transformational Models (latm-2017.md)",
    ]
    assert len({p.passage_id for p in index.passages}) == len(index.passages)
    hits = index.search("What net revenue have Essex's traded services generated?", k=5,
                        filters=Filters(documents=("latm-2017.md",)))
    assert hits and all(h.passage.document.startswith("latm-2017.md#") for h in hits)
    assert ESSEX_NEW in " ".join(h.passage.text for h in hits)

    out = run_cli("search", "What net revenue have Essex's traded services generated?", "--document", "latm-2016.md",
                  "--json", "--index", settings.index_dir)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["hits"] and all(h["document"].startswith("latm-2016.md#") for h in result["hits"])
    assert ESSEX_OLD in " ".join(h["text"] for h in result["hits"])

    assert not ingest([folder], settings).changed  # the same folder again: nothing to do
    (folder / "latm-2017.md").unlink()
    kept = ingest([folder], settings)  # adding never drops: the edition whose file is gone stays, as indexed
    assert not kept.documents_removed and any("latm-2017.md: kept as indexed (gone since)" in n for n in kept.notes)
    again = ingest([folder], settings, sync=True)
    assert again.documents_removed == ("latm-2017.md",) and again.embedded == 0
    titles = {p.document_title for p in Index.load(settings.index_dir).passages}
    assert titles == {"Local Authority Transformational Models"}


def test_searches_during_reingest_see_one_whole_version(source, built):
    """Readers in threads load and search while the index is swapped back and forth: no error, no mix."""
    figure = {
        sha256(REPORT.encode()).hexdigest(): (ESSEX_OLD, ESSEX_NEW),
        sha256(edited_report().encode()).hexdigest(): (ESSEX_NEW, ESSEX_OLD),
    }
    stop = threading.Event()
    errors: list[BaseException] = []
    seen: list[str] = []

    def check(manifest, passages) -> None:
        present, absent = figure[manifest["sources"][0]["sha256"]]
        texts = " ".join(p.text for p in passages)
        assert present in texts and absent not in texts and len(passages) == manifest["passages"]

    def raw_reader() -> None:
        while not stop.is_set():
            try:
                manifest, _docs, passages, *_ = read_index_files(built)
                check(manifest, passages)
                seen.append(manifest["current"])
                time.sleep(0.002)
            except BaseException as exc:  # noqa: BLE001 - any failure is the test's finding
                errors.append(exc)
                return

    def searcher() -> None:
        while not stop.is_set():
            try:
                index = Index.load(built)
                check(index.manifest, index.passages)
                hits = index.search("How much net revenue do Essex's traded services generate?", k=3)
                assert all(h.passage in index.passages for h in hits)
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
                return

    threads = [threading.Thread(target=target) for target in (raw_reader, raw_reader, searcher, searcher)]
    for thread in threads:
        thread.start()
    try:
        for round_ in range(3):
            source.write_text(edited_report() if round_ % 2 == 0 else REPORT, encoding="utf-8")
            ingest([source], settings_for(built))
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors[0]
    assert len(set(seen)) >= 2 and len(seen) > 20


def test_sigkill_during_ingest_leaves_the_old_index_loadable(source, built, tmp_path):
    """Kill -9 an ingest at several moments. Whenever the kill lands, the index loads and is one whole version:
    exactly the old one if the kill came before the swap of manifest.json, else exactly the finished new one."""
    old = read_manifest(built)
    old_bytes = (built / "manifest.json").read_bytes()
    old_files = tree_hashes(built / old["current"])
    old_passages = [p.passage_id for p in Index.load(built).passages]
    source.write_text(without_oldham(), encoding="utf-8")  # nothing to embed: the run is quick, no model

    # What the killed run would make current if it finished: the same command, run to its end on a copy.
    reference = tmp_path / "reference"
    shutil.copytree(built, reference)
    done = run_cli("ingest", source, "--index", reference, timeout=1800)
    assert done.returncode == 0, done.stderr
    new = read_manifest(reference)
    new_files = {k: v for k, v in tree_hashes(reference / new["current"]).items() if k != "manifest.json"}
    new_passages = [p.passage_id for p in Index.load(reference).passages]
    assert new["current"] != old["current"] and new_passages != old_passages

    def stamp_free(manifest: dict) -> dict:
        """The manifest without what differs between two identical ingests: their version names and times."""
        unstamped = [{k: v for k, v in h.items() if k not in ("version", "created")} for h in manifest["history"]]
        return {**{k: v for k, v in manifest.items() if k not in ("current", "created", "history")},
                "history": unstamped}

    def reached(index_dir, moment: str, age: float) -> bool:
        names = [p.name for p in index_dir.iterdir()]
        building = [index_dir / n for n in names if n.startswith(".building-")]
        return {
            "start": True,
            "building": bool(building),
            "vectors written": any((b / "vectors.faiss").exists() for b in building),
            "publishing": any(n.startswith(".manifest.json.") for n in names),
        }[moment] or age > 30  # not seen (the run is slow, or passed it between looks): kill it wherever it is

    def stop_then_kill(proc: subprocess.Popen, index_dir) -> bool | None:
        """SIGSTOP, then SIGKILL: while it is stopped nothing more is written, so the manifest read then tells
        whether the kill lands before or after the swap. None if the run ended by itself first."""
        proc.send_signal(signal.SIGSTOP)
        _pid, status = os.waitpid(proc.pid, os.WUNTRACED)
        swapped = None
        if os.WIFSTOPPED(status):
            swapped = read_manifest(index_dir)["current"] != old["current"]
            proc.send_signal(signal.SIGKILL)
            _pid, status = os.waitpid(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so tell Popen
        return swapped

    killed, outcomes = 0, {}
    for moment in ("start", "building", "vectors written", "publishing"):
        index_dir = tmp_path / moment.replace(" ", "-")
        shutil.copytree(built, index_dir)
        proc = subprocess.Popen([sys.executable, "-m", "latm_qa.cli", "ingest", str(source), "--index", str(index_dir)],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        began, swapped = time.perf_counter(), None
        while proc.poll() is None:
            if reached(index_dir, moment, time.perf_counter() - began):
                swapped = stop_then_kill(proc, index_dir)
                break
        code = proc.wait(timeout=600)
        assert code in (0, -signal.SIGKILL), (moment, code)
        killed += code == -signal.SIGKILL

        index = Index.load(index_dir)  # always loads, and is one whole version or the other
        current = [p.passage_id for p in index.passages]
        if code == -signal.SIGKILL and not swapped:  # killed before the swap: exactly the old version
            outcomes[moment] = "old"
            assert (index_dir / "manifest.json").read_bytes() == old_bytes, moment
            assert index.manifest["current"] == old["current"] and current == old_passages, moment
        else:  # finished, or killed after the swap: exactly the new version, complete
            outcomes[moment] = "new" if code else "finished"
            assert index.manifest["current"] != old["current"] and index.manifest["previous"] == old["current"]
            assert stamp_free(index.manifest) == stamp_free(new), moment
            written = tree_hashes(index_dir / index.manifest["current"])
            assert {k: v for k, v in written.items() if k != "manifest.json"} == new_files, moment
            assert current == new_passages, moment
        assert tree_hashes(index_dir / old["current"]) == old_files, moment  # the old version is never touched

        report = ingest([source], settings_for(index_dir))  # the next ingest succeeds and sweeps what was left
        assert report.version != old["current"]
        assert not [n.name for n in index_dir.iterdir() if n.name.startswith((".building-", ".manifest.json."))]
        assert [p.passage_id for p in Index.load(index_dir).passages] == new_passages
    assert killed >= 2, outcomes


def test_stale_temporaries_are_removed_and_old_versions_pruned(source, built):
    (built / ".building-v-20990101T000000.000000Z-999").mkdir()
    (built / ".building-v-20990101T000000.000000Z-999" / "passages.jsonl").write_text("{}\n")
    (built / ".manifest.json.999.tmp").write_text("{")
    assert Index.load(built).passages
    ingest([source], settings_for(built))
    leftovers = [p.name for p in built.iterdir() if p.name.startswith(".") and p.name != ".lock"]
    assert leftovers == []
    cut = [f"#### **{OLDHAM}**", "##### Warrington Borough Council (2011-Present)", "### Croydon LBC (2015-Present)"]
    for n in (1, 2, 3):  # removals only: nothing embedded
        text = without(REPORT, *cut[:n])
        source.write_text(text, encoding="utf-8")
        ingest([source], settings_for(built))
    manifest = read_manifest(built)
    assert sorted(p.name for p in built.iterdir() if p.name.startswith("v-")) == sorted(
        [manifest["current"], manifest["previous"]]
    )


def test_index_of_another_schema_is_refused_then_rebuilt(source, built, tmp_path):
    manifest = read_manifest(built)
    other = tmp_path / "other"
    shutil.copytree(built, other)
    (other / "manifest.json").write_text(json.dumps({**manifest, "schema_version": 1}), encoding="utf-8")
    with pytest.raises(IndexMismatchError, match=r"schema version 1.*latm-qa ingest --index"):
        Index.load(other)

    report = ingest([source], settings_for(other))
    assert report.embedded == report.passages
    assert report.full_rebuild_reason.startswith("the index was written in format 1; this latm-qa writes format")
    assert read_manifest(other)["schema_version"] == SCHEMA_VERSION
    assert len(Index.load(other).passages) == report.passages


def test_one_writer_at_a_time_and_foreign_folders_are_refused(source, built, tmp_path):
    with lock_index(built), pytest.raises(LatmQaError, match="another `latm-qa ingest` is updating"):
        ingest([source], settings_for(built))
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"\xff\xd8")
    before = tree_hashes(foreign)
    out = run_cli("ingest", source, "--index", foreign)
    assert out.returncode == 2 and "is not a latm-qa index" in out.stderr and tree_hashes(foreign) == before


def test_an_index_from_before_councils_in_headers_reads_as_written_then_rebuilds(source, built, tmp_path):
    manifest = read_manifest(built)
    other = tmp_path / "older"
    shutil.copytree(built, other)
    settings = {k: v for k, v in manifest["settings"].items() if k != "embedding_text"}
    older_manifest = {k: v for k, v in manifest.items() if k != "inputs"}  # nor had it the inputs' digest,
    (other / "manifest.json").write_text(json.dumps({**older_manifest, "settings": settings}), encoding="utf-8")
    for stored in (other / manifest["current"]).iterdir():  # nor the embedded texts, BM25 and lexicons
        if stored.name in ("embedded.json", "lexicon.jsonl") or stored.name.startswith("bm25-"):
            shutil.rmtree(stored) if stored.is_dir() else stored.unlink()
    older = Index.load(other)  # its vectors were embedded without the councils: BM25 reads its passages alike
    assert not any("Cheltenham, Cotswold" in text.split("\n")[0] for text in older.corpus.embedded)

    report = ingest([source], settings_for(other))
    assert report.embedded == report.passages
    assert report.full_rebuild_reason.startswith("what is embedded changed")
    rebuilt = Index.load(other)
    headers = {text.split("\n")[0] for text in rebuilt.corpus.embedded}
    assert "Commissioning councils > Case studies > The 2020 Vision Partnership (2015-Present) > Cheltenham, " \
        "Cotswold, Forest of Dean, West Oxfordshire" in headers


def test_a_report_saved_by_windows_is_read_and_the_encoding_named(tmp_path, md_index_copy):
    """The markdown report saved as Windows-1252 ("ANSI"): read as such, said so in the report and its
    JSON, its text the same as the UTF-8 copy's (every passage keeps its vector), £ and dashes intact."""
    source = tmp_path / "report.md"
    source.write_bytes(REPORT.encode("cp1252"))
    source.with_suffix(".toml").write_bytes(PROFILE.read_bytes())
    out = run_cli("ingest", source, "--sync", "--index", md_index_copy)
    assert out.returncode == 0, out.stderr
    assert any(line.endswith(" sections, 80 passages (read as Windows-1252)") for line in out.stdout.splitlines())
    assert any(line.startswith("  passages: 80 kept, 0 embedded") for line in out.stdout.splitlines()), out.stdout
    data = json.loads(run_cli("ingest", source, "--index", md_index_copy, "--json").stdout)
    assert [d["encoding"] for d in data["per_document"]] == ["Windows-1252"]
    hit = Index.load(md_index_copy).search("How much net revenue do Essex's traded services bring in?", k=1)[0]
    assert ESSEX_OLD in hit.passage.text and hit.passage.section_title == ESSEX


def test_an_unchanged_library_is_known_from_the_manifest_before_any_report_is_read(source, built, monkeypatch):
    """After a written ingest, the same files, profile and settings are up to date by their digest alone:
    the same report as a full comparison, no report read; inputs the manifest does not know are read in
    full and, when they make the same index, recorded; an edited file reads everything."""
    written = read_manifest(built)
    assert written["inputs"]["digest"] and written["inputs"]["per_document"][0]["passages"] > 50
    ingest_module = importlib.import_module("latm_qa.build.ingest")

    def no_reading(*args, **kwargs):
        raise AssertionError("an unchanged library was read")

    before = tree_hashes(built)
    with monkeypatch.context() as patch:
        patch.setattr(ingest_module, "read_sources", no_reading)
        known = ingest([source], settings_for(built))
    assert not known.changed and known.version == written["current"] and known.embedded == 0
    assert (known.documents, known.sections, known.passages) == (
        written["documents"], written["sections"], written["passages"]
    )
    assert list(known.per_document) == written["inputs"]["per_document"] and tree_hashes(built) == before

    # inputs recorded by older code (an upgrade of latm-qa): read in full, the same index, nothing written
    # but the manifest's record of the inputs, so that the same again is known from the manifest
    stale = {**written, "inputs": {**written["inputs"], "digest": "0" * 64, "code": "older"}}
    (built / "manifest.json").write_text(json.dumps(stale), encoding="utf-8")
    before = tree_hashes(built)
    again = ingest([source], settings_for(built))
    assert not again.changed and again.passages == known.passages
    after = tree_hashes(built)
    assert {p: d for p, d in after.items() if p != "manifest.json"} == {
        p: d for p, d in before.items() if p != "manifest.json"}
    assert read_manifest(built)["inputs"] == written["inputs"]
    with monkeypatch.context() as patch:
        patch.setattr(ingest_module, "read_sources", no_reading)
        assert not ingest([source], settings_for(built)).changed
    source.write_text(without_oldham(), encoding="utf-8")
    assert ingest([source], settings_for(built)).changed


def test_adding_a_report_writes_only_its_word_pieces_and_links_the_rest(source, built, monkeypatch):
    """The word pieces of the passages already indexed stay in the segment the last ingest wrote (hard-
    linked into the new version, not copied); only the added report's go into a new segment. Only the
    added report is read and split: the index's documents and passages are those a full read gives."""
    from latm_qa.build.passages import library_passages
    from latm_qa.build.sources import distinct_titles
    from latm_qa.read import read_document
    from latm_qa.store.files import document_to_json
    from latm_qa.store.token_files import segment_paths
    from latm_qa.structure.sections import parse_sections

    before = read_manifest(built)
    old_dir = built / before["current"]
    (old_name,) = json.loads((old_dir / "token_segments.json").read_text())["segments"]
    added = source.parent / "dwp.md"
    shutil.copyfile(ROOT.parent / "shared" / "reports" / "more" / "dwp-single-departmental-plan" / "report.md", added)
    parsed = []
    monkeypatch.setattr(importlib.import_module("latm_qa.build.sources"), "parse_sections",
                        lambda raw: parsed.append(raw.path) or parse_sections(raw))
    report = ingest([source, added], settings_for(built))
    assert parsed == [str(added)]  # the unchanged report is not read again
    documents = distinct_titles([parse_sections(read_document(path)) for path in (source, added)])
    passages = library_passages(documents, settings_for(built))
    _, stored_documents, stored_passages, *_ = read_index_files(built)
    assert [document_to_json(d) for d in stored_documents] == [document_to_json(d) for d in documents]
    assert [p.to_json() for p in stored_passages] == [p.to_json() for p in passages]
    after = read_manifest(built)
    new_dir = built / after["current"]
    names = json.loads((new_dir / "token_segments.json").read_text())["segments"]
    assert names[0] == old_name and len(names) == 2 and after["tokens"]["segments"] == 2
    kept, fresh = segment_paths(new_dir, old_name)[0], segment_paths(new_dir, names[1])[0]
    assert kept.stat().st_ino == segment_paths(old_dir, old_name)[0].stat().st_ino  # the same file, linked
    sentence_names = json.loads((new_dir / "sentence_segments.json").read_text())["segments"]
    old_sentences = json.loads((old_dir / "sentence_segments.json").read_text())["segments"]
    assert sentence_names[0] == old_sentences[0] and len(sentence_names) == 2  # the sentences' too
    assert (new_dir / "sentences" / f"{old_sentences[0]}.codes.npy").stat().st_ino == (
        old_dir / "sentences" / f"{old_sentences[0]}.codes.npy").stat().st_ino
    dwp_passages = sum(row["passages"] for row in report.per_document if row["file"] == "dwp.md")
    assert report.embedded == dwp_passages
    index = Index.load(built)
    dwp_rows = [i for i, p in enumerate(index.passages) if p.document != index.passages[0].document]
    assert np.load(fresh).shape[0] == sum(int(index.corpus.tokens.counts[i]) for i in dwp_rows)
    top = index.search("What is DWP's total Departmental Expenditure Limit for 2015 to 2016?", k=3)
    assert any("£6bn" in hit.passage.text or "6bn" in hit.passage.text for hit in top)
    home = index.search("How much did Barnet expect to save from its Capita contracts?", k=1)[0]
    assert "£165 million" in home.passage.text

    out = run_cli("ingest", "--rollback", "--index", built)  # the old version is whole on its own
    assert out.returncode == 0, out.stderr
    assert len(Index.load(built).passages) == before["passages"]


def test_an_index_written_before_segments_loads_and_is_rewritten_without_embedding(source, built):
    """Format 4 kept every word piece in one token_vectors.npy: it still answers, and the next ingest
    writes format 5 from its vectors (nothing embedded)."""
    manifest = read_manifest(built)
    data = built / manifest["current"]
    index = Index.load(built)
    expected = index.search("How much did Barnet expect to save from its Capita contracts?", k=1)[0].passage.text
    codes, scales = index.corpus.tokens.segments[0]
    np.save(data / "token_vectors.npy", np.asarray(codes)), np.save(data / "token_scales.npy", np.asarray(scales))
    del index
    shutil.rmtree(data / "tokens")
    for name in ("token_segments.json", "token_map.npy"):
        (data / name).unlink()
    old = {**manifest, "schema_version": 4}
    for path in (built / "manifest.json", data / "manifest.json"):
        path.write_text(json.dumps(old), encoding="utf-8")

    again = Index.load(built)
    assert again.corpus.tokens.names == ("-",)
    question = "How much did Barnet expect to save from its Capita contracts?"
    assert again.search(question, k=1)[0].passage.text == expected
    report = ingest([source], settings_for(built))
    assert report.changed and report.embedded == 0 and report.sentences_embedded == 0
    now = read_manifest(built)
    assert now["schema_version"] == SCHEMA_VERSION and (built / now["current"] / "token_segments.json").is_file()
    assert Index.load(built).search(question, k=1)[0].passage.text == expected
