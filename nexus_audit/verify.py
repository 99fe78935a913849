"""Re-check a report folder against its manifest, offline: ``nexus-audit verify DIR``.

Every file the manifest lists must exist with the SHA-256 and size it records. When the
manifest says the report was signed, ``manifest.json.sig`` must hold a valid Ed25519
signature of the manifest's exact bytes, and the PDF's signature must cover the whole
file, be intact and come from the same key. Given a trusted public key, that key must
be the one that signed; without one, a signed manifest only proves it was not changed
after signing by whoever holds the key it names.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import NexusAuditError
from .report.manifest import FORMAT, NAME, SIGNATURE
from .report.signing import fingerprint

# Files a report run writes beside evidence/: one left from an earlier run, and not in
# this manifest, is named so nobody takes it for part of the verified report.
REPORT_FILES = (
    "report.html",
    "report.pdf",
    "results.json",
    "controls.csv",
    "junit.xml",
    "oscal-assessment-results.json",
)

log = logging.getLogger(__name__)


class VerifyError(NexusAuditError):
    """The folder holds no readable manifest, or the trusted key cannot be read."""


@dataclass
class Verification:
    """What ``verify`` found; ``problems`` is empty when everything checks out."""

    folder: Path
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems


def _manifest(folder: Path) -> tuple[bytes, dict[str, Any]]:
    path = folder / NAME
    try:
        data = path.read_bytes()
        document = json.loads(data)
    except (OSError, ValueError) as error:
        raise VerifyError(f"cannot read the manifest {path}: {error}") from error

    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise VerifyError(f"{path} is not a nexus_audit manifest ({FORMAT})")

    return data, document


def _check_artifacts(
    folder: Path, document: dict[str, Any], found: Verification
) -> None:
    for item in document.get("artifacts", []):
        relative = str(item["path"])
        path = folder / relative
        found.checked.append(relative)

        if not path.is_file():
            found.problems.append(f"{relative}: missing")
            continue

        data = path.read_bytes()
        if (
            hashlib.sha256(data).hexdigest() != item["sha256"]
            or len(data) != item["bytes"]
        ):
            found.problems.append(
                f"{relative}: changed (SHA-256 differs from the manifest)"
            )

    written = [*(folder / "evidence").glob("*"), *(folder / n for n in REPORT_FILES)]
    extra = sorted(
        path.relative_to(folder).as_posix()
        for path in written
        if path.is_file() and path.relative_to(folder).as_posix() not in found.checked
    )
    if extra:
        found.notes.append(f"not in the manifest, so not checked: {', '.join(extra)}")


def _public_key(path: Path) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError) as error:
        raise VerifyError(f"cannot read the public key {path}: {error}") from error

    if not isinstance(key, ed25519.Ed25519PublicKey):
        raise VerifyError(f"{path} is not an Ed25519 public key")

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _signature_fields(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="ascii").splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def _check_manifest_signature(
    folder: Path, data: bytes, trusted: bytes | None, found: Verification
) -> bytes | None:
    """The public key that signed the manifest, or None (problems recorded)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric import ed25519

    path = folder / SIGNATURE
    if not path.is_file():
        found.problems.append(f"{SIGNATURE}: missing, but the report was signed")
        return None

    fields = _signature_fields(path)
    try:
        public = base64.b64decode(fields["public-key"])
        key = ed25519.Ed25519PublicKey.from_public_bytes(public)
        key.verify(base64.b64decode(fields["signature"]), data)
    except (KeyError, ValueError, InvalidSignature):
        found.problems.append(f"{NAME}: changed, or {SIGNATURE} is not its signature")
        return None

    if trusted is not None and public != trusted:
        found.problems.append(
            f"{SIGNATURE}: signed by {fingerprint(public)}, not the trusted key"
        )
        return None

    found.notes.append(f"manifest signed by Ed25519 key {fingerprint(public)}")
    return public


def _check_pdf_signature(pdf: Path, public: bytes, found: Verification) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf.read_bytes()))
        signatures = reader.embedded_signatures
        if not signatures:
            found.problems.append(f"{pdf.name}: carries no signature, but was signed")
            return
        embedded = signatures[-1]
        certificate = embedded.signer_cert
        status = validate_pdf_signature(
            embedded, ValidationContext(trust_roots=[certificate])
        )
    except Exception as error:  # pyHanko raises many kinds on a damaged file
        found.problems.append(f"{pdf.name}: signature cannot be read ({error})")
        return

    signer_key = bytes(certificate.public_key["public_key"])
    coverage = status.coverage.name if status.coverage else "none"
    if not (status.intact and status.valid) or coverage != "ENTIRE_FILE":
        found.problems.append(f"{pdf.name}: signature does not cover the file as it is")
    elif signer_key != public:
        found.problems.append(f"{pdf.name}: signed by another key than the manifest")
    else:
        found.notes.append(f"{pdf.name}: signature intact, covers the whole file")


def verify_report(folder: Path | str, public_key: Path | None = None) -> Verification:
    """Check every artifact and signature of the report in ``folder``."""
    folder = Path(folder)
    found = Verification(folder)
    data, document = _manifest(folder)
    trusted = _public_key(public_key) if public_key else None

    _check_artifacts(folder, document, found)
    signing = document.get("signing")

    if signing:
        public = _check_manifest_signature(folder, data, trusted, found)
        pdf = folder / "report.pdf"
        if public is not None and signing.get("pdf_signed") and pdf.is_file():
            _check_pdf_signature(pdf, public, found)
    elif trusted is not None:
        found.problems.append(f"{NAME}: not signed, but a trusted key was given")
    else:
        found.notes.append(
            "the report is not signed: a changed manifest goes unnoticed"
        )

    log.info("verified %d artifacts in %s", len(found.checked), folder)
    return found
