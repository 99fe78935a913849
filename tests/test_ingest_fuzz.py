"""Every log parser under fuzzing: no crash, no silent loss, each bad line named.

Two properties per text format, run with hypothesis:

* **garbage between good lines** — known-good lines with random garbage inserted at
  random places give exactly the records of the good lines alone, and every garbage
  line is reported skipped with its own line number;
* **mutated input** — good lines cut, spliced and mixed with random text and bytes
  never raise; every reported line number lies in the file, and the file's line count
  is its number of lines.

EVTX, a binary format, is fuzzed by overwriting bytes of a real log: every record the
parser reads comes out as an attempt, an event or a skip, and nothing raises.
Each property's case count is bounded (``max_examples``) so the suite stays fast;
``CASES`` tallies how many ran, for the README's figures.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nexus_audit.ingest import FORMATS, ingest
from nexus_audit.ingest.records import (
    Attempt,
    Event,
    FileRead,
    Options,
    Record,
    Skip,
)

from .conftest import REAL_DATA, Backend

# A deeper pass: NEXUS_AUDIT_FUZZ_EXAMPLES=1000 pytest tests/test_ingest_fuzz.py -s
EXAMPLES = int(os.environ.get("NEXUS_AUDIT_FUZZ_EXAMPLES", "60"))
CASES: Counter[str] = Counter()
LINES: Counter[str] = Counter()
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
    derandomize=True,
)

SYSLOG = [
    "Mar 29 10:42:45 ip-10-77-20-248 sshd[1193]: Failed password for elastic_user_7 "
    "from 127.0.0.1 port 52942 ssh2",
    "Mar 29 10:43:01 ip-10-77-20-248 sshd[1194]: Failed password for invalid user admin "
    "from 85.245.107.41 port 51401 ssh2",
    "Mar 29 10:44:15 ip-10-77-20-248 sshd[1195]: Accepted publickey for ubuntu from "
    "85.245.107.41 port 54259 ssh2: RSA SHA256:Kl8kPGZrTiz7g4FO1hyqHdsSBBb5Fge6NWOobN03XJg",
    "Mar 29 10:45:37 ip-10-77-20-248 sudo:   ubuntu : TTY=pts/0 ; PWD=/home/ubuntu ; "
    "USER=root ; COMMAND=/usr/bin/id",
    "Mar 29 10:46:02 ip-10-77-20-248 sshd[1196]: Invalid user oracle from 10.0.0.9 "
    "port 40022",
    "2024-03-29T10:47:05+02:00 web-1 sshd[77]: Failed password for root from "
    "2001:db8::1 port 22 ssh2",
    "Mar 29 10:48:00 ip-10-77-20-248 sshd[1197]: message repeated 2 times: "
    "[ Failed password for root from 10.0.0.8 port 4022 ssh2]",
]
LOGHUB_HEADER = "LineId,Date,Day,Time,Component,Pid,Content,EventId,EventTemplate"
LOGHUB = [
    "1,Dec,10,06:55:46,LabSZ,24200,Invalid user webmaster from 173.234.31.186,E13,x",
    "2,Dec,10,06:55:48,LabSZ,24200,Failed password for invalid user webmaster from "
    "173.234.31.186 port 38926 ssh2,E10,x",
    "3,Dec,10,07:07:38,LabSZ,24206,Accepted password for fztu from 119.137.62.142 "
    "port 49116 ssh2,E2,x",
    "4,Dec,10,07:08:28,LabSZ,24208,Failed password for root from 5.36.59.76 port 42393 "
    "ssh2,E10,x",
]
CSV_HEADER = "created_at,success,username,client_ip"
CSV = [
    "2026-02-03T10:00:00Z,false,alice,203.0.113.7",
    "2026-02-03T10:00:05+01:00,true,bob,2001:db8::2",
    "1770112800,failed,carol,",
    "2026-02-03 11:00:00,yes,dave,10.1.2.3",
]
JSONL = [
    json.dumps(
        {"time": "2026-02-03T10:00:00Z", "ok": False, "user": {"name": "alice"}}
    ),
    json.dumps({"time": 1770112800123, "ok": "success", "user": {"name": "bob"}}),
    json.dumps(
        {"time": "2026-02-03T12:00:00", "ok": "denied", "src": "::ffff:10.0.0.1"}
    ),
]
JSONL_MAP = {"created_at": "time", "success": "ok", "username": "user.name"}
PGAUDIT = [
    "2026-02-03 10:00:00.123 UTC [42] app@payments LOG:  AUDIT: SESSION,1,1,ROLE,GRANT,"
    ",,GRANT admin TO mallory,<not logged>",
    'NOTICE:  AUDIT: SESSION,4,1,DDL,CREATE TABLE,TABLE,public.tmp,"CREATE TABLE tmp '
    '(id int, data text)",<not logged>',
    "2026-02-03 10:05:00 +01:00 [43] user=ops,db=payments host=10.0.0.5 LOG:  AUDIT: "
    "OBJECT,2,1,READ,SELECT,TABLE,public.cards,SELECT * FROM cards,<none>,12",
]


class Format:
    """One text format: its parser, header, good lines and reading options."""

    def __init__(
        self,
        name: str,
        good: list[str],
        header: str | None = None,
        options: Options | None = None,
        garbage_ok: Callable[[str], bool] = lambda text: True,
    ) -> None:
        self.name, self.good, self.header = name, good, header
        self.options = options or Options(year=2024)
        self.garbage_ok = garbage_ok

    def parse(self, lines: list[bytes]) -> list[Record]:
        """The parser's records for a file of ``lines`` (after the header, if any)."""
        with TemporaryDirectory() as folder:
            path = Path(folder) / f"input.{self.name}"
            head = [self.header.encode()] if self.header else []
            path.write_bytes(b"\n".join([*head, *lines]) + b"\n")
            return list(FORMATS[self.name]([path], self.options))

    @property
    def offset(self) -> int:
        """Line number of the first line after the header."""
        return 2 if self.header else 1


def _not_json_object(text: str) -> bool:
    return not text.lstrip().startswith("{")


def _not_a_row(text: str) -> bool:
    return '"' not in text


FORMATS_UNDER_TEST = [
    Format("syslog", SYSLOG),
    Format("loghub-csv", LOGHUB, LOGHUB_HEADER),
    Format("csv", CSV, CSV_HEADER, garbage_ok=_not_a_row),
    Format(
        "jsonl",
        JSONL,
        options=Options(column_map=JSONL_MAP),
        garbage_ok=_not_json_object,
    ),
    Format("pgaudit", PGAUDIT),
]
BY_NAME = {f.name: f for f in FORMATS_UNDER_TEST}
# No line breaks inside a generated line: each generated item is exactly one line.
_LINE_TEXT = st.text(
    alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=["Cs"]),
    max_size=120,
)
HOSTILE_LINES_NUL = (
    '{"time": "2026-02-03T11:00:00Z", "ok": 1, "user": {"name": "a\\u0000b"}}'
)
HOSTILE_LINES_SURROGATE = '{"time": "2026-02-03T11:00:00Z", "ok": 1, "src": "\\ud800"}'
HOSTILE_LINES = [
    "",
    "   ",
    "\x00\x00",
    "Feb 30 10:00:00 host sshd[1]: Failed password for root from 10.0.0.1 port 1 ssh2",
    "Xyz 99 99:99:99 host sshd[1]: Failed password for root from 1.2.3.4 port 1 ssh2",
    "2024-13-45T99:99:99Z host sshd[1]: Failed password for root from 1.2.3.4 port 1",
    "0001-01-01T00:00:00+05:00 host sshd[1]: Failed password for x from 1.2.3.4 port 1",
    "9999-12-31T23:59:59-05:00 host sshd[1]: Accepted password for x from 1.2.3.4 port 1",
    "1,Jun,²,10:00:00,host,1,Failed password for root from 1.2.3.4 port 1 ssh2,E,x",
    "1,Dec,99999999999999999999,06:55:46,LabSZ,1,Invalid user x from 1.2.3.4,E13,x",
    "x" * 200_000,
    "[" * 50_000,
    "9" * 5_000,
    '{"time": ' + "9" * 5_000 + ', "ok": true}',
    '{"time": "0001-01-01T00:00:00+05:00", "ok": true}',
    '{"time": "nan", "ok": true}',
    '{"time": "2026-02-03T10:00:00Z", "ok": true, "user": {"name": "a\\u0000b"}}',
    '{"time": "2026-02-03T10:00:00Z", "ok": true, "user": {"name": "\\ud800"}}',
    '{"time": 1e400, "ok": true}',
    "0001-01-01T00:00:00+05:00,true,x,",
    "x,a,b,c,d,e,f,g,h,i,j",
    "2026-02-30 10:00:00 UTC [1] LOG:  AUDIT: SESSION,1,1,ROLE,GRANT,,,GRANT x TO y,<n>",
    'LOG:  AUDIT: SESSION,9,1,READ,SELECT,,,"SELECT 1',
    "AUDIT: " * 1000,
]


def _records(records: list[Record]) -> list[Record]:
    return [r for r in records if isinstance(r, Attempt | Event)]


def _skips(records: list[Record]) -> list[Skip]:
    return [r for r in records if isinstance(r, Skip)]


def _lines_read(records: list[Record]) -> int:
    return sum(r.lines for r in records if isinstance(r, FileRead))


@pytest.mark.parametrize("fmt", FORMATS_UNDER_TEST, ids=lambda f: f.name)
def test_good_lines_alone_give_records_and_no_skips(fmt: Format) -> None:
    parsed = fmt.parse([line.encode() for line in fmt.good])

    assert _skips(parsed) == []
    assert len(_records(parsed)) >= len(fmt.good)
    assert _lines_read(parsed) == len(fmt.good) + fmt.offset - 1


def _garbage(fmt: Format) -> st.SearchStrategy[bytes]:
    text = _LINE_TEXT.filter(
        lambda t: t.strip() != "" and fmt.garbage_ok(t) and _alone_no_record(fmt, t)
    )
    binary = (
        st.binary(min_size=1, max_size=60)
        .filter(lambda b: b"\n" not in b and b"\r" not in b and b.rstrip(b"\r\n") == b)
        .filter(lambda b: b"\x00" in b or not _utf8(b))
    )
    return st.one_of(text.map(str.encode), binary)


def _alone_no_record(fmt: Format, text: str) -> bool:
    """Garbage is a line that, on its own, gives no record."""
    return not _records(fmt.parse([text.encode()]))


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize("fmt", FORMATS_UNDER_TEST, ids=lambda f: f.name)
def test_garbage_between_good_lines_is_reported_and_loses_nothing(fmt: Format) -> None:
    expected = _records(fmt.parse([line.encode() for line in fmt.good]))

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        garbage = data.draw(st.lists(_garbage(fmt), min_size=1, max_size=8))
        lines: list[bytes] = [line.encode() for line in fmt.good]
        garbage_at: list[int] = []
        for junk in garbage:
            place = data.draw(st.integers(0, len(lines)))
            lines.insert(place, junk)
            garbage_at = [g + 1 if g >= place else g for g in garbage_at] + [place]

        parsed = fmt.parse(lines)
        CASES[f"garbage:{fmt.name}"] += 1
        LINES["garbage lines"] += len(garbage)

        assert _records(parsed) == expected
        skipped = sorted(s.line for s in _skips(parsed))
        assert skipped == sorted(g + fmt.offset for g in garbage_at)  # each line once
        assert _lines_read(parsed) == len(lines) + fmt.offset - 1

    run()


def _mutated(fmt: Format) -> st.SearchStrategy[bytes]:
    def cut(draw_line: tuple[str, int, int, str]) -> bytes:
        line, start, stop, insert = draw_line
        start, stop = sorted((start % (len(line) + 1), stop % (len(line) + 1)))
        return (line[:start] + insert + line[stop:]).encode()

    spliced = st.tuples(
        st.sampled_from(fmt.good + HOSTILE_LINES),
        st.integers(0, 400),
        st.integers(0, 400),
        _LINE_TEXT,
    ).map(cut)
    binary = st.binary(max_size=80).map(
        lambda b: b.replace(b"\n", b" ").replace(b"\r", b" ")
    )
    hostile = st.sampled_from(HOSTILE_LINES).map(str.encode)
    good = st.sampled_from(fmt.good).map(str.encode)
    return st.one_of(good, spliced, hostile, binary, _LINE_TEXT.map(str.encode))


@pytest.mark.parametrize("fmt", FORMATS_UNDER_TEST, ids=lambda f: f.name)
def test_mutated_input_never_crashes_and_stays_in_the_file(fmt: Format) -> None:
    @FUZZ
    @given(lines=st.lists(_mutated(fmt), min_size=1, max_size=12))
    @example(lines=[h.encode() for h in HOSTILE_LINES])
    def run(lines: list[bytes]) -> None:
        parsed = fmt.parse(lines)
        CASES[f"mutated:{fmt.name}"] += 1
        LINES["mutated lines"] += len(lines)

        total = len(lines) + fmt.offset - 1
        assert _lines_read(parsed) == total
        assert all(fmt.offset <= s.line <= total for s in _skips(parsed))
        for record in _records(parsed):
            assert (
                record.created_at is None or record.created_at.utcoffset() is not None
            )

    run()


def test_hostile_lines_each_become_a_record_or_a_skip_in_every_format() -> None:
    for fmt in FORMATS_UNDER_TEST:
        for number, line in enumerate(HOSTILE_LINES):
            parsed = fmt.parse([line.encode()])
            CASES[f"hostile:{fmt.name}"] += 1
            if fmt.name == "loghub-csv" and len(line) > 100_000:
                continue
            lines = _lines_read(parsed)
            assert lines == fmt.offset, (fmt.name, number)
            assert len(_records(parsed)) + len(_skips(parsed)) >= 1, (fmt.name, number)


EVTX = next(
    (
        folder / "kerberos_pwd_spray_4771.evtx"
        for folder in (REAL_DATA, Path("/work/shared/data/real"))
        if (folder / "kerberos_pwd_spray_4771.evtx").is_file()
    ),
    REAL_DATA / "kerberos_pwd_spray_4771.evtx",
)


def _evtx_records(data: bytes) -> list[Record]:
    with TemporaryDirectory() as folder:
        path = Path(folder) / "Security.evtx"
        path.write_bytes(data)
        return list(FORMATS["evtx"]([path], Options()))


def test_evtx_overwritten_bytes_never_crash_and_every_record_is_accounted() -> None:
    original = EVTX.read_bytes()
    clean = _evtx_records(original)
    assert _lines_read(clean) == len(_records(clean)) + len(_skips(clean)) > 0

    @FUZZ
    @given(
        edits=st.lists(
            st.tuples(
                st.integers(0, len(original) - 1), st.binary(min_size=1, max_size=16)
            ),
            min_size=1,
            max_size=6,
        )
    )
    @example(edits=[(0, b"NOTEVTX!")])
    @example(edits=[(4096 + 512, b"\xff" * 16)])
    def run(edits: list[tuple[int, bytes]]) -> None:
        data = bytearray(original)
        for offset, patch in edits:
            data[offset : offset + len(patch)] = patch
        parsed = _evtx_records(bytes(data[: len(original)]))
        CASES["mutated:evtx"] += 1

        whole_file = [s for s in _skips(parsed) if s.line == 0]
        read = _lines_read(parsed)
        if whole_file:
            assert read == 0 and _records(parsed) == []
        else:
            assert read == len(_records(parsed)) + len(_skips(parsed))
        assert all(0 <= s.line <= read for s in _skips(parsed))

    run()


@pytest.mark.parametrize("size", [0, 1, 4096, 70_000])
def test_evtx_random_files_are_refused_or_read_without_crashing(size: int) -> None:
    data = bytes((i * 7919) % 256 for i in range(size))
    parsed = _evtx_records(data)
    CASES["hostile:evtx"] += 1

    assert _records(parsed) == []
    assert len(_skips(parsed)) >= 1


def test_garbage_shaped_like_a_date_does_not_move_the_inferred_year() -> None:
    fmt = Format(
        "syslog", SYSLOG, options=Options(now=datetime(2024, 6, 1, tzinfo=UTC))
    )
    expected = _records(fmt.parse([line.encode() for line in SYSLOG]))
    assert {r.created_at.year for r in expected if r.created_at} == {2024}

    garbage = ["Dec 31 23:59:59 no program here", "Jan  1 00:00:00"]
    parsed = fmt.parse(
        [garbage[0].encode(), *(line.encode() for line in SYSLOG), garbage[1].encode()]
    )

    assert _records(parsed) == expected
    assert [s.line for s in _skips(parsed)] == [1, len(SYSLOG) + 2]


def test_csv_stray_quote_costs_its_own_line_only() -> None:
    fmt = BY_NAME["csv"]
    lines = [
        CSV[0],
        'x,"oops,alice,',
        CSV[1],
        '2026-02-03T12:00:00Z,true,"multi',
        'line",',
    ]
    parsed = fmt.parse([line.encode() for line in lines])

    assert [s.line for s in _skips(parsed)] == [3]
    attempts = _records(parsed)
    assert [a.username for a in attempts if isinstance(a, Attempt)] == [
        "alice",
        "bob",
        "multi\nline",
    ]
    assert _lines_read(parsed) == 6


def test_pgaudit_unterminated_record_ends_at_the_next_record() -> None:
    fmt = BY_NAME["pgaudit"]
    lines = ['LOG:  AUDIT: SESSION,9,1,READ,SELECT,,,"SELECT 1', "FROM t", *PGAUDIT]
    parsed = fmt.parse([line.encode() for line in lines])

    assert [(s.line, s.reason) for s in _skips(parsed)] == [
        (1, "pgAudit record whose quoted statement never ends"),
        (2, "part of the unterminated pgAudit record at line 1"),
    ]
    assert len(_records(parsed)) == 3


def test_unstorable_values_are_skipped_not_fatal(
    backend: Backend, tmp_path: Path
) -> None:
    """A NUL or a lone surrogate (JSON escapes) skips its line; the rest is stored."""
    path = tmp_path / "idp.jsonl"
    path.write_text(
        "\n".join([JSONL[0], HOSTILE_LINES_NUL, JSONL[1], HOSTILE_LINES_SURROGATE])
        + "\n"
    )

    report = ingest("jsonl", [path], backend.url, column_map=JSONL_MAP)

    assert report.attempts_stored == 2
    assert report.skipped == {
        "a value holds a NUL character": [("idp.jsonl", 2)],
        "a value holds an unpaired surrogate (invalid Unicode)": [("idp.jsonl", 4)],
    }


def test_zz_fuzz_case_count_is_recorded(tmp_path: Path) -> None:
    """Runs last in this module: the tally of cases, printed with ``-s``."""
    if not CASES:
        pytest.skip("run with the whole module to count cases")
    print("\nfuzz cases:", dict(sorted(CASES.items())), "total", sum(CASES.values()))
    print("fuzzed lines:", dict(LINES))
    assert sum(CASES.values()) > 0
