"""Cross-checks on the real 2019 inputs: exactly three warnings, no error."""

from pianoabitativo.inputs.checks import ERROR, checks_frame


def test_2019_passes_every_error_check_and_raises_three_warnings(inputs_2019):
    _, results = inputs_2019
    failed = {r.check: r for r in results if not r.passed}
    assert all(r.severity != ERROR for r in failed.values())
    assert set(failed) == {"totali_patrimonio", "enti_ambito", "assegnazioni_enti_con_patrimonio"}


def test_warnings_name_the_rows_involved(inputs_2019):
    _, results = inputs_2019
    by_id = {r.check: r for r in results}
    assert by_id["assegnazioni_enti_con_patrimonio"].details == [
        "data/raw/cremasco_2019/piattaforma/assegnazioni_anno_precedente.csv, riga 6, colonna «Ragione Sociale Ente "
        "Proprietario»: «Comune di Cremosano» ha assegnato 1 alloggio ma non ha patrimonio nella tabella a)"
    ]
    assert "riga 9" in by_id["enti_ambito"].details[0] and "Comune di Cremona" in by_id["enti_ambito"].details[0]
    assert by_id["totali_patrimonio"].details == [
        "data/raw/cremasco_2019/piattaforma/patrimonio_enti.csv, riga 26, colonna «Totale unità»: dichiarato 1.711, "
        "somma delle righe 1.703",
        "data/raw/cremasco_2019/piattaforma/patrimonio_enti.csv, riga 26, colonna «N. alloggi SAP»: dichiarato 1.696, "
        "somma delle righe 1.688",
    ]


def test_checks_frame_is_sorted_and_complete(inputs_2019):
    frame = checks_frame(inputs_2019[1])
    assert list(frame.columns) == ["controllo", "descrizione", "gravita", "esito", "dettaglio"]
    assert frame["controllo"].is_monotonic_increasing and len(frame) == 16
    assert (frame["esito"] == "non superato").sum() == 3
