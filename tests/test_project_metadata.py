"""The project's legal and catalogue metadata: LICENCE, publiccode.yml, CHANGELOG and pyproject agree.

publiccode.yml is checked against the rules of the publiccode.yml standard (core 0.4 and the Italian
extension) that apply to the keys we use: mandatory keys, enumerations, the controlled vocabularies of
categories and scopes, lengths, dates, and the licence as an SPDX identifier matching LICENCE.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent

# Controlled vocabularies of the standard (docs/standard/categories-list.rst, scope-list.rst): the
# values a catalogue of this kind of software could take; a value outside them is refused by the parser.
CATEGORIES = {
    "data-analytics",
    "data-collection",
    "data-visualization",
    "document-management",
    "financial-reporting",
    "geographic-information-systems",
    "knowledge-management",
    "property-management",
    "real-estate-management",
    "workflow-management",
    "business-intelligence",
    "predictive-analysis",
}
SCOPES = {
    "agriculture",
    "culture",
    "defence",
    "education",
    "emergency-services",
    "employment",
    "energy",
    "environment",
    "finance-and-economic-development",
    "foreign-affairs",
    "healthcare",
    "infrastructures",
    "justice",
    "local-authorities",
    "manufacturing",
    "research",
    "science-and-technology",
    "security",
    "society",
    "sport",
    "tourism",
    "transportation",
    "welfare",
}
SOFTWARE_TYPES = {
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
}
DEVELOPMENT_STATUSES = {"concept", "development", "beta", "stable", "obsolete"}
MAINTENANCE_TYPES = {"internal", "contract", "community", "none"}


def publiccode_problems(doc: dict) -> list[str]:
    """Every way `doc` breaks the rules of the standard we rely on (empty when valid)."""
    problems: list[str] = []

    def need(key: str, value) -> None:
        if value in (None, "", [], {}):
            problems.append(f"{key}: mandatory")

    for key in (
        "publiccodeYmlVersion",
        "name",
        "url",
        "platforms",
        "categories",
        "developmentStatus",
        "softwareType",
        "description",
        "legal",
        "maintenance",
        "localisation",
    ):
        need(key, doc.get(key))
    if str(doc.get("publiccodeYmlVersion")) not in {"0.2", "0.3", "0.4"}:
        problems.append("publiccodeYmlVersion: not a version this file was checked against")
    if not re.fullmatch(r"https?://\S+", str(doc.get("url", ""))):
        problems.append("url: not an http(s) URL")
    for key in ("releaseDate",):
        if key in doc:
            try:
                dt.date.fromisoformat(str(doc[key]))
            except ValueError:
                problems.append(f"{key}: not YYYY-MM-DD")
    problems += [f"categories: {c} not in the vocabulary" for c in doc.get("categories", []) if c not in CATEGORIES]
    scopes = (doc.get("intendedAudience") or {}).get("scope", [])
    problems += [f"intendedAudience/scope: {s} not in the vocabulary" for s in scopes if s not in SCOPES]
    if doc.get("softwareType") not in SOFTWARE_TYPES:
        problems.append("softwareType: not an allowed value")
    if doc.get("developmentStatus") not in DEVELOPMENT_STATUSES:
        problems.append("developmentStatus: not an allowed value")
    for lang, text in (doc.get("description") or {}).items():
        short = text.get("shortDescription", "")
        if not short or len(short) > 150:
            problems.append(f"description/{lang}/shortDescription: 1 to 150 characters")
        if not 150 <= len(text.get("longDescription", "")) <= 10000:
            problems.append(f"description/{lang}/longDescription: 150 to 10000 characters")
        if not text.get("features"):
            problems.append(f"description/{lang}/features: mandatory")
    need("legal/license", (doc.get("legal") or {}).get("license"))
    maintenance = doc.get("maintenance") or {}
    if maintenance.get("type") not in MAINTENANCE_TYPES:
        problems.append("maintenance/type: not an allowed value")
    if maintenance.get("type") in {"internal", "community"}:
        need("maintenance/contacts", maintenance.get("contacts"))
    if maintenance.get("type") == "contract":
        need("maintenance/contractors", maintenance.get("contractors"))
    localisation = doc.get("localisation") or {}
    if not isinstance(localisation.get("localisationReady"), bool):
        problems.append("localisation/localisationReady: mandatory boolean")
    need("localisation/availableLanguages", localisation.get("availableLanguages"))
    if "it" in doc and str(doc["it"].get("countryExtensionVersion")) != "1.0":
        problems.append("it/countryExtensionVersion: must be 1.0")
    return problems


@pytest.fixture(scope="module")
def publiccode() -> dict:
    return yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))


def test_publiccode_follows_the_standard(publiccode):
    assert publiccode_problems(publiccode) == []


def test_the_validator_refuses_what_the_standard_refuses(publiccode):
    broken = {**publiccode, "softwareType": "app", "categories": ["housing"]}
    del broken["legal"]
    problems = publiccode_problems(broken)
    assert "softwareType: not an allowed value" in problems
    assert "categories: housing not in the vocabulary" in problems
    assert "legal: mandatory" in problems


def test_licence_is_the_eupl_1_2_everywhere(publiccode):
    licence = (ROOT / "LICENCE").read_text(encoding="utf-8")
    assert licence.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    assert "Appendix" in licence and "Compatible Licences" in licence  # the whole text, not a stub
    assert publiccode["legal"]["license"] == "EUPL-1.2"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == {"text": "EUPL-1.2"}


def test_versions_agree_with_the_changelog(publiccode):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", changelog, flags=re.M)
    assert released, "CHANGELOG.md has no released version"
    newest, date = released[0]
    assert project["version"] == newest == publiccode["softwareVersion"]
    assert str(publiccode["releaseDate"]) == date
