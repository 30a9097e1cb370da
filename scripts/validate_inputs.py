"""Validate every raw input (register, schemas, privacy, cross-checks) before anything is built."""

from pianoabitativo.workflow import checked_inputs, script_main


def main(smk):
    inputs, results = checked_inputs(smk.config)
    lines = [f"{r.severity}\t{'superato' if r.passed else 'non superato'}\t{r.check}" for r in results]
    with open(smk.output.stamp, "w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(lines) + "\n")


script_main(main, snakemake)  # noqa: F821 (injected by Snakemake)
