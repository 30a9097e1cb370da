"""Quarto's own words, which the embedded engine prints as Quarto does: the title of the contents, of the
«Altri Formati» links, of the title block's labels, the cross-reference and callout titles
(Quarto 1.10.18, src/resources/language/_language-<lang>.yml)."""

from __future__ import annotations

LANGUAGE_STRINGS = {
    "it": {
        "toc-title": "Indice",
        "other-formats": "Altri Formati",
        "title-block-author": "Autore/Autrice",
        "title-block-published": "Data di pubblicazione",
        "crossref-titles": {"tbl": "Tabella", "fig": "Figura"},
        "callout-titles": {
            "note": "Nota",
            "tip": "Consiglio",
            "warning": "Avviso",
            "important": "Importante",
            "caution": "Attenzione",
        },
    },
    "en": {
        "toc-title": "Table of contents",
        "other-formats": "Other Formats",
        "title-block-author": "Author",
        "title-block-published": "Published",
        "crossref-titles": {"tbl": "Table", "fig": "Figure"},
        "callout-titles": {
            "note": "Note",
            "tip": "Tip",
            "warning": "Warning",
            "important": "Important",
            "caution": "Caution",
        },
    },
}


def language_strings(metadata: dict) -> dict:
    """Quarto's words for the document's language (toc title, crossref and callout titles)."""
    lang = str(metadata.get("lang", "en")).replace("_", "-").split("-")[0].lower()
    strings = LANGUAGE_STRINGS.get(lang, LANGUAGE_STRINGS["en"])
    crossref = metadata.get("crossref") if isinstance(metadata.get("crossref"), dict) else {}
    titles = dict(strings["crossref-titles"])
    for kind in titles:
        if crossref.get(f"{kind}-title"):
            titles[kind] = str(crossref[f"{kind}-title"])
    return {**strings, "crossref-titles": titles, "callout-titles": dict(strings["callout-titles"])}
