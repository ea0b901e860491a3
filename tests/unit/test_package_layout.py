"""The package's layout tells its pipeline: imports flow one way, modules stay small, no report is named."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "latm_qa"
# Each stage may import from the stages before it (and the shared modules at the root), never after.
STAGES = ["read", "structure", "places", "embed", "store", "build", "retrieve", "answer", "app", "bench", "api", "cli"]
SHARED = {"errors", "settings", "types", "codes", "text", "profile", "profile_file", "__init__"}
# The home report's councils, council models and chapter names: the engine must know none of them.
HOME_REPORT_NAMES = re.compile(
    r"Adur|Barnet|Cheltenham|Colchester|Cotswold|Croydon|Devon|Dorset|Essex|Forest Heath|Forest of Dean|"
    r"Hampshire|Harrow|Oldham|Oxfordshire|Plymouth|South Hams|St Edmundsbury|Staffordshire|Stoke|Suffolk|"
    r"Warrington|Waveney|Westminster|Weymouth|Wiltshire|Worthing|commissioning|co-?operative councils?|"
    r"entrepreneurial|enabling councils?|holistic|person-cent|sharing councils|Localis|Recurrent themes|"
    r"Transformational",
    re.IGNORECASE,
)


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _stage(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _imported_stages(path: Path) -> set[str]:
    """The top-level parts of latm_qa a module imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = list(path.relative_to(PACKAGE).parent.parts)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                target = [*base, *(node.module.split(".") if node.module else [])]
                names = [alias.name for alias in node.names] if not target else []
                found.update(target[:1] or names)
            elif node.module and node.module.startswith("latm_qa."):
                found.add(node.module.split(".")[1])
    return found


def test_imports_flow_from_later_stages_to_earlier_ones():
    wrong = []
    for path in _modules():
        own = _stage(path)
        if path == PACKAGE / "__init__.py":
            continue  # the public API names what every stage offers
        if own in SHARED:
            allowed = SHARED
        else:
            allowed = SHARED | set(STAGES[: STAGES.index(own) + 1])
        for stage in _imported_stages(path) - allowed:
            wrong.append(f"{path.relative_to(PACKAGE)} imports {stage}")
    assert not wrong, wrong


def test_every_module_is_short_enough_to_read_in_one_sitting():
    long = {str(p.relative_to(PACKAGE)): n for p in _modules() if (n := len(p.read_text().splitlines())) > 260}
    assert not long, long


def test_the_engine_names_no_council_model_or_chapter_of_the_home_report():
    found = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in _modules()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HOME_REPORT_NAMES.search(line)
    ]
    assert not found, found


def test_every_stage_folder_names_what_it_offers():
    for stage in STAGES:
        init = PACKAGE / stage / "__init__.py"
        assert init.exists() and ast.get_docstring(ast.parse(init.read_text())), stage
