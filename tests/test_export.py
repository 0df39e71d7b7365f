"""Writing samples atomically, and the `simsurvey generate` command."""
from __future__ import annotations

import io
import os
import signal
import stat
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from simsurvey import generate
from simsurvey.cli import main
from simsurvey.io.files import write_frame


def test_csv_round_trip_and_bytes(tmp_path):
    df = generate("sos-smb-2016", seed=1)
    a, b = write_frame(df, tmp_path / "a.csv"), write_frame(generate("sos-smb-2016", seed=1), tmp_path / "b.csv")
    assert a.read_bytes() == b.read_bytes()
    back = pd.read_csv(a)
    assert back.shape == df.shape and back["excel_engage_at_scale"].tolist() == df["excel_engage_at_scale"].tolist()


def test_parquet_keeps_types_and_assumptions(tmp_path):
    df = generate("sos-smb-2016", seed=1, likert=True)
    back = pd.read_parquet(write_frame(df, tmp_path / "a.parquet"))
    assert back["group"].dtype == "category" and back["excel_engage_at_scale"].dtype == "int8"
    assert back.attrs["assumptions"]["group_sizes"] == {"high": 90, "moderate": 415, "under": 281}


def test_bad_extension_and_folder(tmp_path):
    df = pd.DataFrame({"a": [1]})
    with pytest.raises(ValueError, match="path: unsupported file extension '.xlsx'"):
        write_frame(df, tmp_path / "a.xlsx")
    with pytest.raises(ValueError, match="does not exist"):
        write_frame(df, tmp_path / "missing" / "a.csv")


def test_failed_write_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "a.csv"
    target.write_text("old\n")

    def boom(self, path, **kwargs):
        with open(path, "w") as f:
            f.write("half")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", boom)
    with pytest.raises(OSError, match="disk full"):
        write_frame(pd.DataFrame({"a": [1]}), target)
    assert target.read_text() == "old\n"  # the old file is untouched
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]  # no temporary file left


def test_cli_generate_writes_and_summarises(tmp_path, capsys):
    out = tmp_path / "s.csv"
    code = main(["generate", "--seed", "3", "--out", str(out), "--format", "csv"])
    text, err = capsys.readouterr()
    assert code == 0 and err == ""
    summary = pd.read_csv(io.StringIO(text))
    assert summary.loc[0, "group_sizes"] == "high=90 moderate=415 under=281" and summary.loc[0, "n"] == 786
    frame = pd.read_csv(out)
    assert len(frame) == 786
    # the same command gives the same bytes
    main(["generate", "--seed", "3", "--out", str(tmp_path / "t.csv")])
    capsys.readouterr()
    assert out.read_bytes() == (tmp_path / "t.csv").read_bytes()


def test_cli_generate_options(tmp_path, capsys):
    out = tmp_path / "s.csv"
    code = main(["generate", "--survey", "smb-trends-2017", "--n", "1000", "--model", "latent", "--mode", "sampled",
                 "--shares", "growing=0.74,stagnant=0.26", "--seed", "1", "--out", str(out)])
    assert code == 0 and len(pd.read_csv(out)) == 1000
    capsys.readouterr()


@pytest.mark.parametrize("argv, message", [
    (["--out", "x.xlsx"], "error: --out: unsupported file extension"),
    (["--out", "nowhere/x.csv"], "error: --out: folder 'nowhere' does not exist"),
    (["--out", "."], "error: --out: unsupported file extension"),
    (["--n", "0", "--out", "x.csv"], "error: --n must be a positive whole number"),
    (["--seed", "-3", "--out", "x.csv"], "error: --seed must be a non-negative integer"),
    (["--survey", "nope", "--out", "x.csv"], "unknown survey 'nope'"),
    (["--n", "2", "--out", "x.csv"], "error: --n must be at least the number of groups"),
    (["--rho", "1.5", "--out", "x.csv"], "error: --rho must be within"),
    (["--shares", "growing:0.7", "--survey", "smb-trends-2017", "--out", "x.csv"], "--shares must look like"),
    (["--n", "1000", "--out", "x.csv"], "forensics inconsistency"),
])
def test_cli_generate_errors_are_one_line(argv, message, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["generate", *argv])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_files_follow_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        path = write_frame(pd.DataFrame({"a": [1]}), tmp_path / "a.csv")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_sigterm_during_a_write_leaves_no_temporary_file(tmp_path):
    # a real process, killed by a real SIGTERM while its temporary file is half written
    script = textwrap.dedent(f"""
        import os, signal, time
        import pandas as pd
        from simsurvey.io.files import write_frame

        def slow(self, path, **kwargs):
            with open(path, "w") as f:
                f.write("half")
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(30)  # never reached: SIGTERM ends the process

        pd.DataFrame.to_csv = slow
        write_frame(pd.DataFrame({{"a": [1]}}), {str(tmp_path / "a.csv")!r})
    """)
    (tmp_path / "a.csv").write_text("old\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == -signal.SIGTERM, done.stderr  # it still dies of SIGTERM
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]
    assert (tmp_path / "a.csv").read_text() == "old\n"


def test_cli_generate_without_seed_reports_one_that_replays(tmp_path, capsys):
    assert main(["generate", "--out", str(tmp_path / "a.csv"), "--format", "csv"]) == 0
    seed = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str).loc[0, "seed"]
    assert main(["generate", "--seed", seed, "--out", str(tmp_path / "b.csv")]) == 0
    capsys.readouterr()
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
