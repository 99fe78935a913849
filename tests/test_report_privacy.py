"""Personal data: keyed pseudonyms by default, in clear on request, stated either way."""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import stat
from pathlib import Path

import pandas as pd
import pypdf
import pytest

from nexus_audit.pseudonym import Pseudonymiser, column_kind
from nexus_audit.report import ReportOptions, write_report
from nexus_audit.result_parts import FindingChange, TrendSummary
from nexus_audit.results import AuditResult
from nexus_audit.verify import verify_report

from . import report_fixtures as fx

KEY = "a-test-key-of-some-length"
ADDRESS = "10.0.0.7"  # one of long_frame's client addresses


def expected(kind: str, value: str, key: str = KEY) -> str:
    """The documented pseudonym: kind, then 10 hex digits of HMAC-SHA-256(kind NUL value)."""
    digest = hmac.new(key.encode(), f"{kind}\0{value}".encode(), hashlib.sha256)
    return f"{kind}-{digest.hexdigest()[:10]}"


@pytest.mark.parametrize(
    ("column", "kind"),
    [
        ("username", "user"),
        ("typed_username", "user"),
        ("email", "email"),
        ("contact_email_address", "email"),
        ("client_ip", "ip"),
        ("actor_ip", "ip"),
        ("ips", "ip"),
        ("distinct_ips", "ip"),
        ("user_id", None),
        ("event_type", None),
    ],
)
def test_columns_holding_personal_data(column: str, kind: str | None) -> None:
    assert column_kind(column) == kind


def test_pseudonyms_are_keyed_and_stable() -> None:
    one = Pseudonymiser(KEY.encode())

    assert one.pseudonym("ip", "203.0.113.66") == expected("ip", "203.0.113.66")
    assert one.pseudonym("email", " Ann@Example.COM") == expected(
        "email", "ann@example.com"
    )
    assert Pseudonymiser(KEY.encode()).pseudonym("user", "bob") == expected(
        "user", "bob"
    )
    assert Pseudonymiser(b"another key, as long").pseudonym("user", "bob") != expected(
        "user", "bob"
    )


def test_frame_rewrites_text_columns_and_list_items_only() -> None:
    frame = pd.DataFrame(
        {
            "username": pd.array(["bob", None], dtype="string"),
            "ips": pd.array(["192.0.2.77, 100.64.0.1", ""], dtype="string"),
            "distinct_ips": pd.array([2, 0], dtype="Int64"),
        }
    )

    shown = Pseudonymiser(KEY.encode()).frame(frame)

    assert shown["username"].iloc[0] == expected("user", "bob")
    assert pd.isna(shown["username"].iloc[1])
    assert shown["ips"].iloc[0] == ", ".join(
        expected("ip", ip) for ip in ("192.0.2.77", "100.64.0.1")
    )
    assert shown["ips"].iloc[1] == ""
    assert shown["distinct_ips"].tolist() == [2, 0]
    assert frame["username"].iloc[0] == "bob"  # the caller's frame is untouched


@pytest.fixture(scope="module")
def hidden(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hidden")
    write_report(fx.make_result(), folder, ReportOptions(pseudonym_key=KEY))
    return folder


def _everything(folder: Path) -> str:
    """The HTML, the CSV files, the PDF's text and the PDF's attachments, as one text."""
    reader = pypdf.PdfReader(folder / "report.pdf")
    parts = [(folder / "report.html").read_text(encoding="utf-8")]
    parts += [
        p.read_text(encoding="utf-8-sig") for p in (folder / "evidence").iterdir()
    ]
    parts += [page.extract_text() or "" for page in reader.pages]
    parts += [data[0].decode("utf-8-sig") for data in reader.attachments.values()]
    return "\n".join(parts)


def test_report_shows_pseudonyms_everywhere_by_default(hidden: Path) -> None:
    text = _everything(hidden)

    assert ADDRESS not in text and fx.HOSTILE not in text
    assert expected("ip", ADDRESS) in text
    assert expected("user", fx.CYRILLIC) in text
    assert "shown as keyed pseudonyms" in text
    with (hidden / "evidence" / f"{fx.HOSTILE_QUERY}.csv").open(
        encoding="utf-8-sig"
    ) as f:
        names = [row["username"] for row in csv.DictReader(f)]
    assert names[1] == expected("user", fx.CYRILLIC)


def test_show_personal_data_shows_it_and_says_so(tmp_path: Path) -> None:
    write_report(fx.make_result(), tmp_path, ReportOptions(show_personal_data=True))
    text = _everything(tmp_path)

    assert ADDRESS in text and expected("ip", ADDRESS) not in text
    assert "Personal data is shown in clear" in text


def test_without_a_key_one_is_made_once_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    key_file = tmp_path / "config" / "nexus-audit" / "pseudonym.key"
    result = fx.make_result(fx.evidence())

    first = write_report(result, tmp_path / "a", formats=("html",))
    second = write_report(result, tmp_path / "b", formats=("html",))

    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    html = first["html"].read_text(encoding="utf-8")
    assert expected("ip", ADDRESS, key) in html
    assert html == second["html"].read_text(encoding="utf-8")
    assert ADDRESS not in html


# The outputs for other tools follow the report: same pseudonyms, listed in the manifest.

OUTPUTS = ("json", "csv", "junit", "oscal")
FILES = ("results.json", "controls.csv", "junit.xml", "oscal-assessment-results.json")


def keyed_result() -> AuditResult:
    """The fixture result with finding keys that name a user, an address, a date and a
    user who is in no evidence row (a finding resolved since an earlier month)."""
    result = fx.make_result()
    controls = tuple(
        control.model_copy(
            update={"finding_keys": (f"7|{fx.CYRILLIC}", f"{ADDRESS}|2026-02-01")}
        )
        if control.control_id == "PCI-8.2.6"
        else control
        for control in result.controls
    )
    trend = TrendSummary(
        previous_period="2026-01",
        periods=("2026-01", "2026-02"),
        changes=(
            FindingChange(
                finding_id=f"PCI-8.2.6:7|{fx.CYRILLIC}",
                control_id="PCI-8.2.6",
                framework="pci_dss",
                title="Control PCI-8.2.6",
                change="new",
            ),
            FindingChange(
                finding_id="PCI-8.2.6:9|mallory",
                control_id="PCI-8.2.6",
                framework="pci_dss",
                title="Control PCI-8.2.6",
                change="resolved",
            ),
        ),
    )
    return result.model_copy(update={"controls": controls, "trend": trend})


def test_outputs_are_pseudonymised_and_in_the_manifest(tmp_path: Path) -> None:
    options = ReportOptions(pseudonym_key=KEY, formats=("html", *OUTPUTS))
    written = write_report(keyed_result(), tmp_path, options)

    document = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    keys = {c["control_id"]: c["finding_keys"] for c in document["controls"]}
    assert keys["PCI-8.2.6"] == [
        f"7|{expected('user', fx.CYRILLIC)}",
        f"{expected('ip', ADDRESS)}|2026-02-01",
    ]
    changes = [item["finding_id"] for item in document["trend"]["changes"]]
    assert changes == [
        f"PCI-8.2.6:7|{expected('user', fx.CYRILLIC)}",
        f"PCI-8.2.6:9|{expected('value', 'mallory')}",
    ]
    for name in FILES:
        text = (tmp_path / name).read_text(encoding="utf-8-sig")
        # (the fixture's organisation name holds fx.CYRILLIC too: look for the key's)
        assert ADDRESS not in text and f"|{fx.CYRILLIC}" not in text, name
        assert "mallory" not in text, name

    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    listed = {item["path"]: item["sha256"] for item in manifest["artifacts"]}
    for name in FILES:
        data = (tmp_path / name).read_bytes()
        assert listed[name] == hashlib.sha256(data).hexdigest(), name
    assert {written[f] for f in OUTPUTS} == {tmp_path / n for n in FILES}
    assert not (tmp_path / "evidence" / "audit-result.json").exists()


def test_show_personal_data_shows_the_keys_in_clear(tmp_path: Path) -> None:
    options = ReportOptions(show_personal_data=True, formats=("html", "json"))
    write_report(keyed_result(), tmp_path, options)

    document = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    keys = {c["control_id"]: c["finding_keys"] for c in document["controls"]}
    assert keys["PCI-8.2.6"] == [f"7|{fx.CYRILLIC}", f"{ADDRESS}|2026-02-01"]


def test_verify_covers_the_outputs(tmp_path: Path) -> None:
    options = ReportOptions(pseudonym_key=KEY, formats=("html", *OUTPUTS))
    write_report(keyed_result(), tmp_path, options)
    assert verify_report(tmp_path).is_valid

    junit = tmp_path / "junit.xml"
    junit.write_text(junit.read_text(encoding="utf-8").replace("failure", "skipped"))

    found = verify_report(tmp_path)
    assert not found.is_valid
    assert found.problems == ["junit.xml: changed (SHA-256 differs from the manifest)"]


def test_verify_names_an_output_the_manifest_does_not_list(tmp_path: Path) -> None:
    write_report(fx.make_result(), tmp_path, ReportOptions(pseudonym_key=KEY))
    (tmp_path / "junit.xml").write_text("<testsuites/>", encoding="utf-8")

    found = verify_report(tmp_path)

    assert found.is_valid
    assert "not in the manifest, so not checked: junit.xml" in found.notes
