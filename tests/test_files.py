"""Outputs committed together (core/files.py): a step's files reach their place only if it succeeds."""

from __future__ import annotations

import pytest

from pianoabitativo.core.files import outputs_committed_together, write_text_atomically


def test_nested_steps_commit_on_their_own_and_a_failure_keeps_the_previous_files(tmp_path):
    done, failed, outer = tmp_path / "piano_a.txt", tmp_path / "piano_b.txt", tmp_path / "pronti.txt"
    failed.write_text("precedente", encoding="utf-8")
    with outputs_committed_together():
        with outputs_committed_together():  # one plan's files: committed as soon as it passes
            write_text_atomically(done, "nuovo")
        assert done.read_text(encoding="utf-8") == "nuovo"
        with pytest.raises(ValueError):
            with outputs_committed_together():  # another plan fails: its old file stays
                write_text_atomically(failed, "parziale")
                raise ValueError("dati errati")
        write_text_atomically(outer, "piano_a")
        assert not outer.exists()  # the outer step commits at its end
    assert failed.read_text(encoding="utf-8") == "precedente"
    assert outer.read_text(encoding="utf-8") == "piano_a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["piano_a.txt", "piano_b.txt", "pronti.txt"]
