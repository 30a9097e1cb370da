"""Italian agreement for the generated prose: counted nouns (zero, one, many), verbs, comparisons.

Every count the document prints inside a sentence goes through `count`, so that
no year or ambito can print "1 comuni" or "0 alloggi": zero is "nessun comune",
one is "1 comune" (or "un comune" with `words=True`), many is "3 comuni".
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.formatting import format_int, format_number

VOWELS = "aeiouàèéìòù"


@dataclass(frozen=True)
class Noun:
    singular: str
    plural: str
    feminine: bool = False

    def form(self, n: int) -> str:
        return self.singular if n == 1 else self.plural

    @property
    def none(self) -> str:
        """'nessun comune', 'nessuno sfratto', 'nessuna famiglia', "nessun'abitazione"."""
        return f"{none_article(self.singular, self.feminine)}{self.singular}"

    @property
    def one(self) -> str:
        """'un comune', 'uno sfratto', 'una famiglia', "un'unità"."""
        return f"{indefinite_article(self.singular, self.feminine)}{self.singular}"


COMUNE = Noun("comune", "comuni")
ALLOGGIO = Noun("alloggio", "alloggi")
ALLOGGIO_SAP = Noun("alloggio SAP", "alloggi SAP")
ALLOGGIO_SAS = Noun("alloggio SAS", "alloggi SAS")
ALLOGGIO_SAT = Noun("alloggio SAT", "alloggi SAT")
UNITA = Noun("unità", "unità", feminine=True)
ENTE_PROPRIETARIO = Noun("ente proprietario", "enti proprietari")
AVVISO_PUBBLICO = Noun("avviso pubblico", "avvisi pubblici")
FAMIGLIA = Noun("famiglia", "famiglie", feminine=True)
AGGREGAZIONE = Noun("aggregazione territoriale", "aggregazioni territoriali", feminine=True)


def _impure_s(word: str) -> bool:
    """Words that take 'uno'/'nessuno': s + consonant, z, gn, ps, x, y, pn."""
    w = word.casefold()
    return (w.startswith("s") and len(w) > 1 and w[1] not in VOWELS) or w.startswith(("z", "gn", "ps", "x", "y", "pn"))


def indefinite_article(word: str, feminine: bool = False) -> str:
    """The article with its trailing space or apostrophe: 'un ', 'uno ', 'una ', "un'"."""
    if feminine:
        return "un'" if word[:1].casefold() in VOWELS else "una "
    return "uno " if _impure_s(word) else "un "


def none_article(word: str, feminine: bool = False) -> str:
    """'nessun ', 'nessuno ', 'nessuna ', "nessun'"."""
    return "nessu" + indefinite_article(word, feminine)[1:]  # nessun / nessuno / nessuna / nessun'


def with_article(number_text: str) -> str:
    """The definite article before a number as printed (percentages, up to 999): 'il 72%', "l'81%", "l'8%",
    "l'11%", "l'1,5%": Italian elides before uno, undici, otto, ottanta-ottantanove, ottocento-."""
    integer = number_text.split(",")[0].rstrip("%")
    return ("l'" if integer.startswith("8") or integer in ("1", "11") else "il ") + number_text


def count(n: int, noun: Noun, *, words: bool = False) -> str:
    """'nessun comune', '1 comune' ('un comune' with words=True), '1.006 comuni'."""
    n = int(n)
    if n == 0:
        return noun.none
    if n == 1:
        return noun.one if words else f"1 {noun.singular}"
    return f"{format_int(n)} {noun.plural}"


def agree(n: int, singular: str, plural: str) -> str:
    """The form that agrees with n: agree(1, 'figura', 'figurano') -> 'figura'."""
    return singular if int(n) == 1 else plural


def compare(value: float, reference: float, decimals: int = 2) -> int:
    """-1, 0 or 1 as the value, rounded as printed, is below, equal to or above the reference."""
    a, b = round(float(value), decimals), round(float(reference), decimals)
    return (a > b) - (a < b)


_HIGHER_LOWER = {1: "più alta", -1: "più bassa"}


def density_against_averages(density: float, provincial: float, regional: float) -> str:
    """How a density stands against the provincial and regional averages, both quoted.

    'più alta della media della provincia (202,94 ab/km²) ma più bassa di quella della regione (419,85 ab/km²)'
    """
    p, r = compare(density, provincial), compare(density, regional)
    prov = f"({format_number(provincial)} ab/km²)"
    reg = f"({format_number(regional)} ab/km²)"
    if p == r == 0:
        return f"pari sia alla media della provincia {prov} sia a quella della regione {reg}"
    if p == r:
        return f"{_HIGHER_LOWER[p]} sia della media della provincia {prov} sia di quella della regione {reg}"
    first = "pari alla media della provincia" if p == 0 else f"{_HIGHER_LOWER[p]} della media della provincia"
    second = "pari a quella della regione" if r == 0 else f"{_HIGHER_LOWER[r]} di quella della regione"
    joint = "ma" if p * r == -1 else "e"
    return f"{first} {prov} {joint} {second} {reg}"


def change_words(difference: int, unchanged: str = "invariato") -> str:
    """A difference with its sign in words: '7 in più', '3 in meno', 'invariato'."""
    n = int(difference)
    if n == 0:
        return unchanged
    return f"{format_int(abs(n))} in {'più' if n > 0 else 'meno'}"
