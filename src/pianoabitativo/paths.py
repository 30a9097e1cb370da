"""Where a year's files live. The Snakefile and the scripts ask here; nobody builds paths by hand."""

from __future__ import annotations

from pathlib import Path

from .config import input_entry

PROCESSED_TABLES = [
    "comuni", "subambiti", "a_patrimonio", "a_patrimonio_totali", "b_carenza_manutentiva", "c_ristrutturazione",
    "d_nuova_edificazione", "e_libere", "e_turnover", "f_conferite_privati", "g_assegnabili",
    "g_assegnabili_per_categoria", "h_i_j_scelte_comunali", "k_assegnate_anno_precedente", "l_misure",
    "m_riqualificazione", "verifiche",
]
CHARTS = ["popolazione_densita_subambiti", "mappa_densita", "patrimonio_enti", "assegnabili_comuni"]
FRAGMENTS = [
    "tab_subambiti", "tab_comuni", "tab_a_patrimonio", "nota_a_patrimonio", "tab_b_carenza_manutentiva",
    "tab_c_ristrutturazione", "tab_d_nuova_edificazione", "tab_e_libere", "tab_e_turnover",
    "tab_f_conferite_privati", "tab_g_assegnabili", "nota_g_assegnabili", "tab_k_assegnate", "testo_k_deroga",
    "tab_l_misure", "testo_h_soglia", "testo_i_categorie", "testo_quota_forze", "testo_j_transitori",
    "testo_m_riqualificazione", "verifiche",
]
FORMATS = ["html", "pdf", "docx"]


def raw_dir(year: int) -> Path:
    return Path("data/raw") / str(year)


def raw_inputs(config: dict) -> dict[str, str]:
    """Every raw file the plan reads, by input key (plus boundaries and register)."""
    base = raw_dir(config["year"])
    files = {key: (base / input_entry(config, key)[0]).as_posix() for key in config["inputs"]}
    files["boundaries"] = (base / config["boundaries"]["file"]).as_posix()
    files["register"] = (base / config.get("register", "register.csv")).as_posix()
    return files


def processed(year: int, name: str) -> str:
    return f"data/processed/{year}/{name}.csv"


def key_figures(year: int) -> str:
    return processed(year, "cifre_chiave")


def gen_dir(year: int) -> str:
    return f"report/gen/{year}"


def fragment(year: int, name: str) -> str:
    return f"{gen_dir(year)}/{name}.md"


def chart(year: int, name: str, ext: str = "png") -> str:
    return f"{gen_dir(year)}/fig_{name}.{ext}"


def report_source(year: int) -> str:
    return f"report/piano_{year}.qmd"


def document(year: int, fmt: str) -> str:
    return f"output/piano_{year}.{fmt}"


def log(year: int, rule: str) -> str:
    return f"logs/{year}/{rule}.log"


CORE_MODULES = ["config", "errors", "tabular", "validation", "register", "inputs", "checks", "tables", "workflow",
                "paths"]


def code(*modules: str, assets: tuple[str, ...] = ()) -> list[str]:
    """Library files a rule depends on, so that changing them reruns the rule (Snakemake tracks only scripts)."""
    names = list(dict.fromkeys(CORE_MODULES + list(modules)))
    return [f"src/pianoabitativo/{m}.py" for m in names] + [f"src/pianoabitativo/assets/{a}" for a in assets]
