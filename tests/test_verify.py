"""The manifest and ``nexus-audit verify``: untouched folders pass, one changed byte fails.

Signing uses a fresh Ed25519 key per test session, written as PEM as ``openssl genpkey
-algorithm ed25519`` would.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from nexus_audit.cli import ExitCode, main
from nexus_audit.errors import ConfigError
from nexus_audit.report import ReportOptions, write_report
from nexus_audit.verify import verify_report

from . import report_fixtures as fx

KEY = "k" * 32


def _key_files(folder: Path) -> tuple[Path, Path]:
    key = ed25519.Ed25519PrivateKey.generate()
    private = folder / "signing-key.pem"
    public = folder / "signing-key.pub.pem"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, public


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _key_files(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plain")
    write_report(fx.make_result(), folder, ReportOptions(pseudonym_key=KEY))
    return folder


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory, keys: tuple[Path, Path]) -> Path:
    folder = tmp_path_factory.mktemp("signed")
    options = ReportOptions(pseudonym_key=KEY, signing_key=keys[0])
    write_report(fx.make_result(), folder, options)
    return folder


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def _flip(path: Path, offset: int | None = None) -> None:
    data = bytearray(path.read_bytes())
    where = len(data) // 2 if offset is None else offset
    data[where] ^= 0x01
    path.write_bytes(bytes(data))


def test_manifest_lists_every_file_with_its_hash(plain: Path) -> None:
    manifest = json.loads((plain / "manifest.json").read_text(encoding="utf-8"))
    files = sorted(
        p.relative_to(plain).as_posix()
        for p in plain.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    )
    listed = {item["path"]: item for item in manifest["artifacts"]}

    assert sorted(listed) == files
    for name in files:
        data = (plain / name).read_bytes()
        assert listed[name]["sha256"] == hashlib.sha256(data).hexdigest()
        assert listed[name]["bytes"] == len(data)
    result = fx.make_result()
    queries = {q["name"]: q for q in manifest["queries"]}
    assert queries[fx.LONG_QUERY]["row_count"] == fx.LONG_ROWS
    assert queries[fx.LONG_QUERY]["parameters"] == result.queries[1].parameters
    assert manifest["database"]["name"] == result.database
    assert manifest["library"]["version"] == result.library_version
    assert manifest["personal_data"]["pseudonymised"] is True


def test_untouched_folder_verifies(plain: Path) -> None:
    found = verify_report(plain)

    assert found.is_valid, found.problems
    assert len(found.checked) == len(list(plain.rglob("*.*"))) - 1


def test_one_changed_byte_in_any_file_is_named(plain: Path, tmp_path: Path) -> None:
    names = [
        item["path"]
        for item in json.loads((plain / "manifest.json").read_text())["artifacts"]
    ]

    for index, name in enumerate(names):
        copy = _copy(plain, tmp_path / str(index))
        _flip(copy / name)

        found = verify_report(copy)
        assert found.problems == [
            f"{name}: changed (SHA-256 differs from the manifest)"
        ]


def test_missing_file_is_named(plain: Path, tmp_path: Path) -> None:
    copy = _copy(plain, tmp_path / "copy")
    (copy / "report.html").unlink()

    assert verify_report(copy).problems == ["report.html: missing"]


def test_signed_report_verifies_with_the_trusted_key(
    signed: Path, keys: tuple[Path, Path]
) -> None:
    found = verify_report(signed, keys[1])

    assert found.is_valid, found.problems
    assert any("manifest signed by Ed25519 key SHA256:" in n for n in found.notes)
    assert "report.pdf: signature intact, covers the whole file" in found.notes


def test_changed_manifest_is_caught_when_signed(signed: Path, tmp_path: Path) -> None:
    copy = _copy(signed, tmp_path / "copy")
    manifest = copy / "manifest.json"
    manifest.write_text(
        manifest.read_text().replace('"complete": false', '"complete": true')
    )

    assert verify_report(copy).problems == [
        "manifest.json: changed, or manifest.json.sig is not its signature"
    ]


def test_removed_signature_is_caught(signed: Path, tmp_path: Path) -> None:
    copy = _copy(signed, tmp_path / "copy")
    (copy / "manifest.json.sig").unlink()

    assert verify_report(copy).problems == [
        "manifest.json.sig: missing, but the report was signed"
    ]


def test_other_signer_is_caught(signed: Path, tmp_path: Path) -> None:
    _, stranger = _key_files(tmp_path)

    found = verify_report(signed, stranger)
    assert len(found.problems) == 1
    assert "not the trusted key" in found.problems[0]


def test_changed_pdf_fails_hash_and_signature(signed: Path, tmp_path: Path) -> None:
    copy = _copy(signed, tmp_path / "copy")
    _flip(copy / "report.pdf", offset=len((copy / "report.pdf").read_bytes()) // 3)

    problems = verify_report(copy).problems
    assert problems[0] == "report.pdf: changed (SHA-256 differs from the manifest)"
    assert problems[1].startswith("report.pdf: signature")


def test_a_key_that_is_not_ed25519_is_refused(tmp_path: Path) -> None:
    pem = tmp_path / "rsa.pem"
    pem.write_text(
        "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n"
    )

    with pytest.raises(ConfigError, match="signing_key"):
        write_report(fx.make_result(), tmp_path / "out", ReportOptions(signing_key=pem))
    assert not (tmp_path / "out").exists()


def test_verify_command_exit_codes(plain: Path, tmp_path: Path) -> None:
    passed = CliRunner().invoke(main, ["verify", str(plain)])
    assert passed.exit_code == ExitCode.OK, passed.output
    assert "verified" in passed.output

    copy = _copy(plain, tmp_path / "copy")
    _flip(copy / "evidence" / f"{fx.LONG_QUERY}.csv")
    failed = CliRunner().invoke(main, ["verify", str(copy)])
    assert failed.exit_code == ExitCode.UNVERIFIED
    assert f"evidence/{fx.LONG_QUERY}.csv: changed" in failed.output

    nothing = CliRunner().invoke(main, ["verify", str(tmp_path / "none")])
    assert nothing.exit_code == ExitCode.USAGE and "manifest" in nothing.output
