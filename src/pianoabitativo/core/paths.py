"""Where a plan's files live, stage by stage. The Snakefile, the scripts and the tools ask here.

data/raw/<plan>        --inputs-->  data/interim/<plan>    (typed, normalised tables; checks)
data/interim/<plan>    --tables-->  data/processed/<plan>  (machine tables, key figures, map)
data/processed/<plan>  --charts, fragments-->  report/gen/<plan>
report/gen/<plan>      --render-->  output/piano_<plan>.{html,pdf,docx}  --archive-->  archive/
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from .. import catalogue
from .config import input_entry

INTERIM_BOUNDARIES = "confini.geojson"
INTERIM_DECLARED_TOTALS = "totali_dichiarati.csv"
PROCESSED_BOUNDARIES = "confini_comuni.geojson"


def raw_dir(plan) -> Path:
    return Path("data/raw") / str(plan)


def raw_inputs(facts: dict, plan: str) -> dict[str, str]:
    """Every raw file a plan reads, by input key (plus boundaries and register); facts: plans/<plan>.yaml."""
    base = raw_dir(plan)
    files = {key: (base / input_entry(facts, key)[0]).as_posix() for key in facts["inputs"]}
    files["boundaries"] = (base / facts["boundaries"]["file"]).as_posix()
    files["register"] = (base / facts.get("register", "register.csv")).as_posix()
    return files


def interim_dir(plan) -> str:
    return f"data/interim/{plan}"


def interim(plan, key: str) -> str:
    """The validated, normalised copy of one raw input (key of config «inputs»)."""
    return f"{interim_dir(plan)}/{key}.csv"


def interim_file(plan, name: str) -> str:
    return f"{interim_dir(plan)}/{name}"


def processed_dir(plan) -> str:
    return f"data/processed/{plan}"


def processed(plan, name: str) -> str:
    return f"{processed_dir(plan)}/{name}.csv"


def data_package(plan) -> str:
    """The processed tables described for an open-data portal (written with them, tables/datapackage.py)."""
    return f"{processed_dir(plan)}/datapackage.json"


def processed_boundaries(plan) -> str:
    return f"{processed_dir(plan)}/{PROCESSED_BOUNDARIES}"


def gen_dir(plan) -> str:
    return f"report/gen/{plan}"


def fragment(plan, name: str) -> str:
    return f"{gen_dir(plan)}/{name}.md"


def metadata(plan) -> str:
    return f"{gen_dir(plan)}/{catalogue.METADATA_FRAGMENT}"


def chart(plan, name: str, ext: str = "png") -> str:
    return f"{gen_dir(plan)}/fig_{name}.{ext}"


def report_source(plan) -> str:
    return f"report/piano_{plan}.qmd"


def plan_facts(plan) -> str:
    return f"plans/{plan}.yaml"


def staging_dir(plan) -> str:
    """Where the document is rendered: its .qmd beside its own generated files and nothing else."""
    return f"build/{plan}"


def document(plan, fmt: str) -> str:
    return f"output/piano_{plan}.{fmt}"


def archive(plan) -> str:
    return f"archive/piano_{plan}.tar.gz"


def log(plan, rule: str) -> str:
    return f"logs/{plan}/{rule}.log"


def benchmark(plan, rule: str) -> str:
    """A job's benchmark, also the record that it succeeded (an output of its rule, rules/inputs.smk)."""
    return f"benchmarks/{plan}/{rule}.benchmark.tsv"


def code(*parts: str) -> list[str]:
    """The package's files under the given sub-packages or modules, so that editing them reruns the rule.

    code("core", "schemas") -> every file of core/ and schemas/; code("tables/build.py") -> that file.
    """
    root = Path(__file__).resolve().parent.parent
    files: list[str] = []
    for part in parts:
        target = root / part
        if target.is_dir():
            files += sorted(p.as_posix() for p in target.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        elif target.with_suffix(".py").is_file():
            files.append(target.with_suffix(".py").as_posix())
        else:
            files.append(target.as_posix())
    return [_relative(f) for f in files]


def code_version(*parts: str) -> str:
    """One digest of the code a rule runs: the package files under `parts` (as code() lists them) and the
    project files named «scripts/...». A rule takes it as a param, so that editing that code reruns the
    rule and only it, and Snakemake matches no source file against the rules' outputs (a hundred plans
    would mean thousands of such inputs). Each part is read once per run, however many rules name it."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(_code_bytes(part))
    return digest.hexdigest()


@functools.cache
def _code_bytes(part: str) -> bytes:
    """The files of one part, each as its package-relative name, NUL, its bytes, NUL."""
    package = Path(__file__).resolve().parent.parent
    files = [Path(part)] if part.startswith("scripts/") else [Path(f) for f in code(part)]
    chunks = []
    for file in files:
        try:
            name = file.resolve().relative_to(package).as_posix()
        except ValueError:
            name = file.as_posix()
        chunks.append(name.encode("utf-8") + b"\0" + file.read_bytes() + b"\0")
    return b"".join(chunks)


def _relative(path: str) -> str:
    """Package files as the workflow sees them (relative to the project) when installed editable."""
    try:
        return Path(path).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path
