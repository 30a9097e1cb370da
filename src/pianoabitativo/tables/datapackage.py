"""datapackage.json: the plan's processed tables described as a Frictionless Data Package.

An open-data portal (CKAN, dati.gov.it and the like) reads from it what each CSV holds: its Italian
title, every field with its type, the primary key, the sources (the plan's data register) and the
licences. Fields, types and keys come from the catalogue, so the description cannot drift from the
tables. The JSON is deterministic: same plan, same bytes.
"""

from __future__ import annotations

import json

from .. import catalogue
from ..core import columntypes
from ..core.columntypes import column_type

DEFAULT_LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribuzione 4.0 Internazionale",
}
FIELD_DESCRIPTIONS = {
    "codice_istat": "Codice ISTAT del comune (6 cifre)",
    "comune": "Comune (denominazione ISTAT)",
    "ente_proprietario": "Ente proprietario degli alloggi",
    "codice_unita": "Codice dell'unità immobiliare",
    "popolazione": "Popolazione residente",
    "superficie_km2": "Superficie in km²",
    "densita": "Abitanti per km²",
    "unita": "Numero di unità abitative",
    "servizio": "Servizio abitativo: SAP (pubblico), SAS (sociale), SAT (transitorio)",
}


def field(name: str, kind: str) -> dict:
    described = {"name": name, "type": column_type(kind).frictionless}
    if name in FIELD_DESCRIPTIONS:
        described["description"] = FIELD_DESCRIPTIONS[name]
    if kind == columntypes.FLAG:
        described.update(trueValues=[columntypes.TRUE], falseValues=[columntypes.FALSE])
    return described


def resource(table: catalogue.ProcessedTable) -> dict:
    nullable = any(column_type(kind).nullable for _, kind in table.columns)
    return {
        "name": table.name.replace("_", "-"),
        "path": f"{table.name}.csv",
        "title": table.label,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [field(name, kind) for name, kind in table.columns],
            "primaryKey": list(table.key),
            # an empty cell is «no value» only where a column may lack one; elsewhere it is empty text
            "missingValues": [columntypes.MISSING] if nullable else [],
        },
    }


def source(row: dict) -> dict:
    described = {"title": row["description"], "path": row["file"]}
    if row.get("source"):
        described["description"] = f"{row['source']} ({row.get('licence') or 'licenza non indicata'})"
    return described


def data_package(plan: str, facts: dict, register: list[dict]) -> dict:
    """The descriptor of one plan's processed tables; register: the rows of its data register."""
    ambito, year = facts["ambito"]["name"], int(facts["year"])
    dated = facts["dates"]["approval"] or f"{year}-01-01"  # an undated draft: 1 January (as its documents)
    return {
        "name": f"piano-offerta-abitativa-{plan.replace('_', '-')}",
        "title": f"Piano annuale dell'offerta dei servizi abitativi pubblici e sociali {year}: {ambito}",
        "description": (
            f"Tabelle elaborate del Piano annuale {year} dell'{ambito} (capofila: "
            f"{facts['ambito']['capofila']}): patrimonio abitativo pubblico e sociale, unità "
            "assegnabili per categoria, assegnazioni dell'anno precedente, misure, comuni e verifiche "
            "sui dati. Prodotte dai dati di origine elencati in «sources»."
        ),
        "version": dated,
        "created": f"{dated}T12:00:00Z",
        "keywords": ["servizi abitativi pubblici", "SAP", "SAS", "Regione Lombardia", ambito, str(year)],
        "licenses": [facts.get("open_data_licence") or DEFAULT_LICENCE],
        "sources": [source(row) for row in sorted(register, key=lambda r: r["file"])],
        "resources": [resource(t) for t in catalogue.PROCESSED_TABLES],
    }


def data_package_json(descriptor: dict) -> str:
    return json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
